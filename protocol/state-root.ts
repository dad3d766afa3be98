import { compareBytes, concatBytes, fromHex, sha256, toHex, uint64Bytes, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import { jailingRootParts } from './jailing.js'
import type { LedgerState, OrderedEntry } from './ledger.js'

/**
 * The state root, in parts (DESIGN §4.6): sha256 over the height, the last block's time, the
 * validator set's root and the root of the rest of the ledger. A light client following the
 * validator set across an epoch boundary needs only the set and the rest's root (a few hundred
 * bytes) to check a boundary header's state root, not the whole ledger (protocol/bft/light-client.ts);
 * a snapshot is checked whole. The last block's hash is left out on purpose: a header commits to
 * the state root after its block, so the root cannot depend on that header's own hash (the chain
 * is linked by prevHash).
 */
export function stateRoot (state: LedgerState): Bytes {
  return stateRootOf(state.height, state.lastBlockTime, validatorSetRoot(state.validators), stateRestRoot(state))
}

/** The state root from its parts: what a light client computes from a boundary header's height and time and the parts a peer sends. */
export function stateRootOf (height: number, lastBlockTime: number, validatorsRoot: Uint8Array, restRoot: Uint8Array): Bytes {
  return sha256(utf8('swarmrank/state/3'), uint64Bytes(height), uint64Bytes(lastBlockTime), validatorsRoot, restRoot)
}

/** sha256 over the validator set: its size, then each member's id and voting power, in id (UTF-8 byte) order. */
export function validatorSetRoot (validators: ReadonlyMap<string, number>): Bytes {
  const ids = [...validators.keys()].map(utf8).sort(compareBytes)
  const parts: Uint8Array[] = [utf8('swarmrank/state/validators/1'), uint64Bytes(ids.length)]
  const decoder = new TextDecoder()
  for (const id of ids) parts.push(uint64Bytes(id.length), id, uint64Bytes(validators.get(decoder.decode(id))!))
  return sha256(...parts)
}

/**
 * sha256 over the rest of the canonical state: each member's entry in id order, the ordered
 * queries, the epoch's quota spent, the jailing state and the per-time entry cap's clock.
 */
export function stateRestRoot (state: LedgerState): Bytes {
  const parts: Uint8Array[] = [utf8('swarmrank/state/rest/1'), uint64Bytes(state.reputations.size)]
  const nodes = [...state.reputations.keys()].map(utf8).sort(compareBytes)
  const decoder = new TextDecoder()
  for (const node of nodes) {
    const e = state.reputations.get(decoder.decode(node))!
    parts.push(uint64Bytes(node.length), node, uint64Bytes(e.reputationPpm), uint64Bytes(e.qualifiedRounds), new Uint8Array([e.onProbation ? 1 : 0]))
  }
  // The ordered queries and the epoch's quota spent: what decides which queries a block may order.
  parts.push(utf8('ordered'), uint64Bytes(state.ordered.size))
  for (const qid of [...state.ordered.keys()].sort()) parts.push(orderedEntryBytes(qid, state.ordered.get(qid)!))
  parts.push(utf8('epoch'), uint64Bytes(state.epochQueries.size))
  for (const [node, n] of [...state.epochQueries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const id = utf8(node)
    parts.push(uint64Bytes(id.length), id, uint64Bytes(n))
  }
  if (state.jailing !== undefined) parts.push(...jailingRootParts(state.jailing, uint64Bytes))
  if (state.lastEntryAt !== undefined) parts.push(utf8('entry/1'), uint64Bytes(state.lastEntryAt))
  return sha256(...parts)
}

/**
 * The bytes one ordered query adds to the rest root, kept per entry object. Under load the ledger
 * holds every query ordered in the last QUERY_TTL_BLOCKS heights (7,184 after 10,000 queries at
 * ~28 a block), and the root is taken whenever a block is proposed, checked or committed: encoding
 * every entry again took 27 ms a root (docs/performance.md, "The ledger's ordered queries").
 * A block changes a few dozen entries; applyOrdering replaces an entry that changes with a new
 * object and never edits one in place, so an entry's bytes are those of the object.
 */
const entryBytes = new WeakMap<OrderedEntry, { qid: string, bytes: Uint8Array }>()

function orderedEntryBytes (qid: string, e: OrderedEntry): Uint8Array {
  const cached = entryBytes.get(e)
  if (cached !== undefined && cached.qid === qid) return cached.bytes
  const submitter = utf8(e.submitter)
  const parts: Uint8Array[] = [fromHex(qid), uint64Bytes(e.height), uint64Bytes(e.time), uint64Bytes(submitter.length), submitter, e.blockHash ?? new Uint8Array(32), new Uint8Array([e.final ? 1 : 0])]
  parts.push(uint64Bytes(e.messages.length))
  for (const m of e.messages) parts.push(fromHex(m.id), uint64Bytes(m.time))
  const bytes = concatBytes(parts)
  entryBytes.set(e, { qid, bytes })
  return bytes
}

export const stateRootHex = (state: LedgerState): string => toHex(stateRoot(state))
