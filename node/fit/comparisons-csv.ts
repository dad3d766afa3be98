import type { PairwiseVerdict } from '../../protocol/bt.js'

/** A problem with the researcher's CSV; the message names the line and what to fix. */
export class ComparisonsCsvError extends Error {
  override name = 'ComparisonsCsvError'
}

export interface ComparisonsTable {
  /** Every candidate named in a left or right column. */
  ids: Set<string>
  verdicts: PairwiseVerdict[]
}

/**
 * Parse a CSV of pairwise comparisons: a header naming at least `left,right,winner`
 * (`winner` = left | right | tie) and optionally `weight` (a finite number ≥ 0, default 1).
 * Fields may be quoted as in RFC 4180.
 */
export function parseComparisonsCsv (text: string): ComparisonsTable {
  const rows = parseCsvRows(text)
  if (rows.length === 0) throw new ComparisonsCsvError('the file is empty: expected a header naming left,right,winner')
  const header = rows[0].map(h => h.trim())
  const column = (name: string): number => header.indexOf(name)
  const left = column('left')
  const right = column('right')
  const winner = column('winner')
  const weight = column('weight')
  const missing = [['left', left], ['right', right], ['winner', winner]].filter(([, i]) => i === -1).map(([n]) => n)
  if (missing.length > 0) {
    throw new ComparisonsCsvError(`bad header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header is: ${header.join(',')})`)
  }
  const ids = new Set<string>()
  const verdicts: PairwiseVerdict[] = []
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]
    const line = r + 1
    if (row.length === 1 && row[0] === '') continue
    if (row.length !== header.length) throw new ComparisonsCsvError(`line ${line}: expected ${header.length} fields, found ${row.length}`)
    const a = row[left]
    const b = row[right]
    if (a === '' || b === '') throw new ComparisonsCsvError(`line ${line}: empty candidate name`)
    if (a === b) throw new ComparisonsCsvError(`line ${line}: "${a}" is compared with itself`)
    let w = 1
    if (weight !== -1) {
      w = Number(row[weight])
      if (row[weight].trim() === '' || !Number.isFinite(w) || w < 0) {
        throw new ComparisonsCsvError(`line ${line}: weight must be a finite number ≥ 0, got "${row[weight]}"`)
      }
    }
    const outcome = row[winner].trim()
    if (outcome !== 'left' && outcome !== 'right' && outcome !== 'tie') {
      throw new ComparisonsCsvError(`line ${line}: unknown winner "${outcome}" (expected left, right or tie)`)
    }
    ids.add(a)
    ids.add(b)
    verdicts.push({ a, b, outcome: outcome === 'left' ? 'a' : outcome === 'right' ? 'b' : 'tie', weight: w })
  }
  return { ids, verdicts }
}

function parseCsvRows (text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  if (text.charCodeAt(0) === 0xfeff) i = 1
  for (; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else {
          quoted = false
        }
      } else {
        field += c
      }
    } else if (c === '"' && field === '') {
      quoted = true
    } else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else {
      field += c
    }
  }
  if (quoted) throw new ComparisonsCsvError('unterminated quoted field at the end of the file')
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}
