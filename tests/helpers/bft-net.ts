import { HashStream } from '../../protocol/random.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { Tendermint } from '../../protocol/bft/tendermint.js'
import type { TendermintAction, TendermintEvent, ValueId, VoteKind } from '../../protocol/bft/tendermint.js'

export interface NetMessage { to: string, event: TendermintEvent<string, string>, at: number }

export interface BftNetOptions {
  validators: string[]
  powers?: number[]
  proposer: (round: number) => string
  /** value a node proposes when asked */
  valueFor?: (node: string, round: number) => string | undefined
  /** is value v valid in node's eyes */
  isValid?: (node: string, value: string) => boolean
  /** drop a message from → to? */
  drop?: (from: string, to: string, event: TendermintEvent<string, string>) => boolean
  /** Byzantine nodes: their actions are replaced by `byzantine(node, action)` messages */
  byzantine?: (node: string, action: TendermintAction<string, string>, net: BftNet) => void
  seed?: string
  maxDelayMs?: number
  /** honest nodes forward what they receive, as gossip does (default true) */
  relay?: boolean
}

/**
 * Tendermint instances for one height on a simulated network: messages delivered with seeded
 * random delays, timeouts on a virtual clock. Tests call run() and inspect decisions.
 */
export class BftNet {
  readonly nodes = new Map<string, Tendermint<string, string>>()
  readonly decisions = new Map<string, { round: number, value: string }>()
  readonly equivocations: string[] = []
  private queue: NetMessage[] = []
  now = 0
  private readonly rng: HashStream
  readonly opts: BftNetOptions

  constructor (opts: BftNetOptions) {
    this.opts = opts
    this.rng = new HashStream(sha256(utf8(opts.seed ?? 'bft')))
    const validators = new Map(opts.validators.map((v, i) => [v, opts.powers?.[i] ?? 1]))
    for (const v of opts.validators) this.nodes.set(v, new Tendermint({ height: 1, self: v, validators, proposer: opts.proposer }))
  }

  static id (value: string): string {
    return `id:${value}`
  }

  send (from: string, to: string, event: TendermintEvent<string, string>): void {
    if (this.opts.drop?.(from, to, event) === true) return
    const delay = from === to ? 0 : 1 + this.rng.nextInt(this.opts.maxDelayMs ?? 20)
    this.queue.push({ to, event, at: this.now + delay })
  }

  broadcast (from: string, event: TendermintEvent<string, string>): void {
    for (const to of this.nodes.keys()) this.send(from, to, event)
  }

  vote (from: string, kind: VoteKind, round: number, id: ValueId, to?: string): void {
    const event: TendermintEvent<string, string> = { type: 'vote', vote: { kind, round, id, from, evidence: `${from}/${kind}/${round}/${id}` } }
    if (to === undefined) this.broadcast(from, event)
    else this.send(from, to, event)
  }

  propose (from: string, round: number, value: string, validRound: number, to?: string): void {
    const event: TendermintEvent<string, string> = { type: 'proposal', proposal: { round, value, id: BftNet.id(value), validRound, from } }
    if (to === undefined) this.broadcast(from, event)
    else this.send(from, to, event)
  }

  private readonly seen = new Map<string, Set<string>>()

  /** Gossip: an honest node forwards each proposal and vote the first time it sees it. */
  private relay (node: string, event: TendermintEvent<string, string>): void {
    if (this.opts.relay === false || this.isByzantine(node)) return
    if (event.type !== 'proposal' && event.type !== 'vote') return
    const key = JSON.stringify(event)
    let seen = this.seen.get(node)
    if (seen === undefined) this.seen.set(node, seen = new Set())
    if (seen.has(key)) return
    seen.add(key)
    for (const to of this.nodes.keys()) if (to !== node) this.send(node, to, event)
  }

  private apply (node: string, actions: Array<TendermintAction<string, string>>): void {
    for (const a of actions) {
      if (this.opts.byzantine !== undefined && this.isByzantine(node)) {
        this.opts.byzantine(node, a, this)
        continue
      }
      switch (a.type) {
        case 'request-value': {
          const value = this.opts.valueFor?.(node, a.round) ?? `block-from-${node}-r${a.round}`
          if (value !== undefined) this.queue.push({ to: node, event: { type: 'value', round: a.round, value, id: BftNet.id(value) }, at: this.now })
          break
        }
        case 'broadcast-proposal':
          this.propose(node, a.round, a.value, a.validRound)
          break
        case 'broadcast-vote':
          this.vote(node, a.kind, a.round, a.id)
          break
        case 'validate':
          this.queue.push({ to: node, event: { type: 'validated', id: a.id, valid: this.opts.isValid?.(node, a.value) ?? true }, at: this.now + 1 })
          break
        case 'schedule-timeout':
          this.queue.push({ to: node, event: { type: 'timeout', kind: a.kind, round: a.round }, at: this.now + a.delayMs })
          break
        case 'decide':
          this.decisions.set(node, { round: a.round, value: a.value })
          break
        case 'equivocation':
          this.equivocations.push(`${node} saw ${a.second.from} equivocate`)
          break
      }
    }
  }

  byzantineNodes = new Set<string>()
  private isByzantine (node: string): boolean {
    return this.byzantineNodes.has(node)
  }

  /** Start every node and run until all honest nodes decided or `untilMs` of virtual time. */
  run (untilMs = 60_000): void {
    for (const [id, node] of this.nodes) this.apply(id, node.handle({ type: 'start' }))
    while (this.queue.length > 0 && this.now <= untilMs) {
      const honestDone = [...this.nodes.keys()].filter(n => !this.isByzantine(n)).every(n => this.decisions.has(n))
      if (honestDone) break
      this.queue.sort((a, b) => a.at - b.at)
      const msg = this.queue.shift()!
      this.now = Math.max(this.now, msg.at)
      this.relay(msg.to, msg.event)
      this.apply(msg.to, this.nodes.get(msg.to)!.handle(msg.event))
    }
  }
}
