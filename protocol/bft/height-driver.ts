import type { ProtocolParams } from '../genesis.js'
import { toHex } from '../hash.js'
import { blockHash, proposeBlock } from '../ledger.js'
import type { LedgerState } from '../ledger.js'
import { nodeIdFromBytes } from '../record.js'
import type { SignedMessage } from '../wire/envelope.js'
import type { Block, RoundRecord } from '../wire/messages.js'
import { RoundPool } from './round-pool.js'
import { accept, ignore, reject } from '../wire/validate.js'
import type { Validation } from '../wire/validate.js'
import { JoinPool } from './join-pool.js'
import { AccountabilityPool } from './accountability-pool.js'
import type { ConsensusMetrics } from './metrics.js'
import { proposerFor } from './proposer.js'
import { QueryPool } from './query-pool.js'
import { heightDriverLimits } from './height-limits.js'
import { Tendermint } from './tendermint.js'
import type { TendermintAction, TendermintEvent, ValueId, VoteKind } from './tendermint.js'
import type { ConsensusMemory, ConsensusMessage, HeightEffect, HeightEvent, HeightStep } from './height-io.js'

export { heightDriverLimits } from './height-limits.js'

export interface HeightDriverInit {
  self: string
  params: ProtocolParams
  /** the ledger after the last committed block */
  state: LedgerState
  /** the last-sign state persisted before a restart */
  memory?: ConsensusMemory
  metrics?: ConsensusMetrics
  /**
   * A Byzantine proposer's filter, for tests and the simulator (DESIGN §8.6): round messages it
   * leaves out of the blocks it proposes. Honest validators order them in later blocks.
   */
  censor?: (message: SignedMessage) => boolean
}

/**
 * Drives Tendermint (tendermint.ts) one height at a time, the same for the node and the
 * simulator: it keeps the pools of queries, round messages and Joins, starts a height when there is
 * something to decide or the others have started it (no empty blocks while nothing is ready),
 * builds the proposal, keeps messages of later heights until we get there, remembers votes before
 * they are signed, and notices when the height stalls or the network is ahead. A reducer: events
 * in with the time, effects out; the shell signs, gossips, stores, fetches and keeps the timers.
 */
export class HeightDriver<E> {
  private readonly self: string
  private readonly params: ProtocolParams
  private readonly metrics?: ConsensusMetrics
  private state: LedgerState
  private memory?: ConsensusMemory
  private tm?: Tendermint<Block, E>
  /** round messages waiting to be ordered, and the rounds open on the chain (DESIGN §8.6) */
  private readonly rounds: RoundPool
  private readonly censor?: (message: SignedMessage) => boolean
  /** Joins waiting for a block to admit their identities */
  private readonly joins = new JoinPool()
  /** queries waiting to be ordered (the mempool) */
  private readonly queries = new QueryPool()
  /** the last block's commit and pending double votes, for the next block (protocol/jailing.ts) */
  private readonly accountability = new AccountabilityPool()
  private readonly finalized = new Set<string>()
  private future: Array<ConsensusMessage<E>> = []
  private heightLog: Array<ConsensusMessage<E>> = []
  private readonly heightKeys = new Set<string>()
  /** who proposed each block id seen at this height (the peer sure to hold the messages it names) */
  private readonly proposers = new Map<string, string>()
  private pendingValueRound?: number
  /** decided at this height; the block is being stored */
  private committing = false
  private progress = { key: '', at: 0 }
  private behind?: { at: number, height: number, peer: string }
  private lastSyncAt = -Infinity
  private nextStallCheck = -Infinity
  private lastSkippedHeight?: number
  private heightStartedAt = 0
  /** when the last block was committed here (the proposer's wait for late precommits counts from it) */
  private committedAt = 0
  private stepStartedAt = 0
  private effects: Array<HeightEffect<E>> = []
  private now = 0
  /** double votes seen from validators */
  equivocations = 0
  /**
   * When a validator's proposal or vote for our height last arrived, or we last committed. While
   * such traffic flows we are at the network's height (traffic for later heights starts block
   * sync by itself), so a periodic height check can skip asking peers.
   */
  lastInSyncAt = 0

  constructor (init: HeightDriverInit) {
    this.self = init.self
    this.params = init.params
    this.state = init.state
    this.memory = init.memory
    this.metrics = init.metrics
    this.censor = init.censor
    this.rounds = new RoundPool(init.params)
  }

  /** Whether a query waits in the pool (round messages for it may arrive before the block that orders it). */
  private readonly waiting = (queryIdHex: string): boolean => this.queries.has(queryIdHex)

  /** The height being decided. */
  get height (): number {
    return this.state.height + 1
  }

  /** Rounds open on the chain that this validator follows (their records wait for a block). */
  get openRounds (): number {
    return this.rounds.openRounds
  }

  /** Round messages waiting for a block to order them. */
  get pendingRoundMessages (): number {
    return this.rounds.pendingMessages
  }

  /** Queries waiting for a block to order them. */
  get pendingQueries (): number {
    return this.queries.size
  }

  /** Whether a query waits in the pool, or a block ordered it and its round is open on the chain. */
  knowsQuery (queryIdHex: string): boolean {
    if (this.queries.has(queryIdHex)) return true
    const entry = this.state.ordered.get(queryIdHex)
    return entry !== undefined && !entry.final
  }

  /** Ids of up to `max` queries waiting to be ordered, longest-waiting first (what a peer asking for this height's state is handed). */
  waitingQueries (max: number): string[] {
    return this.queries.oldest(max)
  }

  get round (): number | undefined {
    return this.tm?.round
  }

  isValidator (): boolean {
    return (this.state.validators.get(this.self) ?? 0) > 0
  }

  /** Carriers of the proposals and votes accepted for `height`, if it is the one being decided. */
  messagesOfHeight (height: number): E[] {
    return height === this.height ? this.heightLog.map(m => m.carrier) : []
  }

  /** The proposals and votes accepted for the height being decided (what a peer catching up is handed). */
  heldMessages (): Array<ConsensusMessage<E>> {
    return [...this.heightLog]
  }

  /** Whether a message with this key is in the height's log already (a peer's catch-up answer repeats most). */
  hasMessage (key: string): boolean {
    return this.heightKeys.has(key)
  }

  /**
   * Why a proposal or vote for `height` can no longer matter here, if it cannot: its height is
   * committed, or decided and being stored. Asked before the signature check, so the late votes
   * of a decided height (a third of them arrive after the quorum) cost no verification.
   */
  uselessBecause (height: number): string | undefined {
    if (height < this.height) return `height ${height} is already committed`
    if (height === this.height && this.committing) return `height ${height} is decided`
    return undefined
  }

  handle (event: HeightEvent<E>, now: number): HeightStep<E> {
    this.effects = []
    this.now = now
    let verdict: Validation<void> | undefined
    switch (event.type) {
      case 'message':
        verdict = this.onMessage(event.message)
        break
      case 'round-opened':
        this.rounds.open(event.input, this.state, event.messages, now)
        break
      case 'round-message':
        this.rounds.add(event.message, this.state, now, this.waiting)
        break
      case 'round-ready':
        this.rounds.closedHere(event.queryIdHex)
        this.somethingReady()
        break
      case 'join':
        verdict = this.onJoin(event.message)
        break
      case 'query':
        verdict = this.onQuery(event.message)
        break
      case 'record-refused':
        if (this.rounds.drop(event.queryIdHex)) this.note('warn', `no longer proposing for the round of query ${event.queryIdHex.slice(0, 12)}: ${event.reason}`)
        break
      case 'validated':
        if (event.height === this.height) this.feed({ type: 'validated', id: event.id, valid: event.valid })
        break
      case 'timeout':
        if (event.height === this.height) this.feed({ type: 'timeout', kind: event.kind, round: event.round })
        break
      case 'committed':
        this.onCommitted(event.block, event.state)
        break
      case 'commit-failed':
        if (event.height === this.height) this.committing = false
        break
      case 'tick':
        this.onTick()
        break
      case 'last-commit':
        this.accountability.setLastCommit(event.height, event.lastCommit, event.complete)
        if (this.pendingValueRound !== undefined) this.somethingReady()
        break
      case 'evidence':
        this.accountability.addEvidence(event.offender, event.key, event.height, event.evidence)
        break
    }
    if (this.isValidator()) {
      // pending round messages ageing, rounds reaching their last deadline: a block is due then
      const due = this.rounds.nextWake(now)
      if (due !== undefined) this.effects.push({ type: 'wake-at', at: due })
      if (this.nextStallCheck <= now) {
        this.nextStallCheck = now + heightDriverLimits.stallCheckMs
        this.effects.push({ type: 'wake-at', at: this.nextStallCheck })
      } else if (event.type === 'tick') {
        // A timer that fired a little early (or a tick of the shell's own): the next check stays due.
        this.effects.push({ type: 'wake-at', at: this.nextStallCheck })
      }
    }
    const effects = this.effects
    this.effects = []
    return { effects, verdict }
  }

  private onMessage (m: ConsensusMessage<E>): Validation<void> {
    // [IGNORE] heights already decided
    if (m.height < this.height) return ignore(`height ${m.height} is already committed`, 'height_committed')
    if (m.height > this.height) {
      // [IGNORE] kept until we reach that height; far ahead means we must sync
      if (this.future.length < heightDriverLimits.maxFutureMessages) this.future.push(m)
      this.noteAhead(m.height, m.from)
      return ignore(`height ${m.height} is ahead of ours (${this.height})`, 'height_ahead')
    }
    // [REJECT] only validators vote and propose
    if (!this.state.validators.has(m.from)) return reject('signer is not a validator at this height', 'not_validator')
    this.lastInSyncAt = this.now
    // An observer (no voting power) does not run consensus: it follows committed blocks by sync.
    if (!this.isValidator()) return accept(undefined)
    if (m.kind === 'proposal') {
      // [REJECT] a proposal from anyone but the round's proposer
      if (m.from !== proposerFor(this.state.validators, m.height, m.proposal.round)) return reject('proposal from a validator that is not the proposer of its round', 'not_proposer')
    }
    if (this.heightLog.length < heightDriverLimits.maxHeightMessages && !this.heightKeys.has(m.key)) {
      this.heightLog.push(m)
      this.heightKeys.add(m.key)
    }
    if (m.kind === 'proposal') {
      this.proposers.set(m.proposal.id, m.from)
      this.note('debug', `proposal ${m.proposal.id.slice(0, 12)} for ${m.height}/${m.proposal.round} from ${m.from.slice(-8)} (${m.proposal.value.records.length} records, valid round ${m.proposal.validRound}); we are in round ${this.tm?.round}`)
    }
    if (this.tm === undefined) {
      // An idle height starts on a proposal, or once votes from more than a third of the power
      // are in — some honest validator is working on it. One validator's votes alone would have
      // every idle validator escalate Tendermint rounds for as long as nobody has anything to
      // propose (DESIGN §8.4). The kept messages are replayed when the height starts.
      if (m.kind === 'proposal' || 3 * this.votersPower() > this.totalPower()) this.ensureStarted(true)
      return accept(undefined)
    }
    this.feedMessage(m)
    return accept(undefined)
  }

  private feedMessage (m: ConsensusMessage<E>): void {
    if (m.kind === 'vote') this.feed({ type: 'vote', vote: m.vote })
    else this.feed({ type: 'proposal', proposal: m.proposal })
  }

  /** The power of the validators with a vote in this height's log. */
  private votersPower (): number {
    const voters = new Set(this.heightLog.filter(m => m.kind === 'vote').map(m => m.from))
    let power = 0
    for (const v of voters) power += this.state.validators.get(v) ?? 0
    return power
  }

  private totalPower (): number {
    let total = 0
    for (const p of this.state.validators.values()) total += p
    return total
  }

  private onJoin (msg: SignedMessage): Validation<void> {
    const verdict = this.joins.add(msg, this.state, this.now, this.params)
    if (verdict.result === 'ACCEPT') this.somethingReady()
    return verdict
  }

  private onQuery (msg: SignedMessage): Validation<void> {
    const verdict = this.queries.add(msg, this.state, this.params)
    if (verdict.result === 'ACCEPT') this.somethingReady()
    return verdict
  }

  /**
   * A round closed here, round messages are due, a query or a Join arrived: start the height if it had not started, and if we are the
   * proposer still waiting for something to propose (no empty blocks), propose now.
   */
  private somethingReady (): void {
    this.ensureStarted(false)
    const tm = this.tm
    if (tm !== undefined && this.pendingValueRound === tm.round && tm.step === 'propose' && tm.isProposer()) {
      this.pendingValueRound = undefined
      this.proposeValue(tm, tm.round)
    }
  }

  private noteAhead (height: number, peer: string): void {
    // An observer commits only by sync; a validator one height behind commits from gossip in a moment.
    if (height > this.height + 1 || !this.isValidator()) {
      this.requestSync(height, peer)
      return
    }
    if (this.behind !== undefined) return
    this.behind = { at: this.now + heightDriverLimits.behindGraceMs, height: this.height, peer }
    this.effects.push({ type: 'wake-at', at: this.behind.at })
  }

  private requestSync (height: number, peer?: string): void {
    if (this.now - this.lastSyncAt < heightDriverLimits.syncRetryMs) return
    this.lastSyncAt = this.now
    this.effects.push({ type: 'sync', height, peer })
  }

  private onTick (): void {
    // a proposer waiting for late precommits (lastCommitGraceMs), or round messages due for a block
    if (this.pendingValueRound !== undefined || (this.tm === undefined && this.rounds.wantsBlock(this.now))) this.somethingReady()
    if (this.behind !== undefined && this.now >= this.behind.at) {
      const behind = this.behind
      this.behind = undefined
      if (behind.height === this.height) this.requestSync(behind.height + 1, behind.peer)
    }
    this.checkStall()
  }

  /**
   * If this validator's height has sat in one round and step for stallMs — or it has not started
   * the height at all (nothing ready here: it may have been down when the others started it) —
   * ask peers for the height's proposals and votes.
   */
  private checkStall (): void {
    if (this.committing || !this.isValidator()) return
    const tm = this.tm
    const key = tm === undefined ? `${this.height}/idle` : `${this.height}/${tm.round}/${tm.step}`
    if (key !== this.progress.key) {
      this.progress = { key, at: this.now }
      return
    }
    if (this.now - this.progress.at < heightDriverLimits.stallMs) return
    this.progress.at = this.now
    this.effects.push({ type: 'pull-votes', height: this.height })
  }

  private onCommitted (block: Block, state: LedgerState): void {
    if (state.height < this.state.height) return
    this.state = state
    this.committing = false
    this.lastInSyncAt = this.now
    this.committedAt = this.now
    for (const r of block.records) this.finalized.add(toHex(r.queryId))
    this.queries.onCommitted(block.queries.map(q => toHex(q.messageId)), state, this.params)
    // Rounds recorded, and rounds the ledger dropped (not recorded within ROUND_TTL_BLOCKS, so
    // their tables may leave validators' windows): nothing more to propose for them (DESIGN §8.4).
    this.rounds.onCommitted(state)
    // Joins the block admitted, of identities admitted while we were away, and expired ones.
    this.joins.onCommitted(block.admissions.map(a => nodeIdFromBytes(a.node)), state, this.now, this.params)
    this.accountability.onCommitted(state, this.params)
    if (this.finalized.size > heightDriverLimits.maxFinalizedMemory) {
      for (const q of this.finalized) {
        this.finalized.delete(q)
        if (this.finalized.size <= heightDriverLimits.maxFinalizedMemory / 2) break
      }
    }
    if (this.tm !== undefined) this.metrics?.heightDuration(Math.max(0, this.now - this.heightStartedAt) / 1000, this.tm.round)
    this.tm = undefined
    this.proposers.clear()
    this.heightLog = []
    this.heightKeys.clear()
    this.pendingValueRound = undefined
    this.behind = undefined
    const h = this.height
    const replay = this.future.filter(m => m.height === h)
    this.future = this.future.filter(m => m.height > h)
    this.ensureStarted(false)
    for (const m of replay) this.onMessage(m)
  }

  private ensureStarted (force: boolean): void {
    if (this.tm !== undefined || this.committing || !this.isValidator()) return
    if (!force && this.joins.size === 0 && this.queries.size === 0 && !this.rounds.wantsBlock(this.now)) return
    const height = this.height
    // This validator signed at a later height before (its database was wiped or lost while the
    // sign state was kept): the heights up to there are decided, and block sync brings them.
    // Voting on them again could only contradict what it signed; the sign state stays as it is.
    if (this.memory !== undefined && this.memory.height > height) {
      if (this.lastSkippedHeight !== height) this.note('info', `not voting at height ${height}: this validator signed at height ${this.memory.height} before (database wiped?); catching up by block sync`)
      this.lastSkippedHeight = height
      return
    }
    const validators = this.state.validators
    const mem = this.memory?.height === height ? this.memory : undefined
    this.tm = new Tendermint<Block, E>({
      height,
      self: this.self,
      validators,
      proposer: round => proposerFor(validators, height, round),
      params: this.params.bft, // BftParams carries Tendermint's timeouts
      restored: mem?.lock
    })
    if (mem === undefined) this.memory = { height, votes: {}, lock: this.tm.lock() }
    this.heightStartedAt = this.now
    this.stepStartedAt = this.now
    this.feed({ type: 'start' })
    // what arrived for this height before it started here
    for (const m of [...this.heightLog]) this.feedMessage(m)
  }

  private feed (event: TendermintEvent<Block, E>): void {
    const tm = this.tm
    if (tm === undefined) return
    const before = `${tm.round}/${tm.step}`
    const actions = tm.handle(event)
    if (`${tm.round}/${tm.step}` !== before) {
      this.metrics?.stepDuration(before.split('/')[1], Math.max(0, this.now - this.stepStartedAt) / 1000)
      this.stepStartedAt = this.now
    }
    this.carryOut(tm, actions)
  }

  private carryOut (tm: Tendermint<Block, E>, actions: Array<TendermintAction<Block, E>>): void {
    for (const a of actions) {
      if (this.tm !== tm) return
      switch (a.type) {
        case 'request-value':
          this.proposeValue(tm, a.round)
          break
        case 'broadcast-proposal':
          this.effects.push({ type: 'publish-proposal', height: tm.height, round: a.round, block: a.value, validRound: a.validRound })
          break
        case 'broadcast-vote':
          if (this.remember(tm, a.kind, a.round, a.id)) this.effects.push({ type: 'publish-vote', height: tm.height, round: a.round, kind: a.kind, id: a.id })
          break
        case 'validate':
          this.effects.push({ type: 'check-block', height: tm.height, id: a.id, block: a.value, fresh: a.fresh, prefer: this.proposers.get(a.id) ?? (tm.isProposer() ? this.self : undefined) })
          break
        case 'schedule-timeout':
          if (a.kind === 'propose' && a.round > 0) this.note('debug', `height ${tm.height}: round ${a.round} (proposer ${proposerFor(this.state.validators, tm.height, a.round).slice(-8)})`)
          this.effects.push({ type: 'schedule-timeout', height: tm.height, kind: a.kind, round: a.round, delayMs: a.delayMs })
          break
        case 'decide':
          this.committing = true
          this.effects.push({ type: 'commit', height: tm.height, round: a.round, id: a.id, block: a.value, precommits: a.precommits })
          break
        case 'equivocation':
          this.equivocations++
          this.metrics?.equivocation()
          this.note('warn', `validator ${a.second.from} voted twice in round ${a.second.round} (${a.first.id?.slice(0, 12) ?? 'nil'} and ${a.second.id?.slice(0, 12) ?? 'nil'})`)
          this.effects.push({ type: 'equivocation', first: a.first, second: a.second })
          break
      }
    }
  }

  /**
   * getValue() of the paper: a block of what is ready — round messages to order and the records
   * of rounds done on the chain, queries to order, Joins — or wait (no empty blocks) until
   * something is. Submitters take turns, each up to its per-block quota (protocol/submission.ts).
   */
  private proposeValue (tm: Tendermint<Block, E>, round: number): void {
    // Precommits still missing from the last block's commit may be on their way: wait a moment.
    const graceEnds = this.committedAt + heightDriverLimits.lastCommitGraceMs
    if (this.accountability.incomplete(this.state, this.params) && this.now < graceEnds) {
      this.pendingValueRound = round
      this.effects.push({ type: 'wake-at', at: graceEnds })
      return
    }
    // The parent's commit, if this network records commits: without it, the block would be refused.
    const extras = this.accountability.extras(this.state, this.params)
    let block: Block | undefined
    if (extras !== undefined) {
      const work = this.rounds.work(this.state, Math.max(this.now, this.state.lastBlockTime), this.censor)
      const records = work.records.filter(r => !this.finalized.has(r.queryIdHex)).map(r => [r.queryIdHex, r.record] as [string, RoundRecord])
      block = proposeBlock(this.state, records, this.joins.values(), this.self, this.now, this.params, this.queries.values(), { ...extras, roundMessages: work.roundMessages })
    }
    if (block === undefined) this.pendingValueRound = round
    else this.feed({ type: 'value', round, value: block, id: toHex(blockHash(block.header!)) })
  }

  /**
   * Remember the vote (and the lock it rests on) before it is signed. A vote that contradicts
   * one remembered earlier for the same height, round and kind is refused: after a crash the
   * node never signs two different votes.
   */
  private remember (tm: Tendermint<Block, E>, kind: VoteKind, round: number, id: ValueId): boolean {
    const mem = this.memory!
    const key = `${round}/${kind}`
    if (key in mem.votes && mem.votes[key] !== id) {
      this.note('error', `refusing to sign a ${kind} for ${id ?? 'nil'} at ${tm.height}/${round}: already signed one for ${mem.votes[key] ?? 'nil'}`)
      return false
    }
    mem.votes[key] = id
    mem.lock = tm.lock()
    this.effects.push({ type: 'save-sign-state', memory: mem })
    return true
  }

  private note (level: 'debug' | 'info' | 'warn' | 'error', text: string): void {
    this.effects.push({ type: 'note', level, text })
  }
}
