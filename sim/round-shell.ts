import { drawTask } from '../protocol/agents/tasks.js'
import { misbehave } from '../protocol/byzantine.js'
import { drawCommittees } from '../protocol/committee.js'
import type { ChainRoundInput } from '../protocol/chain-round.js'
import { asBytes, toHex, utf8 } from '../protocol/hash.js'
import { ROUND_TTL_BLOCKS, roundSeed } from '../protocol/ledger.js'
import { queryIdHexOf } from '../protocol/round.js'
import type { RoundSetEffect, RoundSetEvent } from '../protocol/round-set.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { simAnswer, simJudge } from './agents.js'
import type { QueryInfo } from './grading.js'
import type { SimNode, SimWorld } from './world.js'

/** Nonces a grinder tries per query it submits (signatures are cheap: this is a modest attacker). */
const GRIND_TRIES = 300

/**
 * The simulator's shell around each node's round set (protocol/round-set.ts), as
 * node/round-runner.ts is the node's: queries asked and ordered by blocks, round messages gossiped to the nodes that
 * act on them, the simulated agents' answers and verdicts after their thinking time, deadline
 * timers, and closed rounds handed to the node's height driver.
 */
export class SimRounds {
  private readonly w: SimWorld

  constructor (world: SimWorld) {
    this.w = world
  }

  submitQuery (index: number): void {
    const submitters = this.w.cfg.submitters === 'members'
      ? this.w.nodes.filter(n => this.w.chain.states[this.w.chain.tip].reputations.has(n.id))
      : this.w.consensus.validatorsAt(this.w.chain.tip)
    const entries = submitters.filter(n => n.online && !n.syncing)
    if (entries.length === 0) return
    const entry = this.w.rng.pick(entries)
    const task = drawTask(this.w.taskRng)
    const anchor = this.w.heightOf(entry)
    let query = this.w.sign(entry, {
      query: { prompt: task.prompt, anchorHeight: anchor, createdAt: this.w.nowMs(), nonce: asBytes(utf8(`q${index}`)) }
    })
    let ground: QueryInfo['ground']
    if (entry.agent.behaviour === 'grinder') {
      // Grind the nonce for the answer committee the query id alone would draw (the rule before
      // DESIGN §8.2); the block that orders the query decides its committees now.
      const table = this.w.chain.states[anchor].reputations
      const share = (q: typeof query): number => drawCommittees(q.id, table, this.w.cfg.params.answerers, this.w.cfg.params.rankers).answerers.filter(id => this.w.byId.get(id)!.agent.behaviour === 'grinder').length / this.w.cfg.params.answerers
      let best = share(query)
      for (let n = 0; n < GRIND_TRIES && best < 1; n++) {
        const candidate = this.w.sign(entry, { query: { prompt: task.prompt, anchorHeight: anchor, createdAt: this.w.nowMs(), nonce: asBytes(utf8(`q${index}/${n}`)) } })
        const s = share(candidate)
        if (s > best) [query, best] = [candidate, s]
      }
      ground = { group: entry.group, queryIdSeedShare: best }
    }
    const info: QueryInfo = { index, task, query, committees: { answerers: [], rankers: [] }, participants: [], createdAtMs: this.w.clock.now, ...(ground === undefined ? {} : { ground }) }
    this.w.queries.push(info)
    this.w.queryByHex.set(query.idHex, info)
    // Validators keep it until a block orders it (DESIGN §8.2); the round starts then.
    this.publish(entry, query, this.w.consensus.validatorsAt(this.w.chain.tip).map(v => v.index))
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
    node.have.add(msg.idHex)
    const p = msg.payload
    if (p.query !== undefined) {
      const info = this.w.queryByHex.get(msg.idHex)
      if (info === undefined || info.height !== undefined) return
      if (this.w.consensus.isValidator(node)) this.w.consensus.feed(node, { type: 'query', message: msg })
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
    switch (e.type) {
      case 'request-answer': {
        const answer = simAnswer(node.agent, node.id, info.query.id, info.task, this.w.cfg.freeForm)
        if (answer !== undefined) later(this.w.rng.logNormal(this.w.cfg.answerMs, 0.5), { type: 'answer-ready', queryIdHex: e.queryIdHex, answer, salt: this.w.rng.bytes16() })
        break
      }
      case 'request-comparisons': {
        const judgements = e.pairs.map(pair => ({ a: pair.a, b: pair.b, verdict: simJudge(node.agent, node.id, info.query.id, info.task, pair.answerA, pair.answerB), reason: 'simulated' }))
        later(this.w.rng.logNormal(this.w.cfg.judgeMs, 0.5), { type: 'comparisons-ready', queryIdHex: e.queryIdHex, judgements, salt: this.w.rng.bytes16() })
        break
      }
      case 'publish': {
        const { keep } = misbehave(node.agent.behaviour === 'withholder' ? 'withhold' : undefined, e, () => this.w.rng.bytes16())
        if (!keep) break
        const { networkId: _, ...body } = e.payload
        this.publish(node, this.w.sign(node, body), info.participants)
        break
      }
      case 'wake-at':
        later(Math.max(0, e.at - this.w.nowMs()), { type: 'tick', queryIdHex: e.queryIdHex })
        break
      case 'closed':
        if (this.w.consensus.isValidator(node)) this.w.consensus.feed(node, { type: 'round-ready', queryIdHex: e.queryIdHex })
        break
      case 'started':
      case 'cancel':
        break
    }
  }
}
