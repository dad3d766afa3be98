import { EarlyMessages } from './early-messages.js'
import type { Bytes } from './hash.js'
import type { ProtocolParams } from './genesis.js'
import type { RoundMetrics } from './bft/metrics.js'
import type { ReputationEntry } from './reputation.js'
import { startRound, stepRound } from './round.js'
import type { Judgement, OwnWork, RoundAction, RoundEvent, RoundPhase, RoundStart, RoundState } from './round.js'
import type { SignedMessage } from './wire/envelope.js'
import { ignore } from './wire/validate.js'
import type { Validation } from './wire/validate.js'

/** The limits of the round set, in one place: every buffer here is keyed by data peers send. */
export const roundSetLimits = {
  /** Round messages kept per query that has not arrived yet (gossip does not keep order). */
  maxEarlyPerQuery: 64,
  /** ...and per signer for one query: a member owes a round at most a commit and a reveal of each kind. */
  maxEarlyPerSigner: 4,
  /** ...and per signer over the queries not known here when their messages came (protocol/early-messages.ts) */
  maxEarlyUnknownPerSigner: 16,
  /** Queries with early messages kept at once (those not known here go first). */
  maxEarlyQueries: 512,
  /** Closed round ids remembered, so a late copy of their query does not start them again. */
  maxClosedMemory: 20_000
} as const

/** A round's action, tagged with its query. `cancel`: stop the agent's work and timers of a round that ended here. */
type ClosedAction = Extract<RoundAction, { type: 'closed' }>

export type RoundSetEffect =
  | (Exclude<RoundAction, ClosedAction> & { queryIdHex: string })
  /** the round closed here: with its query and committees, as the round is forgotten */
  | (ClosedAction & { queryIdHex: string, query: SignedMessage, answerers: string[], rankers: string[] })
  | { type: 'cancel', queryIdHex: string }
  | { type: 'started', queryIdHex: string, answerers: string[], rankers: string[] }

export type RoundSetEvent =
  /**
   * A block ordered the query (DESIGN §8.2): its round starts with the committees and deadlines
   * that block fixes, over the ledger after it; with what this node had committed to in it before
   * a restart.
   */
  | { type: 'ordered', query: SignedMessage, start: RoundStart, table: ReadonlyMap<string, ReputationEntry>, restored?: OwnWork }
  /** a validated round message (commit or reveal), from gossip or our own coming back */
  /** `known`: whether the query is known to the shell (waiting to be ordered, or ordered); default yes */
  | { type: 'message', queryIdHex: string, message: SignedMessage, known?: boolean }
  | { type: 'answer-ready', queryIdHex: string, answer: string, salt: Bytes }
  | { type: 'comparisons-ready', queryIdHex: string, judgements: Judgement[], salt: Bytes }
  /** a round's wake-at came due */
  | { type: 'tick', queryIdHex: string }
  /** a block holds the query's record: the round is over everywhere */
  | { type: 'final', queryIdHex: string }

export interface RoundSetStep {
  effects: RoundSetEffect[]
  /** for 'message' events: what gossip should do with the message */
  verdict?: Validation<void>
}

export interface RoundSetInit {
  self: string
  networkId: Bytes
  params: ProtocolParams
  metrics?: RoundMetrics
}

/**
 * The rounds in flight on one node (DESIGN §4.3), around the round reducer (round.ts), the same
 * for the node, the simulator and the tests: it starts a round when a committed block orders its
 * query, keeps round messages that arrive before that block,
 * remembers rounds that closed here, and tags each round's actions with its query. A reducer:
 * events in with the time, effects out; the shell runs the agent, publishes and keeps the timers.
 */
export class RoundSet {
  private readonly init: RoundSetInit
  private readonly rounds = new Map<string, RoundState>()
  private readonly startedAt = new Map<string, number>()
  private readonly closed = new Set<string>()
  private readonly early = new EarlyMessages({ maxQueries: roundSetLimits.maxEarlyQueries, maxPerQuery: roundSetLimits.maxEarlyPerQuery, maxPerSigner: roundSetLimits.maxEarlyPerSigner, maxUnknownPerSigner: roundSetLimits.maxEarlyUnknownPerSigner })
  private effects: RoundSetEffect[] = []

  constructor (init: RoundSetInit) {
    this.init = init
  }

  get inFlight (): number {
    return this.rounds.size
  }

  /** Messages kept for queries whose round has not started here. */
  get earlyMessages (): number {
    return this.early.size
  }

  /** Whether the query's round is known here: running or closed. */
  has (queryIdHex: string): boolean {
    return this.rounds.has(queryIdHex) || this.closed.has(queryIdHex)
  }

  isClosed (queryIdHex: string): boolean {
    return this.closed.has(queryIdHex)
  }

  round (queryIdHex: string): RoundState | undefined {
    return this.rounds.get(queryIdHex)
  }

  phaseOf (queryIdHex: string): RoundPhase | undefined {
    return this.rounds.get(queryIdHex)?.phase
  }

  /** Rounds in progress by phase (for metrics). */
  phases (): Record<string, number> {
    const out: Record<string, number> = {}
    for (const r of this.rounds.values()) out[r.phase] = (out[r.phase] ?? 0) + 1
    return out
  }

  committeesOf (queryIdHex: string): { answerers: string[], rankers: string[] } | undefined {
    const r = this.rounds.get(queryIdHex)
    return r === undefined ? undefined : { answerers: r.answerers, rankers: r.rankers }
  }

  handle (event: RoundSetEvent, now: number): RoundSetStep {
    this.effects = []
    let verdict: Validation<void> | undefined
    switch (event.type) {
      case 'ordered':
        if (!this.has(event.query.idHex)) this.begin(event.query, event.start, event.table, now, event.restored)
        break
      case 'message':
        verdict = this.onMessage(event.queryIdHex, event.message, now, event.known ?? true)
        break
      case 'answer-ready':
        this.step(event.queryIdHex, { type: 'answer-ready', answer: event.answer, salt: event.salt }, now)
        break
      case 'comparisons-ready':
        this.step(event.queryIdHex, { type: 'comparisons-ready', judgements: event.judgements, salt: event.salt }, now)
        break
      case 'tick':
        this.step(event.queryIdHex, { type: 'tick' }, now)
        break
      case 'final':
        this.onFinal(event.queryIdHex)
        break
    }
    const effects = this.effects
    this.effects = []
    return { effects, verdict }
  }

  private onMessage (queryIdHex: string, message: SignedMessage, now: number, known: boolean): Validation<void> {
    if (this.closed.has(queryIdHex)) return ignore('round already closed', 'round_closed')
    if (!this.rounds.has(queryIdHex)) {
      this.early.add(queryIdHex, message, known)
      return ignore('unknown round (kept until its query arrives)', 'round_unknown')
    }
    return this.step(queryIdHex, { type: 'message', message }, now) ?? ignore('round closed', 'round_closed')
  }

  private onFinal (queryIdHex: string): void {
    this.early.drop(queryIdHex)
    if (this.rounds.has(queryIdHex)) this.end(queryIdHex)
    this.remember(queryIdHex)
  }

  private begin (query: SignedMessage, start: RoundStart, table: ReadonlyMap<string, ReputationEntry>, now: number, restored?: OwnWork): void {
    const id = query.idHex
    const { state, actions } = startRound({ self: this.init.self, networkId: this.init.networkId, query, table, start, params: this.init.params, restored }, now)
    this.rounds.set(id, state)
    this.startedAt.set(id, now)
    this.effects.push({ type: 'started', queryIdHex: id, answerers: state.answerers, rankers: state.rankers })
    this.take(state, actions, now)
    for (const message of this.early.take(id)) this.step(id, { type: 'message', message }, now)
  }

  private step (queryIdHex: string, event: RoundEvent, now: number): Validation<void> | undefined {
    const state = this.rounds.get(queryIdHex)
    if (state === undefined) return undefined
    const { actions, verdict } = stepRound(state, event, now)
    if (verdict?.result === 'IGNORE' && verdict.reason.endsWith('after its deadline')) this.init.metrics?.lateMessage(verdict.reason.replace(' after its deadline', ''))
    this.take(state, actions, now)
    return verdict
  }

  private take (state: RoundState, actions: RoundAction[], now: number): void {
    const id = state.queryIdHex
    for (const action of actions) {
      if (action.type !== 'closed') {
        this.effects.push({ ...action, queryIdHex: id })
      } else {
        this.effects.push({ ...action, queryIdHex: id, query: state.init.query, answerers: state.answerers, rankers: state.rankers })
        this.init.metrics?.roundClosed(Math.max(0, now - (this.startedAt.get(id) ?? now)) / 1000, action.outcome.winner === undefined ? 'no_answer' : 'winner')
        this.end(id)
        this.remember(id)
      }
    }
  }

  private end (queryIdHex: string): void {
    this.rounds.delete(queryIdHex)
    this.startedAt.delete(queryIdHex)
    this.effects.push({ type: 'cancel', queryIdHex })
  }

  private remember (queryIdHex: string): void {
    this.closed.add(queryIdHex)
    if (this.closed.size > roundSetLimits.maxClosedMemory) {
      for (const q of this.closed) {
        this.closed.delete(q)
        if (this.closed.size <= roundSetLimits.maxClosedMemory / 2) break
      }
    }
  }
}
