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
import type { LedgerSnapshot } from '../protocol/ledger.js'
import type { RoundOutcome } from '../protocol/record.js'
import { queryIdHexOf } from '../protocol/round.js'
import type { RoundState } from '../protocol/round.js'
import { signMessage } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { wireLimits } from '../protocol/wire/limits.js'
import type { Payload } from '../protocol/wire/messages.js'
import { reject, validateEnvelope } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { Agent } from './agents/agent.js'
import { createHost, topicsFor } from './host.js'
import type { SwarmHost } from './host.js'
import { LedgerKeeper } from './ledger-keeper.js'
import { createLogger } from './logger.js'
import type { ComponentLogger, Logger } from './logger.js'
import { RoundRunner } from './round-runner.js'
import type { ByzantineBehaviour } from './round-runner.js'
import { NodeStore } from './store.js'
import type { QueryView } from './store.js'

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
  logger?: ComponentLogger
  /** The wall clock; injectable for tests. */
  now?: () => number
  /** Misbehave on purpose (tests, fault-injection clusters). */
  byzantine?: ByzantineBehaviour
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

/** How often to redial bootstrap peers we are not connected to (restarts, partitions). */
const REDIAL_MS = 3_000

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
  private readonly topics: ReturnType<typeof topicsFor>
  private readonly views = new Map<string, QueryView>()
  private host?: SwarmHost
  private ledgerKeeper?: LedgerKeeper
  private runner?: RoundRunner
  private redial?: NodeJS.Timeout
  private rejected = 0

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
    this.runner = new RoundRunner({
      self: this.peerId,
      networkId: asBytes(this.networkId),
      genesis: this.genesis,
      agent: this.init.agent,
      ledger: this.ledgerKeeper,
      logger: (this.init.logger ?? createLogger({ level: 'silent' })).forComponent('round'),
      now: this.now,
      publish: async payload => this.publish(payload),
      onFinal: async (state, outcome) => this.onFinal(state, outcome)
    }, { byzantine: this.init.byzantine })

    this.host = await createHost({
      privateKey: this.init.privateKey,
      networkIdHex: this.networkIdHex,
      listen: this.init.listen,
      bootstrap: this.init.bootstrap,
      mdns: this.init.mdns
    })
    const pubsub = this.host.services.pubsub
    pubsub.topicValidators.set(this.topics.query, async (_peer, msg) => this.gossipVerdict('query', msg))
    pubsub.topicValidators.set(this.topics.round, async (_peer, msg) => this.gossipVerdict('round', msg))
    pubsub.topicValidators.set(this.topics.consensus, async () => TopicValidatorResult.Ignore)
    for (const topic of Object.values(this.topics)) pubsub.subscribe(topic)
    await this.dialBootstrap()
    this.redial = setInterval(() => { void this.dialBootstrap() }, REDIAL_MS)
    this.redial.unref()
    this.log.info(`started ${this.peerId} on ${this.multiaddrs().join(', ')} (network ${this.genesis.network}, height ${this.ledger.height})`)
  }

  async stop (): Promise<void> {
    clearInterval(this.redial)
    this.runner?.stop()
    await this.host?.stop()
    await this.store.close()
  }

  multiaddrs (): string[] {
    return this.host?.getMultiaddrs().map(a => a.toString()) ?? []
  }

  status (): NodeStatus {
    return {
      peerId: this.peerId,
      network: this.genesis.network,
      networkId: this.networkIdHex,
      height: this.ledger.height,
      stateRoot: this.ledger.stateRoot(),
      listen: this.multiaddrs(),
      connectedPeers: [...new Set(this.host?.getConnections().map(c => c.remotePeer.toString()) ?? [])].sort(),
      roundsInFlight: this.runner?.inFlight ?? 0,
      agent: this.init.agent.description
    }
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
    this.views.set(msg.idHex, pendingView(msg))
    await this.runner!.onQuery(msg)
    await this.store.putMessage(msg.idHex, msg.bytes)
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
    await this.store.putMessage(msg.idHex, msg.bytes)
    await this.host.services.pubsub.publish(payload.query !== undefined ? this.topics.query : this.topics.round, msg.bytes)
    return msg
  }

  private async gossipVerdict (topic: 'query' | 'round', msg: Message): Promise<TopicValidatorResult> {
    let verdict: Validation<unknown>
    try {
      verdict = await this.validateGossip(topic, msg.data)
    } catch (err) {
      this.log.error(`validating a ${topic} message failed: ${(err as Error).stack ?? String(err)}`)
      return TopicValidatorResult.Ignore
    }
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

  private async validateGossip (topic: 'query' | 'round', data: Uint8Array): Promise<Validation<unknown>> {
    const v = await validateEnvelope(data, { networkId: this.networkId, now: this.now() })
    if (v.result !== 'ACCEPT') return v
    const msg = v.value
    if (topic === 'query') {
      // [REJECT] only queries travel on the query topic
      if (msg.payload.query === undefined) return reject('not a query on the query topic')
      const verdict = await this.runner!.onQuery(msg)
      if (verdict.result === 'ACCEPT') {
        if (!this.views.has(msg.idHex)) this.views.set(msg.idHex, pendingView(msg))
        await this.store.putMessage(msg.idHex, msg.bytes)
      }
      return verdict
    }
    const queryId = queryIdHexOf(msg.payload)
    // [REJECT] only commits and reveals travel on the round topic
    if (queryId === undefined) return reject('not a round message on the round topic')
    const verdict = this.runner!.onRoundMessage(queryId, msg)
    if (verdict.result === 'ACCEPT') await this.store.putMessage(msg.idHex, msg.bytes)
    return verdict
  }

  private async onFinal (state: RoundState, outcome: RoundOutcome): Promise<void> {
    const id = state.queryIdHex
    const snapshot = this.ledger.snapshot() // taken now: it includes exactly this round's record
    const query = state.init.query.payload.query!
    const total = outcome.candidates.reduce((s, c) => s + c.strengthPpm, 0)
    const view: QueryView = {
      id,
      prompt: query.prompt,
      status: 'final',
      phase: 'done',
      createdAt: query.createdAt,
      anchorHeight: query.anchorHeight,
      answerers: state.answerers,
      rankers: state.rankers,
      answer: outcome.winner?.answer ?? null,
      winner: outcome.winner?.id ?? null,
      candidates: outcome.candidates.map(c => ({ ...c, strength: total > 0 ? c.strengthPpm / total : 0 })),
      strengths: Object.fromEntries(outcome.candidates.map(c => [c.id, c.strengthPpm])),
      record: {
        height: snapshot.height,
        includedMessages: outcome.record.includedMessageIds.length,
        deltas: outcome.record.deltas.map(d => ({ peerId: new TextDecoder().decode(d.node), deltaPpm: d.deltaPpm }))
      },
      finalizedAt: this.now()
    }
    this.views.set(id, view)
    await this.store.commitRound(id, outcome.record, view, snapshot)
    this.log.info(`round ${id.slice(0, 12)} final at height ${snapshot.height}: "${truncate(view.answer ?? '(no answer)')}" from ${outcome.candidates.length} candidate(s)`)
    this.dispatchEvent(new CustomEvent('round-final', { detail: { id, record: outcome.record, view } }))
    // Keep memory bounded: finished views live in the store.
    if (this.views.size > 1000) for (const [k, v] of this.views) { if (v.status === 'final') { this.views.delete(k); break } }
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

function pendingView (msg: SignedMessage): QueryView {
  const q = msg.payload.query!
  return { id: msg.idHex, prompt: q.prompt, status: 'pending', phase: 'answering', createdAt: q.createdAt, anchorHeight: q.anchorHeight }
}

function truncate (text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 60 ? line.slice(0, 57) + '...' : line
}
