/**
 * One height of the Tendermint algorithm (Buchman, Kwon, Milosevic, "The latest gossip on BFT
 * consensus", 2018, Algorithm 1) as a pure state machine: events in, actions out, no clock and
 * no I/O. The node supplies values (blocks), checks them (`valid(v)` is asynchronous: the node
 * may have to fetch messages), signs and gossips votes, and runs the timers this asks for.
 *
 * Thresholds are by voting power: a quorum ("2f+1") is more than 2/3 of the total power, a
 * skip set ("f+1") more than 1/3. Safety holds while faulty power is below 1/3.
 *
 * Each `upon` rule of the paper is a method below, tagged with its line numbers.
 */

export type Step = 'propose' | 'prevote' | 'precommit'
export type VoteKind = 'prevote' | 'precommit'
export type TimeoutKind = 'propose' | 'prevote' | 'precommit'

/** A value's id (the block hash, hex); null is nil. */
export type ValueId = string | null

export interface TendermintParams {
  /** base timeouts and the growth per round (the paper's timeoutX(r) = base + r·delta) */
  timeoutProposeMs: number
  timeoutPrevoteMs: number
  timeoutPrecommitMs: number
  timeoutDeltaMs: number
}

export const defaultTendermintParams: TendermintParams = {
  timeoutProposeMs: 1_000,
  timeoutPrevoteMs: 500,
  timeoutPrecommitMs: 500,
  timeoutDeltaMs: 500
}

export interface TendermintInit<V> {
  height: number
  self: string
  /** voting power by validator id; nodes with no power do not appear */
  validators: ReadonlyMap<string, number>
  /** the proposer of a round at this height (weighted rotation, see proposer.ts) */
  proposer: (round: number) => string
  params?: TendermintParams
  /** carried over from a crash: never vote against a lock taken before */
  restored?: TendermintLock<V>
}

/** What a validator must not forget across a restart: its round, and the lock and valid value its votes rest on. */
export interface TendermintLock<V> { round: number, lockedRound: number, lockedValue?: V, lockedId: ValueId, validRound: number, validValue?: V, validId: ValueId }

export interface Proposal<V> { round: number, value: V, id: string, validRound: number, from: string }
export interface Vote<E> { kind: VoteKind, round: number, id: ValueId, from: string, evidence: E }

export type TendermintEvent<V, E> =
  | { type: 'start' }
  | { type: 'proposal', proposal: Proposal<V> }
  | { type: 'vote', vote: Vote<E> }
  | { type: 'value', round: number, value: V, id: string }
  | { type: 'validated', id: string, valid: boolean }
  | { type: 'timeout', kind: TimeoutKind, round: number }

export type TendermintAction<V, E> =
  | { type: 'request-value', round: number }
  | { type: 'broadcast-proposal', round: number, value: V, id: string, validRound: number }
  | { type: 'broadcast-vote', kind: VoteKind, round: number, id: ValueId }
  /** `fresh`: first seen proposed anew (validRound −1), so its proposer chose its time just now */
  | { type: 'validate', id: string, value: V, fresh: boolean }
  | { type: 'schedule-timeout', kind: TimeoutKind, round: number, delayMs: number }
  | { type: 'decide', round: number, value: V, id: string, precommits: E[] }
  | { type: 'equivocation', first: Vote<E>, second: Vote<E> }

/**
 * Votes of one round by validator and value id. A validator that equivocates is counted for
 * every value it voted for: quorum intersection is what keeps Tendermint safe, and it already
 * assumes faulty validators vote both ways; counting both lets honest nodes that saw different
 * first votes still reach the same quorum (the decided value's commit certificate).
 */
interface RoundVotes<E> {
  prevotes: Map<string, Map<ValueId, Vote<E>>>
  precommits: Map<string, Map<ValueId, Vote<E>>>
  /**
   * Running tallies, kept as votes arrive so each rule reads a number instead of recounting
   * every vote (that recount made a height cost O(validators³) across the network): power of
   * the distinct validators that sent a vote of the kind, and that voted for each value id.
   */
  anyPower: Record<VoteKind, number>
  idPower: Record<VoteKind, Map<ValueId, number>>
  /** validators that sent any vote in the round, and their power (for the f+1 skip rule) */
  voters: Set<string>
  votersPower: number
}

export class Tendermint<V, E> {
  readonly height: number
  private readonly self: string
  private readonly validators: ReadonlyMap<string, number>
  private readonly totalPower: number
  private readonly proposerOf: (round: number) => string
  private readonly params: TendermintParams

  round = 0
  step: Step = 'propose'
  lockedValue?: V
  lockedId: ValueId = null
  lockedRound = -1
  validValue?: V
  validId: ValueId = null
  validRound = -1
  decision?: { round: number, value: V, id: string }

  private started = false
  private readonly proposals = new Map<number, Proposal<V>>()
  private readonly otherProposals = new Map<number, Map<string, Proposal<V>>>()
  private readonly votes = new Map<number, RoundVotes<E>>()
  private readonly validity = new Map<string, boolean>()
  private readonly asked = new Set<string>()
  private readonly fired = new Set<string>()
  private actions: Array<TendermintAction<V, E>> = []

  constructor (init: TendermintInit<V>) {
    this.height = init.height
    this.self = init.self
    this.validators = init.validators
    this.totalPower = [...init.validators.values()].reduce((s, p) => s + p, 0)
    this.proposerOf = init.proposer
    this.params = init.params ?? defaultTendermintParams
    const r = init.restored
    if (r !== undefined) {
      this.round = r.round
      this.lockedRound = r.lockedRound
      this.lockedValue = r.lockedValue
      this.lockedId = r.lockedId
      this.validRound = r.validRound
      this.validValue = r.validValue
      this.validId = r.validId
    }
  }

  /** The round, lock and valid value now (what `restored` takes back after a restart). */
  lock (): TendermintLock<V> {
    return { round: this.round, lockedRound: this.lockedRound, lockedValue: this.lockedValue, lockedId: this.lockedId, validRound: this.validRound, validValue: this.validValue, validId: this.validId }
  }

  /** Feed one event; returns what the node must do. */
  handle (event: TendermintEvent<V, E>): Array<TendermintAction<V, E>> {
    this.actions = []
    if (this.decision !== undefined && event.type !== 'vote') return []
    switch (event.type) {
      case 'start':
        if (!this.started) {
          this.started = true
          this.startRound(this.round)
        }
        break
      case 'proposal':
        this.onProposal(event.proposal)
        break
      case 'vote':
        this.onVote(event.vote)
        break
      case 'value':
        // getValue() answered: propose it if we are still the proposer of that round (lines 16–19)
        if (this.started && event.round === this.round && this.step === 'propose' && this.proposerOf(this.round) === this.self && !this.proposals.has(this.round)) {
          this.actions.push({ type: 'broadcast-proposal', round: this.round, value: event.value, id: event.id, validRound: -1 })
        }
        break
      case 'validated':
        this.validity.set(event.id, event.valid)
        break
      case 'timeout':
        this.onTimeout(event.kind, event.round)
        break
    }
    if (this.started) this.evaluate()
    return this.actions
  }

  /** Votes of one kind and round (all of them, equivocations included), for certificates and tests. */
  votesOf (kind: VoteKind, round: number): Array<Vote<E>> {
    const rv = this.votes.get(round)
    if (rv === undefined) return []
    return [...(kind === 'prevote' ? rv.prevotes : rv.precommits).values()].flatMap(byId => [...byId.values()])
  }

  isProposer (round = this.round): boolean {
    return this.proposerOf(round) === this.self
  }

  // lines 11–21
  private startRound (round: number): void {
    this.round = round
    this.step = 'propose'
    if (this.proposerOf(round) === this.self) {
      if (this.validValue !== undefined && this.validId !== null) {
        this.actions.push({ type: 'broadcast-proposal', round, value: this.validValue, id: this.validId, validRound: this.validRound })
      } else {
        this.actions.push({ type: 'request-value', round })
      }
    }
    // The proposer schedules the timeout too: if it has no value yet, the round moves on.
    this.actions.push({ type: 'schedule-timeout', kind: 'propose', round, delayMs: this.timeout('propose', round) })
  }

  private timeout (kind: TimeoutKind, round: number): number {
    const base = kind === 'propose' ? this.params.timeoutProposeMs : kind === 'prevote' ? this.params.timeoutPrevoteMs : this.params.timeoutPrecommitMs
    return base + round * this.params.timeoutDeltaMs
  }

  private onProposal (p: Proposal<V>): void {
    // [IGNORE] only the round's proposer proposes
    if (p.from !== this.proposerOf(p.round)) return
    // The first proposal of a round is the one we vote on; a different one from the same proposer
    // is kept too, so a value that others commit can still be decided here (lines 49–54).
    let others = this.otherProposals.get(p.round)
    if (this.proposals.has(p.round)) {
      if (this.proposals.get(p.round)!.id === p.id) return
      if (others === undefined) this.otherProposals.set(p.round, others = new Map())
      if (others.has(p.id)) return
      others.set(p.id, p)
    } else {
      this.proposals.set(p.round, p)
    }
    if (!this.validity.has(p.id) && !this.asked.has(p.id)) {
      this.asked.add(p.id)
      this.actions.push({ type: 'validate', id: p.id, value: p.value, fresh: p.validRound === -1 })
    }
  }

  private onVote (v: Vote<E>): void {
    const power = this.validators.get(v.from)
    if (power === undefined || power <= 0) return
    let rv = this.votes.get(v.round)
    if (rv === undefined) {
      rv = { prevotes: new Map(), precommits: new Map(), anyPower: { prevote: 0, precommit: 0 }, idPower: { prevote: new Map(), precommit: new Map() }, voters: new Set(), votersPower: 0 }
      this.votes.set(v.round, rv)
    }
    const set = v.kind === 'prevote' ? rv.prevotes : rv.precommits
    let byId = set.get(v.from)
    if (byId === undefined) {
      byId = new Map()
      set.set(v.from, byId)
    }
    if (byId.has(v.id)) return // duplicate
    // [REJECT] a second, different vote for the same round and kind: evidence of a faulty validator
    if (byId.size > 0) this.actions.push({ type: 'equivocation', first: byId.values().next().value as Vote<E>, second: v })
    else rv.anyPower[v.kind] += power
    byId.set(v.id, v)
    const ids = rv.idPower[v.kind]
    ids.set(v.id, (ids.get(v.id) ?? 0) + power)
    if (!rv.voters.has(v.from)) {
      rv.voters.add(v.from)
      rv.votersPower += power
    }
  }

  private onTimeout (kind: TimeoutKind, round: number): void {
    if (round !== this.round) return
    // lines 57–60
    if (kind === 'propose' && this.step === 'propose') {
      this.broadcastVote('prevote', null)
      this.step = 'prevote'
    // lines 61–64
    } else if (kind === 'prevote' && this.step === 'prevote') {
      this.broadcastVote('precommit', null)
      this.step = 'precommit'
    // lines 65–67
    } else if (kind === 'precommit') {
      this.startRound(round + 1)
    }
  }

  private broadcastVote (kind: VoteKind, id: ValueId): void {
    this.actions.push({ type: 'broadcast-vote', kind, round: this.round, id })
  }

  /** Power of the distinct validators that sent a `kind` vote in `round`, for `id` if given. */
  private power (kind: VoteKind, round: number, id?: ValueId): number {
    const rv = this.votes.get(round)
    if (rv === undefined) return 0
    return id === undefined ? rv.anyPower[kind] : rv.idPower[kind].get(id) ?? 0
  }

  private quorum (power: number): boolean {
    return power * 3 > this.totalPower * 2
  }

  private once (key: string): boolean {
    if (this.fired.has(key)) return false
    this.fired.add(key)
    return true
  }

  private valid (id: string): boolean | undefined {
    return this.validity.get(id)
  }

  /** Apply every rule whose condition holds, until none does. */
  private evaluate (): void {
    for (let guard = 0; guard < 100; guard++) {
      const before = `${this.round}/${this.step}/${this.actions.length}/${this.decision !== undefined}`
      this.ruleDecide()
      if (this.decision !== undefined) return
      this.ruleSkipRound()
      this.ruleProposalFresh()
      this.ruleProposalWithPolka()
      this.ruleAnyPrevotes()
      this.rulePolkaForValue()
      this.rulePolkaForNil()
      this.ruleAnyPrecommits()
      if (`${this.round}/${this.step}/${this.actions.length}/${this.decision !== undefined}` === before) return
    }
  }

  // lines 22–27: a fresh proposal (validRound −1)
  private ruleProposalFresh (): void {
    const p = this.proposals.get(this.round)
    if (p === undefined || p.validRound !== -1 || this.step !== 'propose') return
    const valid = this.valid(p.id)
    if (valid === undefined) return // waiting for the node's check
    const ok = valid && (this.lockedRound === -1 || this.lockedId === p.id)
    this.broadcastVote('prevote', ok ? p.id : null)
    this.step = 'prevote'
  }

  // lines 28–33: a re-proposal backed by a polka in an earlier round
  private ruleProposalWithPolka (): void {
    const p = this.proposals.get(this.round)
    if (p === undefined || this.step !== 'propose' || p.validRound < 0 || p.validRound >= this.round) return
    if (!this.quorum(this.power('prevote', p.validRound, p.id))) return
    const valid = this.valid(p.id)
    if (valid === undefined) return
    const ok = valid && (this.lockedRound <= p.validRound || this.lockedId === p.id)
    this.broadcastVote('prevote', ok ? p.id : null)
    this.step = 'prevote'
  }

  // lines 34–35: any 2f+1 prevotes start the prevote timer
  private ruleAnyPrevotes (): void {
    if (this.step !== 'prevote') return
    if (!this.quorum(this.power('prevote', this.round))) return
    if (this.once(`prevote-timer/${this.round}`)) {
      this.actions.push({ type: 'schedule-timeout', kind: 'prevote', round: this.round, delayMs: this.timeout('prevote', this.round) })
    }
  }

  // lines 36–43: a polka for the proposal: lock and precommit it
  private rulePolkaForValue (): void {
    const p = this.proposals.get(this.round)
    if (p === undefined || this.step === 'propose') return
    if (this.valid(p.id) !== true) return
    if (!this.quorum(this.power('prevote', this.round, p.id))) return
    if (!this.once(`polka/${this.round}`)) return
    if (this.step === 'prevote') {
      this.lockedValue = p.value
      this.lockedId = p.id
      this.lockedRound = this.round
      this.broadcastVote('precommit', p.id)
      this.step = 'precommit'
    }
    this.validValue = p.value
    this.validId = p.id
    this.validRound = this.round
  }

  // lines 44–46: a polka for nil
  private rulePolkaForNil (): void {
    if (this.step !== 'prevote') return
    if (!this.quorum(this.power('prevote', this.round, null))) return
    this.broadcastVote('precommit', null)
    this.step = 'precommit'
  }

  // lines 47–48: any 2f+1 precommits start the precommit timer
  private ruleAnyPrecommits (): void {
    if (!this.quorum(this.power('precommit', this.round))) return
    if (this.once(`precommit-timer/${this.round}`)) {
      this.actions.push({ type: 'schedule-timeout', kind: 'precommit', round: this.round, delayMs: this.timeout('precommit', this.round) })
    }
  }

  // lines 49–54: 2f+1 precommits for a proposal in any round decide it
  private ruleDecide (): void {
    if (this.decision !== undefined) return
    const all = [...this.proposals.values(), ...[...this.otherProposals.values()].flatMap(m => [...m.values()])]
    for (const p of all) {
      const round = p.round
      if (!this.quorum(this.power('precommit', round, p.id))) continue
      if (this.valid(p.id) !== true) continue
      const precommits = this.votesOf('precommit', round).filter(v => v.id === p.id)
      this.decision = { round, value: p.value, id: p.id }
      this.actions.push({ type: 'decide', round, value: p.value, id: p.id, precommits: precommits.map(v => v.evidence) })
      return
    }
  }

  // line 55–56: f+1 messages of a later round pull us forward
  private ruleSkipRound (): void {
    let best = -1
    for (const [round, rv] of this.votes) {
      if (round <= this.round) continue
      const proposer = this.proposals.get(round)?.from
      const power = rv.votersPower + (proposer !== undefined && !rv.voters.has(proposer) ? this.validators.get(proposer) ?? 0 : 0)
      if (power * 3 > this.totalPower && round > best) best = round
    }
    if (best > this.round) this.startRound(best)
  }
}
