/**
 * Reputation (DESIGN §4.5). All values are integers in parts per million, so every node computes
 * the same numbers: only integer arithmetic with Math.floor/Math.trunc, all far below 2^53.
 *
 * - A round scores each ranker by its agreement with the final order and each answerer by its
 *   candidate's position in that order. Identical answers are one candidate, so every answerer
 *   of it gets the same score: copying never earns more than the original.
 * - Reputation follows an exponential moving average of those scores (gain 0.1, as Yuma bonds)
 *   and falls faster than it rises. Honest work pays best (DESIGN §8.9): a member drawn into a
 *   committee that sends nothing moves a tenth of the way to 0 (five times the old 2% decay, but
 *   not the faster fall of a scored 0, so an honest node that crashed or was cut off is not
 *   crushed); withholding (commit without reveal: a node that read the others' reveals and would
 *   lose) and invalid messages fall as a score of 0 does *and* pay a flat penalty on top, so they
 *   cost strictly more than any answer.
 * - Proof of capability: a new identity is on probation with voting power 0 until it has taken
 *   part in `probationRounds` rounds scoring at least `probationScorePpm`.
 */

export const PPM = 1_000_000

export interface ReputationParams {
  /** Reputation of a new identity; it carries no weight until probation ends. Default 0.5. */
  initialPpm: number
  /** EMA gain for a rise. Default 0.1, the Bittensor Yuma bond rate. */
  gainPpm: number
  /** A fall moves `lossFactor` times faster than a rise. Default 2: trust is lost faster than won. */
  lossFactor: number
  /** The least share of reputation lost per round a node was assigned to and missed (it is scored 0, which costs more unless the gain is tiny). Default 2%. */
  absenceDecayPpm: number
  /** Penalty for committing and never revealing, on top of a score of 0. Default 0.05: worse than the worst answer. */
  withholdPenaltyPpm: number
  /** Penalty for a provably invalid message in a round, on top of a score of 0. Default 0.1. */
  invalidPenaltyPpm: number
  /** Qualifying rounds needed to leave probation. Default 5. */
  probationRounds: number
  /** Score a round must reach to count toward probation. Default 0.6: better than a coin flip. */
  probationScorePpm: number
}

export const defaultReputationParams: ReputationParams = {
  initialPpm: 500_000,
  gainPpm: 100_000,
  lossFactor: 2,
  absenceDecayPpm: 20_000,
  withholdPenaltyPpm: 50_000,
  invalidPenaltyPpm: 100_000,
  probationRounds: 5,
  probationScorePpm: 600_000
}

export interface ReputationEntry {
  reputationPpm: number
  /** Rounds that counted toward leaving probation. */
  qualifiedRounds: number
  onProbation: boolean
}

export function newcomer (params: ReputationParams = defaultReputationParams): ReputationEntry {
  return { reputationPpm: params.initialPpm, qualifiedRounds: 0, onProbation: true }
}

/** A founding validator from genesis: trusted from the start. */
export function genesisValidator (reputationPpm: number): ReputationEntry {
  return { reputationPpm: clampPpm(reputationPpm), qualifiedRounds: 0, onProbation: false }
}

/** Weight in ranking and finality: reputation once past probation, else nothing. */
export function votingPower (entry: ReputationEntry | undefined): number {
  return entry === undefined || entry.onProbation ? 0 : entry.reputationPpm
}

function clampPpm (value: number): number {
  return value < 0 ? 0 : value > PPM ? PPM : value
}

/** One EMA step toward `scorePpm`, falling `lossFactor` times faster than rising. */
export function emaStep (currentPpm: number, scorePpm: number, params: ReputationParams = defaultReputationParams): number {
  const delta = scorePpm - currentPpm
  const gain = delta >= 0 ? params.gainPpm : Math.min(PPM, params.gainPpm * params.lossFactor)
  return clampPpm(currentPpm + Math.trunc(gain * delta / PPM))
}

export type VerdictChoice = 'A' | 'B' | 'TIE'

export interface ScoredVerdict {
  /** candidate ids, a < b */
  a: string
  b: string
  verdict: VerdictChoice
}

/**
 * A ranker's agreement with the final order: the share of its verdicts that agree, each weighted
 * by how clearly the final strengths separate the pair (|sₐ − s_b|), so disagreeing on a near-tie
 * costs little. A tie verdict, or a pair the final order ties, counts half. No information → 0.5.
 */
export function agreementPpm (verdicts: Iterable<ScoredVerdict>, strengthPpm: ReadonlyMap<string, number>): number {
  let agreeing = 0 // in half-units of weight
  let total = 0
  for (const v of verdicts) {
    const sa = strengthPpm.get(v.a)
    const sb = strengthPpm.get(v.b)
    if (sa === undefined || sb === undefined) continue
    const weight = Math.abs(sa - sb)
    total += 2 * weight
    if (v.verdict === 'TIE' || sa === sb) agreeing += weight
    else if ((v.verdict === 'A') === (sa > sb)) agreeing += 2 * weight
  }
  return total === 0 ? PPM / 2 : Math.floor(agreeing * PPM / total)
}

/**
 * A ranker's score for one round (DESIGN §4.5, §8.1): its agreement with the final order measured
 * over the pairs it owed — the pairs it would be assigned over all of the round's candidates,
 * less its own answer — with each owed pair it gave no verdict on counted as a wrong verdict.
 * Verdicts on pairs it did not owe, and repeats, count for nothing.
 *
 * So claiming to have seen fewer answers never pays: whatever a ranker reveals, revealing its
 * whole assignment with the same verdicts on the pairs it did judge and TIE on the rest scores at
 * least as much, and a ranker that judged nothing it owed scores 0 (a worse reputation step than
 * absence). A ranker that judged every owed pair scores exactly `agreementPpm` of its verdicts.
 * When the final order separates no owed pair there is nothing to agree with: half credit per
 * owed pair judged. Undefined when it owed nothing (nothing to score).
 */
export function rankerScorePpm (owed: Iterable<{ a: string, b: string }>, verdicts: Iterable<ScoredVerdict>, strengthPpm: ReadonlyMap<string, number>): number | undefined {
  const weightOf = new Map<string, number>()
  let total = 0 // in half-units of weight, over every owed pair
  for (const p of owed) {
    const key = `${p.a}:${p.b}`
    if (weightOf.has(key)) continue
    const sa = strengthPpm.get(p.a)
    const sb = strengthPpm.get(p.b)
    const weight = sa === undefined || sb === undefined ? 0 : Math.abs(sa - sb)
    weightOf.set(key, weight)
    total += 2 * weight
  }
  if (weightOf.size === 0) return undefined
  let agreeing = 0
  let judged = 0
  const counted = new Set<string>()
  for (const v of verdicts) {
    const key = `${v.a}:${v.b}`
    const weight = weightOf.get(key)
    if (weight === undefined || counted.has(key)) continue
    counted.add(key)
    judged++
    const sa = strengthPpm.get(v.a)!
    const sb = strengthPpm.get(v.b)!
    if (v.verdict === 'TIE' || sa === sb) agreeing += weight
    else if ((v.verdict === 'A') === (sa > sb)) agreeing += 2 * weight
  }
  return total === 0 ? Math.floor(judged * (PPM / 2) / weightOf.size) : Math.floor(agreeing * PPM / total)
}

/**
 * Candidates in final order, strength descending. Returns each candidate's score: 1 for the
 * best, 0 for the worst, evenly spaced between (1 when it is the only one). Candidates of equal
 * strength share the mean of the places they span (fractional ranking): breaking the tie by id
 * would give one of two equally strong answers 1 and the other 0, and let an answerer grind its
 * phrasing for the better hash. Integer arithmetic only.
 */
export function positionScoresPpm (strengthPpm: ReadonlyMap<string, number>): Map<string, number> {
  const order = [...strengthPpm].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
  const k = order.length
  const out = new Map<string, number>()
  if (k === 1) return new Map([[order[0][0], PPM]])
  for (let first = 0; first < k;) {
    let last = first
    while (last + 1 < k && order[last + 1][1] === order[first][1]) last++
    // mean place (first + last) / 2, kept in halves: score = PPM (2(k−1) − (first + last)) / 2(k−1)
    const score = Math.floor(PPM * (2 * (k - 1) - (first + last)) / (2 * (k - 1)))
    for (let i = first; i <= last; i++) out.set(order[i][0], score)
    first = last + 1
  }
  return out
}

/** What happened to one node in one round. */
export type RoundParticipation =
  | { node: string, kind: 'scored', scorePpm: number }
  | { node: string, kind: 'absent' }
  | { node: string, kind: 'withheld' }
  | { node: string, kind: 'invalid' }

/**
 * Apply one round's participations to the reputation table (pure: returns a new table and the
 * per-node deltas). Nodes are processed in sorted order; a node listed twice (answerer and
 * ranker) gets both updates in that order.
 */
export function applyRound (
  table: ReadonlyMap<string, ReputationEntry>,
  participations: readonly RoundParticipation[],
  params: ReputationParams = defaultReputationParams
): { table: Map<string, ReputationEntry>, deltas: Map<string, number> } {
  const next = new Map(table)
  const deltas = new Map<string, number>()
  const ordered = [...participations].sort((x, y) => (x.node < y.node ? -1 : x.node > y.node ? 1 : 0))
  for (const p of ordered) {
    const before = next.get(p.node) ?? newcomer(params)
    const after = { ...before }
    if (p.kind === 'scored') {
      after.reputationPpm = emaStep(before.reputationPpm, p.scorePpm, params)
      if (before.onProbation && p.scorePpm >= params.probationScorePpm) {
        after.qualifiedRounds = before.qualifiedRounds + 1
        if (after.qualifiedRounds >= params.probationRounds) after.onProbation = false
      }
    } else {
      // Sending nothing: at least the absence decay; withholding and invalid messages: the fall of
      // the worst score, and their penalty on top.
      const decay = before.reputationPpm - Math.floor(before.reputationPpm * params.absenceDecayPpm / PPM)
      // absence: a rise's gain toward 0 (not the faster fall): an honest node that crashed or was
      // cut off is not crushed, but staying away never beats answering
      const toZero = before.reputationPpm - Math.trunc(params.gainPpm * before.reputationPpm / PPM)
      const asWorst = p.kind === 'absent' ? Math.min(toZero, decay) : Math.min(emaStep(before.reputationPpm, 0, params), decay)
      const penalty = p.kind === 'withheld' ? params.withholdPenaltyPpm : p.kind === 'invalid' ? params.invalidPenaltyPpm : 0
      after.reputationPpm = clampPpm(asWorst - penalty)
    }
    next.set(p.node, after)
    deltas.set(p.node, (deltas.get(p.node) ?? 0) + after.reputationPpm - before.reputationPpm)
  }
  return { table: next, deltas }
}
