import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { drawTask } from '../protocol/agents/tasks.js'
import type { Task } from '../protocol/agents/tasks.js'
import { checkProposedBlock } from '../protocol/bft/block-check.js'
import type { BlockCheck } from '../protocol/bft/block-check.js'
import { proposerFor } from '../protocol/bft/proposer.js'
import { Tendermint } from '../protocol/bft/tendermint.js'
import type { TendermintEvent, ValueId, VoteKind } from '../protocol/bft/tendermint.js'
import { drawCommittees } from '../protocol/committee.js'
import type { ProtocolParams } from '../protocol/genesis.js'
import { asBytes, sha256, toHex, utf8 } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { applyBlock, blockHash, proposeBlock, stateRootHex } from '../protocol/ledger.js'
import type { LedgerState } from '../protocol/ledger.js'
import { HashStream } from '../protocol/random.js'
import { candidateId, computeRoundRecord, evidenceFromMessages } from '../protocol/record.js'
import { genesisValidator, newcomer, votingPower } from '../protocol/reputation.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import { queryIdHexOf, startRound, stepRound } from '../protocol/round.js'
import type { RoundAction, RoundEvent, RoundState } from '../protocol/round.js'
import { encodeBlock } from '../protocol/wire/codec.js'
import { signMessageSync } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { VoteType } from '../protocol/wire/messages.js'
import type { Block, Payload, RoundRecord } from '../protocol/wire/messages.js'
import { isByzantine, isRight, simAnswer, simJudge } from './agents.js'
import type { SimAgent } from './agents.js'
import { EventQueue } from './event-queue.js'
import { SimNetwork } from './network.js'
import type { NetworkParams } from './network.js'
import { Prng } from './prng.js'

/**
 * The swarm simulator (DESIGN §6): N nodes in one process on a simulated network, each running
 * the node's protocol state machines — the round reducer (protocol/round.ts) with real signed
 * envelopes, and on validators Tendermint (protocol/bft/tendermint.ts) with the node's block
 * rules (buildBlock, checkProposedBlock recomputing every record, applyBlock) — on a virtual
 * clock. Deterministic from the seed: keys, salts, latencies, agents' luck and churn are drawn
 * from it, and events at equal times run in scheduling order.
 *
 * Simplifications (each stated where it is made): BFT votes are sized like real signed votes but
 * not signed (the simulated network authenticates senders); computation takes no virtual time;
 * nodes that are neither validators nor on a query's committees only relay that query's messages
 * (they are counted for bandwidth) — they learn results from blocks, as a real observer can.
 */

/** Virtual time 0 is this Unix time (ms), so createdAt and block times look like real ones. */
export const SIM_EPOCH_MS = 1_700_000_000_000

/** How long a validator's height may sit in one round and step before it asks peers for their votes. */
const STALL_MS = 3_000

/** A signed vote envelope's size on the wire (measured from a real one at start-up). */
let voteBytes = 0

export interface SimNodeSpec {
  agent: SimAgent
  /** a genesis validator; the others start in the ledger on probation */
  founder: boolean
  /** label for reports (a profile name, "sybil", ...) */
  group: string
}

export interface ChurnSpec {
  /** share of the nodes leaving per minute (as many join); 0.1 = 10 %/min */
  perMinute: number
  /** crashed nodes come back after this long (the rest of the leavers are gone for good) */
  returnAfterMs: number
  /** share of leavers that crash and return (the others leave for good and are replaced by fresh identities) */
  returnShare: number
  /** the agent of fresh identities */
  freshAgent: () => SimAgent
}

export interface JoinWave {
  atMs: number
  count: number
  agent: SimAgent
  group: string
}

export interface PartitionSpec {
  atMs: number
  healAtMs: number
  /** share of the nodes cut off into the minority side */
  share: number
}

export interface SimConfig {
  seed: string
  nodes: SimNodeSpec[]
  params: ProtocolParams
  network: NetworkParams
  /** answers in free form (rarely identical strings) instead of bare values */
  freeForm: boolean
  queries: number
  queryIntervalMs: number
  /** median agent time to answer and to judge a round's pairs (log-normal, sigma 0.5) */
  answerMs: number
  judgeMs: number
  churn?: ChurnSpec
  joins?: JoinWave[]
  partitions?: PartitionSpec[]
  /** how often a node outside the ledger repeats its Join (the node's default: 5 s) */
  joinRetryMs?: number
  /** give up on queries not final this long after the last one was asked */
  drainMs?: number
  onProgress?: (done: number, total: number, simMs: number) => void
}

/** What happened to one query. */
export interface QueryOutcome {
  index: number
  createdAtMs: number
  final: boolean
  /** virtual ms from the query to the first commit of a block holding its record */
  finalityMs?: number
  height?: number
  answers: number
  distinctAnswers: number
  consensusRight: boolean
  majorityRight: boolean
  unweightedRight: boolean
  bestSingleRight: boolean
  /** share of the query's committee seats held by each node group */
  seats: Record<string, number>
}

/** The ledger after each block, summarised by node group. */
export interface BlockSample {
  height: number
  timeMs: number
  records: number
  admissions: number
  /** mean reputation (ppm) and share of validator power per group */
  reputation: Record<string, number>
  powerShare: Record<string, number>
  members: Record<string, number>
}

export interface SimResult {
  seed: string
  nodes: number
  nodesAtEnd: number
  simMs: number
  queries: QueryOutcome[]
  blocks: BlockSample[]
  height: number
  stateRoot: string
  agreement: { decisions: number, violations: number, first?: string }
  /** per node per query asked: copies received and bytes in and out */
  traffic: { messagesPerNodePerQuery: number, bytesInPerNodePerQuery: number, bytesOutPerNodePerQuery: number, broadcasts: number }
  faults: { crashes: number, returns: number, leaves: number, freshJoins: number, partitions: number }
  equivocations: number
  /** vote catch-up requests made by stalled validators */
  votePulls: number
}

interface SimNode {
  index: number
  id: string
  key: PrivateKey
  agent: SimAgent
  group: string
  online: boolean
  /** bumped on every crash: events scheduled before it are void */
  gen: number
  /** applied ledger height (validators; followers read the chain's tip) */
  height: number
  rounds: Map<string, RoundState>
  have: Set<string>
  tm?: Tendermint<Block, null>
  pool: Map<string, { record: RoundRecord, messages: readonly SignedMessage[] }>
  joins: Map<string, SignedMessage>
  future: ConsensusMessage[]
  /** proposals and votes of the height this node is deciding, served to peers that ask (vote catch-up) */
  heightLog: Set<ConsensusMessage>
  pendingValueRound?: number
  syncing: boolean
  left: boolean
}

interface ConsensusMessage {
  height: number
  event: TendermintEvent<Block, null>
}

interface QueryInfo {
  index: number
  task: Task
  query: SignedMessage
  anchor: number
  committees: { answerers: string[], rankers: string[] }
  /** nodes that run this round's reducer */
  participants: number[]
  createdAtMs: number
  finalAtMs?: number
  height?: number
}

export class SwarmSim {
  readonly cfg: SimConfig
  readonly net: SimNetwork
  readonly clock = new EventQueue()
  private readonly rng: Prng
  private readonly taskRng: HashStream
  readonly nodes: SimNode[] = []
  private readonly byId = new Map<string, SimNode>()
  private readonly networkId: Bytes
  /** the decided chain: states[h] after h blocks; blocks[h], hashes[h], decidedAt[h] for h ≥ 1 */
  readonly states: LedgerState[] = []
  private readonly blocks: Block[] = []
  private readonly hashes: string[] = []
  private readonly decidedAt: number[] = []
  private readonly messages = new Map<string, SignedMessage>()
  private readonly queries: QueryInfo[] = []
  private readonly queryByHex = new Map<string, QueryInfo>()
  private readonly checks = new Map<string, BlockCheck>()
  private readonly samples: BlockSample[] = []
  private decisions = 0
  private violations = 0
  private firstViolation?: string
  private equivocations = 0
  private votePulls = 0
  private readonly pullRng: Prng
  private finals = 0
  private readonly faults = { crashes: 0, returns: 0, leaves: 0, freshJoins: 0, partitions: 0 }
  private bestSingle?: SimNode

  private constructor (cfg: SimConfig) {
    this.cfg = cfg
    this.rng = new Prng(`sim/${cfg.seed}`)
    this.pullRng = new Prng(`sim/pulls/${cfg.seed}`)
    this.taskRng = new HashStream(sha256(utf8(`swarmrank-sim/tasks/${cfg.seed}`)))
    this.net = new SimNetwork(cfg.network, cfg.seed)
    this.networkId = sha256(utf8(`swarmrank-sim/network/${cfg.seed}`))
  }

  static async create (cfg: SimConfig): Promise<SwarmSim> {
    const sim = new SwarmSim(cfg)
    for (const spec of cfg.nodes) await sim.addNode(spec)
    sim.net.repairMesh()
    const reputations = new Map<string, ReputationEntry>()
    for (let i = 0; i < cfg.nodes.length; i++) {
      reputations.set(sim.nodes[i].id, cfg.nodes[i].founder ? genesisValidator(500_000) : newcomer(cfg.params.reputation))
    }
    const sorted = new Map([...reputations].sort(([a], [b]) => (a < b ? -1 : 1)))
    sim.states.push({
      height: 0,
      lastBlockHash: new Uint8Array(32),
      lastBlockTime: 0,
      reputations: sorted,
      validators: new Map([...sorted].map(([id, e]) => [id, votingPower(e)] as const).filter(([, p]) => p > 0))
    })
    const honest = sim.nodes.filter(n => !isByzantine(n.agent))
    sim.bestSingle = honest.sort((a, b) => b.agent.answerSkill - a.agent.answerSkill || a.index - b.index)[0]
    if (voteBytes === 0) {
      voteBytes = signMessageSync(sim.nodes[0].key, { networkId: sim.networkId, vote: { type: VoteType.PRECOMMIT, height: 1, round: 0, blockHash: new Uint8Array(32) } }).bytes.length
    }
    return sim
  }

  private async addNode (spec: Omit<SimNodeSpec, 'founder'>): Promise<SimNode> {
    const index = this.nodes.length
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8(`swarmrank-sim/key/${this.cfg.seed}/${index}`)))
    const netIndex = this.net.addNode()
    if (netIndex !== index) throw new Error('node and network indices diverged')
    const node: SimNode = {
      index,
      id: peerIdFromPrivateKey(key).toString(),
      key,
      agent: spec.agent,
      group: spec.group,
      online: true,
      gen: 0,
      height: this.states.length > 0 ? this.tip : 0,
      rounds: new Map(),
      have: new Set(),
      pool: new Map(),
      joins: new Map(),
      future: [],
      heightLog: new Set(),
      syncing: false,
      left: false
    }
    this.nodes.push(node)
    this.byId.set(node.id, node)
    return node
  }

  get tip (): number {
    return this.states.length - 1
  }

  private nowMs (): number {
    return SIM_EPOCH_MS + Math.floor(this.clock.now)
  }

  /** Run the whole scenario; the agreement invariant is checked at every decision. */
  async run (): Promise<SimResult> {
    const { queries, queryIntervalMs } = this.cfg
    for (let i = 0; i < queries; i++) this.clock.at(1_000 + i * queryIntervalMs, () => this.submitQuery(i))
    const lastAsk = 1_000 + (queries - 1) * queryIntervalMs
    const endAt = lastAsk + (this.cfg.drainMs ?? 120_000)
    for (const wave of this.cfg.joins ?? []) this.clock.at(wave.atMs, () => { void this.joinWave(wave) })
    for (const p of this.cfg.partitions ?? []) {
      this.clock.at(p.atMs, () => this.partition(p.share))
      this.clock.at(p.healAtMs, () => this.heal())
    }
    if (this.cfg.churn !== undefined && this.cfg.churn.perMinute > 0) this.scheduleChurn(this.cfg.churn, lastAsk)
    this.clock.at(STALL_MS, () => this.pullWhileIdle(endAt))
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
    const entries = this.validatorsAt(this.tip).filter(n => n.online && !n.syncing)
    if (entries.length === 0) return
    const entry = this.rng.pick(entries)
    const task = drawTask(this.taskRng)
    const anchor = entry.height
    const query = this.sign(entry, {
      query: { prompt: task.prompt, anchorHeight: anchor, createdAt: this.nowMs(), nonce: asBytes(utf8(`q${index}`)) }
    })
    const table = this.states[anchor].reputations
    const committees = drawCommittees(query.id, table, this.cfg.params.answerers, this.cfg.params.rankers)
    const participants = new Set<number>()
    for (const id of [...committees.answerers, ...committees.rankers]) participants.add(this.byId.get(id)!.index)
    for (const v of this.validatorsAt(this.tip)) participants.add(v.index)
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

  /** Gossip a signed message; the listed nodes act on it when it reaches them. */
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
      if (info === undefined || node.rounds.has(msg.idHex) || this.isFinal(info)) return
      const step = startRound({ self: node.id, networkId: this.networkId, query: msg, table: this.states[info.anchor].reputations, params: this.cfg.params }, this.nowMs())
      node.rounds.set(msg.idHex, step.state)
      this.carryOut(node, step.state, step.actions)
      return
    }
    const qid = queryIdHexOf(p)
    const state = qid === undefined ? undefined : node.rounds.get(qid)
    if (state === undefined) return
    this.stepRound(node, state, { type: 'message', message: msg })
    // A copycat answers with the first answer it sees revealed: after the commit deadline, too late.
    if (node.agent.behaviour === 'copycat' && p.answerReveal !== undefined && state.own.answer === undefined && state.answerers.includes(node.id)) {
      this.stepRound(node, state, { type: 'answer-ready', answer: p.answerReveal.answer, salt: this.rng.bytes16() })
    }
  }

  private stepRound (node: SimNode, state: RoundState, event: RoundEvent): void {
    const step = stepRound(state, event, this.nowMs())
    this.carryOut(node, state, step.actions)
  }

  private carryOut (node: SimNode, state: RoundState, actions: RoundAction[]): void {
    const info = this.queryByHex.get(state.queryIdHex)!
    const gen = node.gen
    const later = (ms: number, event: () => RoundEvent): void => {
      this.clock.after(ms, () => { if (node.online && node.gen === gen && node.rounds.get(state.queryIdHex) === state) this.stepRound(node, state, event()) })
    }
    for (const a of actions) {
      switch (a.type) {
        case 'request-answer': {
          const answer = simAnswer(node.agent, node.id, state.queryId, info.task, this.cfg.freeForm)
          if (answer !== undefined) later(this.rng.logNormal(this.cfg.answerMs, 0.5), () => ({ type: 'answer-ready', answer, salt: this.rng.bytes16() }))
          break
        }
        case 'request-comparisons': {
          const judgements = a.pairs.map(pair => ({ a: pair.a, b: pair.b, verdict: simJudge(node.agent, node.id, state.queryId, info.task, pair.answerA, pair.answerB), reason: 'simulated' }))
          later(this.rng.logNormal(this.cfg.judgeMs, 0.5), () => ({ type: 'comparisons-ready', judgements, salt: this.rng.bytes16() }))
          break
        }
        case 'publish': {
          if (node.agent.behaviour === 'withholder' && (a.payload.answerReveal !== undefined || a.payload.comparisonReveal !== undefined)) break
          const { networkId: _, ...body } = a.payload
          const msg = this.sign(node, body)
          this.publish(node, msg, info.participants)
          break
        }
        case 'wake-at':
          later(Math.max(0, a.at - this.nowMs()), () => ({ type: 'tick' }))
          break
        case 'finalized':
          if (this.isValidator(node)) this.addReady(node, state.queryIdHex, a.outcome.record, a.messages)
          break
      }
    }
  }

  private isFinal (info: QueryInfo): boolean {
    return info.height !== undefined
  }

  // --- consensus ---

  private validatorsAt (height: number): SimNode[] {
    return [...this.states[height].validators.keys()].map(id => this.byId.get(id)!)
  }

  private isValidator (node: SimNode): boolean {
    return this.states[Math.min(node.height, this.tip)].validators.has(node.id)
  }

  private addReady (node: SimNode, qid: string, record: RoundRecord, messages: readonly SignedMessage[]): void {
    const info = this.queryByHex.get(qid)
    if (info?.height !== undefined && info.height <= node.height) return
    node.pool.set(qid, { record, messages })
    this.somethingReady(node)
  }

  private somethingReady (node: SimNode): void {
    this.ensureStarted(node)
    const tm = node.tm
    if (tm !== undefined && node.pendingValueRound === tm.round && tm.step === 'propose' && tm.isProposer()) {
      node.pendingValueRound = undefined
      this.propose(node, tm, tm.round)
    }
  }

  private ensureStarted (node: SimNode): void {
    if (node.tm !== undefined || !node.online || node.syncing) return
    const h = node.height + 1
    const state = this.states[node.height]
    if (!state.validators.has(node.id)) return
    const waiting = [...node.pool.keys()].some(q => !this.finalizedBy(q, node.height)) ||
      [...node.joins.values()].some(j => !state.reputations.has(j.signerId)) ||
      node.future.some(m => m.height === h)
    if (!waiting) return
    const validators = state.validators
    const tm = new Tendermint<Block, null>({
      height: h,
      self: node.id,
      validators,
      proposer: r => proposerFor(validators, h, r),
      params: this.cfg.params.bft // BftParams carries Tendermint's timeouts
    })
    node.tm = tm
    node.pendingValueRound = undefined
    this.watchForStall(node, tm)
    this.feed(node, tm, { type: 'start' })
    const replay = node.future.filter(m => m.height === h)
    node.future = node.future.filter(m => m.height > h)
    for (const m of replay) if (node.tm === tm) this.feed(node, tm, m.event)
  }

  private finalizedBy (qid: string, height: number): boolean {
    const h = this.queryByHex.get(qid)?.height
    return h !== undefined && h <= height
  }

  /** getValue() of the paper: a block of what is ready, or wait (no empty blocks) until something is. */
  private propose (node: SimNode, tm: Tendermint<Block, null>, round: number): void {
    const block = this.makeBlock(node)
    if (block === undefined) node.pendingValueRound = round
    else this.feed(node, tm, { type: 'value', round, value: block, id: toHex(blockHash(block.header!)) })
  }

  private feed (node: SimNode, tm: Tendermint<Block, null>, event: TendermintEvent<Block, null>): void {
    for (const a of tm.handle(event)) {
      if (node.tm !== tm || !node.online) return
      switch (a.type) {
        case 'request-value':
          this.propose(node, tm, a.round)
          break
        case 'broadcast-proposal':
          this.broadcastConsensus(node, tm.height, encodeBlock(a.value).length + voteBytes, { type: 'proposal', proposal: { round: a.round, value: a.value, id: a.id, validRound: a.validRound, from: node.id } })
          break
        case 'broadcast-vote':
          this.broadcastConsensus(node, tm.height, voteBytes, { type: 'vote', vote: { kind: a.kind as VoteKind, round: a.round, id: a.id as ValueId, from: node.id, evidence: null } })
          break
        case 'validate':
          this.validate(node, tm, a.id, a.value)
          break
        case 'schedule-timeout': {
          const gen = node.gen
          this.clock.after(a.delayMs, () => { if (node.tm === tm && node.gen === gen) this.feed(node, tm, { type: 'timeout', kind: a.kind, round: a.round }) })
          break
        }
        case 'decide':
          this.commit(node, a.value, a.id)
          return
        case 'equivocation':
          this.equivocations++
          break
      }
    }
  }

  /**
   * Vote catch-up, as the node does it (ConsensusRunner): a validator whose height has not moved
   * (same round and step) for STALL_MS asks up to three peers at its height for the proposals and
   * votes they hold. Gossip does not resend old messages, so without this a validator that came
   * back mid-height after the others voted could never complete a quorum they were waiting for
   * (the churn experiment stalled for good at 50 %/min before this).
   */
  private watchForStall (node: SimNode, tm: Tendermint<Block, null>): void {
    const gen = node.gen
    let last = ''
    const check = (): void => {
      if (node.tm !== tm || node.gen !== gen || !node.online) return
      const now = `${tm.round}/${tm.step}`
      if (now === last) this.pullVotes(node)
      last = now
      this.clock.after(STALL_MS, check)
    }
    this.clock.after(STALL_MS, check)
  }

  /**
   * The idle half of vote catch-up: a validator that has not started the height (nothing ready
   * here: it was down when the others started it) asks peers for it every STALL_MS.
   */
  private pullWhileIdle (until: number): void {
    for (const node of this.validatorsAt(this.tip)) {
      if (node.online && !node.syncing && node.tm === undefined && node.height === this.tip) this.pullVotes(node)
    }
    if (this.clock.now + STALL_MS <= until) this.clock.after(STALL_MS, () => this.pullWhileIdle(until))
  }

  private pullVotes (node: SimNode): void {
    const peers = this.validatorsAt(node.height).filter(v => v !== node && v.online && v.height === node.height && v.heightLog.size > 0)
    const gen = node.gen
    for (let k = 0; k < 3 && peers.length > 0; k++) {
      const peer = peers.splice(this.pullRng.int(peers.length), 1)[0]
      const held = [...peer.heightLog]
      this.votePulls++
      this.net.bytesIn[node.index] += held.length * voteBytes
      this.clock.after(this.net.rttMs(), () => {
        if (node.gen !== gen || !node.online) return
        for (const m of held) this.onConsensusMessage(node, m)
      })
    }
  }

  private makeBlock (node: SimNode): Block | undefined {
    const ready = [...node.pool].filter(([qid]) => !this.finalizedBy(qid, node.height)).map(([qid, r]) => [qid, r.record] as [string, RoundRecord])
    return proposeBlock(this.states[node.height], ready, node.joins.values(), node.id, this.nowMs(), this.cfg.params)
  }

  private broadcastConsensus (from: SimNode, height: number, bytes: number, event: TendermintEvent<Block, null>): void {
    const arrival = this.net.broadcast(from.index, bytes)
    const msg: ConsensusMessage = { height, event }
    // Validators of this height act on it; the rest only relay (counted in the flood).
    for (const v of this.validatorsAt(height - 1)) {
      const delay = arrival[v.index]
      if (delay === Infinity) continue
      const gen = v.gen
      this.clock.after(delay, () => { if (v.online && v.gen === gen) this.onConsensusMessage(v, msg) })
    }
  }

  private onConsensusMessage (node: SimNode, msg: ConsensusMessage): void {
    if (msg.height <= node.height) return
    if (msg.height === node.height + 1 && node.heightLog.size < 4_096) node.heightLog.add(msg)
    if (msg.height > node.height + 1 || node.syncing) {
      if (node.future.length < 2_000) node.future.push(msg)
      this.syncIfBehind(node)
      return
    }
    if (node.tm === undefined) {
      node.future.push(msg)
      this.ensureStarted(node)
      return
    }
    this.feed(node, node.tm, msg.event)
  }

  /** valid(v): the node's block check, after fetching any named message it lacks from the block's builder. */
  private validate (node: SimNode, tm: Tendermint<Block, null>, id: string, block: Block): void {
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
    if (missing) {
      result = { valid: false, reason: 'a named message is missing' }
    } else {
      // checkProposedBlock is a pure function of the block and the state it extends: honest
      // validators holding every named message get the same answer, so it is computed once.
      const key = `${node.height}/${id}`
      let cached = this.checks.get(key)
      if (cached === undefined) {
        cached = checkProposedBlock(block, {
          state: this.states[node.height],
          params: this.cfg.params,
          validators: this.states[node.height].validators,
          messages: new Map([...named].map(m => [m, this.messages.get(m)!])),
          tableAt: h => this.states[h]?.reputations,
          isFinalized: q => this.finalizedBy(q, node.height)
        })
        this.checks.set(key, cached)
      }
      result = cached
      for (const m of named) node.have.add(m)
    }
    const gen = node.gen
    this.clock.after(delay, () => { if (node.tm === tm && node.gen === gen) this.feed(node, tm, { type: 'validated', id, valid: result.valid }) })
  }

  /** A node decided a block: check agreement, extend the chain if it is the first, move on. */
  private commit (node: SimNode, block: Block, id: string): void {
    const h = block.header!.height
    this.decisions++
    if (h <= this.tip) {
      if (this.hashes[h] !== id) this.violation(`height ${h}: ${node.id} decided ${id.slice(0, 12)}, the chain has ${this.hashes[h].slice(0, 12)}`)
    } else if (h === this.tip + 1) {
      this.extendChain(block, id)
    } else {
      this.violation(`${node.id} decided height ${h} before height ${this.tip + 1} was decided`)
      return
    }
    node.height = h
    node.tm = undefined
    node.heightLog = new Set()
    node.pendingValueRound = undefined
    for (const q of [...node.pool.keys()]) if (this.finalizedBy(q, h)) node.pool.delete(q)
    for (const [j, msg] of [...node.joins]) if (this.states[h].reputations.has(msg.signerId)) node.joins.delete(j)
    this.ensureStarted(node)
  }

  /** Counted, and the first one kept for the report: runs go on so an experiment shows what followed. */
  private violation (what: string): void {
    this.violations++
    this.firstViolation ??= what
  }

  private extendChain (block: Block, id: string): void {
    const h = block.header!.height
    this.checks.clear()
    const state = applyBlock(this.states[h - 1], block, this.cfg.params)
    this.states.push(state)
    this.blocks[h] = block
    this.hashes[h] = id
    this.decidedAt[h] = this.clock.now
    for (const record of block.records) {
      const info = this.queryByHex.get(toHex(record.queryId))
      if (info === undefined || info.height !== undefined) continue
      info.height = h
      info.finalAtMs = this.clock.now
      this.finals++
      for (const p of info.participants) {
        const node = this.nodes[p]
        node.rounds.delete(info.query.idHex)
        for (const m of record.includedMessageIds) node.have.delete(toHex(m))
      }
    }
    this.sample(h, block)
  }

  private sample (h: number, block: Block): void {
    const state = this.states[h]
    const reputation: Record<string, number> = {}
    const members: Record<string, number> = {}
    const power: Record<string, number> = {}
    let total = 0
    for (const [id, entry] of state.reputations) {
      const g = this.byId.get(id)!.group
      reputation[g] = (reputation[g] ?? 0) + entry.reputationPpm
      members[g] = (members[g] ?? 0) + 1
    }
    for (const [id, p] of state.validators) {
      const g = this.byId.get(id)!.group
      power[g] = (power[g] ?? 0) + p
      total += p
    }
    for (const g of Object.keys(reputation)) reputation[g] = Math.round(reputation[g] / members[g])
    const powerShare: Record<string, number> = {}
    for (const g of Object.keys(members)) powerShare[g] = total === 0 ? 0 : (power[g] ?? 0) / total
    this.samples.push({ height: h, timeMs: this.clock.now, records: block.records.length, admissions: block.admissions.length, reputation, powerShare, members })
  }

  /** A node that hears of a height above its own catches up by block sync (one round trip per 64 blocks). */
  private syncIfBehind (node: SimNode): void {
    if (node.syncing || node.height >= this.tip) return
    node.syncing = true
    node.tm = undefined
    const gen = node.gen
    const blocks = this.tip - node.height
    this.clock.after(this.net.rttMs() * (1 + Math.ceil(blocks / 64)), () => {
      if (node.gen !== gen || !node.online) return
      node.syncing = false
      node.height = this.tip
      node.tm = undefined
      node.heightLog = new Set()
      for (const q of [...node.pool.keys()]) if (this.finalizedBy(q, node.height)) node.pool.delete(q)
      node.future = node.future.filter(m => m.height > node.height)
      this.ensureStarted(node)
    })
  }

  // --- churn, joins, partitions ---

  private pendingCreations = 0
  private creations: Promise<void> = Promise.resolve()

  /** Fresh identities: new keys (async), a place in the mesh, and a Join repeated until a block admits them. */
  private joinWave (wave: { count: number, agent: SimAgent, group: string }): void {
    this.pendingCreations++
    this.creations = this.creations.then(async () => {
      for (let i = 0; i < wave.count; i++) {
        const node = await this.addNode({ agent: wave.agent, group: wave.group })
        node.height = this.tip
        this.faults.freshJoins++
        this.askToJoin(node)
      }
      this.pendingCreations--
    })
  }

  private askToJoin (node: SimNode): void {
    if (!node.online || this.states[this.tip].reputations.has(node.id)) return
    const join = this.sign(node, { join: { createdAt: this.nowMs() } })
    const arrival = this.net.broadcast(node.index, join.bytes.length)
    for (const v of this.validatorsAt(this.tip)) {
      const delay = arrival[v.index]
      if (delay === Infinity) continue
      const gen = v.gen
      this.clock.after(delay, () => {
        if (!v.online || v.gen !== gen) return
        v.have.add(join.idHex)
        if (v.joins.size < 256 && !this.states[v.height].reputations.has(node.id)) v.joins.set(node.id, join)
        this.somethingReady(v)
      })
    }
    const gen = node.gen
    this.clock.after(this.cfg.joinRetryMs ?? 5_000, () => { if (node.gen === gen) this.askToJoin(node) })
  }

  private scheduleChurn (churn: ChurnSpec, until: number): void {
    const rng = this.rng.fork('churn')
    const meanGapMs = 60_000 / (churn.perMinute * this.cfg.nodes.length)
    let t = 1_000
    for (;;) {
      t += -Math.log(1 - rng.next()) * meanGapMs
      if (t > until) break
      const returns = rng.next() < churn.returnShare
      this.clock.at(t, () => this.churnEvent(rng, returns, churn))
    }
  }

  private churnEvent (rng: Prng, returns: boolean, churn: ChurnSpec): void {
    // Keep more than 2/3 of the validator power up, as an operator's fault budget would.
    const validators = this.states[this.tip].validators
    const total = [...validators.values()].reduce((s, p) => s + p, 0)
    const up = [...validators].filter(([id]) => this.byId.get(id)!.online).reduce((s, [, p]) => s + p, 0)
    const candidates = this.nodes.filter(n => n.online && !n.left && (up - (validators.get(n.id) ?? 0)) * 3 > total * 2)
    if (candidates.length === 0) return
    const node = rng.pick(candidates)
    this.takeOffline(node)
    if (returns) {
      this.faults.crashes++
      this.clock.after(churn.returnAfterMs, () => this.bringBack(node))
    } else {
      this.faults.leaves++
      node.left = true
      this.joinWave({ count: 1, agent: churn.freshAgent(), group: 'fresh' })
    }
  }

  private takeOffline (node: SimNode): void {
    node.online = false
    node.gen++
    node.tm = undefined
    node.rounds.clear()
    node.future = []
    node.heightLog = new Set()
    node.syncing = false
    this.net.setOnline(node.index, false)
  }

  private bringBack (node: SimNode): void {
    node.online = true
    this.faults.returns++
    this.net.setOnline(node.index, true)
    this.net.repairMesh()
    this.syncIfBehind(node)
    this.ensureStarted(node)
  }

  private partition (share: number): void {
    this.faults.partitions++
    const rng = this.rng.fork('partition')
    for (const node of this.nodes) this.net.group[node.index] = rng.next() < share ? 1 : 0
  }

  private heal (): void {
    for (const node of this.nodes) this.net.group[node.index] = 0
    // Nodes left behind on the minority side hear the majority again and catch up.
    for (const node of this.nodes) if (node.online) this.syncIfBehind(node)
  }

  // --- results ---

  private result (): SimResult {
    const outcomes = this.queries.map(info => this.outcome(info))
    const n = this.nodes.length
    const asked = Math.max(1, this.queries.length)
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)
    return {
      seed: this.cfg.seed,
      nodes: this.cfg.nodes.length,
      nodesAtEnd: n,
      simMs: Math.round(this.clock.now),
      queries: outcomes,
      blocks: this.samples,
      height: this.tip,
      stateRoot: stateRootHex(this.states[this.tip]),
      agreement: { decisions: this.decisions, violations: this.violations, ...(this.firstViolation === undefined ? {} : { first: this.firstViolation }) },
      traffic: {
        messagesPerNodePerQuery: sum(this.net.messagesIn) / n / asked,
        bytesInPerNodePerQuery: sum(this.net.bytesIn) / n / asked,
        bytesOutPerNodePerQuery: sum(this.net.bytesOut) / n / asked,
        broadcasts: this.net.broadcasts
      },
      faults: { ...this.faults },
      equivocations: this.equivocations,
      votePulls: this.votePulls
    }
  }

  /** Grade a query: the final record's winner, and the baselines on the same answers and verdicts. */
  private outcome (info: QueryInfo): QueryOutcome {
    const seats: Record<string, number> = {}
    const members = [...info.committees.answerers, ...info.committees.rankers]
    for (const id of members) {
      const g = this.byId.get(id)!.group
      seats[g] = (seats[g] ?? 0) + 1 / members.length
    }
    const base = { index: info.index, createdAtMs: info.createdAtMs, final: info.height !== undefined, seats }
    const best = this.bestSingle === undefined ? undefined : simAnswer(this.bestSingle.agent, this.bestSingle.id, info.query.id, info.task, this.cfg.freeForm)
    const bestSingleRight = isRight(best, info.task)
    if (info.height === undefined) {
      return { ...base, answers: 0, distinctAnswers: 0, consensusRight: false, majorityRight: false, unweightedRight: false, bestSingleRight }
    }
    const record = this.blocks[info.height].records.find(r => toHex(r.queryId) === info.query.idHex)!
    const named = record.includedMessageIds.map(id => this.messages.get(toHex(id))!)
    const answers = named.filter(m => m.payload.answerReveal !== undefined).map(m => m.payload.answerReveal!.answer)
    const textOf = (id: Uint8Array): string | undefined => answers.find(a => candidateId(a) === toHex(id))
    const winner = record.winner.length === 0 ? undefined : textOf(record.winner)
    // Majority vote over exact answers; a tie is broken by a fair draw.
    const votes = new Map<string, number>()
    for (const a of answers) votes.set(a, (votes.get(a) ?? 0) + 1)
    const top = Math.max(0, ...votes.values())
    const leaders = [...votes].filter(([, c]) => c === top).map(([a]) => a).sort()
    const majority = leaders.length === 0 ? undefined : leaders[new Prng(`tie/${this.cfg.seed}/${info.index}`).int(leaders.length)]
    // Unweighted Bradley–Terry: the same evidence with every ranker's weight equal.
    const table = this.states[info.anchor].reputations
    const flat = new Map([...table].map(([id]) => [id, genesisValidator(500_000)]))
    const ev = evidenceFromMessages(info.query, named, info.committees)
    const unweighted = computeRoundRecord(ev, flat, this.cfg.params).winner?.answer
    return {
      ...base,
      finalityMs: Math.round(info.finalAtMs! - info.createdAtMs),
      height: info.height,
      answers: answers.length,
      distinctAnswers: votes.size,
      consensusRight: isRight(winner, info.task),
      majorityRight: isRight(majority, info.task),
      unweightedRight: isRight(unweighted, info.task),
      bestSingleRight
    }
  }
}
