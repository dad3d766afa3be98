import { compareBytes, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import type { Genesis } from './genesis.js'
import { nodeIdFromBytes } from './record.js'
import { genesisValidator, PPM } from './reputation.js'
import type { ReputationEntry, ReputationParams } from './reputation.js'
import { encodeRoundRecord } from './wire/codec.js'
import type { RoundRecord } from './wire/messages.js'

/**
 * The reputation ledger's state (DESIGN §4.6): reputations and probation counters, the height
 * (records applied so far) and a hash chain over the applied records. Until BFT finality lands,
 * every node applies the records it computes itself, in the order they finish.
 */
export interface LedgerState {
  height: number
  /** sha256 chain over applied record bytes; 32 zero bytes at genesis */
  lastRecordHash: Bytes
  reputations: Map<string, ReputationEntry>
}

export function genesisState (genesis: Genesis): LedgerState {
  return {
    height: 0,
    lastRecordHash: new Uint8Array(32),
    reputations: new Map(genesis.validators.map(v => [v.peerId, genesisValidator(v.reputationPpm)]))
  }
}

/** Apply a finalized round record: add its deltas (clamped), count qualifying rounds, advance the height. */
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
  return {
    height: state.height + 1,
    lastRecordHash: sha256(state.lastRecordHash, encodeRoundRecord(record)),
    reputations
  }
}

/** sha256 over the canonical state: height, record chain, then each node's entry in id order. */
export function stateRoot (state: LedgerState): Bytes {
  const parts: Uint8Array[] = [utf8('swarmrank/state/1'), uint64Bytes(state.height), state.lastRecordHash]
  const nodes = [...state.reputations.keys()].map(utf8).sort(compareBytes)
  for (const node of nodes) {
    const e = state.reputations.get(new TextDecoder().decode(node))!
    parts.push(uint64Bytes(node.length), node, uint64Bytes(e.reputationPpm), uint64Bytes(e.qualifiedRounds), new Uint8Array([e.onProbation ? 1 : 0]))
  }
  return sha256(...parts)
}

export const stateRootHex = (state: LedgerState): string => toHex(stateRoot(state))

/** JSON-safe form for storage and the API. */
export interface LedgerSnapshot {
  height: number
  lastRecordHash: string
  reputations: Array<{ peerId: string } & ReputationEntry>
}

export function toSnapshot (state: LedgerState): LedgerSnapshot {
  return {
    height: state.height,
    lastRecordHash: toHex(state.lastRecordHash),
    reputations: [...state.reputations].sort(([a], [b]) => (a < b ? -1 : 1)).map(([peerId, e]) => ({ peerId, ...e }))
  }
}

export function fromSnapshot (s: LedgerSnapshot): LedgerState {
  const hash = new Uint8Array(32)
  for (let i = 0; i < 32; i++) hash[i] = parseInt(s.lastRecordHash.slice(2 * i, 2 * i + 2), 16)
  return {
    height: s.height,
    lastRecordHash: hash,
    reputations: new Map(s.reputations.map(({ peerId, reputationPpm, qualifiedRounds, onProbation }) => [peerId, { reputationPpm, qualifiedRounds, onProbation }]))
  }
}
