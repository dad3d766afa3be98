import { verifyCertificate } from '../protocol/bft/certificate.js'
import { buildLightProof, lightLedgerOf } from '../protocol/bft/light-client.js'
import type { LightLedger, LightProofResult } from '../protocol/bft/light-client.js'
import type { Genesis, ProtocolParams } from '../protocol/genesis.js'
import { equalBytes, toHex } from '../protocol/hash.js'
import { applyBlock, blockHash, fromSnapshot, genesisState, membersOf, recordsRoot, reputationsOf, stateRoot, stateRootHex, toSnapshot, validatorsOf } from '../protocol/ledger.js'
import type { LedgerSnapshot, LedgerState } from '../protocol/ledger.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import type { Block, CommitCertificate } from '../protocol/wire/messages.js'
import type { Logger } from './logger.js'
import type { QueryViews } from './query-views.js'
import { LEDGER_HISTORY } from './store.js'
import type { LedgerTable, NodeStore, QueryView } from './store.js'

export interface ChainComponents {
  store: NodeStore
  genesis: Genesis
  networkId: Uint8Array
  views: QueryViews
  logger: Logger
}

/** Final query ids remembered in memory. */
const MAX_RECENT_FINAL = 50_000

/** A block this node stored and adopted, with the ledger after it and the final views it wrote. */
export interface ImportedBlock {
  block: Block
  certificate: CommitCertificate
  hash: string
  state: LedgerState
  views: QueryView[]
  /** decided here by consensus, or fetched by block sync */
  origin: 'decided' | 'synced'
}

/** Why a block was not imported. */
export type ImportRefusal =
  | { code: 'not_next', reason: string }
  | { code: 'wrong_parent', reason: string }
  | { code: 'bad_certificate', reason: string }
  | { code: 'records_root', reason: string }
  | { code: 'state_root', reason: string }

export type ImportResult = { imported: true, block: ImportedBlock } | ({ imported: false } & ImportRefusal)

/**
 * The owner of the node's blocks and ledger (DESIGN §4.6): the one place a block is imported —
 * checked (a synced block against its certificate), applied once (preview), stored with
 * everything it changes in one synced batch, adopted, and announced — and the one place that
 * says whether a query is final (committed in a block). Imports run one at a time.
 */
export class Chain {
  private readonly c: ChainComponents
  private state: LedgerState
  private readonly history = new Map<number, ReadonlyMap<string, ReputationEntry>>()
  private readonly listeners: Array<(imported: ImportedBlock) => void> = []
  /** Queries made final by blocks imported since start, newest last (bounded): most "is it final" questions are about recent queries. */
  private readonly recentFinal = new Set<string>()
  private queue: Promise<unknown> = Promise.resolve()
  /** the ledger last rebuilt for a light proof: the next request for a later height replays on from it */
  private lightReplay?: LedgerState
  /** the root of `state`, computed once per state (stateRoot) */
  private root?: { state: LedgerState, hex: string }

  private constructor (components: ChainComponents, state: LedgerState) {
    this.c = components
    this.state = state
    this.history.set(state.height, state.reputations)
  }

  /** Load the ledger from the store, writing the genesis state on first start. */
  static async open (components: ChainComponents): Promise<Chain> {
    const saved = await components.store.getLedger()
    if (saved !== undefined) return new Chain(components, await headLedger(components.store, components.genesis, fromSnapshot(saved)))
    const state = genesisState(components.genesis)
    await components.store.initLedger(toSnapshot(state))
    return new Chain(components, state)
  }

  get height (): number {
    return this.state.height
  }

  get current (): LedgerState {
    return this.state
  }

  /** The current state root (hex); kept per state, as the API's status asks for it on every poll. */
  stateRoot (): string {
    if (this.root?.state !== this.state) this.root = { state: this.state, hex: stateRootHex(this.state) }
    return this.root.hex
  }

  snapshot (): LedgerSnapshot {
    return toSnapshot(this.state)
  }

  /** Called after every import, in order. */
  onImport (listener: (imported: ImportedBlock) => void): void {
    this.listeners.push(listener)
  }

  /**
   * Whether a block holds the query's record: from memory for queries final since start, else
   * from the store. (Under load a store read per record waited behind the busy event loop, and
   * block checks that awaited one per record overran the propose timeout.)
   */
  async isFinal (queryIdHex: string): Promise<boolean> {
    return this.recentFinal.has(queryIdHex) || await this.c.store.isFinalized(queryIdHex)
  }

  /** The reputation table at `height` if it is in memory (the last LEDGER_HISTORY heights seen, or loaded). */
  tableInMemory (height: number): ReadonlyMap<string, ReputationEntry> | undefined {
    return this.history.get(height)
  }

  /** The reputation table at `height`, from memory or the store (then kept in memory); undefined if pruned or in the future. */
  async loadTable (height: number): Promise<ReadonlyMap<string, ReputationEntry> | undefined> {
    const cached = this.history.get(height)
    if (cached !== undefined || height > this.state.height || height < this.state.height - LEDGER_HISTORY) return cached
    const saved = await this.c.store.getLedgerTable(height)
    if (saved === undefined) return undefined
    const table = reputationsOf(saved.reputations)
    this.history.set(height, table)
    return table
  }

  /** The commit certificate stored with block `height`, if this node holds it. */
  async certificateOf (height: number): Promise<CommitCertificate | undefined> {
    return (await this.c.store.getCertifiedBlock(height))?.certificate
  }

  /** The validator set that certifies block `height` (the state after height − 1), if still known. */
  async validatorsFor (height: number): Promise<Map<string, number> | undefined> {
    if (height === this.state.height + 1) return new Map(this.state.validators)
    const saved = await this.c.store.getLedgerTable(height - 1)
    return saved === undefined ? undefined : validatorsOf(saved.reputations)
  }

  /**
   * One page of what a light client needs to move its trust from block `from` to block `to`
   * (GET /v1/light, protocol/bft/light-client.ts): the certified epoch-boundary blocks between
   * them with the light ledger after each (lightStep).
   */
  async lightProof (from: number, to: number): Promise<LightProofResult> {
    return buildLightProof(from, to, {
      networkId: this.c.networkId,
      epochBlocks: this.c.genesis.params.bft.epochBlocks,
      head: this.state.height,
      step: async height => {
        const found = await this.lightStep(height)
        return found === undefined ? undefined : { certificate: found.certificate, light: JSON.parse(new TextDecoder().decode(found.lightJson)) as LightLedger }
      }
    })
  }

  /**
   * Epoch boundary `height`'s commit certificate and the JSON light ledger after it (its
   * validator set and the rest's root: a light proof's or a state sync's step), if this node can
   * give them: kept since the block was committed (or state sync verified it), or computed from
   * the ledger after it — stored, or rebuilt by replaying the stored blocks from the genesis or
   * from the last one rebuilt — and kept from then on.
   */
  async lightStep (height: number): Promise<{ certificate: CommitCertificate, lightJson: Uint8Array } | undefined> {
    if (height > this.state.height) return undefined
    const kept = await this.c.store.getLightStep(height)
    if (kept !== undefined) return kept
    const certificate = (await this.c.store.getCertifiedBlock(height))?.certificate
    if (certificate === undefined) return undefined
    const stored = await this.c.store.getLedgerAt(height)
    const state = stored !== undefined ? fromSnapshot(stored) : await this.replayLedger(height)
    if (state === undefined) return undefined
    const lightJson = new TextEncoder().encode(JSON.stringify(lightLedgerOf(state)))
    await this.c.store.putLightStep(height, certificate, lightJson)
    return { certificate, lightJson }
  }

  /**
   * Block `height`'s commit certificate and the JSON ledger after it, if this node can give them
   * (a state sync's snapshot): from the stored block and ledger, or the ledger rebuilt by
   * replaying stored blocks. Read-only.
   */
  async certifiedLedger (height: number): Promise<{ certificate: CommitCertificate, ledgerJson: Uint8Array } | undefined> {
    if (height > this.state.height) return undefined
    const certificate = (await this.c.store.getCertifiedBlock(height))?.certificate ?? (await this.c.store.getLightStep(height))?.certificate
    if (certificate === undefined) return undefined
    const stored = await this.c.store.getLedgerAtBytes(height)
    if (stored !== undefined) return { certificate, ledgerJson: stored }
    const replayed = await this.replayLedger(height)
    return replayed === undefined ? undefined : { certificate, ledgerJson: new TextEncoder().encode(JSON.stringify(toSnapshot(replayed))) }
  }

  /**
   * The ledger after `height` rebuilt by applying stored blocks to the closest ledger below it
   * this node has: the last one rebuilt, the whole ledger kept a few heights below it (for the
   * anchor window, wholeLedgerEvery), or the genesis.
   */
  private async replayLedger (height: number): Promise<LedgerState | undefined> {
    const from = this.lightReplay
    const below = height - (height % wholeLedgerEvery(this.c.genesis.params))
    const kept = from === undefined || from.height > height || from.height < below ? await this.c.store.getLedgerAt(below) : undefined
    let state = kept !== undefined ? fromSnapshot(kept) : from !== undefined && from.height <= height ? from : genesisState(this.c.genesis)
    while (state.height < height) {
      const next = await this.c.store.getCertifiedBlock(state.height + 1)
      if (next?.block === undefined) return undefined
      state = applyBlock(state, next.block, this.c.genesis.params)
    }
    this.lightReplay = state
    return state
  }

  /** A block decided here: its certificate was built from precommits this node verified. */
  async importDecided (block: Block, certificate: CommitCertificate): Promise<ImportResult> {
    return this.enqueue(async () => this.importNow(block, certificate, 'decided'))
  }

  /** A block from a peer: checked against its certificate and our chain before anything is stored. */
  async importSynced (block: Block, certificate: CommitCertificate): Promise<ImportResult> {
    return this.enqueue(async () => this.importNow(block, certificate, 'synced'))
  }

  private async enqueue (work: () => Promise<ImportResult>): Promise<ImportResult> {
    const result = this.queue.then(work, work)
    this.queue = result.catch(() => {})
    return result
  }

  private async importNow (block: Block, certificate: CommitCertificate, origin: 'decided' | 'synced'): Promise<ImportResult> {
    const h = block.header!
    if (h.height !== this.state.height + 1) return { imported: false, code: 'not_next', reason: `height ${h.height}, expected ${this.state.height + 1}` }
    if (!equalBytes(h.prevHash, this.state.lastBlockHash)) return { imported: false, code: 'wrong_parent', reason: 'does not extend our chain' }
    if (origin === 'synced') {
      if (!equalBytes(blockHash(h), blockHash(certificate.header!))) return { imported: false, code: 'bad_certificate', reason: 'certificate is for another block' }
      const cert = await verifyCertificate(certificate, this.state.validators, this.c.networkId)
      if (!cert.valid) return { imported: false, code: 'bad_certificate', reason: `bad certificate: ${cert.reason}` }
      if (!equalBytes(h.recordsRoot, recordsRoot(block.records))) return { imported: false, code: 'records_root', reason: 'records root mismatch' }
    }
    const next = applyBlock(this.state, block, this.c.genesis.params)
    if (origin === 'synced' && !equalBytes(h.stateRoot, stateRoot(next))) return { imported: false, code: 'state_root', reason: 'state root mismatch' }
    const hash = toHex(blockHash(h))
    const views = await this.c.views.finalViews(block, hash, certificate)
    // an epoch boundary's light step, kept now so light proofs and state sync never rebuild it
    await this.c.store.commitBlock({ block, certificate }, views, ledgerToCommit(next, this.c.genesis.params))
    this.state = next
    for (const r of block.records) this.recentFinal.add(toHex(r.queryId))
    if (this.recentFinal.size > MAX_RECENT_FINAL) {
      for (const q of this.recentFinal) {
        this.recentFinal.delete(q)
        if (this.recentFinal.size <= MAX_RECENT_FINAL / 2) break
      }
    }
    this.history.set(next.height, next.reputations)
    this.history.delete(next.height - LEDGER_HISTORY)
    for (const old of this.history.keys()) if (old < next.height - LEDGER_HISTORY) this.history.delete(old)
    const imported: ImportedBlock = { block, certificate, hash, state: next, views, origin }
    for (const listener of this.listeners) {
      try {
        listener(imported)
      } catch (err) {
        this.c.logger.error(`handling block ${h.height} failed: ${(err as Error).stack ?? String(err)}`)
      }
    }
    return { imported: true, block: imported }
  }
}

/**
 * The whole ledger is written every this many heights (and kept for the anchor window), not at
 * every one: under load it holds every query ordered in the last QUERY_TTL_BLOCKS heights, ~1.5 MB
 * of JSON at ~28 queries a block, and writing it twice a block was most of a node's disk writes
 * (docs/performance.md). Every epoch boundary is one of them unless epochs are longer than 16 blocks.
 */
export function wholeLedgerEvery (params: ProtocolParams): number {
  return Math.min(params.bft.epochBlocks, 16)
}

/** What a block's commit writes of the ledger after it (NodeStore.commitBlock). */
export function ledgerToCommit (next: LedgerState, params: ProtocolParams): { table: LedgerTable, whole?: LedgerSnapshot, lightJson?: Uint8Array } {
  return {
    table: { height: next.height, reputations: membersOf(next) },
    ...(next.height % wholeLedgerEvery(params) === 0 ? { whole: toSnapshot(next) } : {}),
    // an epoch boundary's light step, kept now so light proofs and state sync never rebuild it
    ...(next.height % params.bft.epochBlocks === 0 ? { lightJson: new TextEncoder().encode(JSON.stringify(lightLedgerOf(next))) } : {})
  }
}

/**
 * The ledger at the head: `saved`, the last whole ledger written, with the blocks stored above it
 * applied (commitBlock writes the whole ledger only every few heights; each block went to disk
 * in the same batch as its table). Each block's header must name the state it gives.
 */
export async function headLedger (store: NodeStore, genesis: Genesis, saved: LedgerState): Promise<LedgerState> {
  let state = saved
  for (;;) {
    const next = await store.getCertifiedBlock(state.height + 1)
    if (next?.block?.header === undefined) return state
    const after = applyBlock(state, next.block, genesis.params)
    if (!equalBytes(next.block.header.stateRoot, stateRoot(after))) throw new Error(`the store is damaged: block ${state.height + 1} does not give the state its header names`)
    state = after
  }
}
