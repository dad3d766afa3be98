import { quantizePpm, rankCandidates } from './bt.js'
import type { PairwiseVerdict } from './bt.js'
import { compareBytes, fromHex, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
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

/** The signed messages of one round that a node accepted, by signer. */
export interface RoundEvidence {
  queryId: Bytes
  query: SignedMessage
  answerers: readonly string[]
  rankers: readonly string[]
  answerCommits: ReadonlyMap<string, SignedMessage>
  answerReveals: ReadonlyMap<string, SignedMessage>
  comparisonCommits: ReadonlyMap<string, SignedMessage>
  comparisonReveals: ReadonlyMap<string, SignedMessage>
  /** nodes that sent a provably invalid message in this round (equivocation, bad opening) */
  invalid: ReadonlySet<string>
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
  const scoped = new Map([...table].filter(([node]) => participations.some(p => p.node === node)))
  const { table: after, deltas } = applyRound(scoped, participations, params.reputation)

  const candidates = ranking.ids
    .map(id => ({ id, answer: textOf.get(id)!, strengthPpm: strengthOf.get(id)!, answerers: [...answerOf].filter(([, c]) => c === id).map(([n]) => n) }))
    .sort((x, y) => y.strengthPpm - x.strengthPpm || (x.id < y.id ? -1 : 1))
  // Winner: highest quantised strength, ties broken by the smaller id — what anyone re-deriving
  // it from the record's integers gets.
  const winner = candidates[0]
  const included = [ev.query, ...ev.answerCommits.values(), ...ev.answerReveals.values(), ...ev.comparisonCommits.values(), ...ev.comparisonReveals.values()]
    .map(m => m.id)
    .sort(compareBytes)
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
