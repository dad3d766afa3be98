import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { HeightDriver } from '../protocol/bft/height-driver.js'
import { censoredBy } from '../protocol/byzantine.js'
import type { ConsensusMemory } from '../protocol/bft/height-io.js'
import { LastCommitCollector } from '../protocol/bft/last-commit.js'
import { sha256, utf8 } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { emptyJailing } from '../protocol/jailing.js'
import { HashStream } from '../protocol/random.js'
import { genesisValidator, newcomer, votingPower } from '../protocol/reputation.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import { RoundSet } from '../protocol/round-set.js'
import { signMessageSync } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { VoteType } from '../protocol/wire/messages.js'
import type { Payload } from '../protocol/wire/messages.js'
import { isByzantine } from './agents.js'
import type { SimAgent } from './agents.js'
import { SIM_EPOCH_MS } from './config.js'
import type { FloodOutcome, Jailing, SimConfig, SimNodeSpec, SimResult } from './config.js'
import { DecidedChain } from './decided-chain.js'
import { EventQueue } from './event-queue.js'
import { gradeQuery } from './grading.js'
import type { QueryInfo } from './grading.js'
import { SimNetwork } from './network.js'
import { Prng } from './prng.js'
import { SimConsensus } from './consensus-shell.js'
import { SimRounds } from './round-shell.js'
import { Scenario } from './scenario.js'
import type { ScenarioNode, ScenarioTarget } from './scenario.js'
import type { SimCarrier, SimNode, SimWorld } from './world.js'

export { SIM_EPOCH_MS } from './config.js'
export type { BlockSample, ChurnSpec, DepartureSpec, FloodOutcome, Jailing, JoinWave, PartitionSpec, QueryOutcome, SimConfig, SimNodeSpec, SimResult } from './config.js'

/**
 * The swarm simulator (DESIGN §6): N nodes in one process on a simulated network, each running
 * the node's own drivers — the round set (protocol/round-set.ts) with real signed envelopes, and
 * on validators the height driver (protocol/bft/height-driver.ts, Tendermint inside) with the
 * node's block rules — on a virtual clock. This file is the simulator's shell around them, as
 * node/consensus.ts and node/round-runner.ts are the node's: it carries out their effects as
 * simulated messages, timers and agent calls. Deterministic from the seed.
 *
 * Simplifications (each stated where it is made): block proposals are sized like signed ones but
 * not signed (votes are signed: blocks embed them as commits and evidence); computation takes no virtual time;
 * nodes that are neither validators nor on a query's committees only relay that query's messages
 * (they are counted for bandwidth); a node outside the validator set follows the decided chain as
 * an observer syncing at once would.
 */

export class SwarmSim implements ScenarioTarget, SimWorld {
  readonly cfg: SimConfig
  readonly net: SimNetwork
  readonly clock = new EventQueue()
  readonly nodes: SimNode[] = []
  readonly chain: DecidedChain
  readonly rng: Prng
  readonly taskRng: HashStream
  readonly byId = new Map<string, SimNode>()
  readonly networkId: Bytes
  readonly messages = new Map<string, SignedMessage>()
  readonly queries: QueryInfo[] = []
  /** the `flooder` queries beyond the asked ones (kept out of the accuracy figures) */
  readonly floodQueries: QueryInfo[] = []
  readonly queryByHex = new Map<string, QueryInfo>()
  readonly stats = { equivocations: 0, votePulls: 0, finals: 0, floodSubmitted: 0 }
  private readonly jailings: Jailing[] = []
  private readonly departures = new Map<string, number>()
  readonly consensus: SimConsensus
  readonly rounds: SimRounds
  voteBytes = 0
  private readonly scenario: Scenario
  private bestSingle?: SimNode
  private pendingCreations = 0
  private creations: Promise<void> = Promise.resolve()

  private constructor (cfg: SimConfig, genesis: DecidedChain) {
    this.cfg = cfg
    this.chain = genesis
    this.rng = new Prng(`sim/${cfg.seed}`)
    this.taskRng = new HashStream(sha256(utf8(`swarmrank-sim/tasks/${cfg.seed}`)))
    this.net = new SimNetwork(cfg.network, cfg.seed)
    this.networkId = sha256(utf8(`swarmrank-sim/network/${cfg.seed}`))
    this.scenario = new Scenario(cfg)
    this.consensus = new SimConsensus(this)
    this.rounds = new SimRounds(this)
  }

  static async create (cfg: SimConfig): Promise<SwarmSim> {
    const keys: PrivateKey[] = []
    for (let i = 0; i < cfg.nodes.length; i++) keys.push(await nodeKey(cfg.seed, i))
    const reputations = new Map<string, ReputationEntry>()
    for (let i = 0; i < cfg.nodes.length; i++) {
      reputations.set(peerIdFromPrivateKey(keys[i]).toString(), cfg.nodes[i].founder ? genesisValidator(500_000) : newcomer(cfg.params.reputation))
    }
    const sorted = new Map([...reputations].sort(([a], [b]) => (a < b ? -1 : 1)))
    const genesis = {
      height: 0,
      lastBlockHash: new Uint8Array(32),
      lastBlockTime: 0,
      reputations: sorted,
      validators: new Map([...sorted].map(([id, e]) => [id, votingPower(e)] as const).filter(([, p]) => p > 0)),
      ordered: new Map(),
      epochQueries: new Map(),
      ...(cfg.params.jailing === undefined ? {} : { jailing: emptyJailing() })
    }
    const sim = new SwarmSim(cfg, new DecidedChain(genesis, cfg.params))
    for (let i = 0; i < cfg.nodes.length; i++) sim.addNode(cfg.nodes[i], keys[i])
    sim.net.repairMesh()
    const honest = sim.nodes.filter(n => !isByzantine(n.agent))
    sim.bestSingle = honest.sort((a, b) => b.agent.answerSkill - a.agent.answerSkill || a.index - b.index)[0]
    sim.voteBytes = signMessageSync(keys[0], { networkId: sim.networkId, vote: { type: VoteType.PRECOMMIT, height: 1, round: 0, blockHash: new Uint8Array(32) } }).bytes.length
    return sim
  }

  private addNode (spec: Omit<SimNodeSpec, 'founder'>, key: PrivateKey): SimNode {
    const index = this.nodes.length
    const netIndex = this.net.addNode()
    if (netIndex !== index) throw new Error('node and network indices diverged')
    const id = peerIdFromPrivateKey(key).toString()
    const node: SimNode = {
      index,
      id,
      key,
      agent: spec.agent,
      group: spec.group,
      online: true,
      left: false,
      gen: 0,
      driver: this.newDriver(id, spec.agent),
      lastCommit: new LastCommitCollector(),
      rounds: this.newRoundSet(id),
      have: new Set(),
      syncing: false,
      wakeAt: Infinity
    }
    this.nodes.push(node)
    this.byId.set(node.id, node)
    return node
  }

  private newDriver (id: string, agent: SimAgent, memory?: ConsensusMemory): HeightDriver<SimCarrier> {
    return new HeightDriver<SimCarrier>({ self: id, params: this.cfg.params, state: this.chain.states[this.chain.tip], memory, censor: agent.behaviour === 'censor' ? censoredBy(id) : undefined })
  }

  private newRoundSet (id: string): RoundSet {
    return new RoundSet({ self: id, networkId: this.networkId, params: this.cfg.params })
  }

  nowMs (): number {
    return SIM_EPOCH_MS + Math.floor(this.clock.now)
  }

  /** The ledger height a node has applied. */
  heightOf (node: SimNode): number {
    return node.driver.height - 1
  }

  /** Run the whole scenario; the agreement invariant is checked at every decision. */
  async run (): Promise<SimResult> {
    const { queries, queryIntervalMs } = this.cfg
    for (let i = 0; i < queries; i++) this.clock.at(1_000 + i * queryIntervalMs, () => this.rounds.submitQuery(i))
    const lastAsk = 1_000 + (queries - 1) * queryIntervalMs
    const floodEvery = 1_000 / (this.cfg.flood?.perSecond ?? 5)
    for (const node of this.nodes) if (node.agent.behaviour === 'flooder') this.flood(node, 1_000 + this.rng.next() * floodEvery, floodEvery, lastAsk)
    const endAt = lastAsk + (this.cfg.drainMs ?? 120_000)
    this.scenario.schedule(this, lastAsk)
    // Validators start their stall checks (the node does the same at start).
    for (const node of this.nodes) this.consensus.feed(node, { type: 'tick' })
    let lastReport = -1
    // Joins create keys asynchronously; everything else runs synchronously, one event at a time.
    while (this.clock.size > 0 && this.clock.now <= endAt) {
      if (this.stats.finals === queries && this.clock.now > lastAsk) break
      if (this.pendingCreations > 0) await this.creations
      if (!this.clock.step(endAt)) break
      const done = this.stats.finals
      if (done !== lastReport && this.cfg.onProgress !== undefined) {
        lastReport = done
        this.cfg.onProgress(done, queries, this.clock.now)
      }
    }
    return this.result()
  }

  /** A flooder's extra queries, one every `every` ms until the last asked one. */
  private flood (node: SimNode, at: number, every: number, until: number): void {
    if (at > until) return
    this.clock.at(at, () => {
      if (node.online && !node.left) this.rounds.submitFlood(node)
      this.flood(node, at + every, every, until)
    })
  }

  /** The chain grew to height h: note who it jailed. */
  onExtended (h: number): void {
    const before = this.chain.states[h - 1].jailing?.jailed
    const after = this.chain.states[h].jailing?.jailed
    if (after === undefined) return
    for (const id of after.keys()) {
      if (before?.has(id) === true) continue
      const left = this.departures.get(id)
      this.jailings.push({ node: id, group: this.byId.get(id)!.group, height: h, atMs: Math.round(this.clock.now), ...(left === undefined ? {} : { leftAtMs: left }) })
    }
  }

  sign (node: SimNode, body: Omit<Payload, 'networkId'>): SignedMessage {
    const msg = signMessageSync(node.key, { networkId: this.networkId, ...body } as Payload)
    this.messages.set(msg.idHex, msg)
    return msg
  }

  // --- the scenario's faults (ScenarioTarget) ---

  validatorsNow (): ReadonlyMap<string, number> {
    return this.chain.states[this.chain.tip].validators
  }

  /** Fresh identities: new keys (async), a place in the mesh, and a Join repeated until a block admits them. */
  joinWave (wave: { count: number, agent: SimAgent, group: string }): void {
    this.pendingCreations++
    this.creations = this.creations.then(async () => {
      for (let i = 0; i < wave.count; i++) {
        const node = this.addNode({ agent: wave.agent, group: wave.group }, await nodeKey(this.cfg.seed, this.nodes.length))
        this.askToJoin(node)
      }
      this.pendingCreations--
    })
  }

  private askToJoin (node: SimNode): void {
    if (!node.online || this.chain.states[this.chain.tip].reputations.has(node.id)) return
    const join = this.sign(node, { join: { createdAt: this.nowMs() } })
    const arrival = this.net.broadcast(node.index, join.bytes.length)
    for (const v of this.consensus.validatorsAt(this.chain.tip)) {
      const delay = arrival[v.index]
      if (delay === Infinity) continue
      const gen = v.gen
      this.clock.after(delay, () => {
        if (!v.online || v.gen !== gen) return
        v.have.add(join.idHex)
        this.consensus.feed(v, { type: 'join', message: join })
      })
    }
    const gen = node.gen
    this.clock.after(this.cfg.joinRetryMs ?? 5_000, () => { if (node.gen === gen) this.askToJoin(node) })
  }

  crash (target: ScenarioNode): void {
    const node = this.nodes[target.index]
    node.online = false
    node.gen++
    node.syncing = false
    node.wakeAt = Infinity
    this.net.setOnline(node.index, false)
  }

  /** Back from a crash: what was in memory is gone; the ledger and the sign state were on disk. */
  restore (target: ScenarioNode): void {
    const node = this.nodes[target.index]
    const applied = node.driver.height - 1
    node.driver = new HeightDriver<SimCarrier>({ self: node.id, params: this.cfg.params, state: this.chain.states[applied], memory: node.signState, censor: node.agent.behaviour === 'censor' ? censoredBy(node.id) : undefined })
    node.lastCommit = new LastCommitCollector()
    node.rounds = new RoundSet({ self: node.id, networkId: this.networkId, params: this.cfg.params })
    node.online = true
    // the last block's commit, from the store (the node's shell loads it at start)
    this.consensus.takeCommit(node, applied)
    this.rounds.resume(node, applied)
    this.net.setOnline(node.index, true)
    this.net.repairMesh()
    this.consensus.sync(node)
    this.consensus.feed(node, { type: 'tick' })
  }

  leave (target: ScenarioNode): void {
    this.crash(target)
    this.nodes[target.index].left = true
    this.departures.set(target.id, Math.round(this.clock.now))
  }

  partition (side: (index: number) => 0 | 1): void {
    for (const node of this.nodes) this.net.group[node.index] = side(node.index)
  }

  heal (): void {
    for (const node of this.nodes) this.net.group[node.index] = 0
    // Nodes left behind on the minority side hear the majority again and catch up.
    for (const node of this.nodes) if (node.online) this.consensus.sync(node)
  }

  // --- results ---

  private result (): SimResult {
    const ctx = {
      seed: this.cfg.seed,
      params: this.cfg.params,
      freeForm: this.cfg.freeForm,
      chain: this.chain,
      messages: this.messages,
      groupOf: (id: string) => this.byId.get(id)!.group,
      bestSingle: this.bestSingle
    }
    const outcomes = this.queries.map(info => gradeQuery(info, ctx))
    const n = this.nodes.length
    const asked = Math.max(1, this.queries.length)
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)
    return {
      seed: this.cfg.seed,
      nodes: this.cfg.nodes.length,
      nodesAtEnd: n,
      simMs: Math.round(this.clock.now),
      queries: outcomes,
      blocks: this.chain.samples,
      height: this.chain.tip,
      stateRoot: this.chain.stateRoot(),
      agreement: { decisions: this.chain.decisions, violations: this.chain.violations, ...(this.chain.firstViolation === undefined ? {} : { first: this.chain.firstViolation }) },
      traffic: {
        messagesPerNodePerQuery: sum(this.net.messagesIn) / n / asked,
        bytesInPerNodePerQuery: sum(this.net.bytesIn) / n / asked,
        bytesOutPerNodePerQuery: sum(this.net.bytesOut) / n / asked,
        broadcasts: this.net.broadcasts
      },
      faults: { ...this.scenario.faults },
      equivocations: this.stats.equivocations,
      votePulls: this.stats.votePulls,
      evidence: this.chain.samples.reduce((t, b) => t + b.evidence, 0),
      jailings: this.jailings,
      departures: [...this.departures].map(([node, atMs]) => ({ node, atMs })),
      ...(this.stats.floodSubmitted === 0 ? {} : { flood: this.floodOutcome(ctx) })
    }
  }

  private floodOutcome (ctx: Parameters<typeof gradeQuery>[1]): FloodOutcome {
    const graded = this.floodQueries.map(info => gradeQuery(info, ctx))
    const modelCalls: Record<string, number> = {}
    for (const q of graded) for (const [g, n] of Object.entries(q.modelCalls)) modelCalls[g] = (modelCalls[g] ?? 0) + n
    const flooders = this.nodes.filter(n => n.agent.behaviour === 'flooder').length
    const { perSecond, perEpoch } = this.cfg.params.submission
    const seconds = (this.cfg.queries - 1) * this.cfg.queryIntervalMs / 1000
    return {
      submitted: this.stats.floodSubmitted,
      ordered: this.floodQueries.filter(q => q.anchor !== undefined).length,
      final: graded.filter(q => q.final).length,
      modelCalls,
      // the gossip door: perSecond sustained plus a burst of twice that; the blocks: perEpoch an epoch
      quotaBySecond: flooders * Math.floor(perSecond * seconds + 2 * perSecond),
      quotaByEpoch: flooders * perEpoch * Math.ceil(this.chain.tip / this.cfg.params.bft.epochBlocks),
      flooders
    }
  }
}

async function nodeKey (seed: string, index: number): Promise<PrivateKey> {
  return generateKeyPairFromSeed('Ed25519', sha256(utf8(`swarmrank-sim/key/${seed}/${index}`)))
}
