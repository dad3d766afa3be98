import { admitToChainRound, chainRoundOutcome, openChainRound, replayChainRound, tickChainRound } from '../chain-round.js'
import type { ChainRoundInput } from '../chain-round.js'
import type { ProtocolParams } from '../genesis.js'
import { EarlyMessages } from '../early-messages.js'
import { fromHex } from '../hash.js'
import type { LedgerState } from '../ledger.js'
import { queryIdHexOf } from '../round.js'
import type { RoundState } from '../round.js'
import type { SignedMessage } from '../wire/envelope.js'
import type { OrderedRoundMessage, RoundRecord } from '../wire/messages.js'
import { fairRecordOrder } from '../submission.js'
import { roundMessagesPerBlock } from './block-check.js'

/** The bounds of the pool, in one place: it is keyed by data peers send. */
export const roundPoolLimits = {
  /** Open rounds followed at once (a block orders at most a few dozen queries; rounds last seconds). */
  maxOpenRounds: 4_096,
  /** Messages kept per round not yet ordered: every member's commit, reveal and some evidence. */
  maxPendingPerRound: 256,
  /** Rounds not opened here yet (the block ordering the query is on its way) with messages kept, and per round. */
  maxEarlyRounds: 512,
  maxEarlyPerRound: 64,
  /** ...and per signer in such a round: a member owes a round at most a commit and a reveal of each kind. */
  maxEarlyPerSigner: 4,
  /** ...and per signer over the queries not known here when their messages came (protocol/early-messages.ts) */
  maxEarlyUnknownPerSigner: 16,
  /**
   * A round message waits this long for its round's others before it alone starts a height: a
   * round that closes early here (the common case) gets one block for all its messages and its
   * record, rather than a block per phase...
   */
  batchMs: 1_000,
  /** ...but no later than this long before its phase's deadline, so a block orders it in time. */
  deadlineLeadMs: 1_000
} as const

interface OpenRound {
  input: ChainRoundInput
  /** its committees: only their members' messages are kept (a stranger cannot crowd them out) */
  members: ReadonlySet<string>
  /** ordered messages of the round, by id (the ledger's entry gives their order and times) */
  contents: Map<string, SignedMessage>
  /** messages not ordered yet, with when they arrived here */
  pending: Map<string, { message: SignedMessage, since: number }>
  /** the round closed here: all it waited for has arrived, so a block can likely record it */
  closedHere: boolean
  /** its phases' deadlines (in block time, the same on every node) */
  deadlines: RoundState['deadlines']
  /** when its last phase's deadline passes: the chain can record it by then whatever arrived */
  endsAt: number
}

/** What the pool puts in a block: round messages to order and records of rounds done on the chain. */
export interface RoundWork {
  roundMessages: OrderedRoundMessage[]
  records: Array<{ queryIdHex: string, record: RoundRecord, submitter: string }>
}

/** Kinds in the order a block should take them: a reveal only counts after its commit. */
const kindRank = (m: SignedMessage): number => {
  const p = m.payload
  return p.answerCommit !== undefined ? 0 : p.answerReveal !== undefined ? 1 : p.comparisonCommit !== undefined ? 2 : 3
}

/**
 * The round messages a validator holds until blocks order them, and the rounds open on the
 * chain (DESIGN §8.6): gossip is the mempool. When it proposes, it orders every pending message
 * that still counts as of its block's time (protocol/chain-round.ts) and records each round that
 * is then done on the chain. The record is the chain's, not this node's local round's: a
 * proposer that leaves a message out has only delayed it to the next block.
 */
export class RoundPool {
  private readonly params: ProtocolParams
  private readonly rounds = new Map<string, OpenRound>()
  private readonly early = new EarlyMessages({ maxQueries: roundPoolLimits.maxEarlyRounds, maxPerQuery: roundPoolLimits.maxEarlyPerRound, maxPerSigner: roundPoolLimits.maxEarlyPerSigner, maxUnknownPerSigner: roundPoolLimits.maxEarlyUnknownPerSigner })
  /** `nextWake`'s last answer, moved earlier as pending messages are added; null once a round opened since */
  private wake: number | undefined | null = null
  /** whether a round or pending message left since `wake` was computed (it may be early then) */
  private removedSinceWake = false

  constructor (params: ProtocolParams) {
    this.params = params
  }

  get openRounds (): number {
    return this.rounds.size
  }

  /** Messages waiting to be ordered, over all rounds. */
  get pendingMessages (): number {
    let n = 0
    for (const r of this.rounds.values()) n += r.pending.size
    return n
  }

  /** Messages kept for rounds not opened here yet. */
  get earlyMessages (): number {
    return this.early.size
  }

  isOpen (queryIdHex: string): boolean {
    return this.rounds.has(queryIdHex)
  }

  /**
   * A block ordered the query: follow its round. `messages`: round messages held already (those
   * blocks ordered before a restart, or that arrived early).
   */
  open (input: ChainRoundInput, state: LedgerState, messages: Iterable<SignedMessage>, now: number): void {
    const qid = input.query.idHex
    const entry = state.ordered.get(qid)
    if (this.rounds.has(qid) || entry === undefined || entry.final) return
    if (this.rounds.size >= roundPoolLimits.maxOpenRounds) return
    const opened = openChainRound(input)
    const round: OpenRound = {
      input,
      members: new Set([...opened.answerers, ...opened.rankers]),
      contents: new Map(),
      pending: new Map(),
      closedHere: false,
      deadlines: opened.deadlines,
      endsAt: opened.deadlines['comparison-reveal']
    }
    this.rounds.set(qid, round)
    this.wake = null
    const ordered = new Set(entry.messages.map(m => m.id))
    for (const m of [...messages, ...this.early.take(qid)]) this.place(round, m, ordered, now)
  }

  /**
   * A validated round message from gossip, a fetch, or ourselves. `waiting`: whether a query is in
   * this validator's query pool. A message for a round not open here waits in the early buffer
   * (protocol/early-messages.ts), from members only; queries known here (waiting, or ordered by a
   * block whose round has not opened here yet) keep theirs there, and made-up ids cannot push
   * them out.
   */
  add (message: SignedMessage, state: LedgerState, now: number, waiting: (queryIdHex: string) => boolean): void {
    const qid = queryIdHexOf(message.payload)
    if (qid === undefined) return
    const round = this.rounds.get(qid)
    if (round === undefined) {
      const entry = state.ordered.get(qid)
      if (entry?.final === true || !state.reputations.has(message.signerId)) return
      this.early.add(qid, message, entry !== undefined || waiting(qid))
      return
    }
    this.place(round, message, new Set(state.ordered.get(qid)?.messages.map(m => m.id) ?? []), now)
  }

  private place (round: OpenRound, message: SignedMessage, ordered: ReadonlySet<string>, now: number): void {
    if (!round.members.has(message.signerId)) return
    if (ordered.has(message.idHex)) round.contents.set(message.idHex, message)
    else if (!round.pending.has(message.idHex) && round.pending.size < roundPoolLimits.maxPendingPerRound) {
      const pending = { message, since: now }
      round.pending.set(message.idHex, pending)
      // No rescan of every round per message: while nothing left since the wake was computed, the
      // earliest of it and this message's time is what a rescan would give.
      const due = this.dueAt(round, pending)
      if (this.removedSinceWake) this.wake = null
      else if (this.wake !== null && due > now && (this.wake === undefined || due < this.wake)) this.wake = due
    }
  }

  /** When a pending message wants a block: after the batching wait, and in time for its phase's deadline. */
  private dueAt (round: OpenRound, p: { message: SignedMessage, since: number }): number {
    const m = p.message.payload
    const deadline = m.answerCommit !== undefined
      ? round.deadlines.answering
      : m.answerReveal !== undefined ? round.deadlines['answer-reveal'] : m.comparisonCommit !== undefined ? round.deadlines.comparing : round.deadlines['comparison-reveal']
    return Math.min(p.since + roundPoolLimits.batchMs, deadline - roundPoolLimits.deadlineLeadMs)
  }

  /** The round closed here (a hint that a block can record it now). */
  closedHere (queryIdHex: string): void {
    const round = this.rounds.get(queryIdHex)
    if (round !== undefined) round.closedHere = true
  }

  drop (queryIdHex: string): boolean {
    this.early.drop(queryIdHex)
    this.removedSinceWake = true
    return this.rounds.delete(queryIdHex)
  }

  /** After a commit: ordered messages leave the pending set, recorded and expired rounds go. */
  onCommitted (state: LedgerState): void {
    this.removedSinceWake = true
    for (const [qid, round] of this.rounds) {
      const entry = state.ordered.get(qid)
      if (entry === undefined || entry.final) {
        this.rounds.delete(qid)
        continue
      }
      for (const { id } of entry.messages) {
        const p = round.pending.get(id)
        if (p === undefined) continue
        round.contents.set(id, p.message)
        round.pending.delete(id)
      }
    }
    this.early.dropWhere(qid => state.ordered.get(qid)?.final === true)
  }

  /**
   * Whether a block has something to do for the rounds at `now`: a round closed here, one whose
   * last deadline has passed, or messages that have waited `batchMs` or near their deadline. Cheap: what a block can
   * really hold is `work`'s answer.
   */
  wantsBlock (now: number): boolean {
    for (const r of this.rounds.values()) {
      if (r.closedHere || now >= r.endsAt) return true
      for (const p of r.pending.values()) if (now >= this.dueAt(r, p)) return true
    }
    return false
  }

  /**
   * The earliest time `wantsBlock` turns true by the clock alone (pending messages ageing, rounds
   * ending). Asked after every event the driver takes (every vote), so it is kept until a round
   * opens or its time comes; a pending message added moves it earlier, or has it computed again
   * if something left since (removals only make it early, which costs a tick that finds nothing,
   * and a rescan on the next message gives what a rescan on every message gave).
   */
  nextWake (now: number): number | undefined {
    if (this.wake !== null && (this.wake === undefined || this.wake > now)) return this.wake
    let at: number | undefined
    const consider = (t: number): void => { if (t > now && (at === undefined || t < at)) at = t }
    for (const r of this.rounds.values()) {
      consider(r.endsAt)
      for (const p of r.pending.values()) consider(this.dueAt(r, p))
    }
    this.wake = at
    this.removedSinceWake = false
    return at
  }

  /**
   * What a block on top of `state` at `time` holds for the rounds: each open round replayed from
   * what blocks ordered, then every pending message that still counts as of `time`, then the
   * round's record if it is done. Messages that can never count (late, duplicates, a cheater's
   * next) leave the pool; a reveal whose commit is not ordered yet waits. `exclude`: messages this
   * proposer leaves out (a Byzantine proposer, for tests and the simulator: it only delays them).
   */
  work (state: LedgerState, time: number, exclude?: (message: SignedMessage) => boolean): RoundWork {
    const roundMessages: OrderedRoundMessage[] = []
    const records: RoundWork['records'] = []
    const maxMessages = roundMessagesPerBlock(this.params)
    for (const [qid, round] of [...this.rounds].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const entry = state.ordered.get(qid)
      if (entry === undefined || entry.final) continue
      const chain = this.replay(round, entry.messages)
      if (chain === undefined) continue // an ordered message not held here: another proposer will do
      tickChainRound(chain, time)
      const pending = [...round.pending.values()].sort((x, y) => kindRank(x.message) - kindRank(y.message) || x.since - y.since)
      for (const { message } of pending) {
        if (roundMessages.length >= maxMessages) break
        if (exclude?.(message) === true) continue
        const why = admitToChainRound(chain, message, time)
        if (why === undefined) roundMessages.push({ messageId: message.id, queryId: fromHex(qid) })
        else if (!why.includes('before its commit')) {
          round.pending.delete(message.idHex)
          this.removedSinceWake = true
        }
      }
      const outcome = chainRoundOutcome(chain, time)
      if (outcome !== undefined) records.push({ queryIdHex: qid, record: outcome.record, submitter: entry.submitter })
    }
    return { roundMessages, records: fairRecordOrder(records, this.params.submission.perBlock, this.params.bft.maxRecordsPerBlock) }
  }

  private replay (round: OpenRound, refs: ReadonlyArray<{ id: string, time: number }>): RoundState | undefined {
    const ordered = []
    for (const { id, time } of refs) {
      const message = round.contents.get(id) ?? round.pending.get(id)?.message
      if (message === undefined) return undefined
      ordered.push({ message, time })
    }
    return replayChainRound(round.input, ordered)
  }
}
