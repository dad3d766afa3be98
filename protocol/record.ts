import { quantizePpm, rankCandidates } from './bt.js'
import type { PairwiseVerdict } from './bt.js'
import { compareBytes, equalBytes, fromHex, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import { assignPairs, isExactPairList } from './pairs.js'
import type { CandidatePair } from './pairs.js'
import { applyRound, positionScoresPpm, PPM, rankerScorePpm, votingPower } from './reputation.js'
import type { ReputationEntry, ReputationParams, RoundParticipation, ScoredVerdict } from './reputation.js'
import { encodeComparisonBody } from './wire/codec.js'
import type { SignedMessage } from './wire/envelope.js'
import { ParticipationKind, Verdict } from './wire/messages.js'
import type { ComparisonBody, Participation, RoundRecord } from './wire/messages.js'

/**
 * Commitments (DESIGN §4.3 commit–reveal). The revealed bytes are length-prefixed so one
 * commitment opens to exactly one (answer, salt) pair, whatever the salt's length.
 */
export function answerCommitment (answer: string, salt: Uint8Array): Bytes {
  const text = utf8(answer)
  return sha256(utf8('swarmrank/answer-commit/1'), uint64Bytes(text.length), text, salt)
}

export function comparisonCommitment (body: ComparisonBody, salt: Uint8Array): Bytes {
  const bytes = encodeComparisonBody(body)
  return sha256(utf8('swarmrank/comparison-commit/1'), uint64Bytes(bytes.length), bytes, salt)
}

/** A candidate's id: identical answers are one candidate. */
export function candidateId (answer: string): string {
  return toHex(sha256(utf8(answer)))
}

/** A node's id as it appears in records: the UTF-8 bytes of its peer id string. */
export const nodeIdBytes = (peerId: string): Bytes => utf8(peerId)
export const nodeIdFromBytes = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

/**
 * What a round's messages prove, derived from the message set alone so that anyone holding the
 * same messages derives the same thing (a validator recomputing a block's record does exactly
 * this with the messages the record names).
 */
export interface RoundEvidence {
  queryId: Bytes
  query: SignedMessage
  answerers: readonly string[]
  rankers: readonly string[]
  answerCommits: ReadonlyMap<string, SignedMessage>
  answerReveals: ReadonlyMap<string, SignedMessage>
  comparisonCommits: ReadonlyMap<string, SignedMessage>
  comparisonReveals: ReadonlyMap<string, SignedMessage>
  /** members that sent provably invalid messages: two different commits, or a reveal that does not open its commit */
  invalid: ReadonlySet<string>
  /** every message the evidence rests on (what the record names) */
  messages: readonly SignedMessage[]
}

/**
 * Sort a round's messages into evidence: messages of other queries, of non-members and of the
 * wrong kind are left out; two different commits from one member, or a reveal that does not
 * open the member's commit, make it invalid; a reveal without a commit is left out.
 */
export function evidenceFromMessages (query: SignedMessage, messages: Iterable<SignedMessage>, committees: { answerers: readonly string[], rankers: readonly string[] }): RoundEvidence {
  const queryId = query.id
  const answerers = new Set(committees.answerers)
  const rankers = new Set(committees.rankers)
  const commits = { answer: new Map<string, SignedMessage[]>(), comparison: new Map<string, SignedMessage[]>() }
  const reveals = { answer: new Map<string, SignedMessage[]>(), comparison: new Map<string, SignedMessage[]>() }
  const used = new Map<string, SignedMessage>([[query.idHex, query]])
  const push = (m: Map<string, SignedMessage[]>, msg: SignedMessage): void => {
    const list = m.get(msg.signerId) ?? []
    if (!list.some(x => x.idHex === msg.idHex)) list.push(msg)
    m.set(msg.signerId, list)
    used.set(msg.idHex, msg)
  }
  for (const msg of messages) {
    const p = msg.payload
    const forQuery = (id: Uint8Array | undefined): boolean => id !== undefined && equalBytes(id, queryId)
    if (p.answerCommit !== undefined && forQuery(p.answerCommit.queryId) && answerers.has(msg.signerId)) push(commits.answer, msg)
    else if (p.answerReveal !== undefined && forQuery(p.answerReveal.queryId) && answerers.has(msg.signerId)) push(reveals.answer, msg)
    else if (p.comparisonCommit !== undefined && forQuery(p.comparisonCommit.queryId) && rankers.has(msg.signerId)) push(commits.comparison, msg)
    else if (p.comparisonReveal !== undefined && forQuery(p.comparisonReveal.queryId) && rankers.has(msg.signerId)) push(reveals.comparison, msg)
  }
  const invalid = new Set<string>()
  const settle = (commitMap: Map<string, SignedMessage[]>, revealMap: Map<string, SignedMessage[]>, isAnswer: boolean): [Map<string, SignedMessage>, Map<string, SignedMessage>] => {
    const oneCommit = new Map<string, SignedMessage>()
    const oneReveal = new Map<string, SignedMessage>()
    for (const [node, list] of commitMap) {
      if (list.length > 1) invalid.add(node)
      else oneCommit.set(node, list[0])
    }
    for (const [node, list] of revealMap) {
      const commit = oneCommit.get(node)
      if (commit === undefined) {
        if (!commitMap.has(node)) for (const r of list) used.delete(r.idHex) // no commit: not evidence of anything
        continue
      }
      const expected = isAnswer ? commit.payload.answerCommit!.commitment : commit.payload.comparisonCommit!.commitment
      const opens = list.map(r => equalBytes(expected, isAnswer
        ? answerCommitment(r.payload.answerReveal!.answer, r.payload.answerReveal!.salt)
        : comparisonCommitment(r.payload.comparisonReveal!.body!, r.payload.comparisonReveal!.salt)))
      if (opens.every(Boolean) && list.length === 1) oneReveal.set(node, list[0])
      else invalid.add(node)
    }
    for (const node of invalid) { oneCommit.delete(node); oneReveal.delete(node) }
    return [oneCommit, oneReveal]
  }
  const [answerCommits, answerReveals] = settle(commits.answer, reveals.answer, true)
  const [comparisonCommits, comparisonReveals] = settle(commits.comparison, reveals.comparison, false)
  return {
    queryId,
    query,
    answerers: committees.answerers,
    rankers: committees.rankers,
    answerCommits,
    answerReveals,
    comparisonCommits,
    comparisonReveals,
    invalid,
    messages: [...used.values()]
  }
}

export interface CandidateView {
  id: string
  answer: string
  strengthPpm: number
  answerers: string[]
}

/** The record plus what a client wants to see of it. */
export interface RoundOutcome {
  record: RoundRecord
  /** candidates, strongest first */
  candidates: CandidateView[]
  winner: CandidateView | undefined
  converged: boolean
}

const byNode = <T>(m: ReadonlyMap<string, T>): Array<[string, T]> => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/** What the record makes of one ranker's reveal (DESIGN §8.1). */
export interface RankerRevealCheck {
  /** false: its pair list is not exactly its assignment over the ids it claims to have seen */
  valid: boolean
  /** the pairs it would be assigned over all of the round's candidates, less its own answer */
  owed: CandidatePair[]
  /** its verdicts that count, in canonical order: on pairs it owed, each once (empty when invalid) */
  counted: ScoredVerdict[]
}

export interface RankerRevealContext {
  queryId: Uint8Array
  ranker: string
  /** the round's candidate ids, sorted */
  candidates: readonly string[]
  /** the ranker's own candidate, when the evidence holds its answer */
  own?: string
}

/**
 * Check one ranker's reveal and keep the verdicts that may count (DESIGN §8.1, "no forged
 * winner"):
 * - the pair check always runs: the comparisons must be exactly `assignPairs` over the ids the
 *   ranker lists as seen, less at most one of them (its own answer, which this node may not know:
 *   its reveal can be lost or withheld), in canonical order; a repeated, missing or unassigned
 *   pair makes the reveal invalid. A listed id that is not a candidate (a reveal this node lacks,
 *   or one made up) never switches the check off.
 * - only verdicts on pairs the ranker owes count: the pairs it would be assigned over all of the
 *   round's candidates, less its own answer. A verdict on a made-up id, on its own answer, or on a
 *   real pair it got by listing made-up ids or leaving real ones out counts for nothing.
 *   Candidates keep their ring order whatever else the list holds (`assignPairs`), so an honest
 *   ranker that missed a reveal loses only some of its verdicts, and no list, however ground, buys
 *   a ranker a counted pair outside its own assignment over the candidates: at most its weight
 *   once on each pair it owes, as if it had revealed honestly.
 */
export function checkRankerReveal (body: ComparisonBody, ctx: RankerRevealContext): RankerRevealCheck {
  const owed = assignPairs({ queryId: ctx.queryId, ranker: ctx.ranker, candidates: ctx.candidates, exclude: ctx.own === undefined ? [] : [ctx.own] })
  const seen = body.answerIdsSeen.map(toHex)
  const got: CandidatePair[] = body.comparisons.map(c => [toHex(c.a), toHex(c.b)])
  // The id left out, if any, is the one no pair names: with two or more ids left, every one of
  // them is in the ring. So one list is computed whatever the reveal holds. Judging nothing is
  // right only when at most one id is left to judge.
  const named = new Set(got.flat())
  const unnamed = seen.filter(id => !named.has(id))
  const matches = got.length === 0
    ? seen.length <= 2
    : unnamed.length <= 1 && isExactPairList(assignPairs({ queryId: ctx.queryId, ranker: ctx.ranker, candidates: seen, exclude: unnamed }), got)
  if (!matches) return { valid: false, owed, counted: [] }
  const owedKeys = new Set(owed.map(([a, b]) => `${a}:${b}`))
  const counted: ScoredVerdict[] = []
  body.comparisons.forEach((c, i) => {
    const [a, b] = got[i]
    if (owedKeys.has(`${a}:${b}`)) counted.push({ a, b, verdict: c.verdict === Verdict.A ? 'A' : c.verdict === Verdict.B ? 'B' : 'TIE' })
  })
  return { valid: true, owed, counted }
}

/**
 * The round record (DESIGN §4.3 step 6): a pure function of the accepted messages and the
 * reputation table at the query's anchor, so every node holding the same messages produces the
 * same bytes. Verdicts are weighted by the ranker's voting power as a fraction of 1 and kept only
 * as `checkRankerReveal` allows; a ranker whose pair list does not match its assignment is
 * invalid; a ranker is scored over the pairs it owed (`rankerScorePpm`).
 */
export function computeRoundRecord (ev: RoundEvidence, table: ReadonlyMap<string, ReputationEntry>, params: { btPrior: number, reputation: ReputationParams }): RoundOutcome {
  const invalid = new Set(ev.invalid)
  // Candidates: distinct revealed answers.
  const answerOf = new Map<string, string>() // answerer -> candidate id
  const textOf = new Map<string, string>()
  for (const [node, msg] of byNode(ev.answerReveals)) {
    const answer = msg.payload.answerReveal!.answer
    const id = candidateId(answer)
    answerOf.set(node, id)
    textOf.set(id, answer)
  }
  const candidateIds = [...textOf.keys()].sort()

  // Verdicts, ranker by ranker in id order, each ranker's comparisons in their canonical order.
  const verdicts: PairwiseVerdict[] = []
  const byRanker = new Map<string, RankerRevealCheck>()
  if (candidateIds.length >= 2) {
    for (const [ranker, msg] of byNode(ev.comparisonReveals)) {
      if (invalid.has(ranker)) continue
      const own = answerOf.get(ranker)
      const check = checkRankerReveal(msg.payload.comparisonReveal!.body!, { queryId: ev.queryId, ranker, candidates: candidateIds, own })
      if (!check.valid) {
        invalid.add(ranker)
        continue
      }
      const weight = votingPower(table.get(ranker)) / PPM
      for (const v of check.counted) verdicts.push({ a: v.a, b: v.b, outcome: v.verdict === 'A' ? 'a' : v.verdict === 'B' ? 'b' : 'tie', weight })
      byRanker.set(ranker, check)
    }
  }

  const ranking = rankCandidates(candidateIds, verdicts, { prior: params.btPrior })
  const strengthsPpm = quantizePpm(ranking.strengths)
  const strengthOf = new Map(ranking.ids.map((id, k) => [id, strengthsPpm[k]]))
  const position = positionScoresPpm(strengthOf)

  // Who did what (DESIGN §4.5). Missing a phase (commit: absent; reveal after a commit: withheld)
  // is charged only when another member of the committee got through it in time: when none did,
  // the blocks came too late for everyone (overload, a stalled height, a proposer censoring every
  // message), which says nothing about any one member — under load that was half of all rounds,
  // each charging every answerer as absent.
  const participations: RoundParticipation[] = []
  const answersCommitted = ev.answerCommits.size > 0
  const answersRevealed = ev.answerReveals.size > 0
  for (const node of ev.answerers) {
    if (invalid.has(node)) participations.push({ node, kind: 'invalid' })
    else if (answerOf.has(node)) participations.push({ node, kind: 'scored', scorePpm: position.get(answerOf.get(node)!) ?? 0 })
    else if (ev.answerCommits.has(node)) { if (answersRevealed) participations.push({ node, kind: 'withheld' }) }
    else if (answersCommitted) participations.push({ node, kind: 'absent' })
  }
  if (candidateIds.length >= 2) {
    for (const node of ev.rankers) {
      if (invalid.has(node)) participations.push({ node, kind: 'invalid' })
      else if (byRanker.has(node)) {
        const check = byRanker.get(node)!
        const scorePpm = rankerScorePpm(check.owed.map(([a, b]) => ({ a, b })), check.counted, strengthOf)
        // Owing no pair (its own answer and one other), it had nothing to do: no score either way.
        if (scorePpm !== undefined) participations.push({ node, kind: 'scored', scorePpm })
      }
      else if (ev.comparisonCommits.has(node)) { if (ev.comparisonReveals.size > 0) participations.push({ node, kind: 'withheld' }) }
      else if (ev.comparisonCommits.size > 0) participations.push({ node, kind: 'absent' })
    }
  }
  // Only the participants' entries: applyRound sorts what it is given, so order does not matter.
  const scoped = new Map<string, ReputationEntry>()
  for (const p of participations) {
    const entry = table.get(p.node)
    if (entry !== undefined) scoped.set(p.node, entry)
  }
  const { table: after, deltas } = applyRound(scoped, participations, params.reputation)

  const candidates = ranking.ids
    .map(id => ({ id, answer: textOf.get(id)!, strengthPpm: strengthOf.get(id)!, answerers: [...answerOf].filter(([, c]) => c === id).map(([n]) => n) }))
    .sort((x, y) => y.strengthPpm - x.strengthPpm || (x.id < y.id ? -1 : 1))
  // Winner: highest quantised strength, ties broken by the smaller id — what anyone re-deriving
  // it from the record's integers gets.
  const winner = candidates[0]
  const included = ev.messages.map(m => m.id).sort(compareBytes)
  const record: RoundRecord = {
    queryId: ev.queryId,
    includedMessageIds: dedupeSorted(included),
    candidates: ranking.ids.map(fromHex),
    strengthsPpm,
    winner: winner === undefined ? new Uint8Array(0) : fromHex(winner.id),
    deltas: [...deltas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([node, deltaPpm]) => ({
      node: nodeIdBytes(node),
      deltaPpm,
      qualifies: (after.get(node)?.qualifiedRounds ?? 0) > (table.get(node)?.qualifiedRounds ?? 0)
    })),
    participations: participationsToWire(participations)
  }
  return { record, candidates, winner, converged: ranking.converged }
}

const kindToWire = { scored: ParticipationKind.SCORED, absent: ParticipationKind.ABSENT, withheld: ParticipationKind.WITHHELD, invalid: ParticipationKind.INVALID } as const

/** A round's participations as a record carries them: by node id, a node's own ones in the order it took them (answerer, then ranker), as applyRound takes them. */
export function participationsToWire (ps: readonly RoundParticipation[]): Participation[] {
  return [...ps].sort((x, y) => (x.node < y.node ? -1 : x.node > y.node ? 1 : 0)).map(p => ({ node: nodeIdBytes(p.node), kind: kindToWire[p.kind], scorePpm: p.kind === 'scored' ? p.scorePpm : 0 }))
}

/** What a record says each committee member did (the ledger steps reputations from these). */
export function participationsOf (record: RoundRecord): RoundParticipation[] {
  return record.participations.map(p => {
    const node = nodeIdFromBytes(p.node)
    switch (p.kind) {
      case ParticipationKind.ABSENT: return { node, kind: 'absent' }
      case ParticipationKind.WITHHELD: return { node, kind: 'withheld' }
      case ParticipationKind.INVALID: return { node, kind: 'invalid' }
      default: return { node, kind: 'scored', scorePpm: p.scorePpm }
    }
  })
}

function dedupeSorted (ids: Bytes[]): Bytes[] {
  return ids.filter((id, i) => i === 0 || compareBytes(ids[i - 1], id) !== 0)
}
