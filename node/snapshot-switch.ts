import { peerIdFromString } from '@libp2p/peer-id'
import type { Genesis } from '../protocol/genesis.js'
import { networkIdOf } from '../protocol/genesis.js'
import type { LightTrust } from '../protocol/bft/light-client.js'
import type { StatusResponse } from '../protocol/wire/messages.js'
import type { Chain } from './chain.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import { defaultStateSyncInit, SnapshotRefusedError, StateSync } from './state-sync.js'
import type { StateSyncInit, VerifiedSnapshot } from './state-sync.js'
import type { NodeStore } from './store.js'
import { MAX_BLOCKS_PER_RESPONSE } from './sync.js'

/**
 * State sync while running (DESIGN §8.10, issue 15): block sync asks each peer's status, and a
 * peer more than the state-sync gap ahead that offers a snapshot well above the node's height
 * means replaying the blocks in between would take long, or fail if the peers pruned them. But a
 * status is only its sender's claim (DESIGN §8): a peer lying about its height must not be able
 * to restart or stall the node. So the offered snapshot is checked first, in the background,
 * while the node keeps running and following blocks from its other peers — every step from the
 * node's own trusted state (its height and validator set) through the epoch boundaries to the
 * snapshot block's certificate and state root (StateSync.fetchVerified), writing nothing. Only a
 * snapshot that passes, and is still well above the node's height, is handed to `switchTo` (the
 * node restarts in-process onto it). An offer that fails changes nothing, and its peer is
 * penalised (refuse).
 */
export interface SnapshotSwitchComponents {
  genesis: Genesis
  /** unused by a check (nothing is written), but StateSync takes one */
  store: NodeStore
  logger: Logger
  /** a check passed: restart onto the snapshot (SwarmNode); not called while `busy` */
  switchTo: (verified: VerifiedSnapshot) => void
  /** the node is stopping or already restarting: no check starts, none switches */
  busy: () => boolean
  /** a peer's offer was refused */
  refused?: (detail: { peer: string, reason: string, forged: boolean }) => void
}

/**
 * At most one switch to a snapshot while running per this long. A second line: a switch needs a
 * snapshot that passed every check from the node's own trusted state, so a liar cannot cause one;
 * a peer holding the real chain can offer real snapshots ahead of a node that lags, and this
 * bounds how often that costs the node a restart.
 */
export const SWITCH_INTERVAL_MS = 60_000
/**
 * A snapshot no more than this far above the node's height is not worth a restart: one block
 * sync response brings those blocks. (An honest peer that pruned them offers a snapshot further
 * ahead as the chain moves on.)
 */
export const SWITCH_MIN_AHEAD = MAX_BLOCKS_PER_RESPONSE
/** How long the snapshot offers of a peer whose last one failed are ignored. */
export const DISTRUST_MS = 60 * 60_000
/** Distrusted peers remembered at most (identities are free: past this, the oldest go first). */
const MAX_DISTRUSTED = 1024

/** Lives as long as the node (across its restarts): the distrusted peers and the last switch stay. */
export class SnapshotSwitch {
  private readonly c: SnapshotSwitchComponents
  private readonly init: StateSyncInit
  private readonly networkId: Uint8Array
  /** the peer whose offered snapshot is being checked (one at a time) */
  private checking?: string
  private lastSwitchAt = -Infinity
  /** peers whose offered snapshot failed, until when their offers are ignored (oldest first) */
  private readonly distrusted = new Map<string, number>()

  constructor (components: SnapshotSwitchComponents, init: StateSyncInit = {}) {
    this.c = components
    this.init = init
    this.networkId = networkIdOf(components.genesis)
  }

  /** A snapshot was just taken (at start, or by a switch): the blocks after it are block sync's for a while. */
  tookSnapshot (): void {
    this.lastSwitchAt = Date.now()
  }

  /**
   * Block sync heard `peer`'s status (ChainSync farBehind): start checking its offer if it is far
   * enough ahead. True while that peer's offer is being checked: block sync skips its blocks
   * meanwhile (they would be replayed only to be replaced), and goes on with the next peer.
   */
  offered (status: StatusResponse, peer: string, chain: Chain, host: SwarmHost): boolean {
    if (this.c.busy()) return false
    const height = chain.height
    const gap = this.init.minGap ?? defaultStateSyncInit.minGap
    if (status.height - height <= gap || status.snapshotHeight <= height + SWITCH_MIN_AHEAD) return false
    if (this.checking !== undefined) return this.checking === peer
    if (this.distrusts(peer) || Date.now() - this.lastSwitchAt < SWITCH_INTERVAL_MS) return false
    this.checking = peer
    this.c.logger.info(`${peer} claims to be ${status.height - height} blocks ahead (state sync above ${gap}) and offers a snapshot at height ${status.snapshotHeight}: checking it`)
    void this.check(peer, status.snapshotHeight, chain, host).finally(() => { this.checking = undefined })
    return true
  }

  /** Whether `peer`'s snapshot offers are ignored (its last one failed, less than DISTRUST_MS ago). */
  distrusts (peer: string): boolean {
    const until = this.distrusted.get(peer)
    if (until === undefined) return false
    if (until > Date.now()) return true
    this.distrusted.delete(peer)
    return false
  }

  /** Fetch and check `peer`'s snapshot at `target` from the chain's own state; switch only if it passes. */
  private async check (peer: string, target: number, chain: Chain, host: SwarmHost): Promise<void> {
    const trust: LightTrust = { networkId: this.networkId, epochBlocks: this.c.genesis.params.bft.epochBlocks, height: chain.height, validators: new Map(chain.current.validators) }
    const sync = new StateSync({ host, genesis: this.c.genesis, store: this.c.store, peers: () => [peer], logger: this.c.logger }, this.init)
    let verified: VerifiedSnapshot
    try {
      verified = await sync.fetchVerified(peer, trust, target)
    } catch (err) {
      if (!this.c.busy()) this.refuse(peer, err as Error, host)
      return
    }
    if (this.c.busy()) return
    if (verified.height <= chain.height + SWITCH_MIN_AHEAD) {
      this.c.logger.info(`the snapshot at height ${verified.height} of ${peer} passed, but block sync reached height ${chain.height} meanwhile: no switch`)
      return
    }
    this.c.logger.info(`the snapshot at height ${verified.height} of ${peer} passed every check (${verified.steps.length} steps from height ${trust.height}, ${verified.bytes} bytes, ${verified.ms} ms): restarting onto it`)
    this.tookSnapshot()
    this.c.switchTo(verified)
  }

  /**
   * A peer's offered snapshot failed: nothing changes, and its offers are ignored for
   * DISTRUST_MS. One that sent something false (a step that failed a check: a certificate our
   * validators never signed, a ledger that does not hash to its header's root) is also
   * disconnected, as gossip drops a peer that sends invalid messages; one that only refused, ran
   * dry or timed out is not (an honest peer can be slow).
   */
  private refuse (peer: string, err: Error, host: SwarmHost): void {
    const forged = err instanceof SnapshotRefusedError && err.code !== 'timeout'
    this.distrusted.delete(peer)
    while (this.distrusted.size >= MAX_DISTRUSTED) this.distrusted.delete(this.distrusted.keys().next().value as string)
    this.distrusted.set(peer, Date.now() + DISTRUST_MS)
    this.c.logger.warn(`the snapshot ${peer} offered is refused (${err.message}): nothing changed; its offers are ignored for ${DISTRUST_MS / 60_000} minutes${forged ? ', and it is disconnected' : ''}`)
    if (forged) void host.hangUp(peerIdFromString(peer)).catch(() => {})
    this.c.refused?.({ peer, reason: err.message, forged })
  }
}
