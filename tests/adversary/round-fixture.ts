import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { fromHex, sha256, toHex, utf8 } from '../../protocol/hash.js'
import type { Bytes } from '../../protocol/hash.js'
import { assignPairs } from '../../protocol/pairs.js'
import { answerCommitment, candidateId, comparisonCommitment, computeRoundRecord, evidenceFromMessages, nodeIdFromBytes } from '../../protocol/record.js'
import type { RoundOutcome } from '../../protocol/record.js'
import { genesisValidator } from '../../protocol/reputation.js'
import type { ReputationEntry } from '../../protocol/reputation.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { Verdict } from '../../protocol/wire/messages.js'
import type { ComparisonBody, Payload } from '../../protocol/wire/messages.js'
import { networkId, testKey } from '../helpers/wire-fixtures.js'

/**
 * A round built message by message at the pure level (no state machine): signed answer commits
 * and reveals, then one comparison commit and reveal per ranker with whatever body the test
 * gives it, then `evidenceFromMessages` + `computeRoundRecord` exactly as a validator
 * recomputing a block does. Candidates have a known true order; honest rankers judge by it.
 */
export interface Member { key: PrivateKey, id: string }

export interface ForgeRound {
  queryId: Bytes
  query: SignedMessage
  answerers: Member[]
  rankers: Member[]
  /** candidate ids (hex), best first: the true order */
  truth: string[]
  /** candidate ids sorted, as on the wire */
  sorted: string[]
  answerMessages: SignedMessage[]
  table: Map<string, ReputationEntry>
}

const SALT = new Uint8Array(16).fill(9)

async function member (n: number): Promise<Member> {
  const key = await testKey(n)
  return { key, id: peerIdFromPrivateKey(key).toString() }
}

const sign = async (m: Member, body: Omit<Payload, 'networkId'>): Promise<SignedMessage> => signMessage(m.key, { networkId, ...body } as Payload)

/** `answers` answerers with distinct answers (answer i is the i-th best), `rankers` rankers. */
export async function forgeRound (answers: number, rankers: number, label = 'forged-winner'): Promise<ForgeRound> {
  const answerers = await Promise.all(Array.from({ length: answers }, async (_, i) => member(300 + i)))
  const rankerMembers = await Promise.all(Array.from({ length: rankers }, async (_, i) => member(400 + i)))
  const query = await sign(answerers[0], { query: { prompt: `question ${label}`, anchorHeight: 0, createdAt: 1_700_000_000_000, nonce: utf8(label) } })
  const texts = answerers.map((_, i) => `answer number ${i} to ${label}`)
  const answerMessages: SignedMessage[] = []
  for (let i = 0; i < answers; i++) {
    answerMessages.push(await sign(answerers[i], { answerCommit: { queryId: query.id, commitment: answerCommitment(texts[i], SALT) } }))
    answerMessages.push(await sign(answerers[i], { answerReveal: { queryId: query.id, answer: texts[i], salt: SALT } }))
  }
  const truth = texts.map(candidateId)
  const table = new Map<string, ReputationEntry>([...answerers, ...rankerMembers].map(m => [m.id, genesisValidator(500_000)]))
  return { queryId: query.id, query, answerers, rankers: rankerMembers, truth, sorted: [...truth].sort(), answerMessages, table }
}

export type Choice = 'A' | 'B' | 'TIE'
export interface ForgedComparison { a: string, b: string, verdict: Choice }

/** The verdict of a ranker that knows the true order. */
export function truthful (r: ForgeRound, a: string, b: string): Choice {
  return r.truth.indexOf(a) < r.truth.indexOf(b) ? 'A' : 'B'
}

/** The pair list an honest ranker derives from `seen`. */
export function assigned (r: ForgeRound, ranker: Member, seen: readonly string[]): Array<readonly [string, string]> {
  return assignPairs({ queryId: r.queryId, ranker: ranker.id, candidates: seen })
}

/** An honest body: every candidate seen, the assigned pairs judged by the true order. */
export function honestBody (r: ForgeRound, ranker: Member): { seen: string[], comparisons: ForgedComparison[] } {
  return { seen: r.sorted, comparisons: assigned(r, ranker, r.sorted).map(([a, b]) => ({ a, b, verdict: truthful(r, a, b) })) }
}

export function comparisonBody (seen: readonly string[], comparisons: readonly ForgedComparison[]): ComparisonBody {
  return {
    answerIdsSeen: [...seen].sort().map(fromHex),
    comparisons: comparisons.map(c => ({ a: fromHex(c.a), b: fromHex(c.b), verdict: Verdict[c.verdict], reason: '' }))
  }
}

/** Commit and reveal for one ranker (the commit always matches, so only the body is on trial). */
export async function rankerMessages (r: ForgeRound, ranker: Member, body: ComparisonBody): Promise<{ commit: SignedMessage, reveal: SignedMessage }> {
  const commit = await sign(ranker, { comparisonCommit: { queryId: r.queryId, commitment: comparisonCommitment(body, SALT) } })
  const reveal = await sign(ranker, { comparisonReveal: { queryId: r.queryId, body, salt: SALT } })
  return { commit, reveal }
}

/**
 * Record of the round where ranker i reveals `bodies.get(i)` (absent from the map: honest; null:
 * the ranker sends nothing at all).
 */
export async function recordWith (r: ForgeRound, bodies: ReadonlyMap<number, ComparisonBody | null>): Promise<RoundOutcome> {
  const messages = [...r.answerMessages]
  for (let i = 0; i < r.rankers.length; i++) {
    const given = bodies.get(i)
    if (given === null) continue
    const honest = honestBody(r, r.rankers[i])
    const body = given ?? comparisonBody(honest.seen, honest.comparisons)
    const { commit, reveal } = await rankerMessages(r, r.rankers[i], body)
    messages.push(commit, reveal)
  }
  const ev = evidenceFromMessages(r.query, messages, { answerers: r.answerers.map(m => m.id), rankers: r.rankers.map(m => m.id) })
  return computeRoundRecord(ev, r.table, defaultProtocolParams)
}

export function deltaOf (outcome: RoundOutcome, node: string): number | undefined {
  return outcome.record.deltas.find(d => nodeIdFromBytes(d.node) === node)?.deltaPpm
}

export function strengthOf (outcome: RoundOutcome, candidate: string): number {
  return outcome.candidates.find(c => c.id === candidate)!.strengthPpm
}

/** A made-up answer id: no answerer revealed it. */
export const madeUpId = (label: string): string => toHex(sha256(utf8(`made-up ${label}`)))
