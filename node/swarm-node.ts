import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { networkIdOf } from '../protocol/genesis.js'
import type { Genesis } from '../protocol/genesis.js'
import { asBytes, toHex } from '../protocol/hash.js'
import type { LightProofResult } from '../protocol/bft/light-client.js'
import type { LedgerSnapshot } from '../protocol/ledger.js'
import { censoredBy } from '../protocol/byzantine.js'
import type { Agent } from './agents/agent.js'
import { Chain } from './chain.js'
import type { ImportedBlock } from './chain.js'
import { ChainSync } from './chain-sync.js'
import { ConsensusRunner } from './consensus.js'
import type { SignState, StoredConsensusMemory } from './consensus.js'
import { ensureDir, SIGN_STATE_FILE } from './datadir.js'
import { Gossip } from './gossip.js'
import { createHost } from './host.js'
import { RecentMessages } from './recent-messages.js'
import type { SwarmHost } from './host.js'
import { createLogger } from './logger.js'
import type { ComponentLogger, Logger } from './logger.js'
import { MessageFetcher } from './message-fetcher.js'
import { NodeMetrics } from './metrics.js'
import { Publisher } from './publisher.js'
import { QueryInputError, QueryIntake } from './query-intake.js'
import { QueryViews } from './query-views.js'
import { Retention } from './retention.js'
import { RoundRunner } from './round-runner.js'
import type { ByzantineBehaviour } from './round-runner.js'
import { SignStateFile } from './sign-state.js'
import { SnapshotSwitch } from './snapshot-switch.js'
import { installVerified, outcomeOf, StateSync } from './state-sync.js'
import type { StateSyncInit, StateSyncOutcome, VerifiedSnapshot } from './state-sync.js'
import { offeredSnapshotHeight } from '../protocol/bft/state-sync.js'
import { multiaddr } from '@multiformats/multiaddr'
import { SubmissionMeter } from '../protocol/submission.js'
import { LEDGER_HISTORY, NodeStore } from './store.js'
import type { QueryView } from './store.js'
import { serveSync } from './sync.js'
import { Upkeep } from './upkeep.js'

export { QueryInputError } from './query-intake.js'
export type { SignState } from './consensus.js'

export interface SwarmNodeInit {
  /** the data directory: LevelDB lives in DIR/db */
  dataDir: string
  genesis: Genesis
  privateKey: PrivateKey
  agent: Agent
  /** Default /ip4/127.0.0.1/tcp/0: loopback only. */
  listen?: string[]
  bootstrap?: string[]
  mdns?: boolean
  /** Gossip mesh degree (host.ts DEFAULT_GOSSIP_DEGREE when unset). */
  gossipDegree?: number
  logger?: ComponentLogger
  /** The wall clock; injectable for tests. */
  now?: () => number
  /** Misbehave on purpose (tests, fault-injection clusters). */
  byzantine?: ByzantineBehaviour
  /** Collect Prometheus metrics, libp2p's included (default true; benchmarks turn them off). */
  metrics?: boolean
  /**
   * Keep the data of the last this many blocks and prune older (node/retention.ts); unset or 0:
   * keep everything (the default). A node far behind starts from a peer's state snapshot
   * (`stateSync`), so a network of pruning nodes still brings new nodes up. The CLI refuses
   * values below MIN_RETENTION_BLOCKS; tests use small ones.
   */
  retentionBlocks?: number
  /**
   * Start from a peer's state snapshot when a bootstrap peer is far ahead (node/state-sync.ts;
   * defaults in defaultStateSyncInit); false: always replay blocks. Only with bootstrap peers. At
   * start, and while running: a node that finds a peer more than `minGap` blocks ahead with a
   * snapshot well above its height checks that snapshot while it keeps running, and restarts
   * itself onto it only once every step has passed (node/snapshot-switch.ts).
   */
  stateSync?: StateSyncInit | false
}

export interface NodeStatus {
  peerId: string
  network: string
  networkId: string
  height: number
  stateRoot: string
  listen: string[]
  connectedPeers: string[]
  roundsInFlight: number
  /** finished rounds waiting for a block */
  roundsAwaitingFinality: number
  validators: number
  isValidator: boolean
  /** double votes this node has seen validators cast */
  equivocations: number
  agent: string
}

/** The parts of a started node (built in start(), in dependency order). */
interface Running {
  host: SwarmHost
  fetcher: MessageFetcher
  signState: SignStateFile<SignState>
  chain: Chain
  views: QueryViews
  publisher: Publisher
  consensus: ConsensusRunner
  rounds: RoundRunner
  gossip: Gossip
  intake: QueryIntake
  upkeep: Upkeep
  retention?: Retention
}

/**
 * The composition root (DESIGN §2): builds the node's parts in dependency order and wires them —
 * store, libp2p host, message fetcher, query views, chain (the block owner), consensus, round
 * runner, chain sync, gossip, query intake, upkeep — and serves what the API asks of them.
 */
export class SwarmNode extends EventTarget {
  readonly peerId: string
  readonly networkIdHex: string
  readonly genesis: Genesis
  private readonly init: SwarmNodeInit
  private readonly networkId: Uint8Array
  private readonly logger: ComponentLogger
  private readonly log: Logger
  private readonly now: () => number
  private readonly store: NodeStore
  private running?: Running
  private stopped = false
  /** stop() was called: no restart from a snapshot may start the node again */
  private closed = false
  /** state sync while running: checks a far-ahead peer's offer before anything stops (node/snapshot-switch.ts) */
  private readonly switcher?: SnapshotSwitch
  /** a restart onto a checked snapshot in progress */
  private switching?: Promise<void>
  /** a snapshot checked while running, for start() to install after the restart */
  private pendingSnapshot?: VerifiedSnapshot
  /** Prometheus metrics (GET /metrics), unless turned off */
  readonly metrics?: NodeMetrics
  /** What state sync did at start (undefined: not tried: turned off, or no bootstrap peers) */
  stateSyncOutcome?: StateSyncOutcome

  constructor (init: SwarmNodeInit) {
    super()
    this.init = init
    this.genesis = init.genesis
    this.peerId = peerIdFromPrivateKey(init.privateKey).toString()
    this.networkId = networkIdOf(init.genesis)
    this.networkIdHex = toHex(this.networkId)
    this.logger = init.logger ?? createLogger({ level: 'silent' })
    this.log = this.logger.forComponent('node')
    this.now = init.now ?? Date.now
    this.store = new NodeStore(join(init.dataDir, 'db'))
    if (init.stateSync !== false && (init.bootstrap?.length ?? 0) > 0) {
      this.switcher = new SnapshotSwitch({
        genesis: init.genesis,
        store: this.store,
        logger: this.log,
        busy: () => this.closed || this.switching !== undefined,
        switchTo: verified => { this.switching = this.restartFromSnapshot(verified).finally(() => { this.switching = undefined }) },
        refused: detail => this.dispatchEvent(new CustomEvent('snapshot-refused', { detail }))
      }, init.stateSync)
    }
    if (init.metrics !== false) {
      const metrics = new NodeMetrics({
        height: () => this.running?.chain.height ?? 0,
        peers: () => this.running?.fetcher.connectedPeers().length ?? 0,
        reputationPpm: () => this.running?.chain.current.reputations.get(this.peerId)?.reputationPpm,
        votingPower: () => this.running?.chain.current.validators.get(this.peerId) ?? 0,
        roundsByPhase: () => this.running?.rounds.phases() ?? {},
        roundsAwaitingFinality: () => this.running?.consensus.openRounds ?? 0
      })
      this.metrics = metrics
      this.store.observeWrite = (kind, seconds) => metrics.dbWrite.observe({ kind }, seconds)
    }
  }

  private get parts (): Running {
    if (this.running === undefined) throw new Error('the node is not started')
    return this.running
  }

  async start (): Promise<void> {
    const { init, networkId, networkIdHex, logger, now, store, metrics } = this
    await store.open()
    const storedNetwork = await store.getMeta<string>('networkId')
    if (storedNetwork !== undefined && storedNetwork !== networkIdHex) {
      await store.close()
      throw new QueryInputError(`the data directory belongs to network ${storedNetwork.slice(0, 16)}…, not this genesis (${networkIdHex.slice(0, 16)}…); use another --data directory`)
    }
    await store.putMeta('networkId', networkIdHex)
    ensureDir(init.dataDir)
    const signState = SignStateFile.open<SignState>(join(init.dataDir, SIGN_STATE_FILE))
    // Data directories from before the sign-state file kept it in the database.
    const legacyMemory = await store.getMeta<StoredConsensusMemory>('consensus')
    const host = await createHost({
      privateKey: init.privateKey,
      networkIdHex,
      listen: init.listen,
      bootstrap: init.bootstrap,
      mdns: init.mdns,
      gossipDegree: init.gossipDegree,
      metricsRegistry: metrics?.registry
    })
    const self = this.peerId
    const base = { networkId, networkIdHex, store, logger: this.log }
    const recent = new RecentMessages()
    const fetcher = new MessageFetcher({ ...base, host, recent })
    // before the chain loads the ledger: state sync may replace it
    const pending = this.pendingSnapshot
    this.pendingSnapshot = undefined
    if (pending !== undefined) {
      // checked while the node ran (node/snapshot-switch.ts); it kept following blocks meanwhile
      const saved = await store.getLedger()
      if ((saved?.height ?? 0) < pending.height) {
        await installVerified(store, pending)
        this.stateSyncOutcome = outcomeOf(pending)
        this.log.info(`switched to the snapshot at height ${pending.height} of ${pending.peer}: ${pending.steps.length - 1} epoch boundaries checked from height ${pending.trustHeight}, ${pending.bytes} bytes, ${pending.ms} ms`)
      } else {
        this.stateSyncOutcome = { synced: false, reason: `already at height ${saved?.height ?? 0}, past the snapshot at ${pending.height}` }
      }
    } else if (init.stateSync !== false && (init.bootstrap?.length ?? 0) > 0) {
      await dialBootstrap(host, init.bootstrap ?? [], this.log)
      this.stateSyncOutcome = await new StateSync({ host, genesis: this.genesis, store, peers: () => fetcher.somePeers(), logger: this.log }, init.stateSync).run()
      // a snapshot just taken counts for the one switch a minute: the blocks after it are block sync's
      if (this.stateSyncOutcome.synced) this.switcher?.tookSnapshot()
      if (!this.stateSyncOutcome.synced) this.log.info(`no state sync (${this.stateSyncOutcome.reason}): catching up by blocks`)
    }
    const views = new QueryViews({ store, fetcher, logger: this.log, now })
    const chain = await Chain.open({ store, genesis: this.genesis, networkId, views, logger: this.log })
    const publisher = new Publisher({ host, privateKey: init.privateKey, networkIdHex, store, logger: this.log, recent })
    const chainSync = new ChainSync({ host, networkIdHex, chain, fetcher, logger: this.log, now, farBehind: (status, peer) => this.switcher?.offered(status, peer, chain, host) ?? false })
    const consensus = new ConsensusRunner({
      self,
      networkId: asBytes(networkId),
      genesis: this.genesis,
      chain,
      fetcher,
      chainSync,
      publisher,
      signState: {
        get: () => signState.get()?.networkId === networkIdHex ? signState.get()?.memory : legacyMemory,
        save: memory => {
          const started = performance.now()
          signState.save({ networkId: networkIdHex, memory })
          metrics?.signStateWrite.observe((performance.now() - started) / 1000)
        }
      },
      logger: logger.forComponent('consensus'),
      now,
      metrics: metrics?.consensus,
      // gossip (below) is built from consensus; a vote catch-up runs only after start()
      takeQueries: async (queries): Promise<void> => gossip.takeQueries(queries)
    }, { censor: init.byzantine === 'censor' ? censoredBy(self) : undefined })
    const rounds = new RoundRunner({ self, networkId: asBytes(networkId), genesis: this.genesis, agent: init.agent, chain, consensus, views, store, fetcher, publisher, logger: logger.forComponent('round'), now, metrics: metrics?.rounds }, { byzantine: init.byzantine })
    await rounds.open()
    chain.onImport(imported => this.onImport(imported))
    const meter = new SubmissionMeter(this.genesis.params.submission)
    const gossip = new Gossip({ host, networkId, chain, consensus, rounds, views, publisher, meter, logger: this.log, now, metrics })
    const intake = new QueryIntake({ self, privateKey: init.privateKey, networkId, chain, store, consensus, views, fetcher, publisher, meter, perSecond: this.genesis.params.submission.perSecond, logger: this.log, now })
    const upkeep = new Upkeep({ self, host, privateKey: init.privateKey, networkId, chain, chainSync, consensus, fetcher, publisher, logger: this.log, now }, { bootstrap: init.bootstrap })
    const retention = (init.retentionBlocks ?? 0) > 0 ? new Retention({ store, chain, views, logger: this.log }, { blocks: init.retentionBlocks! }) : undefined
    this.running = { host, fetcher, signState, chain, views, publisher, consensus, rounds, gossip, intake, upkeep, retention }

    gossip.start()
    await serveSync(host, networkIdHex, {
      store,
      height: () => chain.height,
      headHash: () => toHex(chain.current.lastBlockHash),
      consensusMessages: h => consensus.messagesOfHeight(h),
      waitingQueries: max => consensus.waitingQueries(max),
      snapshots: {
        epochBlocks: this.genesis.params.bft.epochBlocks,
        head: () => chain.height,
        offered: async () => offeredSnapshotHeight(chain.height, await store.firstContiguousBlock(), LEDGER_HISTORY),
        light: async h => chain.lightStep(h),
        step: async h => chain.certifiedLedger(h)
      },
      logger: this.log
    })
    consensus.start()
    await upkeep.start()
    await intake.resumePending()
    retention?.start()
    this.log.info(`started ${this.peerId} on ${this.multiaddrs().join(', ')} (network ${this.genesis.network}, height ${chain.height})`)
  }

  async stop (): Promise<void> {
    this.closed = true
    await this.switching
    await this.halt()
  }

  /** Whether `peer`'s snapshot offers are ignored (its last one failed, less than an hour ago: node/snapshot-switch.ts). */
  distrustsSnapshotsOf (peer: string): boolean {
    return this.switcher?.distrusts(peer) ?? false
  }

  /** A snapshot checked while running passed (node/snapshot-switch.ts): stop, and start again onto it. */
  private async restartFromSnapshot (verified: VerifiedSnapshot): Promise<void> {
    try {
      await this.halt()
      if (this.closed) return
      this.running = undefined
      this.stopped = false
      this.stateSyncOutcome = undefined
      this.pendingSnapshot = verified
      await this.start()
      this.dispatchEvent(new CustomEvent('state-sync', { detail: this.stateSyncOutcome }))
    } catch (err) {
      this.log.error(`restarting onto a snapshot failed: ${(err as Error).stack ?? String(err)}`)
    }
  }

  private async halt (): Promise<void> {
    const r = this.running
    // Stopped once only: a second stop (a test's cleanup after a restart) has nothing left to do.
    if (r !== undefined && !this.stopped) {
      this.stopped = true
      r.upkeep.stop()
      r.rounds.stop()
      r.consensus.stop()
      await r.retention?.stop()
      await r.host.stop()
      r.signState.close()
    }
    await this.store.close()
  }

  /** A block was imported (decided here or synced): show its final views and tell listeners (API events, activity feed). */
  private onImport (imported: ImportedBlock): void {
    const { block, certificate, hash, views } = imported
    const height = block.header!.height
    this.parts.views.adopt(block, hash, certificate, views)
    for (const view of views) {
      this.metrics?.queriesFinal.inc()
      if (view.createdAt > 0) this.metrics?.finalityLatency.observe(Math.max(0, this.now() - view.createdAt) / 1000)
      this.log.info(`query ${view.id.slice(0, 12)} final in block ${height}: "${truncate(view.answer ?? '(no answer)')}"`)
      this.dispatchEvent(new CustomEvent('round-final', { detail: { id: view.id, record: block.records.find(r => toHex(r.queryId) === view.id), view } }))
    }
    this.dispatchEvent(new CustomEvent('block', { detail: { height, hash, block, certificate } }))
  }

  multiaddrs (): string[] {
    return this.running?.host.getMultiaddrs().map(a => a.toString()) ?? []
  }

  status (): NodeStatus {
    const { chain, rounds, consensus } = this.parts
    return {
      peerId: this.peerId,
      network: this.genesis.network,
      networkId: this.networkIdHex,
      height: chain.height,
      stateRoot: chain.stateRoot(),
      listen: this.multiaddrs(),
      connectedPeers: this.parts.fetcher.connectedPeers(),
      roundsInFlight: rounds.inFlight,
      roundsAwaitingFinality: consensus.openRounds,
      validators: chain.current.validators.size,
      isValidator: chain.current.validators.has(this.peerId),
      equivocations: consensus.equivocations,
      agent: this.init.agent.description
    }
  }

  /** The validator set that certifies block `height` (default: the next block), for offline verification. */
  async validatorSet (height?: number): Promise<{ networkId: string, height: number, validators: Array<{ peerId: string, power: number }> } | undefined> {
    const chain = this.parts.chain
    const h = height ?? chain.height + 1
    const set = await chain.validatorsFor(h)
    if (set === undefined) return undefined
    return { networkId: this.networkIdHex, height: h, validators: [...set].sort(([a], [b]) => (a < b ? -1 : 1)).map(([peerId, power]) => ({ peerId, power })) }
  }

  /** What a light client needs to follow the validator set from block `from` to block `to` (GET /v1/light). */
  async lightProof (from: number, to: number): Promise<LightProofResult> {
    return this.parts.chain.lightProof(from, to)
  }

  ledgerSnapshot (): LedgerSnapshot {
    return this.parts.chain.snapshot()
  }

  /** Gossip messages this node rejected (bad input from the network) since it started. */
  get rejectedMessages (): number {
    return this.running?.gossip.rejected ?? 0
  }

  /** The gossip score this node gives a peer (negative after it sent invalid messages). */
  peerScore (peerId: string): number {
    const pubsub = this.running?.host.services.pubsub as unknown as { getScore?: (p: string) => number } | undefined
    return pubsub?.getScore?.(peerId) ?? 0
  }

  /** Submit a prompt to the swarm; resolves with the query id once it is published. */
  async submitQuery (prompt: unknown): Promise<{ id: string }> {
    return this.parts.intake.submit(prompt)
  }

  /** The query's current view: pending with its phase, or final with the answer. */
  async getQuery (id: string): Promise<QueryView | undefined> {
    const { views, rounds } = this.parts
    const view = await views.get(id)
    if (view === undefined) return undefined
    // A query no block has ordered yet is waiting for one (its round starts then, DESIGN §8.2).
    if (view.status === 'pending') return { ...view, phase: rounds.phaseOf(id) ?? (this.parts.chain.current.ordered.has(id) ? view.phase : 'ordering'), ...rounds.committeesOf(id) }
    return view
  }
}

/** Dial the bootstrap peers (state sync asks them before anything else runs); unreachable ones are skipped. */
async function dialBootstrap (host: SwarmHost, bootstrap: string[], log: Logger): Promise<void> {
  await Promise.all(bootstrap.map(async address => {
    try {
      await host.dial(multiaddr(address), { signal: AbortSignal.timeout(5_000) })
    } catch (err) {
      log.debug(`bootstrap ${address} not reachable: ${(err as Error).message}`)
    }
  }))
}

function truncate (text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 60 ? line.slice(0, 57) + '...' : line
}
