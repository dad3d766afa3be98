import { sha256, utf8 } from './hash.js'
import { HashStream } from './random.js'

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

const PAIRS_DOMAIN = utf8('swarmrank/pairs/1')

/**
 * The ranker's pair list: deterministic from (queryId, ranker, candidates), about
 * `pairsPerAnswer` pairs per candidate, never one containing an excluded candidate.
 *
 * The candidates are shuffled by a hash stream seeded with the query and the ranker, then joined
 * along rings: offset 1 (a cycle through all of them, so each ranker's comparison graph is
 * connected), then offset 2, 3, ... until the target count is reached. Every candidate gains two
 * pairs per full ring, so degrees stay balanced; and because the shuffle is uniform, every pair of
 * candidates is equally likely to be given to any ranker, which spreads coverage evenly.
 */
export function assignPairs (init: PairAssignmentInit): CandidatePair[] {
  const excluded = new Set(init.exclude ?? [])
  const eligible = [...new Set(init.candidates)].filter(c => !excluded.has(c)).sort()
  const k = eligible.length
  if (k < 2) return []
  const perAnswer = init.pairsPerAnswer ?? 3
  const allPairs = k * (k - 1) / 2
  const target = Math.min(allPairs, Math.ceil(perAnswer * k / 2))
  const order = new HashStream(sha256(PAIRS_DOMAIN, init.queryId, utf8(init.ranker))).shuffle(eligible)
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
  return pairs.sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0))
}

/** Whether a revealed list of pairs is exactly the assigned one (order-insensitive). */
export function isAssignedPairList (init: PairAssignmentInit, pairs: Iterable<CandidatePair>): boolean {
  const expected = assignPairs(init).map(p => `${p[0]}:${p[1]}`)
  const got = [...pairs].map(p => `${p[0]}:${p[1]}`).sort()
  return expected.length === got.length && expected.every((p, i) => p === got[i])
}
