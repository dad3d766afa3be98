import type { Bytes } from './hash.js'
import type { ProtocolParams } from './genesis.js'
import type { RoundMetrics } from './bft/metrics.js'
import type { ReputationEntry } from './reputation.js'
import { startRound, stepRound } from './round.js'
import type { Judgement, OwnWork, RoundAction, RoundEvent, RoundPhase, RoundState } from './round.js'
import type { SignedMessage } from './wire/envelope.js'
import { ignore } from './wire/validate.js'
import type { Validation } from './wire/validate.js'

/** The limits of the round set, in one place: every buffer here is keyed by data peers send. */
export const roundSetLimits = {
  /** Round messages kept per query that has not arrived yet (gossip does not keep order). */
  maxEarlyPerQuery: 64,
  /** Queries with early messages kept at once (the oldest go first). */
  maxEarlyQueries: 128,
  /** Queries anchored at a height this node has not reached, held until it does (the oldest go first). */
  maxWaitingQueries: 1_000,
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
  /** a validated Query (from gossip, from this node's API, or resumed after a restart), with what this node had committed to in it before a restart */
  | { type: 'query', query: SignedMessage, restored?: OwnWork }
  /** a validated round message (commit or reveal), from gossip or our own coming back */
  | { type: 'message', queryIdHex: string, message: SignedMessage }
  | { type: 'answer-ready', queryIdHex: string, answer: string, salt: Bytes }
  | { type: 'comparisons-ready', queryIdHex: string, judgements: Judgement[], salt: Bytes }
  /** a round's wake-at came due */
  | { type: 'tick', queryIdHex: string }
  /** the ledger reached `height`: rounds waiting for their anchor may start */
  | { type: 'height', height: number }
  /** a block holds the query's record: the round is over everywhere */
  | { type: 'final', queryIdHex: string }

export interface RoundSetStep {
  effects: RoundSetEffect[]
  /** for 'query' and 'message' events: what gossip should do with the message */
  verdict?: Validation<void>
}

export interface RoundSetInit {
  self: string
  networkId: Bytes
  params: ProtocolParams
  /** the ledger height now */
  height: number
  /**
   * The reputation table at a past height, if the shell holds it (undefined: pruned). The node
   * loads an old anchor's table before it hands over a query anchored there.
   */
  tableAt: (height: number) => ReadonlyMap<string, ReputationEntry> | undefined
  metrics?: RoundMetrics
}

/**
 * The rounds in flight on one node (DESIGN §4.3), around the round reducer (round.ts), the same
 * for the node, the simulator and the tests: it starts a round when its query arrives and the
 * ledger has reached the query's anchor, keeps round messages that arrive before their query,
 * remembers rounds that closed here, and tags each round's actions with its query. A reducer:
 * events in with the time, effects out; the shell runs the agent, publishes and keeps the timers.
 */
export class RoundSet {
  private readonly init: RoundSetInit
  private readonly rounds = new Map<string, RoundState>()
  private readonly startedAt = new Map<string, number>()
  private readonly closed = new Set<string>()
  private readonly early = new Map<string, SignedMessage[]>()
  private readonly waiting = new Map<string, { query: SignedMessage, restored?: OwnWork }>()
  private height: number
  private effects: RoundSetEffect[] = []

  constructor (init: RoundSetInit) {
    this.init = init
    this.height = init.height
  }

  get inFlight (): number {
    return this.rounds.size
  }

  /** Whether the query is known here: running, waiting for its anchor, or closed. */
  has (queryIdHex: string): boolean {
    return this.rounds.has(queryIdHex) || this.closed.has(queryIdHex) || this.waiting.has(queryIdHex)
  }

  isClosed (queryIdHex: string): boolean {
    return this.closed.has(queryIdHex)
  }

  round (queryIdHex: string): RoundState | undefined {
    return this.rounds.get(queryIdHex)
  }

  phaseOf (queryIdHex: string): RoundPhase | 'waiting-for-anchor' | undefined {
    return this.rounds.get(queryIdHex)?.phase ?? (this.waiting.has(queryIdHex) ? 'waiting-for-anchor' : undefined)
  }

  /** Rounds in progress by phase (for metrics). */
  phases (): Record<string, number> {
    const out: Record<string, number> = {}
    for (const r of this.rounds.values()) out[r.phase] = (out[r.phase] ?? 0) + 1
    if (this.waiting.size > 0) out['waiting-for-anchor'] = this.waiting.size
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
      case 'query':
        verdict = this.onQuery(event.query, now, event.restored)
        break
      case 'message':
        verdict = this.onMessage(event.queryIdHex, event.message, now)
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
      case 'height':
        this.onHeight(event.height, now)
        break
      case 'final':
        this.onFinal(event.queryIdHex)
        break
    }
    const effects = this.effects
    this.effects = []
    return { effects, verdict }
  }

  private onQuery (query: SignedMessage, now: number, restored?: OwnWork): Validation<void> {
    const id = query.idHex
    // [IGNORE] a query already running, waiting or closed here
    if (this.has(id)) return ignore('duplicate query', 'duplicate')
    const anchor = query.payload.query!.anchorHeight
    if (anchor > this.height) {
      // [ACCEPT, later] wait until our ledger reaches the anchor, so our committees match the sender's
      if (this.waiting.size >= roundSetLimits.maxWaitingQueries) this.waiting.delete(this.waiting.keys().next().value as string)
      this.waiting.set(id, { query, restored })
      return { result: 'ACCEPT', value: undefined }
    }
    const table = this.init.tableAt(anchor)
    // [IGNORE] anchored at a height too old to reconstruct
    if (table === undefined) return ignore(`anchor height ${anchor} is no longer available`, 'anchor_unavailable')
    this.begin(query, table, now, restored)
    return { result: 'ACCEPT', value: undefined }
  }

  private onMessage (queryIdHex: string, message: SignedMessage, now: number): Validation<void> {
    if (this.closed.has(queryIdHex)) return ignore('round already closed', 'round_closed')
    if (!this.rounds.has(queryIdHex)) {
      this.keepEarly(queryIdHex, message)
      return ignore('unknown round (kept until its query arrives)', 'round_unknown')
    }
    return this.step(queryIdHex, { type: 'message', message }, now) ?? ignore('round closed', 'round_closed')
  }

  private onHeight (height: number, now: number): void {
    this.height = Math.max(this.height, height)
    for (const [id, { query, restored }] of [...this.waiting]) {
      const anchor = query.payload.query!.anchorHeight
      if (anchor > this.height) continue
      this.waiting.delete(id)
      const table = this.init.tableAt(anchor)
      if (table !== undefined && !this.rounds.has(id) && !this.closed.has(id)) this.begin(query, table, now, restored)
    }
  }

  private onFinal (queryIdHex: string): void {
    this.waiting.delete(queryIdHex)
    this.early.delete(queryIdHex)
    if (this.rounds.has(queryIdHex)) this.end(queryIdHex)
    this.remember(queryIdHex)
  }

  private begin (query: SignedMessage, table: ReadonlyMap<string, ReputationEntry>, now: number, restored?: OwnWork): void {
    const id = query.idHex
    const { state, actions } = startRound({ self: this.init.self, networkId: this.init.networkId, query, table, params: this.init.params, restored }, now)
    this.rounds.set(id, state)
    this.startedAt.set(id, now)
    this.effects.push({ type: 'started', queryIdHex: id, answerers: state.answerers, rankers: state.rankers })
    this.take(state, actions, now)
    const early = this.early.get(id) ?? []
    this.early.delete(id)
    for (const message of early) this.step(id, { type: 'message', message }, now)
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

  private keepEarly (queryIdHex: string, message: SignedMessage): void {
    let list = this.early.get(queryIdHex)
    if (list === undefined) {
      if (this.early.size >= roundSetLimits.maxEarlyQueries) this.early.delete(this.early.keys().next().value as string)
      list = []
      this.early.set(queryIdHex, list)
    }
    if (list.length < roundSetLimits.maxEarlyPerQuery) list.push(message)
  }
}
