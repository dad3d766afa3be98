import { compareBytes, sha256, uint64Bytes, utf8 } from './hash.js'

/** A pair of candidate ids (hex), canonical: a < b. */
export type CandidatePair = readonly [a: string, b: string]

export interface PairAssignmentInit {
  queryId: Uint8Array
  /** The ranker's node id: different rankers get different (but individually fixed) pairs. */
  ranker: string
  /** Candidate ids (hex) the ranker saw. */
  candidates: Iterable<string>
  /** Candidates the ranker may not judge: its own answer. */
  exclude?: Iterable<string>
  /** How many pairs each candidate should appear in. Default 3 (DESIGN §4.3). */
  pairsPerAnswer?: number
}

const PAIRS_DOMAIN = utf8('swarmrank/pairs/2')

/**
 * The ranker's pair list: deterministic from (queryId, ranker, candidates), about
 * `pairsPerAnswer` pairs per candidate, never one containing an excluded candidate.
 *
 * Each candidate gets a key, sha256(queryId, ranker, id), and the candidates in key order are
 * joined along rings: offset 1 (a cycle through all of them, so each ranker's comparison graph is
 * connected), then offset 2, 3, ... until the target count is reached. Every candidate gains two
 * pairs per full ring, so degrees stay balanced; and because the order is uniform, every pair of
 * candidates is equally likely to be given to any ranker, which spreads coverage evenly.
 *
 * The order is by per-candidate key, not a shuffle of the whole list, so that the order of any
 * set of candidates is the same whatever else the list holds (DESIGN §8.1): a ranker cannot
 * rearrange the real candidates by adding made-up ids to its list, only push them apart, and a
 * ranker that missed one reveal is given mostly the pairs it would have had over the full set.
 * For the default of 3 per answer no ring past offset 2 is ever used, so a ranker's pairs are
 * always pairs at most two apart in its ring of the real candidates.
 */
export function assignPairs (init: PairAssignmentInit): CandidatePair[] {
  const excluded = new Set(init.exclude ?? [])
  const eligible = [...new Set(init.candidates)].filter(c => !excluded.has(c)).sort()
  const k = eligible.length
  if (k < 2) return []
  const perAnswer = init.pairsPerAnswer ?? 3
  const allPairs = k * (k - 1) / 2
  const target = Math.min(allPairs, Math.ceil(perAnswer * k / 2))
  const order = ringOrder(init.queryId, init.ranker, eligible)
  const pairs: CandidatePair[] = []
  for (let offset = 1; offset <= Math.floor(k / 2) && pairs.length < target; offset++) {
    // At offset k/2 (k even) position i and i + k/2 form the same pair twice: take half.
    const span = 2 * offset === k ? k / 2 : k
    for (let i = 0; i < span && pairs.length < target; i++) {
      const x = order[i]
      const y = order[(i + offset) % k]
      pairs.push(x < y ? [x, y] : [y, x])
    }
  }
  return pairs.sort(comparePairs)
}

/** Candidates (sorted, distinct) in the ranker's ring order: by sha256(domain, queryId, ranker, id). */
function ringOrder (queryId: Uint8Array, ranker: string, sortedIds: readonly string[]): string[] {
  const rankerBytes = utf8(ranker)
  const keyed = sortedIds.map(id => ({ id, key: sha256(PAIRS_DOMAIN, uint64Bytes(queryId.length), queryId, uint64Bytes(rankerBytes.length), rankerBytes, utf8(id)) }))
  // Ties between 256-bit keys do not happen; the id breaks them anyway, so the order is total.
  keyed.sort((x, y) => compareBytes(x.key, y.key) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
  return keyed.map(x => x.id)
}

/** Canonical order of a pair list: by a, then b. */
export function comparePairs (p: CandidatePair, q: CandidatePair): number {
  return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0
}

/** Whether a revealed list of pairs is exactly the assigned one (order-insensitive). */
export function isAssignedPairList (init: PairAssignmentInit, pairs: Iterable<CandidatePair>): boolean {
  const expected = assignPairs(init).map(p => `${p[0]}:${p[1]}`)
  const got = [...pairs].map(p => `${p[0]}:${p[1]}`).sort()
  return expected.length === got.length && expected.every((p, i) => p === got[i])
}

/**
 * Whether `got` is `expected` exactly: same pairs, same (canonical) order, so a repeated pair,
 * a missing one or one that was not assigned all fail.
 */
export function isExactPairList (expected: readonly CandidatePair[], got: readonly CandidatePair[]): boolean {
  return got.length === expected.length && got.every((p, i) => p[0] === expected[i][0] && p[1] === expected[i][1])
}
