import { fromHex, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import type { BftParams, Genesis, ProtocolParams } from './genesis.js'
import { nodeIdBytes, nodeIdFromBytes, participationsOf } from './record.js'
import { applyRound, genesisValidator, newcomer, PPM, votingPower } from './reputation.js'
import type { ReputationEntry, ReputationParams } from './reputation.js'
import { encodeBlockHeader, encodeRoundRecord } from './wire/codec.js'
import type { SignedMessage } from './wire/envelope.js'
import type { Admission, Block, BlockHeader, DoubleVote, LastCommit, OrderedQuery, OrderedRoundMessage, RoundRecord } from './wire/messages.js'
import { accountBlock, emptyJailing, evidenceHash, isJailed, jailingFromSnapshot, jailingToSnapshot, lastCommitHash } from './jailing.js'
import { stateRoot } from './state-root.js'
import type { JailingSnapshot, JailingState } from './jailing.js'
import { admissibleJoins, entryRoom, powerEntered } from './admission.js'

/**
 * The replicated ledger (DESIGN §4.6): a chain of blocks, each holding the round records ready
 * since the last one. State = reputations and probation counters, the validator set (voting
 * power, changed only at epoch boundaries and with a cap on the power entering per epoch), the
 * height and the last block's hash. Every function here is pure: any node applying the same
 * blocks to the same genesis reaches the same state root.
 */
export interface LedgerState {
  height: number
  lastBlockHash: Bytes
  /** time of the last block (ms), for monotonic block times */
  lastBlockTime: number
  reputations: Map<string, ReputationEntry>
  /** voting power by node for the next block (only nodes with power > 0) */
  validators: Map<string, number>
  /**
   * Queries ordered by a block in the last QUERY_TTL_BLOCKS heights, or whose round is still
   * open (DESIGN §8.2–8.3), by query id (hex). A round's committees and deadlines come from the
   * block that ordered it; a query id is ordered once.
   */
  ordered: Map<string, OrderedEntry>
  /** queries each submitter had ordered in the current epoch (the per-epoch quota, DESIGN §8.5) */
  epochQueries: Map<string, number>
  /** who signed recent commits, who is jailed, offences punished (protocol/jailing.ts); absent on networks without params.jailing */
  jailing?: JailingState
  /** block time of the last epoch boundary that let power into the validator set (the per-time entry cap, protocol/admission.ts); absent without params.admission */
  lastEntryAt?: number
}

/** Where and when a query was ordered. */
export interface OrderedEntry {
  /** the height of the block that ordered it: its round's reputation table is the ledger after that block */
  height: number
  /** that block's time: the round's deadlines count from it */
  time: number
  submitter: string
  /**
   * The seed of the round's committees: the hash of the block that ordered it, which nobody
   * knows before that block is built (the block's own hash cannot be part of its state, so it is
   * filled in as the next block is applied; `roundSeed` reads it either way).
   */
  blockHash?: Bytes
  /** a block holds the round's record */
  final: boolean
  /**
   * The round messages blocks ordered for it, with their blocks' times, in order (DESIGN §8.6):
   * the round's record is computed from exactly these (protocol/chain-round.ts). Emptied once the
   * record is in a block.
   */
  messages: readonly OrderedMessageRef[]
}

/** A round message a block ordered: its id (hex) and that block's time. */
export interface OrderedMessageRef {
  id: string
  time: number
}

/**
 * How many past heights every node keeps the ledger of, as anchors for rounds (a query names the
 * height whose reputations decide its committees). A record anchored further back cannot be
 * checked by everyone, so it can never be final.
 */
export const ANCHOR_WINDOW = 256

/**
 * A query must be ordered within this many heights of the height it names (`anchorHeight`), and
 * ordered query ids are remembered at least this long, so a query is ordered once: a replay of
 * it is either remembered or stale.
 */
export const QUERY_TTL_BLOCKS = 256

/**
 * A round can be recorded up to this many heights after the block that ordered it (its
 * reputation table must still be in every validator's window); past it the query is dropped.
 */
export const ROUND_TTL_BLOCKS = ANCHOR_WINDOW - 16

export function genesisState (genesis: Genesis): LedgerState {
  const reputations = new Map(genesis.validators.map(v => [v.peerId, genesisValidator(v.reputationPpm)]))
  // members carried over by a recovered genesis keep their standing, without voting power
  const validatorIds = new Set(reputations.keys())
  for (const m of genesis.members ?? []) reputations.set(m.peerId, { reputationPpm: m.reputationPpm, qualifiedRounds: m.qualifiedRounds, onProbation: m.onProbation })
  return {
    height: 0,
    lastBlockHash: new Uint8Array(32),
    lastBlockTime: 0,
    reputations,
    validators: new Map([...reputations].filter(([id]) => validatorIds.has(id)).map(([id, e]) => [id, votingPower(e)] as const).filter(([, p]) => p > 0)),
    ordered: new Map(),
    epochQueries: new Map(),
    // Settled members of a recovered genesis that were not chosen as validators start jailed: they
    // get power back only by asking with a Join (they are alive), not at the first epoch boundary.
    ...(genesis.params.jailing === undefined ? {} : { jailing: { ...emptyJailing(), jailed: new Map((genesis.members ?? []).filter(m => !m.onProbation).map(m => [m.peerId, 0])) } })
  }
}

/**
 * The seed of a round's committees (DESIGN §8.2): its query id and the hash of the block that
 * ordered it. The submitter signs before that block exists, so it cannot grind its committees;
 * what remains is the bias of that block's proposer, who chooses what its block holds.
 */
export function roundSeed (state: LedgerState, queryIdHex: string): Bytes | undefined {
  const entry = state.ordered.get(queryIdHex)
  if (entry === undefined) return undefined
  const hash = entry.blockHash ?? (entry.height === state.height ? state.lastBlockHash : undefined)
  return hash === undefined ? undefined : sha256(utf8('swarmrank/round-seed/1'), hash, fromHex(queryIdHex))
}

/**
 * Why a query may not be ordered by the next block on top of `state`, or undefined if it may.
 * `waits`: only a quota is spent, so a later block (or epoch) may order it; otherwise never.
 */
export interface QueryRefusal { reason: string, waits: boolean }

export function queryInadmissible (state: LedgerState, query: { idHex: string, signerId: string, anchorHeight: number }, params: ProtocolParams, inThisBlock: ReadonlyMap<string, number> = new Map()): QueryRefusal | undefined {
  const never = (reason: string): QueryRefusal => ({ reason, waits: false })
  if (!state.reputations.has(query.signerId)) return never('the submitter is not a ledger member')
  if (state.ordered.has(query.idHex)) return never('already ordered')
  if (query.anchorHeight > state.height) return never(`it names height ${query.anchorHeight}, beyond the chain's ${state.height}`)
  if (state.height + 1 - query.anchorHeight > QUERY_TTL_BLOCKS) return never(`stale: it names height ${query.anchorHeight}, more than ${QUERY_TTL_BLOCKS} blocks back`)
  const inBlock = inThisBlock.get(query.signerId) ?? 0
  if (inBlock >= params.submission.perBlock) return { reason: `the submitter has ${params.submission.perBlock} queries in this block already`, waits: true }
  if ((state.epochQueries.get(query.signerId) ?? 0) + inBlock >= params.submission.perEpoch) return { reason: `the submitter has spent its quota of ${params.submission.perEpoch} queries this epoch`, waits: true }
  return undefined
}

/**
 * Apply one round record to the reputation table: each member's participation (what it did in
 * the round) stepped from the reputation it holds now, one after another as `applyRound` does,
 * with probation counted there too. Not the record's deltas: those are computed from the table at
 * the query's anchor, and under load a node sits in tens of rounds between its anchors and the
 * block that records them — adding their deltas applied one stale −10 % step n times over (15
 * records of one block took a node from 0.15 to 0) instead of compounding (0.9ⁿ), and every
 * validator's power swung between 0 and 1 in a few blocks. Records written before they carried
 * participations apply their deltas as they did (so an old chain replays to the same state).
 */
export function applyRecord (state: LedgerState, record: RoundRecord, params: ReputationParams): LedgerState {
  const reputations = new Map(state.reputations)
  if (record.participations.length > 0) {
    // only ledger members are drawn into committees; anyone else named is left out
    const ps = participationsOf(record).filter(p => reputations.has(p.node))
    const scoped = new Map(ps.map(p => [p.node, reputations.get(p.node)!]))
    for (const [node, entry] of applyRound(scoped, ps, params).table) reputations.set(node, entry)
    return { ...state, reputations }
  }
  for (const d of record.deltas) {
    const node = nodeIdFromBytes(d.node)
    const before = reputations.get(node)
    if (before === undefined) continue
    const reputationPpm = Math.min(PPM, Math.max(0, before.reputationPpm + d.deltaPpm))
    const qualifiedRounds = before.qualifiedRounds + (d.qualifies && before.onProbation ? 1 : 0)
    reputations.set(node, { reputationPpm, qualifiedRounds, onProbation: before.onProbation && qualifiedRounds < params.probationRounds })
  }
  return { ...state, reputations }
}

/**
 * The validator set for the next epoch: each node's voting power moves to its current value
 * (reputation, once past probation), except that all rises together — newcomers entering and
 * members growing — may add at most `maxEntryPpm` of the current total power per epoch. Falls
 * apply at once. Rises are served biggest first (then by id), each up to what is left. So no
 * group can buy a third of the power in one burst: it takes several epochs, during which its
 * members keep having to score well.
 */
export function nextValidatorSet (state: LedgerState, bft: BftParams, entryLimit?: number): Map<string, number> {
  const current = state.validators
  const total = [...current.values()].reduce((s, p) => s + p, 0)
  const targets = new Map<string, number>()
  for (const [id, entry] of state.reputations) targets.set(id, isJailed(state.jailing, id) ? 0 : votingPower(entry))
  for (const id of current.keys()) if (!targets.has(id)) targets.set(id, 0)
  const rises: Array<[string, number]> = []
  const next = new Map<string, number>()
  for (const [id, target] of [...targets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const now = current.get(id) ?? 0
    if (target <= now) {
      if (target > 0) next.set(id, target)
    } else {
      if (now > 0) next.set(id, now)
      rises.push([id, target - now])
    }
  }
  let room = entryLimit ?? Math.floor(total * bft.maxEntryPpm / PPM)
  rises.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
  for (const [id, rise] of rises) {
    if (room <= 0) break
    const granted = Math.min(rise, room)
    next.set(id, (next.get(id) ?? 0) + granted)
    room -= granted
  }
  // Never let the set empty out: keep the old one if every member fell to zero.
  return next.size > 0 ? new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1))) : new Map(current)
}

/**
 * The ordering part of a block: fill in the hash of the block that ordered the last height's
 * queries, mark rounds with a record final, add the newly ordered queries (counted against their
 * submitters' epoch quota), and forget what is past both windows.
 */
function applyOrdering (state: LedgerState, block: Block, height: number, time: number, params: ProtocolParams): Pick<LedgerState, 'ordered' | 'epochQueries'> {
  const ordered = new Map<string, OrderedEntry>()
  for (const [qid, e] of state.ordered) {
    const entry = e.blockHash === undefined && e.height === state.height ? { ...e, blockHash: state.lastBlockHash } : e
    const done = entry.final || height - entry.height > ROUND_TTL_BLOCKS
    if (done && height - entry.height > QUERY_TTL_BLOCKS) continue
    ordered.set(qid, done && !entry.final ? { ...entry, final: true, messages: [] } : entry)
  }
  // round messages join their rounds as of this block's time (block validity admits them only to open rounds)
  for (const m of block.roundMessages) {
    const qid = toHex(m.queryId)
    const e = ordered.get(qid)
    if (e !== undefined && !e.final) ordered.set(qid, { ...e, messages: [...e.messages, { id: toHex(m.messageId), time }] })
  }
  for (const r of block.records) {
    const qid = toHex(r.queryId)
    const e = ordered.get(qid)
    if (e !== undefined) ordered.set(qid, { ...e, final: true, messages: [] })
  }
  const epochQueries = new Map(state.epochQueries)
  for (const q of block.queries) {
    const submitter = nodeIdFromBytes(q.submitter)
    ordered.set(toHex(q.messageId), { height, time, submitter, final: false, messages: [] })
    epochQueries.set(submitter, (epochQueries.get(submitter) ?? 0) + 1)
  }
  return { ordered, epochQueries: height % params.bft.epochBlocks === 0 ? new Map() : epochQueries }
}

/** Apply a committed block: its records in order, its ordered queries, then the epoch rule, height and hash. */
export function applyBlock (state: LedgerState, block: Block, params: ProtocolParams): LedgerState {
  let next = state
  for (const record of block.records) next = applyRecord(next, record, params.reputation)
  // Admissions: new identities enter on probation, with no voting power until they earn it.
  if (block.admissions.length > 0) {
    const reputations = new Map(next.reputations)
    for (const a of block.admissions) {
      const node = nodeIdFromBytes(a.node)
      if (!reputations.has(node)) reputations.set(node, newcomer(params.reputation))
    }
    next = { ...next, reputations }
  }
  next = accountBlock(state, next, block, params)
  const header = block.header!
  const height = header.height
  let validators = next.validators
  // the per-time entry cap counts from the chain's first block
  if (params.admission !== undefined && next.lastEntryAt === undefined) next = { ...next, lastEntryAt: header.time }
  if (height % params.bft.epochBlocks === 0) {
    const total = [...next.validators.values()].reduce((s, p) => s + p, 0)
    validators = nextValidatorSet(next, params.bft, entryRoom(total, params.bft.maxEntryPpm, header.time, next.lastEntryAt, params))
    if (params.admission !== undefined && powerEntered(next.validators, validators)) next = { ...next, lastEntryAt: header.time }
  }
  return { ...next, ...applyOrdering(state, block, height, header.time, params), height, lastBlockHash: blockHash(header), lastBlockTime: header.time, validators }
}

export function queriesRoot (queries: readonly OrderedQuery[]): Bytes {
  return sha256(utf8('swarmrank/queries/1'), ...queries.flatMap(q => [q.messageId, uint64Bytes(q.submitter.length), q.submitter]))
}

export function roundMessagesRoot (messages: readonly OrderedRoundMessage[]): Bytes {
  return sha256(utf8('swarmrank/round-messages/1'), ...messages.flatMap(m => [m.messageId, m.queryId]))
}

export function blockHash (header: BlockHeader): Bytes {
  return sha256(utf8('swarmrank/block/1'), encodeBlockHeader(header))
}

export function recordsRoot (records: readonly RoundRecord[]): Bytes {
  return recordsRootFromHashes(records.map(recordHash))
}

export function recordHash (record: RoundRecord): Bytes {
  return sha256(encodeRoundRecord(record))
}

/** The records root from the records' hashes: what a client needs to check one record is in a block. */
export function recordsRootFromHashes (hashes: readonly Uint8Array[]): Bytes {
  return sha256(utf8('swarmrank/records/1'), ...hashes)
}

/** A query waiting to be ordered (the proposer's mempool). */
export interface PendingQuery {
  idHex: string
  signerId: string
  anchorHeight: number
}

/**
 * What a proposer puts in its block (DESIGN §4.6): the round records ready here, in query-id
 * order, up to `maxRecordsPerBlock`; the queries waiting to be ordered that may be (members
 * only, each submitter within its quota per block and per epoch, submitters in turn), up to
 * `maxRecordsPerBlock`; and the Joins that may admit (or unjail) their node, in node-id order, up
 * to the per-block cap block validity enforces (protocol/admission.ts); undefined when there is nothing (no empty blocks). `ready` must
 * already leave out queries an earlier block finalized. The block time never goes below the last
 * block's (a proposer whose clock is behind would otherwise propose an invalid block).
 */
export function proposeBlock (state: LedgerState, ready: Iterable<[queryIdHex: string, record: RoundRecord]>, joins: Iterable<SignedMessage>, proposer: string, time: number, params: ProtocolParams, pending: Iterable<PendingQuery> = [], extras: BlockExtras = {}): Block | undefined {
  const records = [...ready]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, params.bft.maxRecordsPerBlock)
    .map(([, r]) => r)
  const blockTime = Math.max(time, state.lastBlockTime)
  const admissions = admissibleJoins(state, joins, blockTime, params)
    .map(j => ({ node: nodeIdBytes(j.signerId), joinMessageId: j.id }))
  const queries = orderQueries(state, pending, params)
  if (records.length === 0 && admissions.length === 0 && queries.length === 0 && (extras.roundMessages ?? []).length === 0) return undefined
  return buildBlock(state, records, proposer, blockTime, params, admissions, queries, extras)
}

/** What a block carries besides records, admissions and queries: the round messages it orders (DESIGN §8.6), the parent's commit and double-vote evidence (protocol/jailing.ts). */
export interface BlockExtras {
  roundMessages?: OrderedRoundMessage[]
  lastCommit?: LastCommit
  evidence?: DoubleVote[]
}

/** The pending queries a block may order, submitters in turn (each one's in id order): ground low ids buy no precedence. */
function orderQueries (state: LedgerState, pending: Iterable<PendingQuery>, params: ProtocolParams): OrderedQuery[] {
  const bySubmitter = new Map<string, PendingQuery[]>()
  for (const q of pending) {
    const list = bySubmitter.get(q.signerId) ?? []
    list.push(q)
    bySubmitter.set(q.signerId, list)
  }
  const queues = [...bySubmitter].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, list]) => list.sort((x, y) => (x.idHex < y.idHex ? -1 : 1)))
  const counts = new Map<string, number>()
  const out: OrderedQuery[] = []
  const max = params.bft.maxRecordsPerBlock
  for (let i = 0; out.length < max; i++) {
    let more = false
    for (const q of queues) {
      if (i >= q.length || out.length >= max) continue
      more = true
      if (queryInadmissible(state, q[i], params, counts) !== undefined) continue
      counts.set(q[i].signerId, (counts.get(q[i].signerId) ?? 0) + 1)
      out.push({ messageId: fromHex(q[i].idHex), submitter: nodeIdBytes(q[i].signerId) })
    }
    if (!more) break
  }
  return out
}

/** A block on top of `state` with these records (and admissions, and ordered queries); the header commits to the state after it. */
export function buildBlock (state: LedgerState, records: RoundRecord[], proposer: string, time: number, params: ProtocolParams, admissions: Admission[] = [], queries: OrderedQuery[] = [], extras: BlockExtras = {}): Block {
  const evidence = extras.evidence ?? []
  const roundMessages = extras.roundMessages ?? []
  const header: BlockHeader = {
    height: state.height + 1,
    prevHash: state.lastBlockHash,
    recordsRoot: recordsRoot(records),
    stateRoot: new Uint8Array(32),
    time: Math.max(time, state.lastBlockTime),
    proposer: utf8(proposer),
    queriesRoot: queriesRoot(queries),
    roundMessagesRoot: roundMessagesRoot(roundMessages),
    lastCommitHash: lastCommitHash(extras.lastCommit),
    evidenceHash: evidenceHash(evidence)
  }
  const block: Block = { header, records, admissions, queries, roundMessages, evidence, ...(extras.lastCommit === undefined ? {} : { lastCommit: extras.lastCommit }) }
  header.stateRoot = stateRoot(applyBlock(state, block, params))
  return block
}

// The state root (what every header commits to) lives in state-root.ts; callers take it from here too.
export { stateRoot, stateRootHex, stateRootOf, stateRestRoot, validatorSetRoot } from './state-root.js'

/** JSON-safe form for storage and the API. */
export interface LedgerSnapshot {
  height: number
  lastBlockHash: string
  lastBlockTime: number
  reputations: Array<{ peerId: string, votingPower: number } & ReputationEntry>
  /** absent in snapshots written before queries were ordered by blocks */
  ordered?: Array<{ queryId: string, height: number, time: number, submitter: string, blockHash?: string, final: boolean, messages?: Array<[id: string, time: number]> }>
  epochQueries?: Array<[string, number]>
  jailing?: JailingSnapshot
  lastEntryAt?: number
}

export function toSnapshot (state: LedgerState): LedgerSnapshot {
  return {
    height: state.height,
    lastBlockHash: toHex(state.lastBlockHash),
    lastBlockTime: state.lastBlockTime,
    reputations: membersOf(state),
    ordered: [...state.ordered].sort(([a], [b]) => (a < b ? -1 : 1)).map(([queryId, e]) => ({ queryId, height: e.height, time: e.time, submitter: e.submitter, final: e.final, ...(e.blockHash === undefined ? {} : { blockHash: toHex(e.blockHash) }), ...(e.messages.length === 0 ? {} : { messages: e.messages.map(m => [m.id, m.time] as [string, number]) }) })),
    epochQueries: [...state.epochQueries].sort(([a], [b]) => (a < b ? -1 : 1)),
    ...(state.jailing === undefined ? {} : { jailing: jailingToSnapshot(state.jailing) }),
    ...(state.lastEntryAt === undefined ? {} : { lastEntryAt: state.lastEntryAt })
  }
}

export function fromSnapshot (s: LedgerSnapshot): LedgerState {
  return {
    height: s.height,
    lastBlockHash: fromHex(s.lastBlockHash),
    lastBlockTime: s.lastBlockTime,
    reputations: reputationsOf(s.reputations),
    validators: validatorsOf(s.reputations),
    ordered: new Map((s.ordered ?? []).map(o => [o.queryId, { height: o.height, time: o.time, submitter: o.submitter, final: o.final, messages: (o.messages ?? []).map(([id, time]) => ({ id, time })), ...(o.blockHash === undefined ? {} : { blockHash: fromHex(o.blockHash) }) }])),
    epochQueries: new Map(s.epochQueries ?? []),
    ...(s.jailing === undefined ? {} : { jailing: jailingFromSnapshot(s.jailing) }),
    ...(s.lastEntryAt === undefined ? {} : { lastEntryAt: s.lastEntryAt })
  }
}

/** The snapshot's members: each one's reputation and voting power, in id order. */
export function membersOf (state: LedgerState): LedgerSnapshot['reputations'] {
  return [...state.reputations].sort(([a], [b]) => (a < b ? -1 : 1)).map(([peerId, e]) => ({ peerId, ...e, votingPower: state.validators.get(peerId) ?? 0 }))
}

/** The reputation table of a snapshot's members. */
export function reputationsOf (members: LedgerSnapshot['reputations']): Map<string, ReputationEntry> {
  return new Map(members.map(({ peerId, reputationPpm, qualifiedRounds, onProbation }) => [peerId, { reputationPpm, qualifiedRounds, onProbation }]))
}

/** The validator set of a snapshot's members: those with voting power above 0. */
export function validatorsOf (members: LedgerSnapshot['reputations']): Map<string, number> {
  return new Map(members.filter(r => r.votingPower > 0).map(r => [r.peerId, r.votingPower]))
}
