import { compareStrings, fitBradleyTerry, pickWinner } from '../../protocol/bt.js'
import type { BradleyTerryOptions, ComparisonGraph, Ranking } from '../../protocol/bt.js'
import { OUTCOME_LEFT, OUTCOME_TIE } from './plain-rows.js'
import type { ComparisonColumns } from './comparisons-csv.js'

/**
 * Fit the comparisons of a CSV: the same bits as `rankCandidates(new Set(ids), verdicts)` with the
 * rows as verdicts in file order, without a verdict object or hash-map update per row.
 *
 * `rankCandidates` sorts the ids, adds each verdict to its (winner, loser) cell of a hash map in
 * file order (a tie: half to each cell, starting from 0) and builds the graph from the pairs
 * sorted by (lo, hi); a pair seen only with weight 0 is an edge of weight 0. `comparisonGraph`
 * makes the same additions to the same cells in the same order, so the fit sees the same graph.
 */
export function rankComparisons (table: ComparisonColumns, options: BradleyTerryOptions = {}): Ranking {
  const n = table.ids.length
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => compareStrings(table.ids[x], table.ids[y]))
  const sorted = order.map(k => table.ids[k])
  const position = new Int32Array(n)
  for (let k = 0; k < n; k++) position[order[k]] = k
  const fit = fitBradleyTerry(comparisonGraph(table, position), options)
  return { ...fit, ids: sorted, winner: pickWinner(sorted, fit.strengths) }
}

/**
 * Up to this many pairs of candidates (n(n − 1)/2), a dense index of the pairs (4 bytes each,
 * 16 MiB at the limit, ~2,900 candidates) gathers the rows in one pass; beyond it, the rows are
 * sorted by pair, which takes memory in proportion to the rows only.
 */
export const densePairLimit = 1 << 22

/**
 * The compressed-row graph `WinMatrix.toGraph()` gives for the table's rows added in file order,
 * candidate k of the table renumbered `position[k]`.
 */
export function comparisonGraph (table: ComparisonColumns, position: Int32Array, pairLimit = densePairLimit): ComparisonGraph {
  const n = position.length
  return n * (n - 1) / 2 <= pairLimit ? indexedGraph(table, position) : sortedGraph(table, position)
}

/**
 * One pass over the rows in file order: each unordered pair (lo, hi) gets a number when first
 * seen, through a dense triangular index, and its two cells are summed there; the index is
 * increasing in (lo, hi), so one native sort of the pairs' index slots gives the layout order.
 * (A dense n × n array of cells, 8 MB at 1,000 candidates, cost more in page faults than it saved.)
 */
function indexedGraph (table: ComparisonColumns, position: Int32Array): ComparisonGraph {
  const n = position.length
  const pairOf = new Int32Array(n * (n - 1) / 2) // [slot(lo, hi)]: pair number + 1, 0 if unseen
  const capacity = Math.min(table.count, pairOf.length)
  const slots = new Int32Array(capacity)
  const pairLo = new Int32Array(capacity)
  const pairHi = new Int32Array(capacity)
  const loOverHi = new Float64Array(capacity)
  const hiOverLo = new Float64Array(capacity)
  const degree = new Int32Array(n)
  let count = 0
  const { left, right, outcome, weight } = table
  for (let r = 0; r < table.count; r++) {
    const a = position[left[r]]
    const b = position[right[r]]
    const lo = a < b ? a : b
    const hi = a < b ? b : a
    // Pairs (0, 1) … (0, n−1), (1, 2) …: row lo starts after lo rows of n−1, n−2, … slots.
    const slot = ((lo * (2 * n - lo - 1)) >> 1) + hi - lo - 1
    let p = pairOf[slot] - 1
    if (p === -1) {
      p = count++
      pairOf[slot] = p + 1
      slots[p] = slot
      pairLo[p] = lo
      pairHi[p] = hi
      degree[lo]++
      degree[hi]++
    }
    const w = weight[r]
    const o = outcome[r]
    if (o === OUTCOME_TIE) {
      loOverHi[p] += w / 2
      hiOverLo[p] += w / 2
    } else if ((o === OUTCOME_LEFT) === (a === lo)) {
      loOverHi[p] += w
    } else {
      hiOverLo[p] += w
    }
  }
  const ordered = slots.subarray(0, count).sort()
  const graph = emptyGraph(degree)
  const { column, winsOver, lossesTo } = graph
  const fill = graph.rowStart.slice(0, n)
  // Pairs in (lo, hi) order: row i receives its lower neighbours first, then its higher ones,
  // so every row ends up in ascending column order.
  for (let k = 0; k < count; k++) {
    const p = pairOf[ordered[k]] - 1
    const lo = pairLo[p]
    const hi = pairHi[p]
    let e = fill[lo]++
    column[e] = hi
    winsOver[e] = loOverHi[p]
    lossesTo[e] = hiOverLo[p]
    e = fill[hi]++
    column[e] = lo
    winsOver[e] = hiOverLo[p]
    lossesTo[e] = loOverHi[p]
  }
  return graph
}

/** A stable counting sort of the rows by pair (lo, hi), then one pass per pair summing its rows in file order. */
function sortedGraph (table: ComparisonColumns, position: Int32Array): ComparisonGraph {
  const n = position.length
  const m = table.count
  const lo = new Int32Array(m)
  const hi = new Int32Array(m)
  for (let r = 0; r < m; r++) {
    const a = position[table.left[r]]
    const b = position[table.right[r]]
    lo[r] = a < b ? a : b
    hi[r] = a < b ? b : a
  }
  const rows = countingSort(lo, n, countingSort(hi, n, identity(m)))
  const pairLo: number[] = []
  const pairHi: number[] = []
  const loOverHi: number[] = []
  const hiOverLo: number[] = []
  const degree = new Int32Array(n)
  for (let k = 0; k < m;) {
    const l = lo[rows[k]]
    const h = hi[rows[k]]
    let up = 0
    let down = 0
    for (; k < m && lo[rows[k]] === l && hi[rows[k]] === h; k++) {
      const r = rows[k]
      const w = table.weight[r]
      if (table.outcome[r] === OUTCOME_TIE) {
        up += w / 2
        down += w / 2
      } else if ((table.outcome[r] === OUTCOME_LEFT) === (position[table.left[r]] === l)) {
        up += w
      } else {
        down += w
      }
    }
    pairLo.push(l)
    pairHi.push(h)
    loOverHi.push(up)
    hiOverLo.push(down)
    degree[l]++
    degree[h]++
  }
  const graph = emptyGraph(degree)
  const fill = graph.rowStart.slice(0, n)
  for (let p = 0; p < pairLo.length; p++) place(graph, fill, pairLo[p], pairHi[p], loOverHi[p], hiOverLo[p])
  return graph
}

function emptyGraph (degree: Int32Array): ComparisonGraph {
  const n = degree.length
  const rowStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + degree[i]
  const entries = rowStart[n]
  return { size: n, rowStart, column: new Int32Array(entries), winsOver: new Float64Array(entries), lossesTo: new Float64Array(entries) }
}

/**
 * Pair (lo, hi) into both rows. Placed in (lo, hi) order, row i receives its lower neighbours
 * first, then its higher ones, so every row ends up in ascending column order.
 */
function place (graph: ComparisonGraph, fill: Int32Array, lo: number, hi: number, loOverHi: number, hiOverLo: number): void {
  let k = fill[lo]++
  graph.column[k] = hi
  graph.winsOver[k] = loOverHi
  graph.lossesTo[k] = hiOverLo
  k = fill[hi]++
  graph.column[k] = lo
  graph.winsOver[k] = hiOverLo
  graph.lossesTo[k] = loOverHi
}

function identity (m: number): Int32Array {
  const rows = new Int32Array(m)
  for (let r = 0; r < m; r++) rows[r] = r
  return rows
}

/** `rows` reordered by key[row] ascending, keeping their order among equal keys. */
function countingSort (key: Int32Array, buckets: number, rows: Int32Array): Int32Array {
  const start = new Int32Array(buckets + 1)
  for (let k = 0; k < rows.length; k++) start[key[rows[k]] + 1]++
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b]
  const out = new Int32Array(rows.length)
  for (let k = 0; k < rows.length; k++) out[start[key[rows[k]]]++] = rows[k]
  return out
}
