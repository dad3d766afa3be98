import { sha256, utf8 } from './hash.js'
import { HashStream } from './random.js'
import type { ReputationEntry } from './reputation.js'

/**
 * Committees (DESIGN §4.3): `size` distinct nodes drawn without replacement by a hash lottery
 * seeded with the round's seed (`roundSeed` in ledger.ts: the query id and the hash of the block
 * that ordered it, DESIGN §8.2 — never something the submitter chose alone) and the committee's role, weighted by reputation, so the committee
 * is the same on every node that holds the same ledger state. Nodes on probation take part
 * (newcomers must be able to prove themselves) but their ranking verdicts weigh nothing, and
 * they hold at most `probationSeats(size)` seats of a committee while settled members remain.
 *
 * Every node gets a floor weight, so one at zero reputation is still drawn now and then and can
 * climb back.
 */
export const COMMITTEE_FLOOR_PPM = 10_000

export type CommitteeRole = 'answer' | 'rank' | 'rank-fill'

/**
 * Seats of one committee that nodes on probation may take while members past probation are
 * left to draw: a third, rounded down, but at least one. A flood of fresh identities starts
 * at the same reputation as everyone (the initial 0.5) and, with no cap, takes nearly every
 * seat: the simulator's sybil experiment saw 1,000 newcomers hold ~90 % of the seats and the
 * swarm's accuracy fall from 100 % to 21 %, though their verdicts weighed nothing.
 */
export function probationSeats (size: number): number {
  return Math.max(1, Math.floor(size / 3))
}

export function drawCommittee (seed: Uint8Array, role: CommitteeRole, table: ReadonlyMap<string, ReputationEntry>, size: number): string[] {
  const nodes = [...table.keys()].sort()
  if (size >= nodes.length) return nodes
  const weights = nodes.map(n => Math.max(table.get(n)!.reputationPpm, COMMITTEE_FLOOR_PPM))
  const onProbation = nodes.map(n => table.get(n)!.onProbation)
  const rng = new HashStream(sha256(utf8(`swarmrank/committee/${role}/1`), seed))
  let settledTotal = 0
  let probationTotal = 0
  for (let i = 0; i < nodes.length; i++) {
    if (onProbation[i]) probationTotal += weights[i]
    else settledTotal += weights[i]
  }
  let probationLeft = probationSeats(size)
  const chosen: string[] = []
  for (let k = 0; k < size; k++) {
    // Newcomers draw while their share of seats lasts, or when no settled member is left.
    const withProbation = probationLeft > 0 || settledTotal === 0
    // An integer ticket in [0, total). Past ~4,000 nodes at full reputation the total exceeds
    // 2^32 (the simulator's 10,000-node run found this: nextInt threw there); nextBelow draws
    // 53-bit tickets then, and exactly nextInt's below.
    let ticket = rng.nextBelow(settledTotal + (withProbation ? probationTotal : 0))
    let pick = 0
    for (;; pick++) {
      if (!withProbation && onProbation[pick]) continue
      if (ticket < weights[pick]) break
      ticket -= weights[pick]
    }
    chosen.push(nodes[pick])
    if (onProbation[pick]) {
      probationTotal -= weights[pick]
      probationLeft--
    } else {
      settledTotal -= weights[pick]
    }
    weights[pick] = 0
  }
  return chosen.sort()
}

/**
 * Both committees of a query. Rankers are drawn from the nodes outside the answer committee,
 * so most judges have no answer of their own in the round (a ranker never judges a pair with its
 * own answer, and in a small network that rule would otherwise leave few verdicts); only when
 * too few nodes remain are the rest drawn from the answerers.
 */
export function drawCommittees (seed: Uint8Array, table: ReadonlyMap<string, ReputationEntry>, answerers: number, rankers: number): { answerers: string[], rankers: string[] } {
  const answer = drawCommittee(seed, 'answer', table, answerers)
  const inAnswer = new Set(answer)
  const outside = new Map([...table].filter(([n]) => !inAnswer.has(n)))
  const rank = drawCommittee(seed, 'rank', outside, rankers)
  if (rank.length < rankers) {
    const inside = new Map([...table].filter(([n]) => inAnswer.has(n)))
    rank.push(...drawCommittee(seed, 'rank-fill', inside, rankers - rank.length))
  }
  return { answerers: answer, rankers: rank.sort() }
}
