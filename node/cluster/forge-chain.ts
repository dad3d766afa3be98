import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { makeCertificate } from '../../protocol/bft/certificate.js'
import { networkIdOf } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { asBytes, toHex, uint64Bytes } from '../../protocol/hash.js'
import { applyBlock, blockHash, genesisState, proposeBlock, toSnapshot } from '../../protocol/ledger.js'
import type { LedgerState, PendingQuery } from '../../protocol/ledger.js'
import { signMessageSync } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import type { Block, BlockHeader, CommitCertificate } from '../../protocol/wire/messages.js'
import { ledgerToCommit } from '../chain.js'
import { NodeStore } from '../store.js'

/**
 * A real chain built fast, for benchmarks and tests that need thousands of blocks (state sync on
 * a long chain): every block is proposed on the ledger by the genesis validators' keys
 * (protocol/ledger.ts proposeBlock, so the per-block and per-epoch quotas hold), signed by all of
 * them as a commit certificate, applied, and committed into a node's LevelDB exactly as a node
 * commits a block it decided (NodeStore.commitBlock), with the signed Query messages the blocks
 * order stored beside them. What it skips is the rounds: no block holds a record (the queries'
 * rounds expire unanswered), and no time passes between blocks but `blockMs` on the block clock.
 */
export interface ForgeChainOptions {
  /** the data directory of the node that will hold the chain (LevelDB in DIR/db) */
  dataDir: string
  genesis: Genesis
  /** the genesis validators' keys, in any order (each signs every certificate) */
  keys: PrivateKey[]
  blocks: number
  /** queries each block orders, submitted by the validators in turn; at least 1 (no block is empty) */
  queriesPerBlock?: number
  /** the first block's time; default `blocks` × `blockMs` before now, so the last one is about now */
  startTime?: number
  blockMs?: number
  /**
   * Keep the whole ledger after every height (ledger/at/), not only after the epoch boundaries as a
   * node does: a test's snapshot source can then serve any height straight from the store
   */
  wholeLedgers?: boolean
  /** told the height every 1,000 blocks */
  progress?: (height: number) => void
}

/** One forged block: the block, its certificate, the ledger after it and the queries it orders (signed envelopes). */
export interface ForgedBlock {
  block: Block
  certificate: CommitCertificate
  state: LedgerState
  queries: SignedMessage[]
}

/** The chain's blocks one at a time, in memory (forgeChain stores them). */
export function * forgeBlocks (opts: Pick<ForgeChainOptions, 'genesis' | 'keys' | 'blocks' | 'queriesPerBlock' | 'startTime' | 'blockMs'>): Generator<ForgedBlock> {
  const { genesis, keys } = opts
  const perBlock = Math.max(1, opts.queriesPerBlock ?? 1)
  const blockMs = opts.blockMs ?? 1_000
  const startTime = opts.startTime ?? Date.now() - opts.blocks * blockMs
  const networkId = asBytes(networkIdOf(genesis))
  const keyOf = new Map(keys.map(k => [peerIdFromPrivateKey(k).toString(), k]))
  const submitters = [...keyOf.keys()].sort()
  let state = genesisState(genesis)
  let nonce = 0
  for (let h = 1; h <= opts.blocks; h++) {
    const time = startTime + h * blockMs
    const queries: SignedMessage[] = []
    for (let q = 0; q < perBlock; q++) {
      const signerId = submitters[(h * perBlock + q) % submitters.length]
      queries.push(signMessageSync(keyOf.get(signerId)!, { networkId, query: { prompt: `forged query ${nonce}`, anchorHeight: state.height, createdAt: time, nonce: uint64Bytes(nonce++) } }))
    }
    const pending: PendingQuery[] = queries.map(q => ({ idHex: q.idHex, signerId: q.signerId, anchorHeight: state.height }))
    const block = proposeBlock(state, [], [], submitters[h % submitters.length], time, genesis.params, pending)
    if (block === undefined) throw new Error(`block ${h} would be empty: the quotas refused every query (lower queriesPerBlock)`)
    const certificate = certify(block.header!, state.validators, keyOf, networkId)
    state = applyBlock(state, block, genesis.params)
    yield { block, certificate, state, queries }
  }
}

/** Forge the chain into a node's data directory; returns the ledger after the last block. */
export async function forgeChain (opts: ForgeChainOptions): Promise<LedgerState> {
  const store = new NodeStore(join(opts.dataDir, 'db'))
  await store.open()
  try {
    let state = genesisState(opts.genesis)
    await store.putMeta('networkId', toHex(networkIdOf(opts.genesis)))
    await store.initLedger(toSnapshot(state))
    for (const forged of forgeBlocks(opts)) {
      // not awaited: each goes in the block's synced batch below
      for (const q of forged.queries) void store.putMessage(q.idHex, q.bytes)
      // as node/chain.ts commits a block
      const ledger = ledgerToCommit(forged.state, opts.genesis.params)
      await store.commitBlock({ block: forged.block, certificate: forged.certificate }, [], ledger)
      if (opts.wholeLedgers === true && ledger.whole === undefined) await store.putWholeLedger(toSnapshot(forged.state))
      state = forged.state
      if (state.height % 1000 === 0) opts.progress?.(state.height)
    }
    return state
  } finally {
    await store.close()
  }
}

function certify (header: BlockHeader, validators: ReadonlyMap<string, number>, keyOf: ReadonlyMap<string, PrivateKey>, networkId: Uint8Array): CommitCertificate {
  const hash = blockHash(header)
  const precommits = [...validators.keys()].map(id => {
    const key = keyOf.get(id)
    if (key === undefined) throw new Error(`no key for validator ${id}`)
    return signMessageSync(key, { networkId: asBytes(networkId), vote: { type: VoteType.PRECOMMIT, height: header.height, round: 0, blockHash: hash } })
  })
  return makeCertificate(header, 0, precommits)
}
