import type { PrivateKey } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { asBytes } from '../protocol/hash.js'
import { signMessage } from '../protocol/wire/envelope.js'
import type { Chain } from './chain.js'
import type { ChainSync } from './chain-sync.js'
import type { ConsensusRunner } from './consensus.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import type { MessageFetcher } from './message-fetcher.js'
import type { Publisher } from './publisher.js'

export interface UpkeepComponents {
  self: string
  host: SwarmHost
  privateKey: PrivateKey
  networkId: Uint8Array
  chain: Chain
  chainSync: ChainSync
  consensus: ConsensusRunner
  fetcher: MessageFetcher
  publisher: Publisher
  logger: Logger
  now: () => number
}

export interface UpkeepInit {
  bootstrap?: string[]
}

/** How often to redial bootstrap peers we are not connected to (restarts, partitions). */
const REDIAL_MS = 3_000
/** How often to compare heights with a few peers (block sync also starts when gossip shows a higher height). */
const SYNC_MS = 2_000
/** How often a node outside the ledger repeats its Join until a block admits it. */
const JOIN_RETRY_MS = 5_000

/**
 * The node's periodic chores: keep bootstrap peers dialled, compare heights with peers when
 * consensus traffic does not show we are current, and, outside the ledger, ask to join.
 */
export class Upkeep {
  private readonly c: UpkeepComponents
  private readonly init: UpkeepInit
  private redial?: NodeJS.Timeout
  private syncTimer?: NodeJS.Timeout
  private lastJoinAt = 0

  constructor (components: UpkeepComponents, init: UpkeepInit = {}) {
    this.c = components
    this.init = init
  }

  async start (): Promise<void> {
    await this.dialBootstrap()
    this.redial = setInterval(() => { void this.dialBootstrap() }, REDIAL_MS)
    this.redial.unref()
    // A node that starts behind (new, restarted, wiped) catches up by block sync; its API serves
    // meanwhile. Consensus messages for heights above its own are only buffered until then.
    void this.c.chainSync.catchUp()
    this.syncTimer = setInterval(() => {
      // Consensus traffic for our height shows we are current: no need to ask peers.
      const current = this.c.now() - this.c.consensus.lastInSyncAt < SYNC_MS
      void (current ? Promise.resolve() : this.c.chainSync.catchUp()).then(async () => this.askToJoin())
    }, SYNC_MS)
    this.syncTimer.unref()
  }

  stop (): void {
    clearInterval(this.redial)
    clearInterval(this.syncTimer)
  }

  /**
   * An identity not in the ledger (not in genesis, not yet admitted) asks to join: a signed Join
   * on the consensus topic, repeated every few seconds until a block admits it. Once admitted it
   * is drawn into committees on probation, and earns voting power by scoring well (DESIGN §4.5).
   */
  private async askToJoin (): Promise<void> {
    // A jailed validator asks back in the same way once its jail is over (protocol/jailing.ts).
    const state = this.c.chain.current
    const jailedUntil = state.jailing?.jailed.get(this.c.self)
    if (state.reputations.has(this.c.self) && (jailedUntil === undefined || this.c.now() < jailedUntil)) return
    if (this.c.now() - this.lastJoinAt < JOIN_RETRY_MS || this.c.fetcher.connectedPeers().length === 0) return
    this.lastJoinAt = this.c.now()
    const msg = await signMessage(this.c.privateKey, { networkId: asBytes(this.c.networkId), join: { createdAt: this.c.now() } })
    this.c.publisher.keep(msg)
    await this.c.publisher.republish(msg)
    this.c.logger.info(`asked to ${jailedUntil === undefined ? 'join the ledger' : 'be released from jail'} (at height ${this.c.chain.height})`)
  }

  private async dialBootstrap (): Promise<void> {
    const host = this.c.host
    for (const address of this.init.bootstrap ?? []) {
      try {
        const ma = multiaddr(address)
        const peer = ma.getComponents().find(c => c.name === 'p2p')?.value
        if (peer !== undefined && host.getConnections().some(c => c.remotePeer.toString() === peer)) continue
        await host.dial(ma, { signal: AbortSignal.timeout(2_000) })
      } catch (err) {
        this.c.logger.debug(`bootstrap ${address} not reachable: ${(err as Error).message}`)
      }
    }
  }
}
