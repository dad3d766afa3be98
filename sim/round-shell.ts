import { drawTask } from '../protocol/agents/tasks.js'
import { misbehave } from '../protocol/byzantine.js'
import type { ByzantineBehaviour, ForgedComparison } from '../protocol/byzantine.js'
import { drawCommittees } from '../protocol/committee.js'
import type { ChainRoundInput } from '../protocol/chain-round.js'
import { asBytes, sha256, toHex, utf8 } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { ROUND_TTL_BLOCKS, roundSeed } from '../protocol/ledger.js'
import { HashStream } from '../protocol/random.js'
import { queryIdHexOf } from '../protocol/round.js'
import type { RoundSetEffect, RoundSetEvent } from '../protocol/round-set.js'
import { SubmissionMeter } from '../protocol/submission.js'
import { defaultEnvelopeValidation } from '../protocol/wire/validate.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { simAnswer, simJudge } from './agents.js'
import type { SimAgent, SimBehaviour } from './agents.js'
import type { QueryInfo } from './grading.js'
import type { SimNode, SimWorld } from './world.js'

/** Nonces a grinder tries per query it submits (signatures are cheap: this is a modest attacker). */
const GRIND_TRIES = 300

/**
 * How a backdater dates its queries: just inside what the gossip door accepts (wire/validate.ts:
 * 10 minutes back, 30 s ahead), alternately in the past and in the future. With deadlines on the
 * submitter's clock (before DESIGN §8.3) the first closed the round on arrival and the second
 * kept it open past its anchor's window.
 */
const BACKDATE_MS = defaultEnvelopeValidation.maxQueryAgeMs - 30_000
const FORWARD_DATE_MS = defaultEnvelopeValidation.maxClockSkewMs - 5_000

/** Round-message filters of protocol/byzantine.ts that a simulated behaviour applies (the node's --byzantine flag). */
const roundFilter: Partial<Record<SimBehaviour, ByzantineBehaviour>> = { withholder: 'withhold', forger: 'forge', equivocator: 'equivocate' }

/**
 * The simulator's shell around each node's round set (protocol/round-set.ts), as
 * node/round-runner.ts is the node's: queries asked and ordered by blocks, round messages gossiped to the nodes that
 * act on them, the simulated agents' answers and verdicts after their thinking time, deadline
 * timers, and closed rounds handed to the node's height driver.
 */
export class SimRounds {
  private readonly w: SimWorld
  /** `forger`s: the verdicts each committed to, by node and query, for its reveal */
  private readonly forged = new Map<string, ForgedComparison>()
  /** each validator's gossip door for queries (node/gossip.ts: a token bucket per submitter, in its own clock) */
  private readonly meters = new Map<number, SubmissionMeter>()

  constructor (world: SimWorld) {
    this.w = world
  }

  submitQuery (index: number): void {
    const submitters = this.w.cfg.submitters === 'members'
      ? this.w.nodes.filter(n => this.w.chain.states[this.w.chain.tip].reputations.has(n.id))
      : this.w.consensus.validatorsAt(this.w.chain.tip)
    const entries = submitters.filter(n => n.online && !n.syncing)
    if (entries.length === 0) return
    let entry = this.w.rng.pick(entries)
    // A node's API refuses a query over its submitter's rate (429, node/query-intake.ts): the
    // client asks another node. (Asked anyway, every validator's door dropped it: a query asked
    // and never ordered, counted as never final by the campaign.)
    const door = (n: SimNode): boolean => this.meters.get(n.index)?.allows(n.id, this.w.nowMs()) ?? true
    if (!door(entry)) {
      const open = entries.filter(door)
      if (open.length === 0) return
      entry = this.w.rng.pick(open)
    }
    const info = this.newQuery(entry, index, `q${index}`, drawTask(this.w.taskRng))
    this.w.queries.push(info)
  }

  /** A `flooder`'s extra query (its tasks from a stream of their own: the asked ones stay the same). */
  submitFlood (node: SimNode): void {
    const n = this.w.stats.floodSubmitted++
    if (!this.w.chain.states[this.w.chain.tip].reputations.has(node.id)) return
    const task = drawTask(new HashStream(sha256(utf8(`swarmrank-sim/flood/${this.w.cfg.seed}/${n}`))))
    const info = this.newQuery(node, this.w.cfg.queries + n, `flood${n}`, task)
    info.flood = true
    this.w.floodQueries.push(info)
  }

  private newQuery (entry: SimNode, index: number, nonce: string, task: ReturnType<typeof drawTask>): QueryInfo {
    // a node outside the validator set follows the decided chain as an observer syncing at once
    // would (its height driver stays at genesis: naming height 0 made its queries stale after 256 blocks)
    const anchor = this.w.consensus.isValidator(entry) ? this.w.heightOf(entry) : this.w.chain.tip
    const behaviour = entry.agent.behaviour
    const createdAt = this.w.nowMs() + (behaviour !== 'backdater' ? 0 : index % 2 === 0 ? -BACKDATE_MS : FORWARD_DATE_MS)
    const sign = (n: string): SignedMessage => this.w.sign(entry, { query: { prompt: task.prompt, anchorHeight: anchor, createdAt, nonce: asBytes(utf8(n)) } })
    let query = sign(nonce)
    let ground: QueryInfo['ground']
    if (behaviour === 'grinder' || behaviour === 'farmer') {
      // Grind the nonce for the answer committee the query id alone would draw (the rule before
      // DESIGN §8.2); the block that orders the query decides its committees now.
      const table = this.w.chain.states[anchor].reputations
      const share = (q: typeof query): number => drawCommittees(q.id, table, this.w.cfg.params.answerers, this.w.cfg.params.rankers).answerers.filter(id => this.w.byId.get(id)!.group === entry.group).length / this.w.cfg.params.answerers
      let best = share(query)
      for (let n = 0; n < GRIND_TRIES && best < 1; n++) {
        const candidate = sign(`${nonce}/${n}`)
        const s = share(candidate)
        if (s > best) [query, best] = [candidate, s]
      }
      ground = { group: entry.group, queryIdSeedShare: best }
    }
    const info: QueryInfo = {
      index,
      task,
      query,
      committees: { answerers: [], rankers: [] },
      participants: [],
      createdAtMs: this.w.clock.now,
      modelCalls: {},
      ...(ground === undefined ? {} : { ground }),
      ...(behaviour === 'farmer' ? { knownBy: entry.group } : {})
    }
    this.w.queryByHex.set(query.idHex, info)
    // Validators keep it until a block orders it (DESIGN §8.2); the round starts then.
    this.publish(entry, query, this.w.consensus.validatorsAt(this.w.chain.tip).map(v => v.index))
    return info
  }

  /**
   * A block at height `h` of the decided chain ordered these queries: their committees are drawn
   * from its hash, so now the simulator knows who takes part (who its messages must reach).
   */
  ordered (h: number): void {
    const state = this.w.chain.states[h]
    for (const q of this.w.chain.blocks[h].queries) {
      const info = this.w.queryByHex.get(toHex(q.messageId))
      if (info === undefined || info.anchor !== undefined) continue
      info.anchor = h
      info.committees = drawCommittees(roundSeed(state, info.query.idHex)!, state.reputations, this.w.cfg.params.answerers, this.w.cfg.params.rankers)
      const participants = new Set<number>()
      for (const id of [...info.committees.answerers, ...info.committees.rankers]) participants.add(this.w.byId.get(id)!.index)
      for (const v of this.w.consensus.validatorsAt(h)) participants.add(v.index)
      info.participants = [...participants].sort((a, b) => a - b)
    }
  }

  /** A node has applied block `h`: the rounds of the queries it ordered start there (on the nodes taking part). */
  startOrdered (node: SimNode, h: number): void {
    const state = this.w.chain.states[h]
    for (const q of this.w.chain.blocks[h].queries) {
      const info = this.w.queryByHex.get(toHex(q.messageId))
      if (info === undefined || !info.participants.includes(node.index)) continue
      const start = { seed: roundSeed(state, info.query.idHex)!, time: this.w.chain.blocks[h].header!.time }
      this.openOnChain(node, { query: info.query, start, table: state.reputations, params: this.w.cfg.params }, [])
      this.feed(node, { type: 'ordered', query: info.query, start, table: state.reputations })
    }
  }

  /** Back from a crash at height `applied`: the rounds ordered and not yet final start again. */
  resume (node: SimNode, applied: number): void {
    const state = this.w.chain.states[applied]
    for (const [qid, entry] of state.ordered) {
      const info = this.w.queryByHex.get(qid)
      if (entry.final || applied - entry.height > ROUND_TTL_BLOCKS || info === undefined || !info.participants.includes(node.index)) continue
      const start = { seed: roundSeed(state, qid)!, time: entry.time }
      const table = this.w.chain.states[entry.height].reputations
      this.openOnChain(node, { query: info.query, start, table, params: this.w.cfg.params }, entry.messages.flatMap(m => this.w.messages.get(m.id) ?? []))
      this.feed(node, { type: 'ordered', query: info.query, start, table })
    }
  }

  /** A validator follows the round on the chain (DESIGN §8.6): its consensus orders the round's messages. */
  private openOnChain (node: SimNode, input: ChainRoundInput, messages: SignedMessage[]): void {
    if (this.w.consensus.isValidator(node)) this.w.consensus.feed(node, { type: 'round-opened', input, messages })
  }

  /**
   * A query a vote catch-up brought from a peer's pool (sim/consensus-shell.ts): one this node
   * never got by gossip is taken as gossip and gossiped on to the validators, as the node does
   * (node/gossip.ts takeQueries).
   */
  takePulledQuery (node: SimNode, msg: SignedMessage): void {
    const info = this.w.queryByHex.get(msg.idHex)
    if (info === undefined || info.height !== undefined || !this.w.consensus.isValidator(node)) return
    node.have.add(msg.idHex)
    // new to its pool (a node may hold the message from a block check and still not have it waiting)
    if (this.w.consensus.feed(node, { type: 'query', message: msg })?.result !== 'ACCEPT') return
    this.publish(node, msg, this.w.consensus.validatorsAt(this.w.chain.tip).map(v => v.index))
  }

  /** Gossip a signed round message; the listed nodes act on it when it reaches them. */
  private publish (from: SimNode, msg: SignedMessage, participants: readonly number[]): void {
    const arrival = this.w.net.broadcast(from.index, msg.bytes.length)
    for (const i of participants) {
      const delay = arrival[i]
      if (delay === Infinity) continue
      const node = this.w.nodes[i]
      const gen = node.gen
      this.w.clock.after(delay, () => { if (node.online && node.gen === gen) this.onRoundMessage(node, msg) })
    }
  }

  private onRoundMessage (node: SimNode, msg: SignedMessage): void {
    const seen = node.have.has(msg.idHex)
    node.have.add(msg.idHex)
    const p = msg.payload
    if (p.query !== undefined) {
      const info = this.w.queryByHex.get(msg.idHex)
      // a copy of a query seen already costs no quota (gossip delivers each message once to a node)
      if (seen || info === undefined || info.height !== undefined || !this.w.consensus.isValidator(node)) return
      // [IGNORE] over the submitter's rate (node/gossip.ts; each node meters by its own clock)
      let meter = this.meters.get(node.index)
      if (meter === undefined) this.meters.set(node.index, meter = new SubmissionMeter(this.w.cfg.params.submission))
      if (!meter.take(msg.signerId, this.w.nowMs())) return
      this.w.consensus.feed(node, { type: 'query', message: msg })
      return
    }
    const qid = queryIdHexOf(p)
    if (qid === undefined) return
    this.feed(node, { type: 'message', queryIdHex: qid, message: msg })
    // Validators order it in a block (DESIGN §8.6); their pool keeps only what may count.
    if (this.w.consensus.isValidator(node)) this.w.consensus.feed(node, { type: 'round-message', message: msg })
    // A copycat answers with the first answer it sees revealed: after the commit deadline, too late.
    const state = node.rounds.round(qid)
    if (node.agent.behaviour === 'copycat' && p.answerReveal !== undefined && state !== undefined && state.own.answer === undefined && state.answerers.includes(node.id)) {
      this.feed(node, { type: 'answer-ready', queryIdHex: qid, answer: p.answerReveal.answer, salt: this.w.rng.bytes16() })
    }
  }

  feed (node: SimNode, event: RoundSetEvent): void {
    const { effects } = node.rounds.handle(event, this.w.nowMs())
    for (const e of effects) this.carryOut(node, e)
  }

  private carryOut (node: SimNode, e: RoundSetEffect): void {
    const info = this.w.queryByHex.get(e.queryIdHex)
    if (info === undefined) return
    const gen = node.gen
    const later = (ms: number, event: RoundSetEvent): void => {
      this.w.clock.after(ms, () => { if (node.online && node.gen === gen) this.feed(node, event) })
    }
    // a farmer's own easy query: the farmers know its answer
    const agent: SimAgent = info.knownBy === node.group ? { ...node.agent, answerSkill: 1, judgeSkill: 1 } : node.agent
    const calls = (n: number): void => { info.modelCalls[node.group] = (info.modelCalls[node.group] ?? 0) + n }
    switch (e.type) {
      case 'request-answer': {
        const answer = simAnswer(agent, node.id, info.query.id, info.task, this.w.cfg.freeForm)
        if (answer !== undefined) {
          calls(1)
          later(this.w.rng.logNormal(this.w.cfg.answerMs, 0.5), { type: 'answer-ready', queryIdHex: e.queryIdHex, answer, salt: this.w.rng.bytes16() })
        }
        break
      }
      case 'request-comparisons': {
        calls(e.pairs.length)
        const judgements = e.pairs.map(pair => ({ a: pair.a, b: pair.b, verdict: simJudge(agent, node.id, info.query.id, info.task, pair.answerA, pair.answerB), reason: 'simulated' }))
        later(this.w.rng.logNormal(this.w.cfg.judgeMs, 0.5), { type: 'comparisons-ready', queryIdHex: e.queryIdHex, judgements, salt: this.w.rng.bytes16() })
        break
      }
      case 'publish': {
        const key = `${node.index}/${e.queryIdHex}`
        const random32 = (): Bytes => new Uint8Array([...this.w.rng.bytes16(), ...this.w.rng.bytes16()])
        const { keep, replace, extra, forged } = misbehave(roundFilter[node.agent.behaviour], e, random32, { own: node.rounds.round(e.queryIdHex)?.own, forged: this.forged.get(key) })
        if (forged !== undefined) this.forged.set(key, forged)
        if (!keep) break
        const { networkId: _, ...body } = replace ?? e.payload
        // what it publishes (forged or not) reaches its own round too, as in the node; the extras do not
        this.publish(node, this.w.sign(node, body), info.participants)
        for (const p of extra) {
          const { networkId: __, ...more } = p
          this.publish(node, this.w.sign(node, more), info.participants.filter(i => i !== node.index))
        }
        break
      }
      case 'wake-at':
        later(Math.max(0, e.at - this.w.nowMs()), { type: 'tick', queryIdHex: e.queryIdHex })
        break
      case 'closed':
        if (this.w.consensus.isValidator(node)) this.w.consensus.feed(node, { type: 'round-ready', queryIdHex: e.queryIdHex })
        break
      case 'cancel':
        this.forged.delete(`${node.index}/${e.queryIdHex}`)
        break
      case 'started':
        break
    }
  }
}
