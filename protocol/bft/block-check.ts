import type { ProtocolParams } from '../genesis.js'
import { equalBytes, toHex } from '../hash.js'
import { admitToChainRound, chainRoundOutcome, replayChainRound, tickChainRound } from '../chain-round.js'
import type { OrderedRoundMessage } from '../chain-round.js'
import { applyBlock, queriesRoot, queryInadmissible, recordsRoot, roundMessagesRoot, roundSeed, stateRoot } from '../ledger.js'
import type { LedgerState } from '../ledger.js'
import { nodeIdFromBytes } from '../record.js'
import type { RoundState } from '../round.js'
import type { ReputationEntry } from '../reputation.js'
import { admissionParamsOf, joinFault } from '../admission.js'
import { blockTimeBounds } from './block-time.js'
import { checkAccountability } from '../jailing.js'
import { encodeRoundRecord } from '../wire/codec.js'
import type { SignedMessage } from '../wire/envelope.js'
import type { Block } from '../wire/messages.js'

export interface BlockCheckContext {
  state: LedgerState
  params: ProtocolParams
  /** the validator set of this height (the block's builder must be one of them) */
  validators: ReadonlyMap<string, number>
  /** every message `messagesNeeded` lists (queries, Joins, round messages, and the ordered messages of each round it touches) and every envelope it embeds (jailing.ts embeddedEnvelopes), already validated, by id (hex) */
  messages: ReadonlyMap<string, SignedMessage>
  /** the reputation table at a past height (a query's anchor) */
  tableAt: (height: number) => ReadonlyMap<string, ReputationEntry> | undefined
  /** whether a query already has a record in an earlier block */
  isFinalized: (queryIdHex: string) => boolean
  /**
   * This validator's clock, for proposer-based timestamps (DESIGN §8.3): `fresh` is false for a
   * block re-proposed from an earlier round (its time was checked when it was first proposed).
   * Absent when a block is checked without a clock (tests, replay).
   */
  clock?: { now: number, fresh: boolean }
}

export { blockTimeBounds } from './block-time.js'

/** Why a proposed block is invalid: one code per rule (metric labels), the reason says more. */
export type BlockCheckCode =
  | 'no_header' | 'wrong_height' | 'wrong_parent' | 'builder_not_validator' | 'time_backwards' | 'empty'
  | 'admission_member' | 'admission_no_join' | 'too_many_admissions' | 'last_commit' | 'evidence' | 'too_many_records' | 'records_root' | 'duplicate_record'
  | 'missing_message' | 'no_query' | 'anchor_unavailable' | 'record_mismatch' | 'submitter_quota' | 'state_root' | 'error'
  | 'time_future' | 'time_stale' | 'queries_root' | 'too_many_queries' | 'query_inadmissible' | 'not_ordered'
  | 'too_many_round_messages' | 'round_messages_root' | 'round_message' | 'round_open'

/** `queryIdHex`: the record the rule failed on, when one did. */
export type BlockCheck = { valid: true } | { valid: false, code: BlockCheckCode, reason: string, queryIdHex?: string }

const invalid = (code: BlockCheckCode, reason: string, queryIdHex?: string): BlockCheck => ({ valid: false, code, reason, ...(queryIdHex === undefined ? {} : { queryIdHex }) })

/**
 * valid(v) of Tendermint for a proposed block (DESIGN §4.6): it extends our chain, was built by a
 * validator, its time is timely (when a clock is given), every query it orders may be ordered
 * (DESIGN §8.2, 8.5), every round message it orders still counts in its round on the chain as of
 * the block's time and every record is exactly what its round gives once done on the chain —
 * replayed here from the ordered messages (DESIGN §8.6) — every admission rests on a Join signed
 * by the admitted node, and the header commits to the resulting state. Pure: the node fetches
 * the messages `messagesNeeded` lists first.
 */
export function checkProposedBlock (block: Block, ctx: BlockCheckContext): BlockCheck {
  const h = block.header
  if (h === undefined) return invalid('no_header', 'no header')
  if (h.height !== ctx.state.height + 1) return invalid('wrong_height', `height ${h.height}, expected ${ctx.state.height + 1}`)
  if (!equalBytes(h.prevHash, ctx.state.lastBlockHash)) return invalid('wrong_parent', 'does not extend our last block')
  // The builder, not necessarily this round's proposer: Tendermint re-proposes a block built earlier.
  if (!ctx.validators.has(nodeIdFromBytes(h.proposer))) return invalid('builder_not_validator', 'built by a node that is not a validator')
  if (h.time < ctx.state.lastBlockTime) return invalid('time_backwards', 'block time goes backwards')
  if (ctx.clock !== undefined) {
    if (h.time > ctx.clock.now + blockTimeBounds.precisionMs) return invalid('time_future', `block time is ${h.time - ctx.clock.now} ms ahead of this validator's clock`)
    if (ctx.clock.fresh && h.time < ctx.clock.now - blockTimeBounds.precisionMs - blockTimeBounds.messageDelayMs) return invalid('time_stale', `block time is ${ctx.clock.now - h.time} ms behind this validator's clock`)
  }
  if (block.records.length === 0 && block.admissions.length === 0 && block.queries.length === 0 && block.roundMessages.length === 0) return invalid('empty', 'empty block')
  // [DESIGN §8.11] admissions per block are bounded, each rests on a fresh Join by the admitted node
  if (block.admissions.length > admissionParamsOf(ctx.params).perBlock) return invalid('too_many_admissions', `more than ${admissionParamsOf(ctx.params).perBlock} admissions`)
  const admitted = new Set<string>()
  for (const a of block.admissions) {
    const node = nodeIdFromBytes(a.node)
    if (admitted.has(node)) return invalid('admission_member', `${node} is admitted twice`)
    admitted.add(node)
    const join = ctx.messages.get(toHex(a.joinMessageId))
    if (join?.payload.join === undefined || join.signerId !== node) return invalid('admission_no_join', `no Join signed by ${node}`)
    const fault = joinFault(ctx.state, join, h.time, ctx.params)
    if (fault !== undefined) return invalid('admission_member', `cannot admit ${node}: ${fault}`)
  }
  // [DESIGN §8.2, 8.5] the queries it orders: members only, each once, within the submitter's quota per block and per epoch
  if (block.queries.length > ctx.params.bft.maxRecordsPerBlock) return invalid('too_many_queries', 'too many queries')
  if (!equalBytes(h.queriesRoot, queriesRoot(block.queries))) return invalid('queries_root', 'queries root mismatch')
  const inBlock = new Map<string, number>()
  const orderedHere = new Set<string>()
  for (const q of block.queries) {
    const qid = toHex(q.messageId)
    const submitter = nodeIdFromBytes(q.submitter)
    const msg = ctx.messages.get(qid)
    if (msg?.payload.query === undefined || msg.signerId !== submitter) return invalid('missing_message', `no query ${qid.slice(0, 12)} signed by ${submitter}`)
    const why = orderedHere.has(qid) ? 'ordered twice in the block' : queryInadmissible(ctx.state, { idHex: qid, signerId: submitter, anchorHeight: msg.payload.query.anchorHeight }, ctx.params, inBlock)?.reason
    if (why !== undefined) return invalid('query_inadmissible', `query ${qid.slice(0, 12)} may not be ordered: ${why}`)
    orderedHere.add(qid)
    inBlock.set(submitter, (inBlock.get(submitter) ?? 0) + 1)
  }
  // [DESIGN §8.8, §8.9] the parent's commit and double-vote evidence
  const accountability = checkAccountability(block, { height: ctx.state.height, lastBlockHash: ctx.state.lastBlockHash, jailing: ctx.state.jailing, members: ctx.state.reputations, params: ctx.params.jailing, messages: ctx.messages })
  if (accountability !== undefined) return invalid(accountability.code, accountability.reason)
  // [DESIGN §8.6] the round messages it orders: each counts as of this block's time, in its round on the chain
  if (block.roundMessages.length > roundMessagesPerBlock(ctx.params)) return invalid('too_many_round_messages', `more than ${roundMessagesPerBlock(ctx.params)} round messages`)
  if (!equalBytes(h.roundMessagesRoot, roundMessagesRoot(block.roundMessages))) return invalid('round_messages_root', 'round messages root mismatch')
  const rounds = new Map<string, RoundState>()
  const orderedHereIds = new Set<string>()
  const roundOf = (qid: string): RoundState | BlockCheck => {
    const known = rounds.get(qid)
    if (known !== undefined) return known
    const chained = chainRoundAt(ctx, qid, h.time)
    if ('valid' in chained) return chained
    rounds.set(qid, chained)
    return chained
  }
  for (const m of block.roundMessages) {
    const qid = toHex(m.queryId)
    const id = toHex(m.messageId)
    const round = roundOf(qid)
    if ('valid' in round) return round
    if (orderedHereIds.has(id) || ctx.state.ordered.get(qid)!.messages.some(o => o.id === id)) return invalid('round_message', `round message ${id.slice(0, 12)} is ordered already`, qid)
    orderedHereIds.add(id)
    const msg = ctx.messages.get(id)
    if (msg === undefined) return invalid('missing_message', `round message ${id.slice(0, 12)} is missing`)
    const why = admitToChainRound(round, msg, h.time)
    if (why !== undefined) return invalid('round_message', `round message ${id.slice(0, 12)} of query ${qid.slice(0, 12)} may not be ordered: ${why}`, qid)
  }
  // [DESIGN §8.6] a record is what its round on the chain gives once done there, nothing else
  if (block.records.length > ctx.params.bft.maxRecordsPerBlock) return invalid('too_many_records', 'too many records')
  if (!equalBytes(h.recordsRoot, recordsRoot(block.records))) return invalid('records_root', 'records root mismatch')
  const seen = new Set<string>()
  const bySubmitter = new Map<string, number>()
  for (const record of block.records) {
    const qid = toHex(record.queryId)
    const ordered = ctx.state.ordered.get(qid)
    if (seen.has(qid) || ordered?.final === true || ctx.isFinalized(qid)) return invalid('duplicate_record', `query ${qid.slice(0, 12)} already has a record`, qid)
    // [DESIGN §8.2] a round exists only once a block ordered its query
    if (ordered === undefined) return invalid('not_ordered', `query ${qid.slice(0, 12)} was not ordered by an earlier block`, qid)
    seen.add(qid)
    // [DESIGN §8.5] each submitter's records per block are bounded
    const submitter = ordered.submitter
    const perSubmitter = (bySubmitter.get(submitter) ?? 0) + 1
    bySubmitter.set(submitter, perSubmitter)
    if (perSubmitter > ctx.params.submission.perBlock) return invalid('submitter_quota', `more than ${ctx.params.submission.perBlock} records of queries by ${submitter}`, qid)
    const round = roundOf(qid)
    if ('valid' in round) return round
    const outcome = chainRoundOutcome(round, h.time)
    if (outcome === undefined) return invalid('round_open', `the round of query ${qid.slice(0, 12)} is still open on the chain (phase ${round.phase})`, qid)
    if (!equalBytes(encodeRoundRecord(outcome.record), encodeRoundRecord(record))) return invalid('record_mismatch', `record ${qid.slice(0, 12)} differs from its round on the chain`, qid)
  }
  if (!equalBytes(h.stateRoot, stateRoot(applyBlock(ctx.state, block, ctx.params)))) return invalid('state_root', 'state root mismatch')
  return { valid: true }
}

/** The most round messages one block may order: every member's commit and reveal of a block's worth of rounds. */
export function roundMessagesPerBlock (params: ProtocolParams): number {
  return Math.min(4096, 2 * params.bft.maxRecordsPerBlock * (params.answerers + params.rankers))
}

/**
 * The round of an ordered, open query as the chain has it before a block at `time`: its ordered
 * messages replayed at their blocks' times (protocol/chain-round.ts), its clock moved to `time`.
 */
function chainRoundAt (ctx: BlockCheckContext, qid: string, time: number): RoundState | BlockCheck {
  const entry = ctx.state.ordered.get(qid)
  if (entry === undefined) return invalid('not_ordered', `query ${qid.slice(0, 12)} was not ordered by an earlier block`, qid)
  if (entry.final || ctx.isFinalized(qid)) return invalid('duplicate_record', `query ${qid.slice(0, 12)} already has a record`, qid)
  const seed = roundSeed(ctx.state, qid)
  const query = ctx.messages.get(qid)
  if (seed === undefined || query?.payload.query === undefined) return invalid('missing_message', `the query ${qid.slice(0, 12)} is missing`)
  const table = ctx.tableAt(entry.height)
  if (table === undefined) return invalid('anchor_unavailable', `the ledger at height ${entry.height}, where the query was ordered, is unavailable`, qid)
  const ordered: OrderedRoundMessage[] = []
  for (const o of entry.messages) {
    const message = ctx.messages.get(o.id)
    if (message === undefined) return invalid('missing_message', `round message ${o.id.slice(0, 12)} ordered earlier is missing`)
    ordered.push({ message, time: o.time })
  }
  const round = replayChainRound({ query, start: { seed, time: entry.time }, table, params: ctx.params }, ordered)
  tickChainRound(round, time)
  return round
}

/**
 * The ids of every message checking `block` on top of `state` needs (what the shell fetches
 * first): the queries, Joins and round messages it names, and for each round it touches the
 * query and the round messages ordered before.
 */
export function messagesNeeded (block: Block, state: LedgerState): string[] {
  const ids = new Set<string>()
  const rounds = new Set<string>()
  for (const q of block.queries) ids.add(toHex(q.messageId))
  for (const a of block.admissions) ids.add(toHex(a.joinMessageId))
  for (const m of block.roundMessages) {
    ids.add(toHex(m.messageId))
    rounds.add(toHex(m.queryId))
  }
  for (const r of block.records) rounds.add(toHex(r.queryId))
  for (const qid of rounds) {
    ids.add(qid)
    for (const o of state.ordered.get(qid)?.messages ?? []) ids.add(o.id)
  }
  return [...ids]
}
