import { COMMA, CR, LF, QUOTE } from './csv-records.js'
import type { CandidateNames } from './candidate-names.js'

/** `ComparisonColumns.outcome` values. */
export const OUTCOME_LEFT = 0
export const OUTCOME_RIGHT = 1
export const OUTCOME_TIE = 2

/** Where the columns are in a record: field indices, -1 for an absent weight. */
export interface ColumnLayout { fields: number, left: number, right: number, winner: number, weight: number }

export interface ComparisonSink {
  push: (left: number, right: number, outcome: number, weight: number) => void
}

/**
 * The common case at full speed, straight from the bytes: records of unquoted fields, as many
 * as the header has, two different non-empty names, `left`, `right` or `tie` exactly and a
 * plain decimal weight. Anything else ends a run of plain rows, for the caller to read with every
 * check and message. A `"` inside a field is a literal in CSV, so only one at the start of a
 * field ends the run.
 *
 * One row per call of `read`: in a process that reads one file once, the rows before optimised
 * code arrives run in the interpreter at ~20× the cost, and a small per-row function is optimised
 * sooner than one loop over the file (after ~8,000 rows of the 1,000 × 100,000 benchmark file
 * rather than ~16,000).
 */
export class PlainRows {
  /** After `readFrom`: where the first record that is not plain starts (or the end of the file). */
  position = 0
  private readonly fieldStart: Int32Array
  private readonly fieldEnd: Int32Array

  constructor (private readonly b: Buffer, private readonly layout: ColumnLayout, private readonly names: CandidateNames, private readonly sink: ComparisonSink) {
    this.fieldStart = new Int32Array(layout.fields)
    this.fieldEnd = new Int32Array(layout.fields)
  }

  /** Read plain records from `start` into the sink; returns how many (see `position`). */
  readFrom (start: number): number {
    let p = start
    let records = 0
    while (p < this.b.length) {
      const next = this.read(p)
      if (next === -1) break
      p = next
      records++
    }
    this.position = p
    return records
  }

  /** Read the plain record at p into the sink; returns where the next record starts, or -1 if this one is not plain. */
  read (p: number): number {
    const { b, fieldStart, fieldEnd } = this
    const { fields, left, right, winner, weight } = this.layout
    const length = b.length
    let f = 0
    for (;;) {
      if (b[p] === QUOTE || f === fields) return -1
      fieldStart[f] = p
      // Every byte above ',' is plain text; below it only LF, CR and ',' itself end the field.
      while (p < length) {
        const c = b[p]
        if (c > COMMA || (c !== COMMA && c !== LF && c !== CR)) p++
        else break
      }
      fieldEnd[f++] = p
      if (p < length && b[p] === COMMA) p++
      else break
    }
    if (f !== fields || fieldStart[left] === fieldEnd[left] || fieldStart[right] === fieldEnd[right]) return -1
    const a = this.names.internBytes(fieldStart[left], fieldEnd[left])
    const z = this.names.internBytes(fieldStart[right], fieldEnd[right])
    const w = weight === -1 ? 1 : plainDecimal(b, fieldStart[weight], fieldEnd[weight])
    const outcome = outcomeOf(b, fieldStart[winner], fieldEnd[winner])
    if (a === z || Number.isNaN(w) || outcome === -1) return -1
    this.sink.push(a, z, outcome, w)
    if (p < length && b[p++] === CR && p < length && b[p] === LF) p++
    return p
  }
}

/** Exact doubles 10^0 … 10^15. */
const powersOfTen = Array.from({ length: 16 }, (_, k) => Number(`1e${k}`))

/**
 * A weight written as plain digits with at most one point (`0.25`, `3`, `.5`, `7.`) and at most
 * 15 digits, read from the bytes; NaN for anything else (signs, exponents, spaces), which then
 * goes through Number(). The two agree to the bit: the digits form an integer below 2^53 and
 * 10^k is exact, so the one division is the correctly rounded value of the decimal, which is
 * what Number() returns.
 */
export function plainDecimal (b: Uint8Array, start: number, end: number): number {
  if (end - start > 16) return Number.NaN
  let mantissa = 0
  let digits = 0
  let point = -1
  for (let p = start; p < end; p++) {
    const c = b[p]
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30)
      digits++
    } else if (c === 0x2e && point === -1) {
      point = p
    } else {
      return Number.NaN
    }
  }
  if (digits === 0 || digits > 15) return Number.NaN
  return point === -1 ? mantissa : mantissa / powersOfTen[end - point - 1]
}

/** `left`, `right` or `tie` exactly; -1 for anything else (spaces, other case), which is decided as text. */
function outcomeOf (b: Uint8Array, start: number, end: number): number {
  const size = end - start
  if (size === 4 && b[start] === 0x6c && b[start + 1] === 0x65 && b[start + 2] === 0x66 && b[start + 3] === 0x74) return OUTCOME_LEFT
  if (size === 5 && b[start] === 0x72 && b[start + 1] === 0x69 && b[start + 2] === 0x67 && b[start + 3] === 0x68 && b[start + 4] === 0x74) return OUTCOME_RIGHT
  if (size === 3 && b[start] === 0x74 && b[start + 1] === 0x69 && b[start + 2] === 0x65) return OUTCOME_TIE
  return -1
}
