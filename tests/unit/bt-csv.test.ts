import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rankCandidates, WinMatrix } from '../../protocol/bt.js'
import type { PairwiseVerdict } from '../../protocol/bt.js'
import { ComparisonsCsvError, parseComparisonsCsv, readComparisonsCsv } from '../../node/fit/comparisons-csv.js'
import type { ComparisonColumns, ComparisonsTable } from '../../node/fit/comparisons-csv.js'
import { comparisonGraph, rankComparisons } from '../../node/fit/rank-comparisons.js'

/**
 * The byte-level CSV reader and the column fit replaced a string parser and `rankCandidates`;
 * these tests hold them to the old behaviour: the same comparisons or the same error message
 * (line numbers included) for any file, and the same fit to the bit.
 */

/** The string parser `swarmrank fit` used before (commit 26eaaf0), verbatim but for names: the reference. */
class ReferenceParseError extends Error {}

function referenceParse (text: string): ComparisonsTable {
  const rows = parseCsvRows(text)
  if (rows.length === 0) throw new ReferenceParseError('the file is empty: expected a header naming left,right,winner')
  const header = rows[0].map(h => h.trim())
  const column = (name: string): number => header.indexOf(name)
  const left = column('left')
  const right = column('right')
  const winner = column('winner')
  const weight = column('weight')
  const missing = [['left', left], ['right', right], ['winner', winner]].filter(([, i]) => i === -1).map(([n]) => n)
  if (missing.length > 0) {
    throw new ReferenceParseError(`bad header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header is: ${header.join(',')})`)
  }
  const ids = new Set<string>()
  const verdicts: PairwiseVerdict[] = []
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]
    const line = r + 1
    if (row.length === 1 && row[0] === '') continue
    if (row.length !== header.length) throw new ReferenceParseError(`line ${line}: expected ${header.length} fields, found ${row.length}`)
    const a = row[left]
    const b = row[right]
    if (a === '' || b === '') throw new ReferenceParseError(`line ${line}: empty candidate name`)
    if (a === b) throw new ReferenceParseError(`line ${line}: "${a}" is compared with itself`)
    let w = 1
    if (weight !== -1) {
      w = Number(row[weight])
      if (row[weight].trim() === '' || !Number.isFinite(w) || w < 0) {
        throw new ReferenceParseError(`line ${line}: weight must be a finite number ≥ 0, got "${row[weight]}"`)
      }
    }
    const outcome = row[winner].trim()
    if (outcome !== 'left' && outcome !== 'right' && outcome !== 'tie') {
      throw new ReferenceParseError(`line ${line}: unknown winner "${outcome}" (expected left, right or tie)`)
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
  if (quoted) throw new ReferenceParseError('unterminated quoted field at the end of the file')
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/** What the old command did with a file's bytes: decode as UTF-8, then parse. */
function reference (bytes: Uint8Array): ComparisonsTable | { error: string } {
  try {
    return referenceParse(Buffer.from(bytes).toString('utf8'))
  } catch (err) {
    if (err instanceof ReferenceParseError) return { error: err.message }
    throw err
  }
}

function current (bytes: Uint8Array): ComparisonsTable | { error: string } {
  try {
    return parseComparisonsCsv(bytes)
  } catch (err) {
    if (err instanceof ComparisonsCsvError) return { error: err.message }
    throw err
  }
}

function expectSameParse (bytes: Uint8Array): void {
  const want = reference(bytes)
  const got = current(bytes)
  if ('error' in want || 'error' in got) {
    expect(got).toEqual(want)
    return
  }
  expect([...got.ids]).toEqual([...want.ids])
  expect(got.verdicts.length).toBe(want.verdicts.length)
  for (let k = 0; k < want.verdicts.length; k++) {
    const [g, w] = [got.verdicts[k], want.verdicts[k]]
    expect([g.a, g.b, g.outcome]).toEqual([w.a, w.b, w.outcome])
    expect(Object.is(g.weight, w.weight)).toBe(true)
  }
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8')
const dataDir = fileURLToPath(new URL('../../../shared/data/llmfao/', import.meta.url))

describe('comparisons CSV reader', () => {
  it('reads the LLMFAO file exactly as the string parser did', () => {
    expectSameParse(readFileSync(dataDir + 'llmfao.csv'))
  })

  const cases: Array<[string, string]> = [
    ['quoted names with commas, quotes and line breaks', 'left,right,winner\n"a, the ""first""",b,left\n"multi\nline",b,right\nb,"a, the ""first""",tie\n'],
    ['text after a closing quote, and a quote inside a field', 'left,right,winner\n"a"x,b,left\nc"d,b,left\n""""",b,left\n'],
    ['CRLF, lone CR and a missing final line break', 'left,right,winner,weight\r\na,b,left,1\rb,c,right,2\r\nc,a,tie,3'],
    ['a byte-order mark', '\ufeffleft,right,winner\na,b,left\n'],
    ['a BOM that is not at the start', 'left,right,winner\n\ufeffa,b,left\n'],
    ['blank lines, counted in line numbers', 'left,right,winner\n\na,b,left\n\r\n\nb,a,wins\n'],
    ['a final quoted empty field', 'left,right,winner\na,b,left\n""'],
    ['a final quoted empty field after a line break', 'left,right,winner\na,b,left\n""\n'],
    ['only a quoted empty field', '""'],
    ['an empty file', ''],
    ['only a BOM', '\ufeff'],
    ['a header only', 'left,right,winner\n'],
    ['extra columns in any order, spaces around header names', ' weight ,note,winner,right,left\n2,x,left,b,a\n'],
    ['weights in every spelling Number() takes', 'left,right,winner,weight\na,b,left,1e-3\na,b,left, 2 \na,b,left,.5\na,b,left,5.\na,b,left,0x10\na,b,left,00.50\na,b,left,0.1234567890123456789\na,b,left,123456789012345678\na,b,left,-0\na,b,left,+3\na,b,left,0\n'],
    ['winners with spaces', 'left,right,winner\na,b, left \na,b,"tie"\n'],
    ['a bad winner', 'left,right,winner\na,b,LEFT\n'],
    ['a negative weight', 'left,right,winner,weight\na,b,left,-2\n'],
    ['an infinite weight', 'left,right,winner,weight\na,b,left,1e999\n'],
    ['an empty weight', 'left,right,winner,weight\na,b,left,\n'],
    ['a blank weight', 'left,right,winner,weight\na,b,left,  \n'],
    ['too many fields', 'left,right,winner\na,b,left,x\n'],
    ['too few fields', 'left,right,winner\na,b\n'],
    ['an empty name', 'left,right,winner\na,,left\n'],
    ['a quoted empty name', 'left,right,winner\n"",b,left\n'],
    ['a name compared with itself', 'left,right,winner\na,a,left\n'],
    ['the same name quoted and not', 'left,right,winner\na,"a",left\n'],
    ['a bad header', 'a,b,c\n1,2,3\n'],
    ['a bad row, then a quote left open: the open quote is reported', 'left,right,winner\na,b,draw\n"c,d,left\n'],
    ['a bad header, then a quote left open', 'a,b\n"x\n'],
    ['an unterminated quote', 'left,right,winner\na,b,left\n"c,d,left'],
    ['names in other scripts', 'left,right,winner\nΑλφα,бета,left\n日本,Αλφα,right\n'],
    ['a record with a lone CR before its end', 'left,right,winner\na,b\rc,left\n']
  ]
  for (const [what, text] of cases) {
    it(`agrees with the string parser on ${what}`, () => expectSameParse(utf8(text)))
  }

  it('agrees with the string parser on invalid UTF-8 (decoded to U+FFFD, names merged as before)', () => {
    const bytes = Buffer.concat([utf8('left,right,winner\na'), Buffer.from([0xff]), utf8(',a'), Buffer.from([0xfe]), utf8(',left\nx'), Buffer.from([0xc3]), utf8(',y,right\n')])
    expectSameParse(bytes)
  })

  it('names the record, not the physical line, after a quoted line break', () => {
    expect(current(utf8('left,right,winner\n"a\nb",c,left\nd,e,nope\n'))).toEqual({ error: 'line 3: unknown winner "nope" (expected left, right or tie)' })
  })

  // Random files from pieces that exercise every branch of both parsers.
  const field = fc.oneof(
    fc.constantFrom('a', 'b', 'c', 'left', 'right', 'tie', ' left', 'TIE', '1', '0.5', '.5', '7.', '1e-3', ' 2 ', '-1', '-0', 'x1', '', '0x1f', '1e999', '123456789012345678', 'Ω', '日本'),
    fc.constantFrom('"a"', '"a,b"', '"a""b"', '"x\ny"', '""', '"a"b', 'a"b', '"', '"""'),
    fc.string({ maxLength: 4 })
  )
  const separator = fc.constantFrom(',', ',', ',', '\n', '\r\n', '\r', '\n\n')
  const file = fc.tuple(
    fc.constantFrom('', '\ufeff'),
    fc.constantFrom('left,right,winner', 'left,right,winner,weight', 'winner,weight,left,right', 'right,left,winner', 'left,x'),
    fc.array(fc.tuple(separator, field), { maxLength: 60 }),
    fc.constantFrom('', '\n', '\r\n')
  ).map(([bom, header, pieces, end]) => bom + header + '\n' + pieces.map(([s, f]) => s + f).join('') + end)
  // Mostly well-formed rows, so that the fast path is taken and left at random places.
  const name = fc.constantFrom('a', 'b', 'c', 'd', 'model-1', 'Ω')
  // Decimals of up to 17 digits: the fast path reads up to 15 itself and must round as Number() does.
  const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.nat({ max: 17 }))
    .map(([digits, point]) => { const text = digits.toString(); const at = Math.max(0, text.length - point); return `${text.slice(0, at)}.${text.slice(at)}` })
  const weight = fc.oneof(fc.constantFrom('1', '0.25', '3', '0', '.5', '2.'), decimal)
  const goodRow = fc.tuple(name, name, fc.constantFrom('left', 'right', 'tie'), weight)
    .map(([a, b, w, x]) => `${a},${b},${w},${x}`)
  const mostlyGood = fc.tuple(
    fc.array(fc.oneof({ weight: 8, arbitrary: goodRow }, { weight: 1, arbitrary: field }), { maxLength: 40 }),
    fc.constantFrom('\n', '\r\n')
  ).map(([rows, eol]) => 'left,right,winner,weight' + eol + rows.join(eol) + eol)

  it('agrees with the string parser on random files (fast-check)', () => {
    fc.assert(fc.property(fc.oneof(file, mostlyGood), text => expectSameParse(utf8(text))), { numRuns: 2000 })
  })
})

describe('fit from columns', () => {
  function tableOf (verdicts: PairwiseVerdict[]): ComparisonColumns {
    const csv = 'left,right,winner,weight\n' + verdicts.map(v => `${v.a},${v.b},${v.outcome === 'a' ? 'left' : v.outcome === 'b' ? 'right' : 'tie'},${v.weight}`).join('\n')
    return readComparisonsCsv(utf8(csv))
  }

  const verdicts = fc.integer({ min: 2, max: 9 }).chain(n => fc.array(
    fc.record({
      a: fc.nat({ max: n - 1 }).map(i => `c${i}`),
      b: fc.nat({ max: n - 1 }).map(i => `c${i}`),
      outcome: fc.constantFrom('a' as const, 'b' as const, 'tie' as const),
      weight: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true, noDefaultInfinity: true }))
    }).filter(v => v.a !== v.b),
    { minLength: 1, maxLength: 60 }
  ))

  it('builds the graph WinMatrix builds, to the bit, by either layout (fast-check)', () => {
    fc.assert(fc.property(verdicts, vs => {
      const table = tableOf(vs)
      const sorted = [...table.ids].sort()
      const position = Int32Array.from(table.ids, id => sorted.indexOf(id))
      const matrix = new WinMatrix(sorted.length)
      for (const v of vs) {
        const [a, b] = [sorted.indexOf(v.a), sorted.indexOf(v.b)]
        if (v.outcome === 'a') matrix.addWin(a, b, v.weight)
        else if (v.outcome === 'b') matrix.addWin(b, a, v.weight)
        else matrix.addTie(a, b, v.weight)
      }
      const want = matrix.toGraph()
      expect(comparisonGraph(table, position)).toEqual(want)
      expect(comparisonGraph(table, position, 0)).toEqual(want)
    }), { numRuns: 500 })
  })

  it('fits as rankCandidates does, to the bit (fast-check)', () => {
    fc.assert(fc.property(verdicts, fc.constantFrom(0, 0.5, 1), (vs, prior) => {
      const table = tableOf(vs)
      const want = rankCandidates(new Set(table.ids), parseComparisonsCsv(utf8('left,right,winner,weight\n' + vs.map(v => `${v.a},${v.b},${v.outcome === 'a' ? 'left' : v.outcome === 'b' ? 'right' : 'tie'},${v.weight}`).join('\n'))).verdicts, { prior })
      expect(rankComparisons(table, { prior })).toEqual(want)
    }), { numRuns: 300 })
  })

  it('fits the LLMFAO comparisons as rankCandidates fits the string parser\'s verdicts, to the bit', () => {
    const bytes = readFileSync(dataDir + 'llmfao.csv')
    const old = referenceParse(bytes.toString('utf8'))
    for (const prior of [0, 1]) {
      expect(rankComparisons(readComparisonsCsv(bytes), { prior })).toEqual(rankCandidates(old.ids, old.verdicts, { prior }))
    }
  })
})
