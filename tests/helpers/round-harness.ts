import { randomBytes } from 'node:crypto'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { agentProfiles, builtinAnswer, builtinJudge } from '../../protocol/agents/builtin.js'
import type { AgentProfile } from '../../protocol/agents/builtin.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import type { ProtocolParams } from '../../protocol/genesis.js'
import { asBytes, toHex } from '../../protocol/hash.js'
import { genesisValidator } from '../../protocol/reputation.js'
import type { ReputationEntry } from '../../protocol/reputation.js'
import { startRound, stepRound } from '../../protocol/round.js'
import type { RoundAction, RoundEvent, RoundState } from '../../protocol/round.js'
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
  state?: RoundState
  verdicts: Array<{ from: string, verdict: Validation<void> }>
}

/**
 * Runs one round on N nodes in memory: every published message is delivered to every node
 * (its own included), agents answer at once, and time jumps from deadline to deadline only
 * when nothing else is left to do.
 */
export class RoundHarness {
  readonly nodes: HarnessNode[]
  readonly params: ProtocolParams
  table: Map<string, ReputationEntry>
  now = 1_700_000_000_000
  private readonly queue: Array<{ node: HarnessNode, event: RoundEvent }> = []

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
    for (const node of this.nodes) {
      const step = startRound({ self: node.id, networkId, query, table: this.table, params: this.params }, this.now)
      node.state = step.state
      node.verdicts = []
      await this.carryOut(node, step.actions)
    }
    await this.drain()
    while (this.nodes.some(n => n.state!.phase !== 'done')) {
      const next = Math.min(...this.nodes.filter(n => n.state!.phase !== 'done').map(n => n.state!.deadlines[n.state!.phase as 'answering']))
      this.now = Math.max(this.now, next)
      for (const node of this.nodes) this.queue.push({ node, event: { type: 'tick' } })
      await this.drain()
    }
    return this.nodes
  }

  async deliver (message: SignedMessage): Promise<void> {
    for (const node of this.nodes) this.queue.push({ node, event: { type: 'message', message } })
    await this.drain()
  }

  private async drain (): Promise<void> {
    while (this.queue.length > 0) {
      const { node, event } = this.queue.shift()!
      if (node.state === undefined) continue
      const step = stepRound(node.state, event, this.now)
      if (step.verdict !== undefined && event.type === 'message') node.verdicts.push({ from: event.message.signerId, verdict: step.verdict })
      await this.carryOut(node, step.actions)
    }
  }

  private async carryOut (node: HarnessNode, actions: RoundAction[]): Promise<void> {
    for (const action of actions) {
      if (action.type === 'request-answer' && node.silent !== true) {
        const answer = builtinAnswer(node.profile, node.id, node.state!.queryId, action.prompt)
        this.queue.push({ node, event: { type: 'answer-ready', answer, salt: asBytes(randomBytes(16)) } })
      } else if (action.type === 'request-comparisons' && node.silent !== true) {
        const judgements = action.pairs.map(p => ({ a: p.a, b: p.b, ...builtinJudge(node.profile, node.id, node.state!.queryId, action.prompt, p.answerA, p.answerB) }))
        this.queue.push({ node, event: { type: 'comparisons-ready', judgements, salt: asBytes(randomBytes(16)) } })
      } else if (action.type === 'publish') {
        if (node.withholder === true && (action.payload.answerReveal !== undefined || action.payload.comparisonReveal !== undefined)) continue
        const message = await signMessage(node.key, action.payload)
        for (const target of this.nodes) this.queue.push({ node: target, event: { type: 'message', message } })
      }
    }
  }

  recordHex (node: HarnessNode): string {
    return toHex(encodeRoundRecord(node.state!.outcome!.record))
  }
}
