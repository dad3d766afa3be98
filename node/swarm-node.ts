import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { networkIdOf } from '../protocol/genesis.js'
import type { Genesis } from '../protocol/genesis.js'
import { asBytes, toHex } from '../protocol/hash.js'
import { blockHash, recordHash, toSnapshot } from '../protocol/ledger.js'
import type { LedgerSnapshot } from '../protocol/ledger.js'
import type { RoundOutcome } from '../protocol/record.js'
import { queryIdHexOf } from '../protocol/round.js'
import type { RoundState } from '../protocol/round.js'
import { signMessage } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { wireLimits } from '../protocol/wire/limits.js'
import type { Block, CommitCertificate, Payload, RoundRecord } from '../protocol/wire/messages.js'
import { ignore, reject, validateEnvelope } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { Agent } from './agents/agent.js'
import { ChainSync } from './chain-sync.js'
import { ConsensusRunner } from './consensus.js'
import type { ConsensusMemory } from './consensus.js'
import { ensureDir, SIGN_STATE_FILE } from './datadir.js'
import { createHost, topicsFor } from './host.js'
import type { SwarmHost } from './host.js'
import { LedgerKeeper } from './ledger-keeper.js'
import { NodeMetrics } from './metrics.js'
import { createLogger } from './logger.js'
import type { ComponentLogger, Logger } from './logger.js'
import { RoundRunner } from './round-runner.js'
import type { ByzantineBehaviour } from './round-runner.js'
import { NodeStore } from './store.js'
import type { QueryView } from './store.js'
import { SignStateFile } from './sign-state.js'
import { serveSync } from './sync.js'
import { finalView, pendingView } from './views.js'

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

/** A client's mistake in a query (empty, too long): the API answers 4xx with the message. */
export class QueryInputError extends Error {
  override name = 'QueryInputError'
  readonly status: number

  constructor (message: string, status = 400) {
    super(message)
    this.status = status
  }
}

/** The last-sign state, tagged with its network: a data directory reused for another network must not carry it over. */
export interface SignState { networkId: string, memory: ConsensusMemory }

/** How often to redial bootstrap peers we are not connected to (restarts, partitions). */
const REDIAL_MS = 3_000
/** How often to compare heights with a few peers (block sync also starts when gossip shows a higher height: at once two or more heights up, after a second for one). */
const SYNC_MS = 2_000
/** How often a node outside the ledger repeats its Join until a block admits it. */
const JOIN_RETRY_MS = 5_000

/**
 * The composition root (DESIGN §2): builds the store, ledger, libp2p host and round runner, and
 * wires gossip to the protocol's validators and state machines.
 */
export class SwarmNode extends EventTarget {
  readonly peerId: string
  readonly networkIdHex: string
  readonly genesis: Genesis
  private readonly init: SwarmNodeInit
  private readonly networkId: Uint8Array
  private readonly log: Logger
  private readonly now: () => number
  private readonly store: NodeStore
  private signState?: SignStateFile<SignState>
  /** asked before a consensus message's signature is checked (one function, not one per message) */
  private readonly consensusUseless = (p: Payload): string | undefined => this.consensus!.uselessBecause(p)
  private readonly topics: ReturnType<typeof topicsFor>
  private readonly views = new Map<string, QueryView>()
  private host?: SwarmHost
  private ledgerKeeper?: LedgerKeeper
  private runner?: RoundRunner
  private consensus?: ConsensusRunner
  private redial?: NodeJS.Timeout
  private syncTimer?: NodeJS.Timeout
  private chainSync?: ChainSync
  private lastJoinAt = 0
  private hydration: Promise<void> = Promise.resolve()
  private rejected = 0
  /** Prometheus metrics (GET /metrics), unless turned off */
  readonly metrics?: NodeMetrics

  constructor (init: SwarmNodeInit) {
    super()
    this.init = init
    this.genesis = init.genesis
    this.peerId = peerIdFromPrivateKey(init.privateKey).toString()
    this.networkId = networkIdOf(init.genesis)
    this.networkIdHex = toHex(this.networkId)
    this.topics = topicsFor(this.networkIdHex)
    this.log = (init.logger ?? createLogger({ level: 'silent' })).forComponent('node')
    this.now = init.now ?? Date.now
    this.store = new NodeStore(join(init.dataDir, 'db'))
    if (init.metrics !== false) {
      const metrics = new NodeMetrics({
        height: () => this.ledgerKeeper?.height ?? 0,
        peers: () => this.connectedPeers().length,
        reputationPpm: () => this.ledgerKeeper?.current.reputations.get(this.peerId)?.reputationPpm,
        votingPower: () => this.ledgerKeeper?.current.validators.get(this.peerId) ?? 0,
        roundsByPhase: () => this.runner?.phases() ?? {},
        roundsAwaitingFinality: () => this.consensus?.readyRounds ?? 0
      })
      this.metrics = metrics
      this.store.observeWrite = (kind, seconds) => metrics.dbWrite.observe({ kind }, seconds)
    }
  }

  get ledger (): LedgerKeeper {
    if (this.ledgerKeeper === undefined) throw new Error('the node is not started')
    return this.ledgerKeeper
  }

  async start (): Promise<void> {
    await this.store.open()
    const storedNetwork = await this.store.getMeta<string>('networkId')
    if (storedNetwork !== undefined && storedNetwork !== this.networkIdHex) {
      await this.store.close()
      throw new QueryInputError(`the data directory belongs to network ${storedNetwork.slice(0, 16)}…, not this genesis (${this.networkIdHex.slice(0, 16)}…); use another --data directory`)
    }
    await this.store.putMeta('networkId', this.networkIdHex)
    this.ledgerKeeper = await LedgerKeeper.open(this.store, this.genesis)
    ensureDir(this.init.dataDir)
    const signState = this.signState = SignStateFile.open<SignState>(join(this.init.dataDir, SIGN_STATE_FILE))
    this.runner = new RoundRunner({
      self: this.peerId,
      networkId: asBytes(this.networkId),
      genesis: this.genesis,
      agent: this.init.agent,
      ledger: this.ledgerKeeper,
      logger: (this.init.logger ?? createLogger({ level: 'silent' })).forComponent('round'),
      now: this.now,
      publish: async payload => this.publish(payload),
      onFinal: async (state, outcome, messages) => this.onRoundDone(state, outcome, messages)
    }, { byzantine: this.init.byzantine })
    this.consensus = new ConsensusRunner({
      self: this.peerId,
      networkId: asBytes(this.networkId),
      genesis: this.genesis,
      ledger: this.ledgerKeeper,
      store: this.store,
      signState: {
        get: () => signState.get()?.networkId === this.networkIdHex ? signState.get()!.memory : undefined,
        save: memory => {
          const started = performance.now()
          signState.save({ networkId: this.networkIdHex, memory })
          this.metrics?.signStateWrite.observe((performance.now() - started) / 1000)
        }
      },
      logger: (this.init.logger ?? createLogger({ level: 'silent' })).forComponent('consensus'),
      now: this.now,
      publish: async payload => this.publish(payload),
      fetchMessages: async (ids, prefer) => this.chainSync!.fetchMessages(ids, prefer),
      onCommit: async (block, certificate) => this.onCommit(block, certificate),
      onBehind: (_height, peer) => { void this.chainSync!.catchUp(peer) },
      pullConsensus: async (height, known) => this.chainSync!.pullConsensus(height, known)
    })
    await this.consensus.open()
    const consensus = this.consensus
    this.chainSync = new ChainSync({
      host: () => this.host,
      networkId: this.networkId,
      networkIdHex: this.networkIdHex,
      store: this.store,
      ledger: this.ledgerKeeper,
      logger: this.log,
      connectedPeers: () => this.connectedPeers(),
      commit: async (block, certificate) => consensus.commit(block, certificate)
    })

    this.host = await createHost({
      privateKey: this.init.privateKey,
      networkIdHex: this.networkIdHex,
      listen: this.init.listen,
      bootstrap: this.init.bootstrap,
      mdns: this.init.mdns,
      gossipDegree: this.init.gossipDegree,
      metricsRegistry: this.metrics?.registry
    })
    const pubsub = this.host.services.pubsub
    pubsub.topicValidators.set(this.topics.query, async (_peer, msg) => this.gossipVerdict('query', msg))
    pubsub.topicValidators.set(this.topics.round, async (_peer, msg) => this.gossipVerdict('round', msg))
    pubsub.topicValidators.set(this.topics.consensus, async (_peer, msg) => this.gossipVerdict('consensus', msg))
    for (const topic of Object.values(this.topics)) pubsub.subscribe(topic)
    await serveSync(this.host, this.networkIdHex, { store: this.store, height: () => this.ledger.height, headHash: () => toHex(this.ledger.current.lastBlockHash), consensusMessages: h => this.consensus?.messagesOfHeight(h) ?? [], logger: this.log })
    await this.dialBootstrap()
    this.redial = setInterval(() => { void this.dialBootstrap() }, REDIAL_MS)
    this.redial.unref()
    // A node that starts behind (new, restarted, wiped) catches up by block sync; its API serves
    // meanwhile. It cannot vote on anything current before it has caught up: consensus messages
    // for heights above its own are only buffered.
    void this.chainSync.catchUp()
    this.syncTimer = setInterval(() => {
      // Consensus traffic for our height shows we are current: no need to ask peers.
      const current = this.now() - consensus.lastInSyncAt < SYNC_MS
      void (current ? Promise.resolve() : this.chainSync!.catchUp()).then(async () => this.askToJoin())
    }, SYNC_MS)
    this.syncTimer.unref()
    await this.resumePending()
    this.log.info(`started ${this.peerId} on ${this.multiaddrs().join(', ')} (network ${this.genesis.network}, height ${this.ledger.height})`)
  }

  async stop (): Promise<void> {
    clearInterval(this.redial)
    clearInterval(this.syncTimer)
    this.runner?.stop()
    this.consensus?.stop()
    await this.host?.stop()
    this.signState?.close()
    this.signState = undefined
    await this.store.close()
  }

  multiaddrs (): string[] {
    return this.host?.getMultiaddrs().map(a => a.toString()) ?? []
  }

  /** Peers with an open connection (one peer may have several), sorted. */
  private connectedPeers (): string[] {
    return [...new Set(this.host?.getConnections().map(c => c.remotePeer.toString()) ?? [])].sort()
  }

  status (): NodeStatus {
    return {
      peerId: this.peerId,
      network: this.genesis.network,
      networkId: this.networkIdHex,
      height: this.ledger.height,
      stateRoot: this.ledger.stateRoot(),
      listen: this.multiaddrs(),
      connectedPeers: this.connectedPeers(),
      roundsInFlight: this.runner?.inFlight ?? 0,
      roundsAwaitingFinality: this.consensus?.readyRounds ?? 0,
      validators: this.ledger.current.validators.size,
      isValidator: this.ledger.current.validators.has(this.peerId),
      equivocations: this.consensus?.equivocations ?? 0,
      agent: this.init.agent.description
    }
  }

  /** The validator set that certifies block `height` (default: the next block), for offline verification. */
  async validatorSet (height = this.ledger.height + 1): Promise<{ networkId: string, height: number, validators: Array<{ peerId: string, power: number }> } | undefined> {
    const set = await this.ledger.validatorsFor(height)
    if (set === undefined) return undefined
    return { networkId: this.networkIdHex, height, validators: [...set].sort(([a], [b]) => (a < b ? -1 : 1)).map(([peerId, power]) => ({ peerId, power })) }
  }

  ledgerSnapshot (): LedgerSnapshot {
    return this.ledger.snapshot()
  }

  /** Gossip messages this node rejected (bad input from the network) since it started. */
  get rejectedMessages (): number {
    return this.rejected
  }

  /** The gossip score this node gives a peer (negative after it sent invalid messages). */
  peerScore (peerId: string): number {
    return this.host?.services.pubsub ? (this.host.services.pubsub as unknown as { getScore: (p: string) => number }).getScore(peerId) : 0
  }

  /** Submit a prompt to the swarm; resolves with the query id once it is published. */
  async submitQuery (prompt: unknown): Promise<{ id: string }> {
    if (typeof prompt !== 'string') throw new QueryInputError('"prompt" must be a string')
    if (prompt.trim() === '') throw new QueryInputError('"prompt" must not be empty')
    const bytes = Buffer.byteLength(prompt, 'utf8')
    if (bytes > wireLimits.maxPromptBytes) throw new QueryInputError(`"prompt" is ${bytes} bytes; the limit is ${wireLimits.maxPromptBytes}`, 413)
    const payload: Payload = {
      networkId: asBytes(this.networkId),
      query: { prompt, anchorHeight: this.ledger.height, createdAt: this.now(), nonce: asBytes(randomBytes(16)) }
    }
    const msg = await signMessage(this.init.privateKey, payload)
    await this.store.putPending(msg.idHex, msg.bytes)
    this.views.set(msg.idHex, pendingView(msg))
    await this.runner!.onQuery(msg)
    await this.host!.services.pubsub.publish(this.topics.query, msg.bytes)
    return { id: msg.idHex }
  }

  /** The query's current view: pending with its phase, or final with the answer. */
  async getQuery (id: string): Promise<QueryView | undefined> {
    const view = this.views.get(id) ?? await this.store.getQuery(id)
    if (view === undefined) return undefined
    if (view.status === 'pending') return { ...view, phase: this.runner?.phaseOf(id) ?? view.phase, ...this.runner?.committeesOf(id) }
    return view
  }

  private async publish (payload: Payload): Promise<SignedMessage | undefined> {
    if (this.host === undefined) return undefined
    const msg = await signMessage(this.init.privateKey, payload)
    this.keep(msg)
    const topic = payload.query !== undefined ? this.topics.query : payload.vote !== undefined || payload.blockProposal !== undefined || payload.join !== undefined ? this.topics.consensus : this.topics.round
    await this.host.services.pubsub.publish(topic, msg.bytes)
    return msg
  }

  private async gossipVerdict (topic: 'query' | 'round' | 'consensus', msg: Message): Promise<TopicValidatorResult> {
    let verdict: Validation<unknown>
    try {
      verdict = await this.validateGossip(topic, msg.data)
    } catch (err) {
      this.log.error(`validating a ${topic} message failed: ${(err as Error).stack ?? String(err)}`)
      return TopicValidatorResult.Ignore
    }
    this.metrics?.countGossip(topic, verdict.result === 'ACCEPT' ? 'accept' : verdict.result === 'REJECT' ? 'reject' : 'ignore', verdict.result === 'ACCEPT' ? '' : verdict.reason)
    if (verdict.result === 'REJECT') {
      this.rejected++
      this.log.debug(`rejected a ${topic} message: ${verdict.reason}`)
      return TopicValidatorResult.Reject
    }
    if (verdict.result === 'IGNORE') {
      this.log.debug(`ignored a ${topic} message: ${verdict.reason}`)
      return TopicValidatorResult.Ignore
    }
    return TopicValidatorResult.Accept
  }

  private async validateGossip (topic: 'query' | 'round' | 'consensus', data: Uint8Array): Promise<Validation<unknown>> {
    const v = await validateEnvelope(data, { networkId: this.networkId, now: this.now(), uselessBecause: topic === 'consensus' ? this.consensusUseless : undefined })
    if (v.result !== 'ACCEPT') return v
    const msg = v.value
    if (topic === 'consensus') {
      if (msg.payload.join !== undefined) {
        const verdict = this.consensus!.onJoin(msg)
        if (verdict.result === 'ACCEPT') this.keep(msg)
        return verdict
      }
      return this.consensus!.onMessage(msg)
    }
    if (topic === 'query') {
      // [REJECT] only queries travel on the query topic
      if (msg.payload.query === undefined) return reject('not a query on the query topic')
      // [IGNORE] a query a block already finalized: a replay, or gossip reaching a node that
      // restarted after the block (running its round again would hide the final answer)
      if (await this.store.isFinalized(msg.idHex)) return ignore('query already final')
      const verdict = await this.runner!.onQuery(msg)
      if (verdict.result === 'ACCEPT') {
        if (!this.views.has(msg.idHex)) this.views.set(msg.idHex, pendingView(msg))
        this.keep(msg)
      }
      return verdict
    }
    const queryId = queryIdHexOf(msg.payload)
    // [REJECT] only commits and reveals travel on the round topic
    if (queryId === undefined) return reject('not a round message on the round topic')
    const verdict = this.runner!.onRoundMessage(queryId, msg)
    if (verdict.result === 'ACCEPT') this.keep(msg)
    return verdict
  }

  /**
   * Store an accepted or published message. The store serves it from memory at once and writes
   * it with its next batch; gossip does not wait for the disk before forwarding.
   */
  private keep (msg: SignedMessage): void {
    this.store.putMessage(msg.idHex, msg.bytes).catch(err => this.log.error(`storing message ${msg.idHex.slice(0, 12)} failed: ${(err as Error).message}`))
  }

  /**
   * An identity not in the ledger (not in genesis, not yet admitted) asks to join: a signed Join
   * on the consensus topic, repeated every few seconds until a block admits it. Once admitted it
   * is drawn into committees on probation, and earns voting power by scoring well (DESIGN §4.5).
   */
  private async askToJoin (): Promise<void> {
    if (this.host === undefined || this.ledger.current.reputations.has(this.peerId)) return
    if (this.now() - this.lastJoinAt < JOIN_RETRY_MS || this.connectedPeers().length === 0) return
    this.lastJoinAt = this.now()
    const msg = await signMessage(this.init.privateKey, { networkId: asBytes(this.networkId), join: { createdAt: this.now() } })
    this.keep(msg)
    await this.host.services.pubsub.publish(this.topics.consensus, msg.bytes).catch(() => {})
    this.log.info(`asked to join the ledger (at height ${this.ledger.height})`)
  }

  /**
   * Queries this node acknowledged before a crash and that no block has finalized: announce them
   * again. A round whose deadlines have passed closes at once with what arrived (possibly
   * nothing), so an acknowledged query always ends final rather than lost.
   */
  private async resumePending (): Promise<void> {
    for (const bytes of await this.store.listPending()) {
      const v = await this.chainSync!.validateTimeless(bytes)
      if (v.result !== 'ACCEPT' || await this.store.isFinalized(v.value.idHex)) continue
      if (!this.views.has(v.value.idHex)) this.views.set(v.value.idHex, pendingView(v.value))
      await this.runner!.onQuery(v.value)
      await this.host!.services.pubsub.publish(this.topics.query, bytes).catch(() => {})
      this.log.info(`resumed acknowledged query ${v.value.idHex.slice(0, 12)}`)
    }
  }

  /** A round finished here: show its provisional result and hand its record to consensus. */
  private async onRoundDone (state: RoundState, outcome: RoundOutcome, messages: readonly SignedMessage[]): Promise<void> {
    const id = state.queryIdHex
    // Most are stored already as they were accepted; not so the rejected ones that prove cheating
    // or those replayed after their query arrived late. The record names them all.
    for (const m of messages) this.keep(m)
    const view = this.views.get(id) ?? pendingView(state.init.query)
    this.views.set(id, { ...view, phase: 'awaiting-finality', answerers: state.answerers, rankers: state.rankers, answer: outcome.winner?.answer ?? null })
    this.metrics?.roundsFinished.inc({ outcome: outcome.winner === undefined ? 'no_answer' : 'winner' })
    this.log.debug(`round ${id.slice(0, 12)} done: "${truncate(outcome.winner?.answer ?? '(no answer)')}"; waiting for a block`)
    await this.consensus!.addReady(id, outcome.record, messages)
  }

  /** A block was decided (or synced): store it with everything it changes, in one synced batch. */
  private async onCommit (block: Block, certificate: CommitCertificate): Promise<void> {
    const next = this.ledger.preview(block)
    const height = block.header!.height
    const hash = toHex(blockHash(block.header!))
    const recordHashes = block.records.map(r => toHex(recordHash(r)))
    const ids = [...new Set(block.records.flatMap(r => r.includedMessageIds.map(toHex)))]
    // Only what we hold: a block arriving by sync must not wait on the network. Views missing
    // answer texts are filled in afterwards (hydrateViews).
    const messages = await this.chainSync!.localMessages(ids)
    const views = await Promise.all(block.records.map(async r => {
      const qid = toHex(r.queryId)
      return finalView(r, messages, { height, hash, certificate, recordHashes }, this.views.get(qid) ?? await this.store.getQuery(qid), this.now())
    }))
    await this.store.commitBlock({ block, certificate }, views, toSnapshot(next))
    this.ledger.adopt(next)
    for (const view of views) {
      this.views.set(view.id, view)
      this.runner!.markFinished(view.id)
      this.metrics?.queriesFinal.inc()
      if (view.createdAt > 0) this.metrics?.finalityLatency.observe(Math.max(0, this.now() - view.createdAt) / 1000)
      this.log.info(`query ${view.id.slice(0, 12)} final in block ${height}: "${truncate(view.answer ?? '(no answer)')}"`)
      this.dispatchEvent(new CustomEvent('round-final', { detail: { id: view.id, record: block.records.find(r => toHex(r.queryId) === view.id), view } }))
    }
    this.dispatchEvent(new CustomEvent('block', { detail: { height, hash, block, certificate } }))
    const incomplete = block.records.filter(r => r.includedMessageIds.some(id => !messages.has(toHex(id))))
    if (incomplete.length > 0) {
      // One block at a time: a node syncing many blocks must not flood its peers with fetches.
      this.hydration = this.hydration.then(async () => this.hydrateViews(incomplete, { height, hash, certificate, recordHashes }))
    }
    // Keep memory bounded: final views live in the store.
    for (const [k, v] of this.views) { if (this.views.size <= 1000) break; if (v.status === 'final') this.views.delete(k) }
    void this.runner!.onHeight()
  }

  /** Fill in final views of synced blocks from peers' messages (answer texts), in the background. */
  private async hydrateViews (records: RoundRecord[], block: { height: number, hash: string, certificate: CommitCertificate, recordHashes: string[] }): Promise<void> {
    try {
      const messages = await this.chainSync!.fetchMessages([...new Set(records.flatMap(r => r.includedMessageIds.map(toHex)))])
      for (const r of records) {
        const qid = toHex(r.queryId)
        const view = finalView(r, messages, block, this.views.get(qid) ?? await this.store.getQuery(qid), this.now())
        this.views.set(qid, view)
        await this.store.putQuery(view)
      }
    } catch (err) {
      this.log.debug(`filling in views of block ${block.height} failed: ${(err as Error).message}`)
    }
  }

  private async dialBootstrap (): Promise<void> {
    const host = this.host
    if (host === undefined) return
    for (const address of this.init.bootstrap ?? []) {
      try {
        const ma = multiaddr(address)
        const peer = ma.getComponents().find(c => c.name === 'p2p')?.value
        if (peer !== undefined && host.getConnections().some(c => c.remotePeer.toString() === peer)) continue
        await host.dial(ma, { signal: AbortSignal.timeout(2_000) })
      } catch (err) {
        this.log.debug(`bootstrap ${address} not reachable: ${(err as Error).message}`)
      }
    }
  }
}

function truncate (text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 60 ? line.slice(0, 57) + '...' : line
}
