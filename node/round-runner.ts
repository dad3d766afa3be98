import { randomBytes } from 'node:crypto'
import type { Genesis } from '../protocol/genesis.js'
import { asBytes } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { startRound, stepRound } from '../protocol/round.js'
import type { RoundAction, RoundEvent, RoundState } from '../protocol/round.js'
import type { RoundOutcome } from '../protocol/record.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Payload } from '../protocol/wire/messages.js'
import { ignore } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { Agent } from './agents/agent.js'
import type { LedgerKeeper } from './ledger-keeper.js'
import type { Logger } from './logger.js'

export interface RoundRunnerComponents {
  self: string
  networkId: Bytes
  genesis: Genesis
  agent: Agent
  ledger: LedgerKeeper
  logger: Logger
  now: () => number
  /** sign, gossip, and return the message (the runner then delivers it to itself) */
  publish: (payload: Payload) => Promise<SignedMessage | undefined>
  /** a round ended here: its record and the messages it names go to consensus */
  onFinal: (state: RoundState, outcome: RoundOutcome, messages: readonly SignedMessage[]) => Promise<void>
}

/**
 * Byzantine behaviours for tests and fault-injection clusters (DESIGN §5), on top of whatever
 * the agent does: `withhold` commits and never reveals; `equivocate` publishes a second,
 * different commitment after each commit; `spam` publishes junk round messages for made-up
 * queries alongside each message. (A copycat cannot exist under commit–reveal: by the time
 * answers are revealed its commit deadline has passed, so it behaves as a withholder.)
 */
export type ByzantineBehaviour = 'withhold' | 'equivocate' | 'spam'

export const byzantineBehaviours: ByzantineBehaviour[] = ['withhold', 'equivocate', 'spam']

export interface RoundRunnerInit {
  byzantine?: ByzantineBehaviour
}

/** Early round messages kept per unknown query, and how many such queries at most (memory bound). */
const MAX_ORPHANS_PER_QUERY = 64
const MAX_ORPHAN_QUERIES = 128
/** Queries held until our ledger reaches their anchor (memory bound; the oldest go first). */
const MAX_WAITING_QUERIES = 1_000

/**
 * Runs the protocol's round state machines for every query this node knows: feeds them events,
 * carries out their actions (agent calls, publishing, deadline timers) and hands finished
 * rounds on. One reducer call at a time per round; JavaScript's single thread does the rest.
 */
export class RoundRunner {
  private readonly c: RoundRunnerComponents
  private readonly init: RoundRunnerInit
  private readonly rounds = new Map<string, RoundState>()
  private readonly finished = new Set<string>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly aborts = new Map<string, AbortController>()
  /** round messages that arrived before their query */
  private readonly orphans = new Map<string, SignedMessage[]>()
  /** queries anchored at a height this node has not reached yet */
  private readonly waiting = new Map<string, SignedMessage>()
  private stopped = false

  constructor (components: RoundRunnerComponents, init: RoundRunnerInit = {}) {
    this.c = components
    this.init = init
  }

  get inFlight (): number {
    return this.rounds.size
  }

  has (queryIdHex: string): boolean {
    return this.rounds.has(queryIdHex) || this.finished.has(queryIdHex) || this.waiting.has(queryIdHex)
  }

  phaseOf (queryIdHex: string): string | undefined {
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

  markFinished (queryIdHex: string): void {
    this.finished.add(queryIdHex)
  }

  /** A validated Query (from gossip or from this node's API). */
  async onQuery (query: SignedMessage): Promise<Validation<void>> {
    const id = query.idHex
    if (this.has(id)) return ignore('duplicate query')
    const anchor = query.payload.query!.anchorHeight
    if (anchor > this.c.ledger.height) {
      // [IGNORE-later] wait until our ledger reaches the anchor, so our committees match the sender's
      if (this.waiting.size >= MAX_WAITING_QUERIES) this.waiting.delete(this.waiting.keys().next().value as string)
      this.waiting.set(id, query)
      this.c.logger.debug(`query ${id.slice(0, 12)} waits for height ${anchor} (at ${this.c.ledger.height})`)
      return { result: 'ACCEPT', value: undefined }
    }
    const table = await this.c.ledger.tableAt(anchor)
    // [IGNORE] anchored at a height too old to reconstruct
    if (table === undefined) return ignore(`anchor height ${anchor} is no longer available`)
    if (this.has(id)) return ignore('duplicate query')
    this.begin(query, table)
    return { result: 'ACCEPT', value: undefined }
  }

  /** A validated round message (commit or reveal). */
  onRoundMessage (queryIdHex: string, message: SignedMessage): Validation<void> {
    const state = this.rounds.get(queryIdHex)
    if (state === undefined) {
      if (this.finished.has(queryIdHex)) return ignore('round already finished')
      this.keepOrphan(queryIdHex, message)
      return ignore('unknown round (kept until its query arrives)')
    }
    return this.step(state, { type: 'message', message }) ?? ignore('round finished')
  }

  /** Start rounds whose anchor the ledger has now reached. */
  async onHeight (): Promise<void> {
    for (const [id, query] of [...this.waiting]) {
      if (query.payload.query!.anchorHeight > this.c.ledger.height) continue
      this.waiting.delete(id)
      const table = await this.c.ledger.tableAt(query.payload.query!.anchorHeight)
      if (table !== undefined && !this.rounds.has(id) && !this.finished.has(id)) this.begin(query, table)
    }
  }

  stop (): void {
    this.stopped = true
    for (const t of this.timers.values()) clearTimeout(t)
    for (const a of this.aborts.values()) a.abort()
    this.timers.clear()
  }

  private begin (query: SignedMessage, table: Parameters<typeof startRound>[0]['table']): void {
    const id = query.idHex
    const { state, actions } = startRound({ self: this.c.self, networkId: this.c.networkId, query, table, params: this.c.genesis.params }, this.c.now())
    this.rounds.set(id, state)
    this.aborts.set(id, new AbortController())
    this.c.logger.debug(`round ${id.slice(0, 12)} started: answerers ${state.answerers.length}, rankers ${state.rankers.length}`)
    this.carryOut(state, actions)
    for (const orphan of this.orphans.get(id) ?? []) this.step(state, { type: 'message', message: orphan })
    this.orphans.delete(id)
  }

  private step (state: RoundState, event: RoundEvent): Validation<void> | undefined {
    if (!this.rounds.has(state.queryIdHex) || this.stopped) return undefined
    const { actions, verdict } = stepRound(state, event, this.c.now())
    this.carryOut(state, actions)
    return verdict
  }

  private keepOrphan (queryIdHex: string, message: SignedMessage): void {
    let list = this.orphans.get(queryIdHex)
    if (list === undefined) {
      if (this.orphans.size >= MAX_ORPHAN_QUERIES) this.orphans.delete(this.orphans.keys().next().value as string)
      list = []
      this.orphans.set(queryIdHex, list)
    }
    if (list.length < MAX_ORPHANS_PER_QUERY) list.push(message)
  }

  private carryOut (state: RoundState, actions: RoundAction[]): void {
    const id = state.queryIdHex
    const signal = this.aborts.get(id)?.signal
    for (const action of actions) {
      switch (action.type) {
        case 'request-answer':
          this.c.agent.answer({ queryId: id, prompt: action.prompt }, signal)
            .then(answer => this.step(state, { type: 'answer-ready', answer, salt: salt() }))
            .catch(err => { if (signal?.aborted !== true) this.c.logger.warn(`round ${id.slice(0, 12)}: the agent gave no answer: ${(err as Error).message}`) })
          break
        case 'request-comparisons':
          void this.judge(state, action.pairs, signal)
          break
        case 'publish':
          if (this.init.byzantine === 'withhold' && (action.payload.answerReveal !== undefined || action.payload.comparisonReveal !== undefined)) break
          this.c.publish(action.payload)
            .then(msg => { if (msg !== undefined) this.step(state, { type: 'message', message: msg }) })
            .then(async () => this.misbehave(action.payload))
            .catch(err => this.c.logger.warn(`round ${id.slice(0, 12)}: publishing failed: ${(err as Error).message}`))
          break
        case 'wake-at': {
          clearTimeout(this.timers.get(id))
          // A few ms past the deadline, so `now >= deadline` holds when the tick runs.
          const timer = setTimeout(() => this.step(state, { type: 'tick' }), Math.max(0, action.at - this.c.now()) + 5)
          this.timers.set(id, timer)
          break
        }
        case 'finalized':
          this.finish(state, action.outcome, action.messages)
          break
      }
    }
  }

  private async misbehave (payload: Payload): Promise<void> {
    if (this.init.byzantine === 'equivocate') {
      if (payload.answerCommit !== undefined) await this.c.publish({ ...payload, answerCommit: { ...payload.answerCommit, commitment: salt32() } })
      if (payload.comparisonCommit !== undefined) await this.c.publish({ ...payload, comparisonCommit: { ...payload.comparisonCommit, commitment: salt32() } })
    } else if (this.init.byzantine === 'spam') {
      for (let i = 0; i < 5; i++) await this.c.publish({ networkId: payload.networkId, answerCommit: { queryId: salt32(), commitment: salt32() } })
    }
  }

  private async judge (state: RoundState, pairs: Array<{ a: string, b: string, answerA: string, answerB: string }>, signal?: AbortSignal): Promise<void> {
    const judgements = []
    for (const p of pairs) {
      try {
        judgements.push({ a: p.a, b: p.b, ...await this.c.agent.compare({ queryId: state.queryIdHex, prompt: state.prompt }, p.answerA, p.answerB, signal) })
      } catch (err) {
        if (signal?.aborted === true) return
        this.c.logger.warn(`round ${state.queryIdHex.slice(0, 12)}: the agent could not judge a pair: ${(err as Error).message}`)
        judgements.push({ a: p.a, b: p.b, verdict: 'TIE' as const, reason: 'no verdict: the agent failed' })
      }
    }
    this.step(state, { type: 'comparisons-ready', judgements, salt: salt() })
  }

  private finish (state: RoundState, outcome: RoundOutcome, messages: readonly SignedMessage[]): void {
    const id = state.queryIdHex
    clearTimeout(this.timers.get(id))
    this.timers.delete(id)
    this.aborts.get(id)?.abort()
    this.aborts.delete(id)
    this.rounds.delete(id)
    this.finished.add(id)
    this.c.onFinal(state, outcome, messages)
      .catch(err => this.c.logger.error(`round ${id.slice(0, 12)}: handing the result on failed: ${(err as Error).message}`))
  }
}

function salt (): Bytes {
  return asBytes(randomBytes(16))
}

function salt32 (): Bytes {
  return asBytes(randomBytes(32))
}
