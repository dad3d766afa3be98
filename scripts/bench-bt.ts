/**
 * Benchmark of the Bradley–Terry fitter: Newman's iteration against a plain MM (Zermelo) loop,
 * both measured in this run on the same seeded data, reported as times and as a ratio (the
 * machine is shared and noisy; the ratio is the figure to compare across runs).
 *
 *   npm run bench              # default repeats
 *   npm run bench -- --quick   # one repeat each (CI smoke)
 */
import { fitBradleyTerry, WinMatrix } from '../protocol/bt.js'
import type { BradleyTerryFit, ComparisonGraph } from '../protocol/bt.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { HashStream } from '../protocol/random.js'

interface Case { name: string, candidates: number, comparisons: number }

const cases: Case[] = [
  { name: '100 × 60,000', candidates: 100, comparisons: 60_000 },
  { name: '1,000 × 100,000', candidates: 1_000, comparisons: 100_000 }
]

interface Duel { i: number, j: number, outcome: 'i' | 'j' | 'tie', weight: number }

/** Seeded comparisons: true log-strengths ~ N(0, 1), outcomes drawn from the BT model, 10% ties, weights in (0, 1]. */
function makeData (c: Case): Duel[] {
  const rng = new HashStream(sha256(utf8(`bench-bt/${c.candidates}/${c.comparisons}`)))
  const strength = Array.from({ length: c.candidates }, () => {
    const u = 1 - rng.nextFloat()
    const v = rng.nextFloat()
    return Math.exp(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
  })
  const duels: Duel[] = []
  for (let k = 0; k < c.comparisons; k++) {
    const i = rng.nextInt(c.candidates)
    let j = rng.nextInt(c.candidates - 1)
    if (j >= i) j++
    const weight = 1 - rng.nextFloat()
    const outcome = rng.nextFloat() < 0.1 ? 'tie' : rng.nextFloat() < strength[i] / (strength[i] + strength[j]) ? 'i' : 'j'
    duels.push({ i, j, outcome, weight })
  }
  return duels
}

function accumulate (size: number, duels: Duel[]): WinMatrix {
  const m = new WinMatrix(size)
  for (const d of duels) {
    if (d.outcome === 'tie') m.addTie(d.i, d.j, d.weight)
    else if (d.outcome === 'i') m.addWin(d.i, d.j, d.weight)
    else m.addWin(d.j, d.i, d.weight)
  }
  return m
}

/**
 * The textbook baseline: Zermelo/Hunter MM with the same prior, Gauss–Seidel sweeps, no scale
 * step, stopped by the same rule. It is what the fitter would be without Newman's iteration.
 */
function plainMm (g: ComparisonGraph, prior: number, tolerance: number, maxIterations: number): BradleyTerryFit {
  const p = new Float64Array(g.size).fill(1)
  const wins = new Float64Array(g.size)
  for (let i = 0; i < g.size; i++) for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) wins[i] += g.winsOver[k]
  let iterations = 0
  let converged = false
  while (iterations < maxIterations && !converged) {
    let worst = 0
    for (let i = 0; i < g.size; i++) {
      let d = 2 * prior / (p[i] + 1)
      for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) d += (g.winsOver[k] + g.lossesTo[k]) / (p[i] + p[g.column[k]])
      const next = (wins[i] + prior) / d
      worst = Math.max(worst, Math.abs(next - p[i]) / p[i])
      p[i] = next
    }
    iterations++
    converged = worst < tolerance
  }
  const sum = p.reduce((a, b) => a + b, 0)
  return { strengths: p.map(x => x / sum), iterations, converged, method: 'mm' }
}

type Fitter = (g: ComparisonGraph) => BradleyTerryFit

/** Median time of `repeats` runs after one warm-up run (JIT), on a prebuilt graph: the fit alone. */
function timeFit (graph: ComparisonGraph, fit: Fitter, repeats: number): BradleyTerryFit & { ms: number } {
  fit(graph)
  const times: number[] = []
  let last: BradleyTerryFit | undefined
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint()
    last = fit(graph)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { ...(last as BradleyTerryFit), ms: times[Math.floor(times.length / 2)] }
}

/** Median time of the whole path from a list of verdicts: accumulate, build the graph, fit (Newman). */
function timeEndToEnd (c: Case, duels: Duel[], repeats: number): number {
  const times: number[] = []
  for (let r = 0; r <= repeats; r++) {
    const start = process.hrtime.bigint()
    fitBradleyTerry(accumulate(c.candidates, duels), { prior: 1 })
    if (r > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const quick = process.argv.includes('--quick')
const repeats = quick ? 1 : 7
const options = { prior: 1, tolerance: 1e-10, maxIterations: 200_000 }
console.log(`Bradley–Terry fit, prior α = 1, tolerance 1e-10, Node ${process.versions.node}, median of ${repeats} runs after a warm-up`)
console.log('case               fitter                 sweeps  converged       time  vs Newman')
for (const c of cases) {
  const duels = makeData(c)
  const graph = accumulate(c.candidates, duels).toGraph()
  const runs: Array<[string, Fitter]> = [
    ['newman (swarmrank)', g => fitBradleyTerry(g, { ...options, method: 'newman' })],
    ['mm fallback (swarmrank)', g => fitBradleyTerry(g, { ...options, method: 'mm' })],
    ['plain mm (baseline)', g => plainMm(g, options.prior, options.tolerance, options.maxIterations)]
  ]
  const results = runs.map(([name, fit]) => [name, timeFit(graph, fit, repeats)] as const)
  const newman = results[0][1]
  for (const [name, r] of results) {
    let worst = 0
    for (let i = 0; i < c.candidates; i++) worst = Math.max(worst, Math.abs(Math.log(r.strengths[i] / newman.strengths[i])))
    const ratio = r === newman ? '' : `${(r.ms / newman.ms).toFixed(1)}× slower`.padStart(12)
    console.log(`${c.name.padEnd(18)} ${name.padEnd(23)} ${String(r.iterations).padStart(6)}  ${String(r.converged).padEnd(9)} ${r.ms.toFixed(2).padStart(9)} ms ${ratio}${r === newman ? '' : `  (max |Δ log π| ${worst.toExponential(1)})`}`)
  }
  console.log(`${c.name.padEnd(18)} end to end (accumulate ${c.comparisons} verdicts, build graph, Newman fit): ${timeEndToEnd(c, duels, repeats).toFixed(1)} ms`)
}
