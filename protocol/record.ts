import { quantizePpm, rankCandidates } from './bt.js'
import type { PairwiseVerdict } from './bt.js'
import { compareBytes, equalBytes, fromHex, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import { assignPairs } from './pairs.js'
import { agreementPpm, applyRound, positionScoresPpm, PPM, votingPower } from './reputation.js'
import type { ReputationEntry, ReputationParams, RoundParticipation, ScoredVerdict } from './reputation.js'
import { encodeComparisonBody } from './wire/codec.js'
import type { SignedMessage } from './wire/envelope.js'
import { Verdict } from './wire/messages.js'
import type { ComparisonBody, RoundRecord } from './wire/messages.js'

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

/**
 * The round record (DESIGN §4.3 step 6): a pure function of the accepted messages and the
 * reputation table at the query's anchor, so every node holding the same messages produces the
 * same bytes. Verdicts are weighted by the ranker's voting power as a fraction of 1; verdicts
 * on candidates the evidence does not contain are left out; a ranker whose pair list can be
 * checked (every candidate it names is known) and does not match its assignment is invalid.
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
  const byRanker = new Map<string, ScoredVerdict[]>()
  if (candidateIds.length >= 2) {
    for (const [ranker, msg] of byNode(ev.comparisonReveals)) {
      if (invalid.has(ranker)) continue
      const body = msg.payload.comparisonReveal!.body!
      const seen = body.answerIdsSeen.map(toHex)
      const own = answerOf.get(ranker)
      if (seen.every(id => textOf.has(id))) {
        const expected = assignPairs({ queryId: ev.queryId, ranker, candidates: seen, exclude: own === undefined ? [] : [own] })
        const got = body.comparisons.map(c => `${toHex(c.a)}:${toHex(c.b)}`)
        const want = expected.map(([a, b]) => `${a}:${b}`)
        if (got.length !== want.length || got.some((p, i) => p !== want[i])) {
          invalid.add(ranker)
          continue
        }
      }
      const weight = votingPower(table.get(ranker)) / PPM
      const mine: ScoredVerdict[] = []
      for (const c of body.comparisons) {
        const a = toHex(c.a)
        const b = toHex(c.b)
        if (!textOf.has(a) || !textOf.has(b) || a === own || b === own) continue
        const verdict = c.verdict === Verdict.A ? 'A' : c.verdict === Verdict.B ? 'B' : 'TIE'
        mine.push({ a, b, verdict })
        verdicts.push({ a, b, outcome: verdict === 'A' ? 'a' : verdict === 'B' ? 'b' : 'tie', weight })
      }
      byRanker.set(ranker, mine)
    }
  }

  const ranking = rankCandidates(candidateIds, verdicts, { prior: params.btPrior })
  const strengthsPpm = quantizePpm(ranking.strengths)
  const strengthOf = new Map(ranking.ids.map((id, k) => [id, strengthsPpm[k]]))
  const position = positionScoresPpm(strengthOf)

  // Who did what (DESIGN §4.5).
  const participations: RoundParticipation[] = []
  for (const node of ev.answerers) {
    if (invalid.has(node)) participations.push({ node, kind: 'invalid' })
    else if (answerOf.has(node)) participations.push({ node, kind: 'scored', scorePpm: position.get(answerOf.get(node)!) ?? 0 })
    else if (ev.answerCommits.has(node)) participations.push({ node, kind: 'withheld' })
    else participations.push({ node, kind: 'absent' })
  }
  if (candidateIds.length >= 2) {
    for (const node of ev.rankers) {
      if (invalid.has(node)) participations.push({ node, kind: 'invalid' })
      else if (byRanker.has(node)) participations.push({ node, kind: 'scored', scorePpm: agreementPpm(byRanker.get(node)!, strengthOf) })
      else if (ev.comparisonCommits.has(node)) participations.push({ node, kind: 'withheld' })
      else participations.push({ node, kind: 'absent' })
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
    }))
  }
  return { record, candidates, winner, converged: ranking.converged }
}

function dedupeSorted (ids: Bytes[]): Bytes[] {
  return ids.filter((id, i) => i === 0 || compareBytes(ids[i - 1], id) !== 0)
}
