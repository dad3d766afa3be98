import { drawCommittees } from '../committee.js'
import type { ProtocolParams } from '../genesis.js'
import { equalBytes, toHex } from '../hash.js'
import { applyBlock, recordHash, recordsRoot, stateRoot } from '../ledger.js'
import type { LedgerState } from '../ledger.js'
import { computeRoundRecord, evidenceFromMessages, nodeIdFromBytes } from '../record.js'
import type { ReputationEntry } from '../reputation.js'
import { encodeRoundRecord } from '../wire/codec.js'
import type { SignedMessage } from '../wire/envelope.js'
import type { Block } from '../wire/messages.js'

export interface BlockCheckContext {
  state: LedgerState
  params: ProtocolParams
  /** the validator set of this height (the block's builder must be one of them) */
  validators: ReadonlyMap<string, number>
  /** every message the block's records name, already validated, by id (hex) */
  messages: ReadonlyMap<string, SignedMessage>
  /** the reputation table at a past height (a query's anchor) */
  tableAt: (height: number) => ReadonlyMap<string, ReputationEntry> | undefined
  /** whether a query already has a record in an earlier block */
  isFinalized: (queryIdHex: string) => boolean
  /** records (by hash, hex) this node already recomputed and found equal: a re-proposal need not redo them */
  alreadyVerified?: (recordHashHex: string) => boolean
}

/** Why a proposed block is invalid: one code per rule (metric labels), the reason says more. */
export type BlockCheckCode =
  | 'no_header' | 'wrong_height' | 'wrong_parent' | 'builder_not_validator' | 'time_backwards' | 'empty'
  | 'admission_member' | 'admission_no_join' | 'too_many_records' | 'records_root' | 'duplicate_record'
  | 'missing_message' | 'no_query' | 'anchor_unavailable' | 'record_mismatch' | 'submitter_quota' | 'state_root' | 'error'

/** `queryIdHex`: the record the rule failed on, when one did. */
export type BlockCheck = { valid: true } | { valid: false, code: BlockCheckCode, reason: string, queryIdHex?: string }

const invalid = (code: BlockCheckCode, reason: string, queryIdHex?: string): BlockCheck => ({ valid: false, code, reason, ...(queryIdHex === undefined ? {} : { queryIdHex }) })

/**
 * valid(v) of Tendermint for a proposed block (DESIGN §4.6): it extends our chain, was built by a
 * validator, every round record in it is exactly what the messages it names produce — recomputed
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
  if (block.records.length === 0 && block.admissions.length === 0) return invalid('empty', 'empty block')
  const admitted = new Set<string>()
  for (const a of block.admissions) {
    const node = nodeIdFromBytes(a.node)
    if (admitted.has(node) || ctx.state.reputations.has(node)) return invalid('admission_member', `${node} is already in the ledger`)
    admitted.add(node)
    const join = ctx.messages.get(toHex(a.joinMessageId))
    if (join?.payload.join === undefined || join.signerId !== node) return invalid('admission_no_join', `no Join signed by ${node}`)
  }
  if (block.records.length > ctx.params.bft.maxRecordsPerBlock) return invalid('too_many_records', 'too many records')
  if (!equalBytes(h.recordsRoot, recordsRoot(block.records))) return invalid('records_root', 'records root mismatch')
  const seen = new Set<string>()
  const bySubmitter = new Map<string, number>()
  for (const record of block.records) {
    const qid = toHex(record.queryId)
    if (seen.has(qid) || ctx.isFinalized(qid)) return invalid('duplicate_record', `query ${qid.slice(0, 12)} already has a record`, qid)
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
    const table = ctx.tableAt(query.payload.query.anchorHeight)
    if (table === undefined) return invalid('anchor_unavailable', `anchor height ${query.payload.query.anchorHeight} unavailable`, qid)
    const committees = drawCommittees(query.id, table, ctx.params.answerers, ctx.params.rankers)
    const ev = evidenceFromMessages(query, named as SignedMessage[], committees)
    const recomputed = computeRoundRecord(ev, table, ctx.params).record
    if (!equalBytes(encodeRoundRecord(recomputed), encodeRoundRecord(record))) return invalid('record_mismatch', `record ${qid.slice(0, 12)} differs from its recomputation`, qid)
  }
  if (!equalBytes(h.stateRoot, stateRoot(applyBlock(ctx.state, block, ctx.params)))) return invalid('state_root', 'state root mismatch')
  return { valid: true }
}
