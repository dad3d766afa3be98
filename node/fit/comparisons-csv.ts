import type { PairwiseVerdict } from '../../protocol/bt.js'
import { CandidateNames } from './candidate-names.js'
import { CsvRecordReader, UnterminatedQuoteError } from './csv-records.js'
import { OUTCOME_LEFT, OUTCOME_RIGHT, OUTCOME_TIE, PlainRows } from './plain-rows.js'
import type { ColumnLayout, ComparisonSink } from './plain-rows.js'

export { OUTCOME_LEFT, OUTCOME_RIGHT, OUTCOME_TIE }

/** A problem with the researcher's CSV; the message names the line and what to fix. */
export class ComparisonsCsvError extends Error {
  override name = 'ComparisonsCsvError'
}

/** The comparisons of a CSV as columns, candidates interned: row k is `left[k]` vs `right[k]`. */
export interface ComparisonColumns {
  /** Candidate names in order of first appearance; `left` and `right` index into it. */
  ids: string[]
  /** Number of comparisons (blank lines skipped). */
  count: number
  left: Int32Array
  right: Int32Array
  /** OUTCOME_LEFT, OUTCOME_RIGHT or OUTCOME_TIE. */
  outcome: Uint8Array
  weight: Float64Array
}

export interface ComparisonsTable {
  /** Every candidate named in a left or right column. */
  ids: Set<string>
  verdicts: PairwiseVerdict[]
}

/**
 * Parse a CSV of pairwise comparisons: a header naming at least `left,right,winner`
 * (`winner` = left | right | tie) and optionally `weight` (a finite number ≥ 0, default 1).
 * Fields may be quoted as in RFC 4180. Line numbers in errors count records (a quoted line
 * break does not start a new one).
 *
 * Plain rows go through `PlainRows` in bulk; every other record (quotes, a blank line, a weight
 * like `1e-3`, a bad row) is read here, field by field, with every check and message of the
 * string parser this replaced, which `tests/unit/bt-csv.test.ts` keeps as the reference.
 */
export function readComparisonsCsv (bytes: Uint8Array): ComparisonColumns {
  const reader = new CsvRecordReader(bytes)
  // The string parser split the whole file into records before checking any, so a file that
  // ends inside quotes reports that rather than an earlier bad row.
  const fail = (message: string): ComparisonsCsvError =>
    new ComparisonsCsvError(reader.endsInsideQuotes() ? new UnterminatedQuoteError().message : message)
  if (!next(reader)) throw new ComparisonsCsvError('the file is empty: expected a header naming left,right,winner')
  const header = Array.from({ length: reader.fieldCount }, (_, f) => reader.field(f).trim())
  const layout: ColumnLayout = { fields: header.length, left: header.indexOf('left'), right: header.indexOf('right'), winner: header.indexOf('winner'), weight: header.indexOf('weight') }
  const { left, right, winner, weight } = layout
  const missing = [['left', left], ['right', right], ['winner', winner]].filter(([, i]) => i === -1).map(([n]) => n)
  if (missing.length > 0) {
    throw fail(`bad header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header is: ${header.join(',')})`)
  }
  const names = new CandidateNames(reader.bytes)
  const columns = new ColumnBuilder(reader.bytes.length)
  const plain = new PlainRows(reader.bytes, layout, names, columns)
  let line = 1
  for (;;) {
    line += plain.readFrom(reader.position)
    reader.position = plain.position
    if (!next(reader)) break
    line++
    if (reader.fieldCount === 1 && reader.isEmpty(0)) continue
    if (reader.fieldCount !== header.length) throw fail(`line ${line}: expected ${header.length} fields, found ${reader.fieldCount}`)
    if (reader.isEmpty(left) || reader.isEmpty(right)) throw fail(`line ${line}: empty candidate name`)
    const a = names.intern(reader, left)
    const z = names.intern(reader, right)
    if (a === z) throw fail(`line ${line}: "${names.ids[a]}" is compared with itself`)
    let w = 1
    if (weight !== -1) {
      const field = reader.field(weight)
      w = Number(field)
      if (field.trim() === '' || !Number.isFinite(w) || w < 0) throw fail(`line ${line}: weight must be a finite number ≥ 0, got "${field}"`)
    }
    const label = reader.field(winner).trim()
    const outcome = label === 'left' ? OUTCOME_LEFT : label === 'right' ? OUTCOME_RIGHT : label === 'tie' ? OUTCOME_TIE : -1
    if (outcome === -1) throw fail(`line ${line}: unknown winner "${label}" (expected left, right or tie)`)
    columns.push(a, z, outcome, w)
  }
  return columns.finish(names.ids)
}

/** The same parse as rows of named verdicts (what `rankCandidates` takes); for callers outside the fit's hot path. */
export function parseComparisonsCsv (text: string | Uint8Array): ComparisonsTable {
  const columns = readComparisonsCsv(typeof text === 'string' ? Buffer.from(text, 'utf8') : text)
  const outcomes = ['a', 'b', 'tie'] as const
  const verdicts: PairwiseVerdict[] = []
  for (let k = 0; k < columns.count; k++) {
    verdicts.push({ a: columns.ids[columns.left[k]], b: columns.ids[columns.right[k]], outcome: outcomes[columns.outcome[k]], weight: columns.weight[k] })
  }
  return { ids: new Set(columns.ids), verdicts }
}

function next (reader: CsvRecordReader): boolean {
  try {
    return reader.next()
  } catch (err) {
    if (err instanceof UnterminatedQuoteError) throw new ComparisonsCsvError(err.message)
    throw err
  }
}

/** Growable typed columns; the final arrays are views of the last buffers, not copies. */
class ColumnBuilder implements ComparisonSink {
  private count = 0
  private left: Int32Array
  private right: Int32Array
  private outcome: Uint8Array
  private weight: Float64Array

  constructor (fileBytes: number) {
    // A row of two short names, a winner and a weight is rarely under 16 bytes; past 4M rows the
    // arrays double as they fill rather than reserve memory for a guess.
    const capacity = Math.min(Math.max(256, Math.ceil(fileBytes / 16)), 1 << 22)
    this.left = new Int32Array(capacity)
    this.right = new Int32Array(capacity)
    this.outcome = new Uint8Array(capacity)
    this.weight = new Float64Array(capacity)
  }

  push (left: number, right: number, outcome: number, weight: number): void {
    const k = this.count++
    if (k === this.left.length) {
      this.left = grown(this.left)
      this.right = grown(this.right)
      this.outcome = grown(this.outcome)
      this.weight = grown(this.weight)
    }
    this.left[k] = left
    this.right[k] = right
    this.outcome[k] = outcome
    this.weight[k] = weight
  }

  finish (ids: string[]): ComparisonColumns {
    const n = this.count
    return { ids, count: n, left: this.left.subarray(0, n), right: this.right.subarray(0, n), outcome: this.outcome.subarray(0, n), weight: this.weight.subarray(0, n) }
  }
}

function grown<T extends Int32Array | Uint8Array | Float64Array> (array: T): T {
  const next = new (array.constructor as new (length: number) => T)(array.length * 2)
  next.set(array)
  return next
}
