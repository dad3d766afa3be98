import type { Genesis } from '../protocol/genesis.js'
import { applyBlock, fromSnapshot, genesisState, stateRootHex, toSnapshot } from '../protocol/ledger.js'
import type { LedgerSnapshot, LedgerState } from '../protocol/ledger.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import type { Block } from '../protocol/wire/messages.js'
import { LEDGER_HISTORY } from './store.js'
import type { NodeStore } from './store.js'

/**
 * Holds the node's ledger state and the recent past (rounds are anchored at the height their
 * query names, so committees and weights come from the same state on every node).
 */
export class LedgerKeeper {
  private state: LedgerState
  private readonly history = new Map<number, ReadonlyMap<string, ReputationEntry>>()
  private readonly store: NodeStore
  private readonly genesis: Genesis

  private constructor (store: NodeStore, genesis: Genesis, state: LedgerState) {
    this.store = store
    this.genesis = genesis
    this.state = state
    this.history.set(state.height, state.reputations)
  }

  /** Load the ledger from the store, writing the genesis state on first start. */
  static async open (store: NodeStore, genesis: Genesis): Promise<LedgerKeeper> {
    const saved = await store.getLedger()
    if (saved !== undefined) return new LedgerKeeper(store, genesis, fromSnapshot(saved))
    const state = genesisState(genesis)
    await store.initLedger(toSnapshot(state))
    return new LedgerKeeper(store, genesis, state)
  }

  get height (): number {
    return this.state.height
  }

  get current (): LedgerState {
    return this.state
  }

  stateRoot (): string {
    return stateRootHex(this.state)
  }

  snapshot (): LedgerSnapshot {
    return toSnapshot(this.state)
  }

  /** The reputation table at `height`, from memory or the store; undefined if pruned or in the future. */
  async tableAt (height: number): Promise<ReadonlyMap<string, ReputationEntry> | undefined> {
    const cached = this.history.get(height)
    if (cached !== undefined) return cached
    if (height > this.state.height) return undefined
    const saved = await this.store.getLedgerAt(height)
    return saved === undefined ? undefined : fromSnapshot(saved).reputations
  }

  /** The validator set that certifies block `height` (the state after height − 1), if still known. */
  async validatorsFor (height: number): Promise<Map<string, number> | undefined> {
    if (height === this.state.height + 1) return new Map(this.state.validators)
    const saved = await this.store.getLedgerAt(height - 1)
    return saved === undefined ? undefined : fromSnapshot(saved).validators
  }

  /** The state a block would lead to, without applying it. */
  preview (block: Block): LedgerState {
    return applyBlock(this.state, block, this.genesis.params)
  }

  /** Adopt a state computed by preview() once it is durably stored. */
  adopt (state: LedgerState): LedgerState {
    this.state = state
    this.history.set(this.state.height, this.state.reputations)
    this.history.delete(this.state.height - LEDGER_HISTORY)
    return this.state
  }
}
