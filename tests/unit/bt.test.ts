import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fitBradleyTerry, quantizePpm, rankCandidates, WinMatrix } from '../../protocol/bt.js'

interface Duel { i: number, j: number, outcome: 'win' | 'loss' | 'tie', weight: number }

const duelsFor = (n: number, maxLength = 40): fc.Arbitrary<Duel[]> => fc.array(
  fc.record({
    i: fc.nat({ max: n - 1 }),
    j: fc.nat({ max: n - 1 }),
    outcome: fc.constantFrom('win' as const, 'loss' as const, 'tie' as const),
    weight: fc.double({ min: 0.01, max: 10, noNaN: true })
  }).filter(d => d.i !== d.j),
  { maxLength }
)

const scenario = fc.integer({ min: 2, max: 8 }).chain(n => fc.record({ n: fc.constant(n), duels: duelsFor(n) }))

function matrixOf (n: number, duels: Duel[], relabel: (i: number) => number = i => i, scale = 1): WinMatrix {
  const m = new WinMatrix(n)
  for (const d of duels) {
    const [i, j] = [relabel(d.i), relabel(d.j)]
    if (d.outcome === 'win') m.addWin(i, j, d.weight * scale)
    else if (d.outcome === 'loss') m.addWin(j, i, d.weight * scale)
    else m.addTie(i, j, d.weight * scale)
  }
  return m
}

const tight = { tolerance: 1e-13, maxIterations: 100_000 }

function expectClose (a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-8): void {
  expect(a.length).toBe(b.length)
  for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(rel * Math.max(a[k], b[k]) + 1e-15)
}

describe('weighted Bradley–Terry', () => {
  it('prefers the candidate that wins more, and normalises strengths to sum 1', () => {
    const m = new WinMatrix(3)
    m.addWin(0, 1, 3)
    m.addWin(1, 0, 1)
    m.addWin(1, 2, 3)
    m.addWin(2, 1, 1)
    m.addWin(0, 2, 2)
    const fit = fitBradleyTerry(m, { prior: 0 })
    expect(fit.converged).toBe(true)
    expect(fit.strengths[0]).toBeGreaterThan(fit.strengths[1])
    expect(fit.strengths[1]).toBeGreaterThan(fit.strengths[2])
    expect(fit.strengths.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12)
  })

  it('two candidates with wins w and l: strength ratio is exactly w/l at α = 0', () => {
    const m = new WinMatrix(2)
    m.addWin(0, 1, 6)
    m.addWin(1, 0, 2)
    const fit = fitBradleyTerry(m, { prior: 0, ...tight })
    expect(fit.strengths[0] / fit.strengths[1]).toBeCloseTo(3, 9)
  })

  it('counts a tie as half a win each way', () => {
    const tie = new WinMatrix(2)
    tie.addTie(0, 1, 2)
    tie.addWin(0, 1, 1)
    const halves = new WinMatrix(2)
    halves.addWin(0, 1, 2)
    halves.addWin(1, 0, 1)
    expect(fitBradleyTerry(tie).strengths).toEqual(fitBradleyTerry(halves).strengths)
  })

  it('reports a plain MLE on a graph that is not strongly connected as not converged', () => {
    const m = new WinMatrix(3)
    m.addWin(0, 1)
    m.addWin(1, 2)
    expect(fitBradleyTerry(m, { prior: 0 }).converged).toBe(false)
    expect(fitBradleyTerry(m, { prior: 1 }).converged).toBe(true)
  })

  it('rejects bad input with a RangeError', () => {
    const m = new WinMatrix(2)
    expect(() => m.addWin(0, 0)).toThrow(RangeError)
    expect(() => m.addWin(0, 2)).toThrow(RangeError)
    expect(() => m.addWin(0, 1, -1)).toThrow(RangeError)
    expect(() => m.addWin(0, 1, Number.NaN)).toThrow(RangeError)
    expect(() => fitBradleyTerry(m, { prior: -1 })).toThrow(RangeError)
  })

  it('MM and Newman reach the same strengths, Newman in far fewer sweeps', () => {
    fc.assert(fc.property(scenario, ({ n, duels }) => {
      const newman = fitBradleyTerry(matrixOf(n, duels), { ...tight, method: 'newman' })
      const mm = fitBradleyTerry(matrixOf(n, duels), { ...tight, method: 'mm' })
      expectClose(newman.strengths, mm.strengths, 1e-7)
      expect(newman.iterations).toBeLessThanOrEqual(mm.iterations)
    }), { numRuns: 200 })
  })

  it('property: relabelling candidates permutes the result', () => {
    const withPermutation = scenario.chain(s => fc.record({ s: fc.constant(s), perm: fc.shuffledSubarray([...Array(s.n).keys()], { minLength: s.n, maxLength: s.n }) }))
    fc.assert(fc.property(withPermutation, ({ s: { n, duels }, perm }) => {
      const base = fitBradleyTerry(matrixOf(n, duels), tight).strengths
      const relabelled = fitBradleyTerry(matrixOf(n, duels, i => perm[i]), tight).strengths
      expectClose(Array.from(base), Array.from(base, (_, i) => relabelled[perm[i]]))
    }), { numRuns: 300 })
  })

  it('property: scaling every weight and α by c > 0 leaves the strengths unchanged', () => {
    fc.assert(fc.property(scenario, fc.double({ min: 0.05, max: 20, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true }), ({ n, duels }, c, prior) => {
      const base = fitBradleyTerry(matrixOf(n, duels), { ...tight, prior }).strengths
      const scaled = fitBradleyTerry(matrixOf(n, duels, undefined, c), { ...tight, prior: prior * c }).strengths
      expectClose(base, scaled)
    }), { numRuns: 300 })
  })

  it('property: an extra win for i never lowers i\'s strength', () => {
    const withExtra = scenario.chain(s => fc.record({
      s: fc.constant(s),
      i: fc.nat({ max: s.n - 1 }),
      j: fc.nat({ max: s.n - 1 }),
      weight: fc.double({ min: 0.01, max: 5, noNaN: true })
    }).filter(x => x.i !== x.j))
    fc.assert(fc.property(withExtra, ({ s: { n, duels }, i, j, weight }) => {
      const before = fitBradleyTerry(matrixOf(n, duels), tight).strengths[i]
      const more = matrixOf(n, duels)
      more.addWin(i, j, weight)
      const after = fitBradleyTerry(more, tight).strengths[i]
      expect(after).toBeGreaterThanOrEqual(before * (1 - 1e-9))
    }), { numRuns: 300 })
  })

  it('property: disconnected or empty input gives finite positive strengths with α > 0', () => {
    const sparse = fc.integer({ min: 1, max: 12 }).chain(n => fc.record({ n: fc.constant(n), duels: n < 2 ? fc.constant([] as Duel[]) : duelsFor(n, 4) }))
    fc.assert(fc.property(sparse, fc.double({ min: 0.01, max: 5, noNaN: true }), ({ n, duels }, prior) => {
      const fit = fitBradleyTerry(matrixOf(n, duels), { prior })
      expect(fit.converged).toBe(true)
      for (const s of fit.strengths) expect(Number.isFinite(s) && s > 0).toBe(true)
    }), { numRuns: 300 })
  })

  it('property: the same input gives bit-identical output twice', () => {
    fc.assert(fc.property(scenario, ({ n, duels }) => {
      const x = fitBradleyTerry(matrixOf(n, duels))
      const y = fitBradleyTerry(matrixOf(n, duels))
      expect(Buffer.from(x.strengths.buffer).equals(Buffer.from(y.strengths.buffer))).toBe(true)
      expect(x.iterations).toBe(y.iterations)
    }), { numRuns: 200 })
  })
})

describe('rankCandidates', () => {
  it('sorts ids, fits, and breaks a strength tie by the smaller id', () => {
    const r = rankCandidates(['c', 'a', 'b'], [{ a: 'a', b: 'c', outcome: 'tie', weight: 1 }])
    expect(r.ids).toEqual(['a', 'b', 'c'])
    expect(r.winner).toBe('a')
  })

  it('quantises strengths to integer ppm', () => {
    const r = rankCandidates(['x', 'y'], [{ a: 'x', b: 'y', outcome: 'a', weight: 3 }])
    const ppm = quantizePpm(r.strengths)
    expect(ppm.every(Number.isInteger)).toBe(true)
    expect(Math.abs(ppm[0] + ppm[1] - 1_000_000)).toBeLessThanOrEqual(1)
    expect(r.winner).toBe('x')
  })

  it('rejects a verdict on an unknown candidate', () => {
    expect(() => rankCandidates(['x'], [{ a: 'x', b: 'z', outcome: 'a', weight: 1 }])).toThrow(/unknown candidate/)
  })
})
