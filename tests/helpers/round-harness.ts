import { randomBytes } from 'node:crypto'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { agentProfiles, builtinAnswer, builtinJudge } from '../../protocol/agents/builtin.js'
import type { AgentProfile } from '../../protocol/agents/builtin.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import type { ProtocolParams } from '../../protocol/genesis.js'
import { misbehave } from '../../protocol/byzantine.js'
import { asBytes, toHex } from '../../protocol/hash.js'
import { genesisValidator } from '../../protocol/reputation.js'
import type { ReputationEntry } from '../../protocol/reputation.js'
import { queryIdHexOf } from '../../protocol/round.js'
import type { RoundStart, RoundState } from '../../protocol/round.js'
import { RoundSet } from '../../protocol/round-set.js'
import type { RoundSetEffect, RoundSetEvent } from '../../protocol/round-set.js'
import { encodeRoundRecord } from '../../protocol/wire/codec.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import type { Payload } from '../../protocol/wire/messages.js'
import type { Validation } from '../../protocol/wire/validate.js'
import { networkId, testKey } from './wire-fixtures.js'

export interface HarnessNode {
  key: PrivateKey
  id: string
  profile: AgentProfile
  /** never answers (a crashed or slow node) */
  silent?: boolean
  /** commits but never reveals */
  withholder?: boolean
  /** the node's round set (the same code the node and the simulator run) */
  rounds?: RoundSet
  /** its round for the query being run (kept after the round closes) */
  state?: RoundState
  verdicts: Array<{ from: string, verdict: Validation<void> }>
}

/**
 * Runs one round on N nodes in memory, each through its own round set (protocol/round-set.ts):
 * every published message is delivered to every node (its own included), agents answer at once,
 * and time jumps from deadline to deadline only when nothing else is left to do.
 */
export class RoundHarness {
  readonly nodes: HarnessNode[]
  readonly params: ProtocolParams
  table: Map<string, ReputationEntry>
  now = 1_700_000_000_000
  /**
   * Where "the chain" orders a query: its committees' seed and its deadlines' start. By default
   * the query id stands in for the ordering block's seed and now for its time; a test that builds
   * real blocks orders the query in one and returns `roundSeed` and that block's time.
   */
  ordering: (query: SignedMessage, now: number) => RoundStart = (query, now) => ({ seed: query.id, time: now })
  private readonly queue: Array<{ node: HarnessNode, event: RoundSetEvent }> = []

  private constructor (nodes: HarnessNode[], params: ProtocolParams) {
    this.nodes = nodes
    this.params = params
    this.table = new Map(nodes.map(n => [n.id, genesisValidator(500_000)]))
  }

  static async create (profiles: string[], params: Partial<ProtocolParams> = {}): Promise<RoundHarness> {
    const nodes: HarnessNode[] = []
    for (let i = 0; i < profiles.length; i++) {
      const key = await testKey(100 + i)
      nodes.push({ key, id: peerIdFromPrivateKey(key).toString(), profile: agentProfiles[profiles[i]], verdicts: [] })
    }
    return new RoundHarness(nodes, { ...defaultProtocolParams, answerers: 5, rankers: 5, ...params })
  }

  async sign (node: HarnessNode, payload: Omit<Payload, 'networkId'>): Promise<SignedMessage> {
    return signMessage(node.key, { networkId, ...payload } as Payload)
  }

  /** Submit a query from node 0 and run the round to the end on every node. */
  async run (prompt: string, nonce = 'n'): Promise<HarnessNode[]> {
    const query = await this.sign(this.nodes[0], { query: { prompt, anchorHeight: 0, createdAt: this.now, nonce: asBytes(new TextEncoder().encode(nonce)) } })
    const id = query.idHex
    await this.begin(query)
    while (this.nodes.some(n => n.state!.phase !== 'done')) {
      // the next deadline, or a reveal held back for the slack after a commit deadline (DESIGN §8.6)
      const next = Math.min(...this.nodes.filter(n => n.state!.phase !== 'done').map(n => {
        const s = n.state!
        const held = s.phase === 'answer-reveal' && !s.own.answerRevealed ? s.own.answerRevealAt : s.phase === 'comparison-reveal' && !s.own.comparisonRevealed ? s.own.comparisonRevealAt : undefined
        return held !== undefined && held > this.now ? Math.min(held, s.deadlines[s.phase as 'answering']) : s.deadlines[s.phase as 'answering']
      }))
      this.now = Math.max(this.now, next)
      for (const node of this.nodes) this.queue.push({ node, event: { type: 'tick', queryIdHex: id } })
      await this.drain()
    }
    return this.nodes
  }

  /** Every node's round set learns that a block ordered the query (their rounds start) and carries out what follows. */
  async begin (query: SignedMessage): Promise<void> {
    const start = this.ordering(query, this.now)
    for (const node of this.nodes) {
      node.rounds = new RoundSet({ self: node.id, networkId, params: this.params })
      node.verdicts = []
      const step = node.rounds.handle({ type: 'ordered', query, start, table: this.table }, this.now)
      node.state = node.rounds.round(query.idHex)
      await this.carryOut(node, step.effects)
    }
    await this.drain()
  }

  async deliver (message: SignedMessage): Promise<void> {
    for (const node of this.nodes) this.queue.push({ node, event: messageEvent(message) })
    await this.drain()
  }

  private async drain (): Promise<void> {
    while (this.queue.length > 0) {
      const { node, event } = this.queue.shift()!
      if (node.rounds === undefined) continue
      const step = node.rounds.handle(event, this.now)
      if (step.verdict !== undefined && event.type === 'message') node.verdicts.push({ from: event.message.signerId, verdict: step.verdict })
      await this.carryOut(node, step.effects)
    }
  }

  private async carryOut (node: HarnessNode, effects: RoundSetEffect[]): Promise<void> {
    for (const effect of effects) {
      const queryIdHex = effect.queryIdHex
      if (effect.type === 'request-answer' && node.silent !== true) {
        const answer = builtinAnswer(node.profile, node.id, node.state!.queryId, effect.prompt)
        this.queue.push({ node, event: { type: 'answer-ready', queryIdHex, answer, salt: asBytes(randomBytes(16)) } })
      } else if (effect.type === 'request-comparisons' && node.silent !== true) {
        const judgements = effect.pairs.map(p => ({ a: p.a, b: p.b, ...builtinJudge(node.profile, node.id, node.state!.queryId, effect.prompt, p.answerA, p.answerB) }))
        this.queue.push({ node, event: { type: 'comparisons-ready', queryIdHex, judgements, salt: asBytes(randomBytes(16)) } })
      } else if (effect.type === 'publish') {
        if (!misbehave(node.withholder === true ? 'withhold' : undefined, effect, () => asBytes(randomBytes(32))).keep) continue
        const message = await signMessage(node.key, effect.payload)
        for (const target of this.nodes) this.queue.push({ node: target, event: messageEvent(message) })
      }
    }
  }

  recordHex (node: HarnessNode): string {
    return toHex(encodeRoundRecord(node.state!.outcome!.record))
  }
}

function messageEvent (message: SignedMessage): RoundSetEvent {
  const queryIdHex = queryIdHexOf(message.payload)
  if (queryIdHex === undefined) throw new Error('only round messages are delivered to round sets')
  return { type: 'message', queryIdHex, message }
}
