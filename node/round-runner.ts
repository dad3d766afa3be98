import { randomBytes } from 'node:crypto'
import { misbehave } from '../protocol/byzantine.js'
import type { ForgedComparison } from '../protocol/byzantine.js'
import type { ByzantineBehaviour } from '../protocol/byzantine.js'
import type { RoundMetrics } from '../protocol/bft/metrics.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import type { Genesis } from '../protocol/genesis.js'
import { ROUND_TTL_BLOCKS, roundSeed } from '../protocol/ledger.js'
import type { LedgerState } from '../protocol/ledger.js'
import { asBytes, fromHex, toHex } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { RoundSet } from '../protocol/round-set.js'
import type { RoundSetEffect, RoundSetEvent } from '../protocol/round-set.js'
import { roundEndsAt } from '../protocol/round.js'
import type { OwnWork, PairToJudge } from '../protocol/round.js'
import { decodeComparisonBody, encodeComparisonBody } from '../protocol/wire/codec.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Payload } from '../protocol/wire/messages.js'
import { ignore } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { Agent } from './agents/agent.js'
import type { Chain, ImportedBlock } from './chain.js'
import type { ConsensusRunner } from './consensus.js'
import type { Logger } from './logger.js'
import type { MessageFetcher } from './message-fetcher.js'
import type { Publisher } from './publisher.js'
import type { QueryViews } from './query-views.js'
import type { NodeStore, StoredOwnWork } from './store.js'

export { byzantineBehaviours } from '../protocol/byzantine.js'
export type { ByzantineBehaviour } from '../protocol/byzantine.js'

export interface RoundRunnerComponents {
  self: string
  networkId: Bytes
  genesis: Genesis
  agent: Agent
  chain: Chain
  consensus: ConsensusRunner
  views: QueryViews
  store: NodeStore
  fetcher: MessageFetcher
  publisher: Publisher
  logger: Logger
  now: () => number
  metrics?: RoundMetrics
}

export interface RoundRunnerInit {
  /** misbehave on purpose (tests, fault-injection clusters) */
  byzantine?: ByzantineBehaviour
}

/**
 * The node's shell around the round set (protocol/round-set.ts): it starts the round of each
 * query a committed block orders (DESIGN §8.2), hands the set round messages, and carries out
 * what the rounds ask — the agent's answers and verdicts, signing and gossiping, deadline timers —
 * and passes closed rounds to consensus and to the query views.
 */
export class RoundRunner {
  private readonly c: RoundRunnerComponents
  private readonly init: RoundRunnerInit
  private readonly set: RoundSet
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly aborts = new Map<string, AbortController>()
  /** `forge` only: the verdicts committed to instead of the agent's, until the reveal */
  private readonly forged = new Map<string, ForgedComparison>()
  /** queries whose own work was in the store at start (rounds in flight when the node stopped) */
  private storedWork = new Set<string>()
  private stopped = false
  /** rounds are started in block order, one block's queries after another's (fetching a query may wait) */
  private starting: Promise<void> = Promise.resolve()

  constructor (components: RoundRunnerComponents, init: RoundRunnerInit = {}) {
    this.c = components
    this.init = init
    const chain = components.chain
    this.set = new RoundSet({
      self: components.self,
      networkId: components.networkId,
      params: components.genesis.params,
      metrics: components.metrics
    })
    chain.onImport(imported => this.onImport(imported))
  }

  /**
   * Learn which rounds this node had committed work in before it stopped, and start the rounds
   * of queries ordered but not yet final (those in flight when it stopped, or ordered while it
   * was away): a round whose deadlines have passed closes at once with what arrived.
   */
  async open (): Promise<void> {
    this.storedWork = new Set(await this.c.store.listOwnWork())
    const state = this.c.chain.current
    for (const [qid, entry] of state.ordered) {
      if (entry.final || state.height - entry.height > ROUND_TTL_BLOCKS) continue
      const table = await this.c.chain.loadTable(entry.height)
      const seed = roundSeed(state, qid)
      if (table === undefined || seed === undefined) continue
      await this.start(qid, { seed, time: entry.time }, table)
    }
  }

  get inFlight (): number {
    return this.set.inFlight
  }

  has (queryIdHex: string): boolean {
    return this.set.has(queryIdHex)
  }

  phaseOf (queryIdHex: string): string | undefined {
    return this.set.phaseOf(queryIdHex)
  }

  phases (): Record<string, number> {
    return this.set.phases()
  }

  committeesOf (queryIdHex: string): { answerers: string[], rankers: string[] } | undefined {
    return this.set.committeesOf(queryIdHex)
  }

  /** A validated round message (commit or reveal); `known`: whether its query waits here or a block ordered it. */
  onRoundMessage (queryIdHex: string, message: SignedMessage, known = true): Validation<void> {
    return this.run({ type: 'message', queryIdHex, message, known }) ?? ignore('the node is stopping', 'stopping')
  }

  stop (): void {
    this.stopped = true
    for (const t of this.timers.values()) clearTimeout(t)
    for (const a of this.aborts.values()) a.abort()
    this.timers.clear()
  }

  private onImport (imported: ImportedBlock): void {
    for (const r of imported.block.records) this.run({ type: 'final', queryIdHex: toHex(r.queryId) })
    if (imported.block.queries.length === 0) return
    const state = imported.state
    const time = imported.block.header!.time
    this.starting = this.starting.then(async () => this.startOrdered(state, time, imported.block.queries.map(q => toHex(q.messageId))))
  }

  /**
   * Start the rounds of the queries a block ordered: committees from its hash, deadlines from its
   * time, over the ledger after it. Not those whose last deadline has passed by the time the
   * block is imported (a node catching up, by block sync or after a snapshot): such a round would
   * close the moment it starts, with nothing this node could add, and starting it costs a fetch
   * of its query from a peer (one sync request each, against the peer's request rate: it took most
   * of the time to catch up, and the rate limit left later, live rounds unfetched). What the node
   * still owes such a round is done without it: a block holding its record is checked with the
   * messages block checking fetches itself (protocol/bft/block-check.ts messagesNeeded), and the
   * query's final view is completed from peers when it is read (node/query-views.ts).
   */
  private async startOrdered (state: LedgerState, time: number, ids: string[]): Promise<void> {
    if (this.c.now() > roundEndsAt({ time }, this.c.genesis.params)) {
      this.c.logger.debug(`${ids.length} round(s) ordered at height ${state.height} ended before the block was imported here; not starting them`)
      return
    }
    for (const id of ids) {
      const seed = roundSeed(state, id)
      if (seed !== undefined) await this.start(id, { seed, time }, state.reputations)
    }
  }

  private async start (queryIdHex: string, start: { seed: Bytes, time: number }, table: ReadonlyMap<string, ReputationEntry>): Promise<void> {
    if (this.stopped || this.set.has(queryIdHex)) return
    try {
      const query = (await this.c.fetcher.fetch([queryIdHex])).get(queryIdHex)
      if (query?.payload.query === undefined) {
        this.c.logger.warn(`round ${queryIdHex.slice(0, 12)}: a block ordered it but no peer has the query; not taking part`)
        return
      }
      // Only rounds this node was in when it stopped have stored work: no read for the others.
      const restored = this.storedWork.has(queryIdHex) ? fromStored(await this.c.store.getOwnWork(queryIdHex)) : undefined
      this.c.views.pending(query)
      // Consensus follows the round on the chain, with the round messages blocks ordered for it
      // so far (those of a round in flight when the node stopped) and any held early.
      const ordered = this.c.chain.current.ordered.get(queryIdHex)?.messages.map(m => m.id) ?? []
      const held = ordered.length === 0 ? new Map<string, SignedMessage>() : await this.c.fetcher.fetch(ordered)
      this.c.consensus.openRound({ query, start, table, params: this.c.genesis.params }, [...held.values()])
      this.run({ type: 'ordered', query, start, table, restored })
    } catch (err) {
      this.c.logger.error(`round ${queryIdHex.slice(0, 12)}: starting it failed: ${(err as Error).stack ?? String(err)}`)
    }
  }

  private run (event: RoundSetEvent): Validation<void> | undefined {
    if (this.stopped) return undefined
    const { effects, verdict } = this.set.handle(event, this.c.now())
    for (const effect of effects) this.carryOut(effect)
    return verdict
  }

  private carryOut (effect: RoundSetEffect): void {
    const id = effect.queryIdHex
    switch (effect.type) {
      case 'started':
        this.aborts.set(id, new AbortController())
        this.c.views.started(id, effect.answerers, effect.rankers)
        this.c.logger.debug(`round ${id.slice(0, 12)} started: answerers ${effect.answerers.length}, rankers ${effect.rankers.length}`)
        break
      case 'request-answer': {
        const signal = this.aborts.get(id)?.signal
        this.c.agent.answer({ queryId: id, prompt: effect.prompt }, signal)
          .then(answer => this.run({ type: 'answer-ready', queryIdHex: id, answer, salt: salt16() }))
          .catch(err => { if (signal?.aborted !== true) this.c.logger.warn(`round ${id.slice(0, 12)}: the agent gave no answer: ${(err as Error).message}`) })
        break
      }
      case 'request-comparisons':
        void this.judge(id, effect.prompt, effect.pairs, this.aborts.get(id)?.signal)
        break
      case 'publish': {
        const { keep, replace, extra, forged } = misbehave(this.init.byzantine, effect, salt32, { own: this.set.round(id)?.own, forged: this.forged.get(id) })
        if (forged !== undefined) this.forged.set(id, forged)
        const p = replace ?? effect.payload
        // A commitment is published only once what it commits to is on disk (DESIGN §8.7).
        const own = keep && (p.answerCommit !== undefined || p.comparisonCommit !== undefined) ? this.set.round(id)?.own : undefined
        void this.publish(id, keep ? p : undefined, extra, own)
        break
      }
      case 'wake-at': {
        clearTimeout(this.timers.get(id))
        // A few ms past the deadline, so `now >= deadline` holds when the tick runs.
        this.timers.set(id, setTimeout(() => this.run({ type: 'tick', queryIdHex: id }), Math.max(0, effect.at - this.c.now()) + 5))
        break
      }
      case 'closed': {
        // Most are stored already as they were accepted; not so the rejected ones that prove
        // cheating or those replayed after their query arrived late. The record names them all.
        for (const m of effect.messages) this.c.publisher.keep(m)
        this.c.views.closed(effect.query, effect.outcome, { answerers: effect.answerers, rankers: effect.rankers })
        this.c.logger.debug(`round ${id.slice(0, 12)} closed: "${(effect.outcome.winner?.answer ?? '(no answer)').slice(0, 60)}"; waiting for a block`)
        // The record that counts is the chain's (DESIGN §8.6); a block can likely hold it now.
        this.c.consensus.roundClosed(id)
        break
      }
      case 'cancel':
        clearTimeout(this.timers.get(id))
        this.timers.delete(id)
        this.aborts.get(id)?.abort()
        this.aborts.delete(id)
        this.forged.delete(id)
        break
    }
  }

  private async publish (queryIdHex: string, payload: Payload | undefined, extra: Payload[], own?: OwnWork): Promise<void> {
    try {
      if (own !== undefined) await this.c.store.putOwnWork(queryIdHex, toStored(own))
      if (payload !== undefined) {
        const msg = await this.c.publisher.publish(payload)
        this.c.consensus.onRoundMessage(msg)
        this.run({ type: 'message', queryIdHex, message: msg })
      }
      for (const p of extra) await this.c.publisher.publish(p)
    } catch (err) {
      this.c.logger.warn(`round ${queryIdHex.slice(0, 12)}: publishing failed: ${(err as Error).message}`)
    }
  }

  private async judge (queryIdHex: string, prompt: string, pairs: PairToJudge[], signal?: AbortSignal): Promise<void> {
    const judgements = []
    for (const p of pairs) {
      try {
        judgements.push({ a: p.a, b: p.b, ...await this.c.agent.compare({ queryId: queryIdHex, prompt }, p.answerA, p.answerB, signal) })
      } catch (err) {
        if (signal?.aborted === true) return
        this.c.logger.warn(`round ${queryIdHex.slice(0, 12)}: the agent could not judge a pair: ${(err as Error).message}`)
        judgements.push({ a: p.a, b: p.b, verdict: 'TIE' as const, reason: 'no verdict: the agent failed' })
      }
    }
    this.run({ type: 'comparisons-ready', queryIdHex, judgements, salt: salt16() })
  }
}

function toStored (own: OwnWork): StoredOwnWork {
  return {
    answer: own.answer === undefined ? undefined : { text: own.answer.text, salt: toHex(own.answer.salt) },
    comparison: own.comparison === undefined ? undefined : { body: toHex(encodeComparisonBody(own.comparison.body)), salt: toHex(own.comparison.salt) }
  }
}

function fromStored (stored: StoredOwnWork | undefined): OwnWork | undefined {
  if (stored === undefined) return undefined
  return {
    answer: stored.answer === undefined ? undefined : { text: stored.answer.text, salt: fromHex(stored.answer.salt) },
    comparison: stored.comparison === undefined ? undefined : { body: decodeComparisonBody(fromHex(stored.comparison.body)), salt: fromHex(stored.comparison.salt) }
  }
}

function salt16 (): Bytes {
  return asBytes(randomBytes(16))
}

function salt32 (): Bytes {
  return asBytes(randomBytes(32))
}
