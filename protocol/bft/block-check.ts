import { drawCommittees } from '../committee.js'
import type { ProtocolParams } from '../genesis.js'
import { equalBytes, toHex } from '../hash.js'
import { applyBlock, queriesRoot, queryInadmissible, recordHash, recordsRoot, roundSeed, stateRoot } from '../ledger.js'
import type { LedgerState } from '../ledger.js'
import { computeRoundRecord, evidenceFromMessages, nodeIdFromBytes } from '../record.js'
import type { ReputationEntry } from '../reputation.js'
import { admissionParamsOf, joinFault } from '../admission.js'
import { checkAccountability } from '../jailing.js'
import { encodeRoundRecord } from '../wire/codec.js'
import type { SignedMessage } from '../wire/envelope.js'
import type { Block } from '../wire/messages.js'

export interface BlockCheckContext {
  state: LedgerState
  params: ProtocolParams
  /** the validator set of this height (the block's builder must be one of them) */
  validators: ReadonlyMap<string, number>
  /** every message the block's records and admissions name, and every envelope it embeds (jailing.ts embeddedEnvelopes), already validated, by id (hex) */
  messages: ReadonlyMap<string, SignedMessage>
  /** the reputation table at a past height (a query's anchor) */
  tableAt: (height: number) => ReadonlyMap<string, ReputationEntry> | undefined
  /** whether a query already has a record in an earlier block */
  isFinalized: (queryIdHex: string) => boolean
  /** records (by hash, hex) this node already recomputed and found equal: a re-proposal need not redo them */
  alreadyVerified?: (recordHashHex: string) => boolean
  /**
   * This validator's clock, for proposer-based timestamps (DESIGN §8.3): `fresh` is false for a
   * block re-proposed from an earlier round (its time was checked when it was first proposed).
   * Absent when a block is checked without a clock (tests, replay).
   */
  clock?: { now: number, fresh: boolean }
}

/**
 * Proposer-based timestamps, as CometBFT's PBTS: a validator prevotes for a freshly proposed block
 * only if its time is no more than PRECISION ahead of its own clock and no more than PRECISION +
 * MESSAGE_DELAY behind it. Round deadlines count in block time, so a proposer can move them by
 * at most these bounds (a deadline is 5–30 s by default).
 */
export const blockTimeBounds = { precisionMs: 1_000, messageDelayMs: 3_000 } as const

/** Why a proposed block is invalid: one code per rule (metric labels), the reason says more. */
export type BlockCheckCode =
  | 'no_header' | 'wrong_height' | 'wrong_parent' | 'builder_not_validator' | 'time_backwards' | 'empty'
  | 'admission_member' | 'admission_no_join' | 'too_many_admissions' | 'last_commit' | 'evidence' | 'too_many_records' | 'records_root' | 'duplicate_record'
  | 'missing_message' | 'no_query' | 'anchor_unavailable' | 'record_mismatch' | 'submitter_quota' | 'state_root' | 'error'
  | 'time_future' | 'time_stale' | 'queries_root' | 'too_many_queries' | 'query_inadmissible' | 'not_ordered'

/** `queryIdHex`: the record the rule failed on, when one did. */
export type BlockCheck = { valid: true } | { valid: false, code: BlockCheckCode, reason: string, queryIdHex?: string }

const invalid = (code: BlockCheckCode, reason: string, queryIdHex?: string): BlockCheck => ({ valid: false, code, reason, ...(queryIdHex === undefined ? {} : { queryIdHex }) })

/**
 * valid(v) of Tendermint for a proposed block (DESIGN §4.6): it extends our chain, was built by a
 * validator, its time is timely (when a clock is given), every query it orders may be ordered
 * (DESIGN §8.2, 8.5), every round record in it is for a query an earlier block ordered and is exactly what the messages it names produce — recomputed
 * here — every admission rests on a Join signed by the admitted node, and the header commits to
 * the resulting state. Pure: the node
 * fetches the named messages first.
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
  if (block.records.length === 0 && block.admissions.length === 0 && block.queries.length === 0) return invalid('empty', 'empty block')
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
  if (block.records.length > ctx.params.bft.maxRecordsPerBlock) return invalid('too_many_records', 'too many records')
  if (!equalBytes(h.recordsRoot, recordsRoot(block.records))) return invalid('records_root', 'records root mismatch')
  const seen = new Set<string>()
  const bySubmitter = new Map<string, number>()
  for (const record of block.records) {
    const qid = toHex(record.queryId)
    const ordered = ctx.state.ordered.get(qid)
    if (seen.has(qid) || ordered?.final === true || ctx.isFinalized(qid)) return invalid('duplicate_record', `query ${qid.slice(0, 12)} already has a record`, qid)
    // [DESIGN §8.2] a round exists only once a block ordered its query
    const seed = roundSeed(ctx.state, qid)
    if (ordered === undefined || seed === undefined) return invalid('not_ordered', `query ${qid.slice(0, 12)} was not ordered by an earlier block`, qid)
    seen.add(qid)
    // [DESIGN §8.5] each submitter's records per block are bounded
    const submitter = ctx.messages.get(qid)?.signerId
    if (submitter === undefined) return invalid('missing_message', `the query of record ${qid.slice(0, 12)} is missing`)
    const perSubmitter = (bySubmitter.get(submitter) ?? 0) + 1
    bySubmitter.set(submitter, perSubmitter)
    if (perSubmitter > ctx.params.submission.perBlock) return invalid('submitter_quota', `more than ${ctx.params.submission.perBlock} records of queries by ${submitter}`, qid)
    if (ctx.alreadyVerified?.(toHex(recordHash(record))) === true) continue
    const named = record.includedMessageIds.map(id => ctx.messages.get(toHex(id)))
    if (named.some(m => m === undefined)) return invalid('missing_message', `a message named by ${qid.slice(0, 12)} is missing`)
    const query = named.find(m => m!.idHex === qid)
    if (query?.payload.query === undefined) return invalid('no_query', `record ${qid.slice(0, 12)} does not name its query`, qid)
    const table = ctx.tableAt(ordered.height)
    if (table === undefined) return invalid('anchor_unavailable', `the ledger at height ${ordered.height}, where the query was ordered, is unavailable`, qid)
    const committees = drawCommittees(seed, table, ctx.params.answerers, ctx.params.rankers)
    const ev = evidenceFromMessages(query, named as SignedMessage[], committees)
    const recomputed = computeRoundRecord(ev, table, ctx.params).record
    if (!equalBytes(encodeRoundRecord(recomputed), encodeRoundRecord(record))) return invalid('record_mismatch', `record ${qid.slice(0, 12)} differs from its recomputation`, qid)
  }
  if (!equalBytes(h.stateRoot, stateRoot(applyBlock(ctx.state, block, ctx.params)))) return invalid('state_root', 'state root mismatch')
  return { valid: true }
}
