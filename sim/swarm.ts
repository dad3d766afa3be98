import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { drawTask } from '../protocol/agents/tasks.js'
import { checkProposedBlock } from '../protocol/bft/block-check.js'
import type { BlockCheck } from '../protocol/bft/block-check.js'
import { HeightDriver, heightDriverLimits } from '../protocol/bft/height-driver.js'
import type { ConsensusMemory, ConsensusMessage, HeightEffect, HeightEvent } from '../protocol/bft/height-driver.js'
import { misbehave } from '../protocol/byzantine.js'
import { drawCommittees } from '../protocol/committee.js'
import { asBytes, sha256, toHex, utf8 } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { blockHash } from '../protocol/ledger.js'
import { HashStream } from '../protocol/random.js'
import { genesisValidator, newcomer, votingPower } from '../protocol/reputation.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import { queryIdHexOf } from '../protocol/round.js'
import { RoundSet } from '../protocol/round-set.js'
import type { RoundSetEffect, RoundSetEvent } from '../protocol/round-set.js'
import { encodeBlock } from '../protocol/wire/codec.js'
import { signMessageSync } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { VoteType } from '../protocol/wire/messages.js'
import type { Block, Payload } from '../protocol/wire/messages.js'
import { isByzantine, simAnswer, simJudge } from './agents.js'
import type { SimAgent } from './agents.js'
import { SIM_EPOCH_MS } from './config.js'
import type { SimConfig, SimNodeSpec, SimResult } from './config.js'
import { DecidedChain } from './decided-chain.js'
import { EventQueue } from './event-queue.js'
import { gradeQuery } from './grading.js'
import type { QueryInfo } from './grading.js'
import { SimNetwork } from './network.js'
import { Prng } from './prng.js'
import { Scenario } from './scenario.js'
import type { ScenarioNode, ScenarioTarget } from './scenario.js'

export { SIM_EPOCH_MS } from './config.js'
export type { BlockSample, ChurnSpec, JoinWave, PartitionSpec, QueryOutcome, SimConfig, SimNodeSpec, SimResult } from './config.js'

/**
 * The swarm simulator (DESIGN §6): N nodes in one process on a simulated network, each running
 * the node's own drivers — the round set (protocol/round-set.ts) with real signed envelopes, and
 * on validators the height driver (protocol/bft/height-driver.ts, Tendermint inside) with the
 * node's block rules — on a virtual clock. This file is the simulator's shell around them, as
 * node/consensus.ts and node/round-runner.ts are the node's: it carries out their effects as
 * simulated messages, timers and agent calls. Deterministic from the seed.
 *
 * Simplifications (each stated where it is made): BFT votes are sized like real signed votes but
 * not signed (the simulated network authenticates senders); computation takes no virtual time;
 * nodes that are neither validators nor on a query's committees only relay that query's messages
 * (they are counted for bandwidth); a node outside the validator set follows the decided chain as
 * an observer syncing at once would.
 */

interface SimNode extends ScenarioNode {
  key: PrivateKey
  agent: SimAgent
  group: string
  /** bumped on every crash: events scheduled before it are void */
  gen: number
  driver: HeightDriver<null>
  rounds: RoundSet
  /** the last-sign state the driver asked to persist (survives a crash, as the node's file does) */
  signState?: ConsensusMemory
  /** message ids this node holds (for block checks) */
  have: Set<string>
  syncing: boolean
  /** the earliest tick the driver asked for and the simulator scheduled */
  wakeAt: number
}

export class SwarmSim implements ScenarioTarget {
  readonly cfg: SimConfig
  readonly net: SimNetwork
  readonly clock = new EventQueue()
  readonly nodes: SimNode[] = []
  readonly chain: DecidedChain
  private readonly rng: Prng
  private readonly pullRng: Prng
  private readonly taskRng: HashStream
  private readonly scenario: Scenario
  private readonly byId = new Map<string, SimNode>()
  private readonly networkId: Bytes
  private readonly messages = new Map<string, SignedMessage>()
  private readonly queries: QueryInfo[] = []
  private readonly queryByHex = new Map<string, QueryInfo>()
  private readonly checks = new Map<string, BlockCheck>()
  /** a signed vote envelope's size on the wire (measured from a real one at start-up) */
  private voteBytes = 0
  private equivocations = 0
  private votePulls = 0
  private finals = 0
  private messageCounter = 0
  private bestSingle?: SimNode
  private pendingCreations = 0
  private creations: Promise<void> = Promise.resolve()

  private constructor (cfg: SimConfig, genesis: DecidedChain) {
    this.cfg = cfg
    this.chain = genesis
    this.rng = new Prng(`sim/${cfg.seed}`)
    this.pullRng = new Prng(`sim/pulls/${cfg.seed}`)
    this.taskRng = new HashStream(sha256(utf8(`swarmrank-sim/tasks/${cfg.seed}`)))
    this.net = new SimNetwork(cfg.network, cfg.seed)
    this.networkId = sha256(utf8(`swarmrank-sim/network/${cfg.seed}`))
    this.scenario = new Scenario(cfg)
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
      validators: new Map([...sorted].map(([id, e]) => [id, votingPower(e)] as const).filter(([, p]) => p > 0))
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
      driver: this.newDriver(id),
      rounds: this.newRoundSet(id),
      have: new Set(),
      syncing: false,
      wakeAt: Infinity
    }
    this.nodes.push(node)
    this.byId.set(node.id, node)
    return node
  }

  private newDriver (id: string, memory?: ConsensusMemory): HeightDriver<null> {
    return new HeightDriver<null>({ self: id, params: this.cfg.params, state: this.chain.states[this.chain.tip], memory })
  }

  private newRoundSet (id: string): RoundSet {
    return new RoundSet({ self: id, networkId: this.networkId, params: this.cfg.params, height: this.chain.tip, tableAt: h => this.chain.states[h]?.reputations })
  }

  private nowMs (): number {
    return SIM_EPOCH_MS + Math.floor(this.clock.now)
  }

  /** The ledger height a node has applied. */
  private heightOf (node: SimNode): number {
    return node.driver.height - 1
  }

  /** Run the whole scenario; the agreement invariant is checked at every decision. */
  async run (): Promise<SimResult> {
    const { queries, queryIntervalMs } = this.cfg
    for (let i = 0; i < queries; i++) this.clock.at(1_000 + i * queryIntervalMs, () => this.submitQuery(i))
    const lastAsk = 1_000 + (queries - 1) * queryIntervalMs
    const endAt = lastAsk + (this.cfg.drainMs ?? 120_000)
    this.scenario.schedule(this, lastAsk)
    // Validators start their stall checks (the node does the same at start).
    for (const node of this.nodes) this.feedHeight(node, { type: 'tick' })
    let lastReport = -1
    // Joins create keys asynchronously; everything else runs synchronously, one event at a time.
    while (this.clock.size > 0 && this.clock.now <= endAt) {
      if (this.finals === queries && this.clock.now > lastAsk) break
      if (this.pendingCreations > 0) await this.creations
      if (!this.clock.step(endAt)) break
      const done = this.finals
      if (done !== lastReport && this.cfg.onProgress !== undefined) {
        lastReport = done
        this.cfg.onProgress(done, queries, this.clock.now)
      }
    }
    return this.result()
  }

  // --- queries and rounds ---

  private submitQuery (index: number): void {
    const entries = this.validatorsAt(this.chain.tip).filter(n => n.online && !n.syncing)
    if (entries.length === 0) return
    const entry = this.rng.pick(entries)
    const task = drawTask(this.taskRng)
    const anchor = this.heightOf(entry)
    const query = this.sign(entry, {
      query: { prompt: task.prompt, anchorHeight: anchor, createdAt: this.nowMs(), nonce: asBytes(utf8(`q${index}`)) }
    })
    const committees = drawCommittees(query.id, this.chain.states[anchor].reputations, this.cfg.params.answerers, this.cfg.params.rankers)
    const participants = new Set<number>()
    for (const id of [...committees.answerers, ...committees.rankers]) participants.add(this.byId.get(id)!.index)
    for (const v of this.validatorsAt(this.chain.tip)) participants.add(v.index)
    const info: QueryInfo = { index, task, query, anchor, committees, participants: [...participants].sort((a, b) => a - b), createdAtMs: this.clock.now }
    this.queries.push(info)
    this.queryByHex.set(query.idHex, info)
    this.publish(entry, query, info.participants)
  }

  private sign (node: SimNode, body: Omit<Payload, 'networkId'>): SignedMessage {
    const msg = signMessageSync(node.key, { networkId: this.networkId, ...body } as Payload)
    this.messages.set(msg.idHex, msg)
    return msg
  }

  /** Gossip a signed round message; the listed nodes act on it when it reaches them. */
  private publish (from: SimNode, msg: SignedMessage, participants: readonly number[]): void {
    const arrival = this.net.broadcast(from.index, msg.bytes.length)
    for (const i of participants) {
      const delay = arrival[i]
      if (delay === Infinity) continue
      const node = this.nodes[i]
      const gen = node.gen
      this.clock.after(delay, () => { if (node.online && node.gen === gen) this.onRoundMessage(node, msg) })
    }
  }

  private onRoundMessage (node: SimNode, msg: SignedMessage): void {
    node.have.add(msg.idHex)
    const p = msg.payload
    if (p.query !== undefined) {
      const info = this.queryByHex.get(msg.idHex)
      if (info === undefined || info.height !== undefined) return
      // An observer follows the decided chain (see the file comment): it is at the tip.
      if (!this.isValidator(node)) this.feedRounds(node, { type: 'height', height: this.chain.tip })
      this.feedRounds(node, { type: 'query', query: msg })
      return
    }
    const qid = queryIdHexOf(p)
    if (qid === undefined) return
    this.feedRounds(node, { type: 'message', queryIdHex: qid, message: msg })
    // A copycat answers with the first answer it sees revealed: after the commit deadline, too late.
    const state = node.rounds.round(qid)
    if (node.agent.behaviour === 'copycat' && p.answerReveal !== undefined && state !== undefined && state.own.answer === undefined && state.answerers.includes(node.id)) {
      this.feedRounds(node, { type: 'answer-ready', queryIdHex: qid, answer: p.answerReveal.answer, salt: this.rng.bytes16() })
    }
  }

  private feedRounds (node: SimNode, event: RoundSetEvent): void {
    const { effects } = node.rounds.handle(event, this.nowMs())
    for (const e of effects) this.carryOutRound(node, e)
  }

  private carryOutRound (node: SimNode, e: RoundSetEffect): void {
    const info = this.queryByHex.get(e.queryIdHex)
    if (info === undefined) return
    const gen = node.gen
    const later = (ms: number, event: RoundSetEvent): void => {
      this.clock.after(ms, () => { if (node.online && node.gen === gen) this.feedRounds(node, event) })
    }
    switch (e.type) {
      case 'request-answer': {
        const answer = simAnswer(node.agent, node.id, info.query.id, info.task, this.cfg.freeForm)
        if (answer !== undefined) later(this.rng.logNormal(this.cfg.answerMs, 0.5), { type: 'answer-ready', queryIdHex: e.queryIdHex, answer, salt: this.rng.bytes16() })
        break
      }
      case 'request-comparisons': {
        const judgements = e.pairs.map(pair => ({ a: pair.a, b: pair.b, verdict: simJudge(node.agent, node.id, info.query.id, info.task, pair.answerA, pair.answerB), reason: 'simulated' }))
        later(this.rng.logNormal(this.cfg.judgeMs, 0.5), { type: 'comparisons-ready', queryIdHex: e.queryIdHex, judgements, salt: this.rng.bytes16() })
        break
      }
      case 'publish': {
        const { keep } = misbehave(node.agent.behaviour === 'withholder' ? 'withhold' : undefined, e, () => this.rng.bytes16())
        if (!keep) break
        const { networkId: _, ...body } = e.payload
        this.publish(node, this.sign(node, body), info.participants)
        break
      }
      case 'wake-at':
        later(Math.max(0, e.at - this.nowMs()), { type: 'tick', queryIdHex: e.queryIdHex })
        break
      case 'closed':
        if (this.isValidator(node)) this.feedHeight(node, { type: 'round-ready', queryIdHex: e.queryIdHex, record: e.outcome.record })
        break
      case 'started':
      case 'cancel':
        break
    }
  }

  // --- consensus ---

  private validatorsAt (height: number): SimNode[] {
    return [...this.chain.states[height].validators.keys()].map(id => this.byId.get(id)!)
  }

  private isValidator (node: SimNode): boolean {
    return node.driver.isValidator()
  }

  private feedHeight (node: SimNode, event: HeightEvent<null>): void {
    if (!node.online) return
    const { effects } = node.driver.handle(event, this.nowMs())
    for (const e of effects) this.carryOutHeight(node, e)
  }

  private carryOutHeight (node: SimNode, e: HeightEffect<null>): void {
    const gen = node.gen
    const later = (ms: number, event: HeightEvent<null>): void => {
      this.clock.after(ms, () => { if (node.online && node.gen === gen) this.feedHeight(node, event) })
    }
    switch (e.type) {
      case 'publish-proposal': {
        const proposal = { round: e.round, value: e.block, id: toHex(blockHash(e.block.header!)), validRound: e.validRound, from: node.id }
        this.broadcastConsensus(node, encodeBlock(e.block).length + this.voteBytes, { kind: 'proposal', key: this.nextKey(), height: e.height, from: node.id, proposal, carrier: null })
        break
      }
      case 'save-sign-state':
        node.signState = structuredClone(e.memory)
        break
      case 'publish-vote':
        this.broadcastConsensus(node, this.voteBytes, { kind: 'vote', key: this.nextKey(), height: e.height, from: node.id, vote: { kind: e.kind, round: e.round, id: e.id, from: node.id, evidence: null }, carrier: null })
        break
      case 'check-block':
        this.checkBlock(node, e.height, e.id, e.block)
        break
      case 'schedule-timeout':
        later(e.delayMs, { type: 'timeout', height: e.height, kind: e.kind, round: e.round })
        break
      case 'commit':
        this.commit(node, e.block, e.id)
        break
      case 'sync':
        this.sync(node)
        break
      case 'pull-votes':
        this.pullVotes(node, e.height)
        break
      case 'wake-at':
        // One pending tick per node: the earliest asked for (the driver asks again at every step).
        if (e.at < node.wakeAt) {
          node.wakeAt = e.at
          this.clock.after(Math.max(0, e.at - this.nowMs()), () => {
            if (node.wakeAt !== e.at) return
            node.wakeAt = Infinity
            if (node.online && node.gen === gen) this.feedHeight(node, { type: 'tick' })
          })
        }
        break
      case 'equivocation':
        this.equivocations++
        break
      case 'note':
        break
    }
  }

  private nextKey (): string {
    return `m${this.messageCounter++}`
  }

  private broadcastConsensus (from: SimNode, bytes: number, msg: ConsensusMessage<null>): void {
    const arrival = this.net.broadcast(from.index, bytes)
    // Validators of this height act on it; the rest only relay (counted in the flood).
    for (const v of this.validatorsAt(Math.min(msg.height - 1, this.chain.tip))) {
      const delay = arrival[v.index]
      if (delay === Infinity) continue
      const gen = v.gen
      this.clock.after(delay, () => { if (v.online && v.gen === gen) this.feedHeight(v, { type: 'message', message: msg }) })
    }
  }

  /** valid(v): the node's block check, after fetching any named message it lacks from the block's builder. */
  private checkBlock (node: SimNode, height: number, id: string, block: Block): void {
    const builder = this.byId.get(new TextDecoder().decode(block.header?.proposer ?? new Uint8Array()))
    const named = new Set<string>()
    for (const r of block.records) for (const m of r.includedMessageIds) named.add(toHex(m))
    for (const a of block.admissions) named.add(toHex(a.joinMessageId))
    let fetched = 0
    let missing = false
    for (const m of named) {
      if (node.have.has(m)) continue
      if (this.messages.has(m) && builder?.online === true) fetched++
      else missing = true
    }
    const delay = fetched > 0 ? this.net.rttMs() : 0
    let result: BlockCheck
    const base = height - 1
    if (missing) {
      result = { valid: false, code: 'missing_message', reason: 'a named message is missing' }
    } else {
      // checkProposedBlock is a pure function of the block and the state it extends: honest
      // validators holding every named message get the same answer, so it is computed once.
      const key = `${base}/${id}`
      let cached = this.checks.get(key)
      if (cached === undefined) {
        cached = checkProposedBlock(block, {
          state: this.chain.states[base],
          params: this.cfg.params,
          validators: this.chain.states[base].validators,
          messages: new Map([...named].map(m => [m, this.messages.get(m)!])),
          tableAt: h => this.chain.states[h]?.reputations,
          isFinalized: q => this.finalizedBy(q, base)
        })
        this.checks.set(key, cached)
      }
      result = cached
      for (const m of named) node.have.add(m)
    }
    const gen = node.gen
    this.clock.after(delay, () => { if (node.online && node.gen === gen) this.feedHeight(node, { type: 'validated', height, id, valid: result.valid }) })
  }

  private finalizedBy (qid: string, height: number): boolean {
    const h = this.queryByHex.get(qid)?.height
    return h !== undefined && h <= height
  }

  /** A node decided a block: check agreement, extend the chain if it is the first, and import it. */
  private commit (node: SimNode, block: Block, id: string): void {
    const h = block.header!.height
    if (this.chain.decide(node.id, block, id, this.clock.now)) this.extended(h)
    // The node imports the chain's block at that height (its own, unless agreement was violated).
    if (h <= this.chain.tip) this.importBlock(node, h)
  }

  private importBlock (node: SimNode, h: number): void {
    if (h !== this.heightOf(node) + 1) return
    this.feedHeight(node, { type: 'committed', block: this.chain.blocks[h], state: this.chain.states[h] })
    for (const r of this.chain.blocks[h].records) this.feedRounds(node, { type: 'final', queryIdHex: toHex(r.queryId) })
    this.feedRounds(node, { type: 'height', height: h })
  }

  private extended (h: number): void {
    this.checks.clear()
    for (const record of this.chain.blocks[h].records) {
      const info = this.queryByHex.get(toHex(record.queryId))
      if (info === undefined || info.height !== undefined) continue
      info.height = h
      info.finalAtMs = this.clock.now
      this.finals++
      for (const p of info.participants) {
        const node = this.nodes[p]
        // Observers learn of the block as they follow the chain; validators import it as they decide it.
        if (!this.isValidator(node)) this.feedRounds(node, { type: 'final', queryIdHex: info.query.idHex })
        for (const m of record.includedMessageIds) node.have.delete(toHex(m))
      }
    }
    this.chain.sample(h, this.clock.now, id => this.byId.get(id)!.group)
  }

  /** Block sync: one round trip per batch of blocks (the node's sync batch), then the blocks are imported in order. */
  private sync (node: SimNode): void {
    if (node.syncing || this.heightOf(node) >= this.chain.tip) return
    node.syncing = true
    const gen = node.gen
    const blocks = this.chain.tip - this.heightOf(node)
    this.clock.after(this.net.rttMs() * (1 + Math.ceil(blocks / heightDriverLimits.syncBatchBlocks)), () => {
      if (node.gen !== gen || !node.online) return
      node.syncing = false
      const target = this.chain.tip
      for (let h = this.heightOf(node) + 1; h <= target; h++) this.importBlock(node, h)
    })
  }

  /**
   * Vote catch-up: the driver asks when its height stalled; up to three peers deciding the same
   * height hand over the proposals and votes they hold.
   */
  private pullVotes (node: SimNode, height: number): void {
    const peers = this.validatorsAt(this.heightOf(node)).filter(v => v !== node && v.online && v.driver.height === height && v.driver.messagesOfHeight(height).length > 0)
    const gen = node.gen
    for (let k = 0; k < 3 && peers.length > 0; k++) {
      const peer = peers.splice(this.pullRng.int(peers.length), 1)[0]
      const held = peer.driver.heldMessages()
      this.votePulls++
      this.net.bytesIn[node.index] += held.length * this.voteBytes
      this.clock.after(this.net.rttMs(), () => {
        if (node.gen !== gen || !node.online) return
        for (const m of held) this.feedHeight(node, { type: 'message', message: m })
      })
    }
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
    for (const v of this.validatorsAt(this.chain.tip)) {
      const delay = arrival[v.index]
      if (delay === Infinity) continue
      const gen = v.gen
      this.clock.after(delay, () => {
        if (!v.online || v.gen !== gen) return
        v.have.add(join.idHex)
        this.feedHeight(v, { type: 'join', message: join })
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
    node.driver = new HeightDriver<null>({ self: node.id, params: this.cfg.params, state: this.chain.states[applied], memory: node.signState })
    node.rounds = new RoundSet({ self: node.id, networkId: this.networkId, params: this.cfg.params, height: applied, tableAt: h => this.chain.states[h]?.reputations })
    node.online = true
    this.net.setOnline(node.index, true)
    this.net.repairMesh()
    this.sync(node)
    this.feedHeight(node, { type: 'tick' })
  }

  leave (target: ScenarioNode): void {
    this.crash(target)
    this.nodes[target.index].left = true
  }

  partition (side: (index: number) => 0 | 1): void {
    for (const node of this.nodes) this.net.group[node.index] = side(node.index)
  }

  heal (): void {
    for (const node of this.nodes) this.net.group[node.index] = 0
    // Nodes left behind on the minority side hear the majority again and catch up.
    for (const node of this.nodes) if (node.online) this.sync(node)
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
      equivocations: this.equivocations,
      votePulls: this.votePulls
    }
  }
}

async function nodeKey (seed: string, index: number): Promise<PrivateKey> {
  return generateKeyPairFromSeed('Ed25519', sha256(utf8(`swarmrank-sim/key/${seed}/${index}`)))
}
