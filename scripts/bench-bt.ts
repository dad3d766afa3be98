/**
 * Benchmark of the Bradley–Terry fitter, in two parts, each measured in this run on the same
 * seeded data and reported as times and as a ratio (the machine is shared and noisy; the ratio
 * is the figure to compare across runs):
 *
 * 1. the fit alone: Newman's iteration against a plain MM (Zermelo) loop, in this process;
 * 2. whole processes on the 1,000 × 100,000 data written as a weighted CSV: `swarmrank fit FILE
 *    --json` against `python3 scripts/bench-fit-numpy.py FILE --json` (the same model fitted by
 *    a vectorised numpy Newman iteration), alternating, start-up and reading included. Both must
 *    name the same winner and top ten. Skipped with a message where python3 has no numpy.
 *
 *   npm run bench                          # default repeats (7)
 *   npm run bench -- --quick               # one repeat each (CI smoke)
 *   npm run bench -- --process --repeats 15   # only part 2
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
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

/** The duels as the CSV `swarmrank fit` reads: names model-0000 …, six-decimal weights. */
function comparisonsCsv (duels: Duel[]): string {
  const name = (i: number): string => `model-${String(i).padStart(4, '0')}`
  const winner = { i: 'left', j: 'right', tie: 'tie' } as const
  const lines = ['left,right,winner,weight']
  for (const d of duels) lines.push(`${name(d.i)},${name(d.j)},${winner[d.outcome]},${d.weight.toFixed(6)}`)
  return lines.join('\n') + '\n'
}

interface ProcessRun { label: string, command: string[], ms: number[], stdout: string }

function runOnce (run: ProcessRun, record: boolean): void {
  const start = process.hrtime.bigint()
  const r = spawnSync(run.command[0], run.command.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`${run.command.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`)
  }
  if (record) run.ms.push(ms)
  run.stdout = r.stdout
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

interface FitOutput { items: Array<{ id: string, strength: number }>, iterations: number, converged: boolean }

/** Part 2: whole processes, alternating, after one untimed run of each (file cache, bytecode caches). */
function benchProcesses (duels: Duel[], repeats: number): void {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-bench-fit-'))
  try {
    const file = join(dir, 'comparisons-1000x100000.csv')
    const csv = comparisonsCsv(duels)
    writeFileSync(file, csv)
    const numpy = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' })
    const numpyVersion = numpy.status === 0 ? numpy.stdout.trim() : undefined
    const runs: ProcessRun[] = [
      { label: 'swarmrank fit (node)', command: [process.execPath, join(root, 'bin/swarmrank.js'), 'fit', file, '--json'], ms: [], stdout: '' },
      ...(numpyVersion === undefined ? [] : [{ label: 'numpy Newman fit', command: ['python3', join(root, 'scripts/bench-fit-numpy.py'), file, '--json'], ms: [], stdout: '' }]),
      { label: 'node start-up only', command: [process.execPath, join(root, 'bin/swarmrank.js'), '--version'], ms: [], stdout: '' },
      ...(numpyVersion === undefined ? [] : [{ label: 'python3 + import numpy', command: ['python3', '-c', 'import numpy'], ms: [], stdout: '' }])
    ]
    console.log(`\nWhole process, ${(csv.length / 1e6).toFixed(1)} MB CSV of the 1,000 × 100,000 case, prior α = 1, median of ${repeats} alternating runs after one untimed run each`)
    if (numpyVersion === undefined) {
      console.log(`numpy baseline skipped: \`python3 -c "import numpy"\` failed (${(numpy.error?.message ?? numpy.stderr.trim().split('\n').at(-1)) ?? 'unknown error'}); timing swarmrank alone`)
    }
    for (const run of runs) runOnce(run, false)
    for (let r = 0; r < repeats; r++) for (const run of runs) runOnce(run, true)
    const node = runs[0]
    for (const run of runs) {
      console.log(`${run.label.padEnd(24)} ${median(run.ms).toFixed(0).padStart(6)} ms  (min ${Math.min(...run.ms).toFixed(0)})   ${run.command.map(a => a.startsWith(root) ? a.slice(root.length) : a.startsWith(dir) ? 'FILE' : a === process.execPath ? 'node' : a).join(' ')}`)
    }
    if (numpyVersion === undefined) return
    const numpyRun = runs[1]
    const perRound = node.ms.map((ms, k) => numpyRun.ms[k] / ms)
    console.log(`swarmrank fit is ${(median(numpyRun.ms) / median(node.ms)).toFixed(2)}× faster than numpy ${numpyVersion} (ratio of medians; per alternating pair: median ${median(perRound).toFixed(2)}×, range ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}×)`)
    const ours = JSON.parse(node.stdout) as FitOutput
    const theirs = JSON.parse(numpyRun.stdout) as FitOutput
    const theirStrength = new Map(theirs.items.map(it => [it.id, it.strength]))
    let worst = 0
    for (const it of ours.items) worst = Math.max(worst, Math.abs(Math.log(it.strength / (theirStrength.get(it.id) ?? Number.NaN))))
    const top = (fit: FitOutput): string => fit.items.slice(0, 10).map(it => it.id).join(',')
    const agree = ours.items.length === theirs.items.length && top(ours) === top(theirs) && worst < 1e-6
    console.log(`results: ${ours.items.length} candidates; winner ${ours.items[0].id} (numpy: ${theirs.items[0].id}); top ten ${top(ours) === top(theirs) ? 'identical' : 'DIFFERENT'}; max |Δ log π| ${worst.toExponential(1)}; sweeps ${ours.iterations} (Gauss–Seidel) vs ${theirs.iterations} (numpy, Jacobi)`)
    if (!agree) {
      console.error('bench-bt: swarmrank and numpy disagree beyond 1e-6 in log-strength')
      process.exitCode = 1
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Part 1: the fitters on one case's prebuilt graph, and the path from verdicts. */
function benchFitters (c: Case, duels: Duel[]): void {
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

function flag (name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}

const quick = process.argv.includes('--quick')
const processOnly = process.argv.includes('--process')
const repeats = Number(flag('--repeats') ?? (quick ? 1 : 7))
if (!Number.isInteger(repeats) || repeats < 1) {
  console.error('bench-bt: --repeats takes a positive integer')
  process.exit(2)
}
const options = { prior: 1, tolerance: 1e-10, maxIterations: 200_000 }
if (!processOnly) {
  console.log(`Bradley–Terry fit, prior α = 1, tolerance 1e-10, Node ${process.versions.node}, median of ${repeats} runs after a warm-up`)
  console.log('case               fitter                 sweeps  converged       time  vs Newman')
  for (const c of cases) benchFitters(c, makeData(c))
}
benchProcesses(makeData(cases[1]), repeats)
