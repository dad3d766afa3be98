import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { rankCandidates } from '../../protocol/bt.js'
import { parseComparisonsCsv } from '../../node/fit/comparisons-csv.js'

const dataDir = fileURLToPath(new URL('../../../shared/data/llmfao/', import.meta.url))

function golden (): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of readFileSync(dataDir + 'llmfao-golden.csv', 'utf8').trim().split('\n').slice(1)) {
    const first = line.indexOf(',')
    const last = line.lastIndexOf(',')
    if (line.slice(0, first) === 'bradley_terry') out.set(line.slice(first + 1, last), Number(line.slice(last + 1)))
  }
  return out
}

function centredLogs (values: Map<string, number>): Map<string, number> {
  const logs = [...values].map(([k, v]) => [k, Math.log(v)] as const)
  const mean = logs.reduce((s, [, v]) => s + v, 0) / logs.length
  return new Map(logs.map(([k, v]) => [k, v - mean]))
}

describe('Bradley–Terry on the LLMFAO crowd comparisons', () => {
  const table = parseComparisonsCsv(readFileSync(dataDir + 'llmfao.csv', 'utf8'))

  it('parses all 8,931 comparisons of 59 models', () => {
    expect(table.verdicts).toHaveLength(8931)
    expect(table.ids.size).toBe(59)
  })

  for (const method of ['newman', 'mm'] as const) {
    it(`${method} with α = 0 matches the golden MLE to 1e-5 in centred log-strength`, () => {
      const fit = rankCandidates(table.ids, table.verdicts, { prior: 0, method, tolerance: 1e-13, maxIterations: 200_000 })
      expect(fit.converged).toBe(true)
      const want = centredLogs(golden())
      const got = centredLogs(new Map(fit.ids.map((id, k) => [id, fit.strengths[k]])))
      expect(got.size).toBe(want.size)
      let worst = 0
      for (const [id, v] of want) worst = Math.max(worst, Math.abs((got.get(id) ?? NaN) - v))
      expect(worst).toBeLessThan(1e-5)
      if (method === 'newman') expect(fit.iterations).toBeLessThan(200)
    })
  }
})
