import { compareBytes, fromHex, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import type { BftParams, Genesis, ProtocolParams } from './genesis.js'
import { nodeIdBytes, nodeIdFromBytes } from './record.js'
import { genesisValidator, newcomer, PPM, votingPower } from './reputation.js'
import type { ReputationEntry, ReputationParams } from './reputation.js'
import { encodeBlockHeader, encodeRoundRecord } from './wire/codec.js'
import type { SignedMessage } from './wire/envelope.js'
import type { Admission, Block, BlockHeader, RoundRecord } from './wire/messages.js'

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
}

/** Admissions a proposer puts in one block: bounds what a flood of fresh identities costs a block. */
export const MAX_ADMISSIONS_PER_BLOCK = 16

/**
 * How many past heights every node keeps the ledger of, as anchors for rounds (a query names the
 * height whose reputations decide its committees). A record anchored further back cannot be
 * checked by everyone, so it can never be final.
 */
export const ANCHOR_WINDOW = 256

export function genesisState (genesis: Genesis): LedgerState {
  const reputations = new Map(genesis.validators.map(v => [v.peerId, genesisValidator(v.reputationPpm)]))
  return {
    height: 0,
    lastBlockHash: new Uint8Array(32),
    lastBlockTime: 0,
    reputations,
    validators: new Map([...reputations].map(([id, e]) => [id, votingPower(e)] as const).filter(([, p]) => p > 0))
  }
}

/** Add one round record's reputation deltas (clamped) and count qualifying rounds. */
export function applyRecord (state: LedgerState, record: RoundRecord, params: ReputationParams): LedgerState {
  const reputations = new Map(state.reputations)
  for (const d of record.deltas) {
    const node = nodeIdFromBytes(d.node)
    const before = reputations.get(node)
    if (before === undefined) continue // only ledger members are drawn into committees
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
export function nextValidatorSet (state: LedgerState, bft: BftParams): Map<string, number> {
  const current = state.validators
  const total = [...current.values()].reduce((s, p) => s + p, 0)
  const targets = new Map<string, number>()
  for (const [id, entry] of state.reputations) targets.set(id, votingPower(entry))
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
  let room = Math.floor(total * bft.maxEntryPpm / PPM)
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

/** Apply a committed block: its records in order, then the epoch rule, height and hash. */
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
  const header = block.header!
  const height = header.height
  const validators = height % params.bft.epochBlocks === 0 ? nextValidatorSet(next, params.bft) : next.validators
  return { ...next, height, lastBlockHash: blockHash(header), lastBlockTime: header.time, validators }
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

/**
 * What a proposer puts in its block (DESIGN §4.6): the round records ready here, in query-id
 * order, up to `maxRecordsPerBlock`, and the Joins of identities not yet in the ledger, in node-id
 * order, up to MAX_ADMISSIONS_PER_BLOCK; undefined when there is nothing (no empty blocks). `ready`
 * must already leave out queries an earlier block finalized. The block time never goes below the
 * last block's (a proposer whose clock is behind would otherwise propose an invalid block).
 */
export function proposeBlock (state: LedgerState, ready: Iterable<[queryIdHex: string, record: RoundRecord]>, joins: Iterable<SignedMessage>, proposer: string, time: number, params: ProtocolParams): Block | undefined {
  const records = [...ready]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, params.bft.maxRecordsPerBlock)
    .map(([, r]) => r)
  const admissions = [...joins]
    .filter(j => !state.reputations.has(j.signerId))
    .sort((a, b) => (a.signerId < b.signerId ? -1 : 1))
    .slice(0, MAX_ADMISSIONS_PER_BLOCK)
    .map(j => ({ node: nodeIdBytes(j.signerId), joinMessageId: j.id }))
  if (records.length === 0 && admissions.length === 0) return undefined
  return buildBlock(state, records, proposer, Math.max(time, state.lastBlockTime), params, admissions)
}

/** A block on top of `state` with these records (and admissions); the header commits to the state after it. */
export function buildBlock (state: LedgerState, records: RoundRecord[], proposer: string, time: number, params: ProtocolParams, admissions: Admission[] = []): Block {
  const header: BlockHeader = {
    height: state.height + 1,
    prevHash: state.lastBlockHash,
    recordsRoot: recordsRoot(records),
    stateRoot: new Uint8Array(32),
    time: Math.max(time, state.lastBlockTime),
    proposer: utf8(proposer)
  }
  const block: Block = { header, records, admissions }
  header.stateRoot = stateRoot(applyBlock(state, block, params))
  return block
}

/**
 * sha256 over the canonical state: height, block time, then each node's entry and power in id
 * order. The last block's hash is left out on purpose: a header commits to the state root after
 * its block, so the root cannot depend on that header's own hash (the chain is linked by prevHash).
 */
export function stateRoot (state: LedgerState): Bytes {
  const parts: Uint8Array[] = [utf8('swarmrank/state/2'), uint64Bytes(state.height), uint64Bytes(state.lastBlockTime)]
  const nodes = [...state.reputations.keys()].map(utf8).sort(compareBytes)
  const decoder = new TextDecoder()
  for (const node of nodes) {
    const id = decoder.decode(node)
    const e = state.reputations.get(id)!
    parts.push(uint64Bytes(node.length), node, uint64Bytes(e.reputationPpm), uint64Bytes(e.qualifiedRounds), new Uint8Array([e.onProbation ? 1 : 0]), uint64Bytes(state.validators.get(id) ?? 0))
  }
  return sha256(...parts)
}

export const stateRootHex = (state: LedgerState): string => toHex(stateRoot(state))

/** JSON-safe form for storage and the API. */
export interface LedgerSnapshot {
  height: number
  lastBlockHash: string
  lastBlockTime: number
  reputations: Array<{ peerId: string, votingPower: number } & ReputationEntry>
}

export function toSnapshot (state: LedgerState): LedgerSnapshot {
  return {
    height: state.height,
    lastBlockHash: toHex(state.lastBlockHash),
    lastBlockTime: state.lastBlockTime,
    reputations: [...state.reputations].sort(([a], [b]) => (a < b ? -1 : 1)).map(([peerId, e]) => ({ peerId, ...e, votingPower: state.validators.get(peerId) ?? 0 }))
  }
}

export function fromSnapshot (s: LedgerSnapshot): LedgerState {
  return {
    height: s.height,
    lastBlockHash: fromHex(s.lastBlockHash),
    lastBlockTime: s.lastBlockTime,
    reputations: new Map(s.reputations.map(({ peerId, reputationPpm, qualifiedRounds, onProbation }) => [peerId, { reputationPpm, qualifiedRounds, onProbation }])),
    validators: new Map(s.reputations.filter(r => r.votingPower > 0).map(r => [r.peerId, r.votingPower]))
  }
}
