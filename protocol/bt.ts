/**
 * Weighted Bradley–Terry (DESIGN §4.4).
 *
 * P(i beats j) = πᵢ / (πᵢ + πⱼ). Strengths are fitted from a weighted win matrix W, where
 * Wᵢⱼ is the total weight of verdicts preferring i over j and a tie adds half its weight each
 * way. The prior of strength α is a virtual win and a virtual loss, each of weight α, against a
 * reference candidate of strength 1 (Newman 2023, JMLR 24(238), eq. for the prior): it keeps
 * every strength finite when the comparison graph is not strongly connected, which is the normal
 * case under churn. α = 0 gives the plain maximum-likelihood fit.
 *
 * Newman's iteration, one Gauss–Seidel sweep over the candidates in index order:
 *
 *     πᵢ ← (α/(πᵢ+1) + Σⱼ Wᵢⱼ πⱼ/(πᵢ+πⱼ)) / (α/(πᵢ+1) + Σⱼ Wⱼᵢ/(πᵢ+πⱼ))
 *
 * and the MM (Zermelo/Hunter) update, the fallback, which has the same fixed point:
 *
 *     πᵢ ← (α + Σⱼ Wᵢⱼ) / (2α/(πᵢ+1) + Σⱼ (Wᵢⱼ+Wⱼᵢ)/(πᵢ+πⱼ))
 *
 * Determinism: the fit uses only + − × ÷ and comparisons (exactly rounded in IEEE-754), a fixed
 * candidate order (callers pass sorted ids), neighbours summed in ascending index order, and this
 * stopping rule: after each sweep and its rescaling, stop when the largest
 * relative change of any strength is below `tolerance`, or after `maxIterations` sweeps. If
 * Newman's iteration has not converged by then, MM continues from Newman's last iterate (or from
 * π = 1 if that was not finite) for up to `maxFallbackIterations` sweeps. The same input
 * therefore gives the same bits on every node.
 *
 * The overall scale: the likelihood is scale-free and only the prior fixes the scale, weakly.
 * After each sweep the strengths are multiplied by the scale that maximises the prior along that
 * direction (`rescaleToPrior`), an exact ascent step that leaves the fixed point unchanged and
 * keeps Newman's iteration at ~15 sweeps whatever the weights' magnitude. Without a prior the
 * scale is simply pinned to Σπ = n.
 *
 * The prior is worth α verdicts of weight 1, so consensus callers give each verdict a weight in
 * [0, 1] (the ranker's voting power as a fraction).
 */

export type BradleyTerryMethod = 'newman' | 'mm'

export interface BradleyTerryOptions {
  /** Prior strength α ≥ 0. Default 1: one virtual win and loss per candidate, enough to keep sparse rounds finite. */
  prior?: number
  /** Relative change below which a sweep counts as converged. Default 1e-10: far below ppm quantisation. */
  tolerance?: number
  /** Sweeps of the first method before giving up on it. Default 1,000: Newman needs tens. */
  maxIterations?: number
  /** Sweeps of the MM fallback. Default 100,000: MM can need thousands on sparse data. */
  maxFallbackIterations?: number
  /** Which update to start with. Default 'newman'; 'mm' runs MM only (used by the benchmark). */
  method?: BradleyTerryMethod
}

export const defaultBradleyTerryOptions: Required<BradleyTerryOptions> = {
  prior: 1,
  tolerance: 1e-10,
  maxIterations: 1_000,
  maxFallbackIterations: 100_000,
  method: 'newman'
}

export interface BradleyTerryFit {
  /** Strengths in candidate index order, normalised to sum 1. */
  strengths: Float64Array
  /** Sweeps run in total (including any before a fallback). */
  iterations: number
  converged: boolean
  /** The method that produced the strengths. */
  method: BradleyTerryMethod
}

/** Accumulates weighted verdicts between candidates 0..size-1 in the order they are added. */
export class WinMatrix {
  readonly size: number
  private readonly wins = new Map<number, number>()

  constructor (size: number) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`bad candidate count ${size}`)
    this.size = size
  }

  /** `weight` of preference for `winner` over `loser`. */
  addWin (winner: number, loser: number, weight = 1): void {
    this.check(winner, loser, weight)
    const key = winner * this.size + loser
    this.wins.set(key, (this.wins.get(key) ?? 0) + weight)
  }

  /** A tie of `weight`: half a win each way. */
  addTie (i: number, j: number, weight = 1): void {
    this.check(i, j, weight)
    this.addWin(i, j, weight / 2)
    this.addWin(j, i, weight / 2)
  }

  /** Total weight of preference for i over j. */
  get (i: number, j: number): number {
    return this.wins.get(i * this.size + j) ?? 0
  }

  /** The comparison graph in compressed rows, neighbours in ascending order. */
  toGraph (): ComparisonGraph {
    const n = this.size
    const pairKeys = new Set<number>()
    for (const key of this.wins.keys()) {
      const i = Math.floor(key / n)
      const j = key - i * n
      pairKeys.add(i < j ? i * n + j : j * n + i)
    }
    const pairs = [...pairKeys].sort((x, y) => x - y)
    const degree = new Int32Array(n)
    for (const key of pairs) {
      degree[Math.floor(key / n)]++
      degree[key % n]++
    }
    const rowStart = new Int32Array(n + 1)
    for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + degree[i]
    const fill = rowStart.slice(0, n)
    const column = new Int32Array(rowStart[n])
    const winsOver = new Float64Array(rowStart[n])
    const lossesTo = new Float64Array(rowStart[n])
    // Pairs sorted by (lo, hi): row i first receives its lower neighbours (as hi), then its
    // higher ones (as lo), so every row ends up in ascending column order.
    for (const key of pairs) {
      const lo = Math.floor(key / n)
      const hi = key - lo * n
      const wLoHi = this.get(lo, hi)
      const wHiLo = this.get(hi, lo)
      let k = fill[lo]++
      column[k] = hi
      winsOver[k] = wLoHi
      lossesTo[k] = wHiLo
      k = fill[hi]++
      column[k] = lo
      winsOver[k] = wHiLo
      lossesTo[k] = wLoHi
    }
    return { size: n, rowStart, column, winsOver, lossesTo }
  }

  private check (i: number, j: number, weight: number): void {
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= this.size || j >= this.size) {
      throw new RangeError(`candidate index out of range: ${i}, ${j}`)
    }
    if (i === j) throw new RangeError(`a candidate cannot be compared with itself: ${i}`)
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weight must be finite and ≥ 0, got ${weight}`)
  }
}

/** Compressed-row comparison graph: for row i, entries rowStart[i]..rowStart[i+1]-1. */
export interface ComparisonGraph {
  size: number
  rowStart: Int32Array
  column: Int32Array
  /** Wᵢⱼ for the entry's row i and column j. */
  winsOver: Float64Array
  /** Wⱼᵢ for the entry's row i and column j. */
  lossesTo: Float64Array
}

/** Fit strengths to a win matrix (or a prepared graph). */
export function fitBradleyTerry (input: WinMatrix | ComparisonGraph, options: BradleyTerryOptions = {}): BradleyTerryFit {
  const opts = { ...defaultBradleyTerryOptions, ...options }
  if (!Number.isFinite(opts.prior) || opts.prior < 0) throw new RangeError(`prior must be ≥ 0, got ${opts.prior}`)
  if (!(opts.tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${opts.tolerance}`)
  const graph = input instanceof WinMatrix ? input.toGraph() : input
  if (graph.size === 0) return { strengths: new Float64Array(0), iterations: 0, converged: true, method: opts.method }

  if (opts.method === 'mm') {
    const { strengths, iterations, converged } = iterate(graph, opts.prior, opts.tolerance, opts.maxIterations, mmSweep)
    return { strengths, iterations, converged, method: 'mm' }
  }
  const first = iterate(graph, opts.prior, opts.tolerance, opts.maxIterations, newmanSweep)
  if (first.converged) return { strengths: first.strengths, iterations: first.iterations, converged: true, method: 'newman' }
  // MM continues from where Newman stopped when that point is finite (it usually is close),
  // and starts again from π = 1 when it is not.
  const fallback = iterate(graph, opts.prior, opts.tolerance, opts.maxFallbackIterations, mmSweep, first.finite ? first.unscaled : undefined)
  return { strengths: fallback.strengths, iterations: first.iterations + fallback.iterations, converged: fallback.converged, method: 'mm' }
}

type Sweep = (graph: ComparisonGraph, prior: number, strength: Float64Array, totalWins: Float64Array) => void

interface IterationResult {
  strengths: Float64Array
  iterations: number
  converged: boolean
  finite: boolean
  /** The last iterate before normalising to sum 1 (the state a fallback can continue from). */
  unscaled: Float64Array
}

function iterate (graph: ComparisonGraph, prior: number, tolerance: number, maxIterations: number, sweep: Sweep, start?: Float64Array): IterationResult {
  const n = graph.size
  const strength = start === undefined ? new Float64Array(n).fill(1) : start.slice()
  const previous = new Float64Array(n)
  const totalWins = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let k = graph.rowStart[i]; k < graph.rowStart[i + 1]; k++) sum += graph.winsOver[k]
    totalWins[i] = sum
  }
  let iterations = 0
  let converged = false
  while (iterations < maxIterations) {
    previous.set(strength)
    sweep(graph, prior, strength, totalWins)
    iterations++
    // The likelihood is scale-free, so only the prior decides the overall scale, and it does so
    // weakly: left to the sweeps, the scale drifts toward its optimum at a rate ~α/(data) and
    // dominates convergence. Step straight to the optimal scale instead (exact ascent along that
    // direction, so the fixed point is unchanged); without a prior just pin Σπ = n.
    if (prior === 0) rescale(strength, n)
    else rescaleToPrior(strength)
    const change = maxRelativeChange(previous, strength)
    if (!Number.isFinite(change)) break
    if (change < tolerance) {
      converged = true
      break
    }
  }
  const finite = strength.every(Number.isFinite)
  if (!finite) strength.fill(1)
  const unscaled = strength.slice()
  rescale(strength, 1)
  // Without a prior the MLE exists only on a strongly connected graph; elsewhere the iteration
  // may settle numerically while the true optimum lies at 0 or infinity.
  const exists = prior > 0 || isStronglyConnected(graph)
  return { strengths: strength, iterations, converged: converged && finite && exists, finite, unscaled }
}

/** Whether every candidate beats (with positive weight) its way to every other, directly or not. */
export function isStronglyConnected (graph: ComparisonGraph): boolean {
  if (graph.size <= 1) return true
  const reach = (forward: boolean): number => {
    const seen = new Uint8Array(graph.size)
    const stack = [0]
    seen[0] = 1
    let count = 1
    while (stack.length > 0) {
      const i = stack.pop() as number
      for (let k = graph.rowStart[i]; k < graph.rowStart[i + 1]; k++) {
        const j = graph.column[k]
        const edge = forward ? graph.winsOver[k] : graph.lossesTo[k]
        if (edge > 0 && seen[j] === 0) {
          seen[j] = 1
          count++
          stack.push(j)
        }
      }
    }
    return count
  }
  return reach(true) === graph.size && reach(false) === graph.size
}

const newmanSweep: Sweep = (graph, prior, p) => {
  const { rowStart, column, winsOver, lossesTo } = graph
  for (let i = 0; i < graph.size; i++) {
    const pi = p[i]
    let numerator = 0
    let denominator = 0
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const pj = p[column[k]]
      const sum = pi + pj
      numerator += winsOver[k] * pj / sum
      denominator += lossesTo[k] / sum
    }
    if (prior > 0) {
      const virtual = prior / (pi + 1)
      numerator += virtual
      denominator += virtual
    }
    // A candidate that has never lost (possible only without a prior) has no finite MLE;
    // leave it where it is and let isStronglyConnected report the fit as not converged.
    if (denominator > 0) p[i] = numerator / denominator
  }
}

const mmSweep: Sweep = (graph, prior, p, totalWins) => {
  const { rowStart, column, winsOver, lossesTo } = graph
  for (let i = 0; i < graph.size; i++) {
    const pi = p[i]
    let denominator = 0
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      denominator += (winsOver[k] + lossesTo[k]) / (pi + p[column[k]])
    }
    if (prior > 0) denominator += 2 * prior / (pi + 1)
    if (denominator > 0) p[i] = (totalWins[i] + prior) / denominator
  }
}

/**
 * Multiply all strengths by the c > 0 that maximises the prior's log-density along the scale
 * direction, Σᵢ [log cπᵢ − 2 log(1 + cπᵢ)]: the root of g(c) = Σᵢ (1 − cπᵢ)/(1 + cπᵢ), which
 * falls from n at c = 0 to −n as c → ∞. Newton's method kept inside a shrinking bracket,
 * arithmetic only, at most 100 steps.
 */
function rescaleToPrior (p: Float64Array): void {
  let lo = 0
  let hi = Number.POSITIVE_INFINITY
  let c = 1
  for (let step = 0; step < 100; step++) {
    let g = 0
    let slope = 0
    for (let i = 0; i < p.length; i++) {
      const x = c * p[i]
      const d = 1 + x
      g += (1 - x) / d
      slope -= 2 * p[i] / (d * d)
    }
    if (g > 0) lo = c
    else if (g < 0) hi = c
    else break
    let next = slope < 0 ? c - g / slope : Number.NaN
    if (!(next > lo && next < hi)) next = hi === Number.POSITIVE_INFINITY ? 2 * c : (lo + hi) / 2
    const change = next > c ? next - c : c - next
    c = next
    if (change <= 1e-15 * c) break
  }
  if (c > 0 && Number.isFinite(c) && c !== 1) {
    for (let i = 0; i < p.length; i++) p[i] = p[i] * c
  }
}

function rescale (p: Float64Array, total: number): void {
  let sum = 0
  for (let i = 0; i < p.length; i++) sum += p[i]
  if (!(sum > 0) || !Number.isFinite(sum)) return
  for (let i = 0; i < p.length; i++) p[i] = p[i] * total / sum
}

function maxRelativeChange (before: Float64Array, after: Float64Array): number {
  let worst = 0
  for (let i = 0; i < before.length; i++) {
    const b = before[i]
    const a = after[i]
    if (!Number.isFinite(a)) return Number.POSITIVE_INFINITY
    const change = b > 0 ? Math.abs(a - b) / b : (a === b ? 0 : Number.POSITIVE_INFINITY)
    if (change > worst) worst = change
  }
  return worst
}

/** One pairwise verdict between two named candidates. */
export interface PairwiseVerdict {
  a: string
  b: string
  /** 'a' or 'b' names the preferred candidate. */
  outcome: 'a' | 'b' | 'tie'
  weight: number
}

export interface Ranking extends BradleyTerryFit {
  /** Candidate ids in canonical (sorted) order; `strengths[k]` belongs to `ids[k]`. */
  ids: string[]
  /** Highest strength; ties broken by the smallest id. */
  winner: string | undefined
}

/**
 * Fit named candidates: ids are sorted (code-unit order, which is byte order for hex ids) so
 * every node indexes them the same way. Verdicts are accumulated in the order given; consensus
 * callers pass them in a canonical order.
 */
export function rankCandidates (ids: Iterable<string>, verdicts: Iterable<PairwiseVerdict>, options: BradleyTerryOptions = {}): Ranking {
  const sorted = [...new Set(ids)].sort(compareStrings)
  const index = new Map(sorted.map((id, k) => [id, k]))
  const matrix = new WinMatrix(sorted.length)
  for (const v of verdicts) {
    const a = index.get(v.a)
    const b = index.get(v.b)
    if (a === undefined || b === undefined) throw new RangeError(`verdict names an unknown candidate: ${v.a} vs ${v.b}`)
    if (v.outcome === 'a') matrix.addWin(a, b, v.weight)
    else if (v.outcome === 'b') matrix.addWin(b, a, v.weight)
    else matrix.addTie(a, b, v.weight)
  }
  const fit = fitBradleyTerry(matrix, options)
  return { ...fit, ids: sorted, winner: pickWinner(sorted, fit.strengths) }
}

/** The highest strength, the first in id order among equals (ids sorted). */
export function pickWinner (ids: string[], strengths: Float64Array): string | undefined {
  let best = -1
  for (let k = 0; k < ids.length; k++) {
    if (best < 0 || strengths[k] > strengths[best]) best = k
  }
  return best < 0 ? undefined : ids[best]
}

/** Code-unit order, the order candidate ids are sorted in everywhere. */
export function compareStrings (x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0
}

/** Strengths as integer parts per million (what goes into the ledger); exact and engine-independent. */
export function quantizePpm (strengths: Float64Array): number[] {
  return Array.from(strengths, s => Math.round(s * 1_000_000))
}
