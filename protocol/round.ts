import { equalBytes, fromHex, toHex } from './hash.js'
import type { Bytes } from './hash.js'
import { revealSlackMs } from './bft/block-time.js'
import { drawCommittees } from './committee.js'
import type { ProtocolParams } from './genesis.js'
import { assignPairs } from './pairs.js'
import { answerCommitment, candidateId, comparisonCommitment, computeRoundRecord, evidenceFromMessages } from './record.js'
import type { RoundOutcome } from './record.js'
import type { ReputationEntry } from './reputation.js'
import type { SignedMessage } from './wire/envelope.js'
import { Verdict } from './wire/messages.js'
import type { ComparisonBody, Payload } from './wire/messages.js'
import { accept, ignore, reject } from './wire/validate.js'
import type { Validation } from './wire/validate.js'

/**
 * The inference round (DESIGN §4.3) as a state machine, seen from one node:
 * `startRound(init, now)` and `stepRound(state, event, now)` return the state and the actions
 * the node must carry out (ask its agent, publish a message, wake up at a deadline, store the
 * finished record). No I/O, no clock: time is the `now` argument. The reducer owns `state` and
 * updates it in place.
 *
 * Deadlines count from the time of the block that ordered the query (DESIGN §8.3), so every
 * node closes each phase at the same instant (up to clock skew) and the submitter cannot date
 * its query into the past; a phase closes early once every assigned participant has delivered.
 */
export type RoundPhase = 'answering' | 'answer-reveal' | 'comparing' | 'comparison-reveal' | 'done'

const phaseOrder: RoundPhase[] = ['answering', 'answer-reveal', 'comparing', 'comparison-reveal', 'done']
const before = (x: RoundPhase, y: RoundPhase): boolean => phaseOrder.indexOf(x) < phaseOrder.indexOf(y)

export interface RoundInit {
  /** this node's peer id */
  self: string
  networkId: Bytes
  /** the validated Query message */
  query: SignedMessage
  /** the reputation table after the block that ordered the query */
  table: ReadonlyMap<string, ReputationEntry>
  /** where the chain ordered the query: the committees' seed (`roundSeed`) and the block's time */
  start: RoundStart
  params: ProtocolParams
  /**
   * This node's own answer and verdicts for the round, as persisted before their commitments
   * were published (DESIGN §8.7): after a restart the node commits the very same bytes again
   * (a duplicate, not an equivocation) and can reveal them.
   */
  restored?: OwnWork
}

/** What the block that ordered a query fixes about its round. */
export interface RoundStart {
  seed: Bytes
  time: number
}

/**
 * When a round's deadlines start counting: a height's worth of Tendermint timeouts after the
 * time of the block that ordered its query. Every node learns of the round only once that block
 * is committed and imported here, up to about one height later (propose, prevote, precommit);
 * counting from the block's time alone took that from every answer window, and under load nodes
 * were charged as absent for the consensus latency. Agreed by all: it depends on the block and
 * the genesis only.
 */
export function roundClockStart (start: { time: number, seed?: Bytes }, params: ProtocolParams): number {
  return start.time + params.bft.timeoutProposeMs + params.bft.timeoutPrevoteMs + params.bft.timeoutPrecommitMs
}

/**
 * When a round's last deadline (its comparison reveals') passes, from the block and the genesis
 * alone: what startRound sets it to. Past it, a round closes the moment it starts.
 */
export function roundEndsAt (start: { time: number, seed?: Bytes }, params: ProtocolParams): number {
  return roundClockStart(start, params) + params.answerCommitMs + revealSlackMs + params.answerRevealMs + params.compareCommitMs + revealSlackMs + params.compareRevealMs
}

/** What a node committed to in a round: its answer and its verdicts, each with its salt. */
export interface OwnWork {
  answer?: { text: string, salt: Bytes }
  comparison?: { body: ComparisonBody, salt: Bytes }
}

export interface PairToJudge {
  a: string
  b: string
  answerA: string
  answerB: string
}

export interface Judgement {
  a: string
  b: string
  verdict: 'A' | 'B' | 'TIE'
  reason: string
}

export type RoundEvent =
  | { type: 'message', message: SignedMessage }
  | { type: 'answer-ready', answer: string, salt: Bytes }
  | { type: 'comparisons-ready', judgements: Judgement[], salt: Bytes }
  | { type: 'tick' }

export type RoundAction =
  | { type: 'request-answer', queryId: string, prompt: string }
  | { type: 'request-comparisons', queryId: string, prompt: string, pairs: PairToJudge[] }
  | { type: 'publish', payload: Payload }
  | { type: 'wake-at', at: number }
  /** the round closed here: its record, and the messages the record names (final once a block holds it) */
  | { type: 'closed', outcome: RoundOutcome, messages: readonly SignedMessage[] }

export interface RoundState {
  init: RoundInit
  queryId: Bytes
  queryIdHex: string
  prompt: string
  answerers: string[]
  rankers: string[]
  phase: RoundPhase
  deadlines: Record<Exclude<RoundPhase, 'done'>, number>
  answerCommits: Map<string, SignedMessage>
  answerReveals: Map<string, SignedMessage>
  comparisonCommits: Map<string, SignedMessage>
  comparisonReveals: Map<string, SignedMessage>
  /** reveals that arrived before their commit (gossip does not keep order) */
  pendingReveals: Map<string, SignedMessage>
  /** rejected messages that prove a member cheated (a second commit, a bad opening): they go into the record */
  evidence: SignedMessage[]
  invalid: Set<string>
  own: {
    answer?: { text: string, salt: Bytes }
    comparison?: { body: ComparisonBody, salt: Bytes }
    answerRevealed: boolean
    comparisonRevealed: boolean
    /** when its reveal may go out: at once if everyone committed, else `revealSlackMs` after the commit deadline */
    answerRevealAt?: number
    comparisonRevealAt?: number
  }
  outcome?: RoundOutcome
}

export interface RoundStep {
  state: RoundState
  actions: RoundAction[]
  /** for a 'message' event: what gossip should do with it */
  verdict?: Validation<void>
}

export function startRound (init: RoundInit, now: number): RoundStep {
  const q = init.query.payload.query!
  const p = init.params
  // A reveal phase that opens by its deadline starts revealSlackMs late (DESIGN §8.6): its length is kept.
  const answerCommit = roundClockStart(init.start, p) + p.answerCommitMs
  const answerReveal = answerCommit + revealSlackMs + p.answerRevealMs
  const comparing = answerReveal + p.compareCommitMs
  const committees = drawCommittees(init.start.seed, init.table, p.answerers, p.rankers)
  const state: RoundState = {
    init,
    queryId: init.query.id,
    queryIdHex: init.query.idHex,
    prompt: q.prompt,
    answerers: committees.answerers,
    rankers: committees.rankers,
    phase: 'answering',
    deadlines: { answering: answerCommit, 'answer-reveal': answerReveal, comparing, 'comparison-reveal': comparing + revealSlackMs + p.compareRevealMs },
    answerCommits: new Map(),
    answerReveals: new Map(),
    comparisonCommits: new Map(),
    comparisonReveals: new Map(),
    pendingReveals: new Map(),
    evidence: [],
    invalid: new Set(),
    own: { answerRevealed: false, comparisonRevealed: false }
  }
  const actions: RoundAction[] = []
  if (state.answerers.includes(init.self)) {
    const own = init.restored?.answer
    if (own === undefined) {
      actions.push({ type: 'request-answer', queryId: state.queryIdHex, prompt: state.prompt })
    } else {
      state.own.answer = own
      actions.push(publish(state, { answerCommit: { queryId: state.queryId, commitment: answerCommitment(own.text, own.salt) } }))
    }
  }
  advance(state, now, actions)
  return { state, actions }
}

export function stepRound (state: RoundState, event: RoundEvent, now: number): RoundStep {
  const actions: RoundAction[] = []
  let verdict: Validation<void> | undefined
  switch (event.type) {
    case 'message':
      verdict = onMessage(state, event.message, now)
      break
    case 'answer-ready':
      // An answer after the commit phase closed is too late to count.
      if (state.phase === 'answering' && state.own.answer === undefined && state.answerers.includes(state.init.self)) {
        state.own.answer = { text: event.answer, salt: event.salt }
        actions.push(publish(state, { answerCommit: { queryId: state.queryId, commitment: answerCommitment(event.answer, event.salt) } }))
      }
      break
    case 'comparisons-ready':
      if (state.phase === 'comparing' && state.own.comparison === undefined) commitComparisons(state, event.judgements, event.salt, actions)
      break
    case 'tick':
      break
  }
  advance(state, now, actions)
  return { state, actions, verdict }
}

function publish (state: RoundState, body: Omit<Payload, 'networkId'>): RoundAction {
  return { type: 'publish', payload: { networkId: state.init.networkId, ...body } }
}

function onMessage (state: RoundState, msg: SignedMessage, now: number): Validation<void> {
  const p = msg.payload
  const signer = msg.signerId
  if (p.query !== undefined) return ignore('duplicate query', 'duplicate')
  if (state.phase === 'done') return ignore('round already finished', 'round_closed')

  if (p.answerCommit !== undefined) {
    // [REJECT] only the answer committee answers
    if (!state.answerers.includes(signer)) return reject('signer is not on the answer committee', 'not_on_committee')
    return recordCommit(state, state.answerCommits, msg, 'answering', 'answer commit', now)
  }
  if (p.answerReveal !== undefined) {
    if (!state.answerers.includes(signer)) return reject('signer is not on the answer committee', 'not_on_committee')
    // [IGNORE] reveals after the reveal phase closed
    if (!before(state.phase, 'comparing')) return ignore('answer reveal after the reveal phase', 'late')
    return recordReveal(state, msg, state.answerCommits, state.answerReveals)
  }
  if (p.comparisonCommit !== undefined) {
    if (!state.rankers.includes(signer)) return reject('signer is not on the ranking committee', 'not_on_committee')
    return recordCommit(state, state.comparisonCommits, msg, 'comparing', 'comparison commit', now)
  }
  if (p.comparisonReveal !== undefined) {
    if (!state.rankers.includes(signer)) return reject('signer is not on the ranking committee', 'not_on_committee')
    return recordReveal(state, msg, state.comparisonCommits, state.comparisonReveals)
  }
  return ignore('not a round message', 'wrong_topic')
}

function recordCommit (state: RoundState, commits: Map<string, SignedMessage>, msg: SignedMessage, openPhase: RoundPhase, what: string, now: number): Validation<void> {
  const existing = commits.get(msg.signerId)
  if (existing !== undefined) {
    if (existing.idHex === msg.idHex) return ignore(`duplicate ${what}`, 'duplicate')
    // [REJECT] two different commitments from one node: equivocation
    state.invalid.add(msg.signerId)
    state.evidence.push(msg)
    return reject(`equivocation: a second ${what}`, 'equivocation')
  }
  // [IGNORE] a commit after its phase closed here (or after its deadline) no longer counts
  if (before(openPhase, state.phase) || now > state.deadlines[openPhase as Exclude<RoundPhase, 'done'>]) return ignore(`${what} after its deadline`, 'late')
  commits.set(msg.signerId, msg)
  const pending = state.pendingReveals.get(`${msg.signerId}/${what}`)
  if (pending !== undefined) {
    state.pendingReveals.delete(`${msg.signerId}/${what}`)
    recordReveal(state, pending, commits, what === 'answer commit' ? state.answerReveals : state.comparisonReveals)
  }
  return accept(undefined)
}

function recordReveal (state: RoundState, msg: SignedMessage, commits: Map<string, SignedMessage>, reveals: Map<string, SignedMessage>): Validation<void> {
  const isAnswer = msg.payload.answerReveal !== undefined
  const what = isAnswer ? 'answer commit' : 'comparison commit'
  const existing = reveals.get(msg.signerId)
  if (existing !== undefined) {
    if (existing.idHex === msg.idHex) return ignore('duplicate reveal', 'duplicate')
    state.invalid.add(msg.signerId)
    state.evidence.push(msg)
    return reject('equivocation: a second reveal', 'equivocation')
  }
  const commit = commits.get(msg.signerId)
  if (commit === undefined) {
    // Keep one early reveal per signer until its commit arrives.
    const key = `${msg.signerId}/${what}`
    if (state.pendingReveals.has(key)) return ignore('a reveal without a commit is already pending', 'reveal_pending')
    state.pendingReveals.set(key, msg)
    return accept(undefined)
  }
  const expected = isAnswer ? commit.payload.answerCommit!.commitment : commit.payload.comparisonCommit!.commitment
  const opened = isAnswer
    ? answerCommitment(msg.payload.answerReveal!.answer, msg.payload.answerReveal!.salt)
    : comparisonCommitment(msg.payload.comparisonReveal!.body!, msg.payload.comparisonReveal!.salt)
  // [REJECT] the reveal does not open the commitment
  if (!equalBytes(expected, opened)) {
    state.invalid.add(msg.signerId)
    state.evidence.push(msg)
    return reject('reveal does not match its commitment', 'bad_opening')
  }
  reveals.set(msg.signerId, msg)
  return accept(undefined)
}

function commitComparisons (state: RoundState, judgements: Judgement[], salt: Bytes, actions: RoundAction[]): void {
  const seen = candidateIdsSeen(state)
  const own = ownCandidate(state)
  const assigned = assignPairs({ queryId: state.queryId, ranker: state.init.self, candidates: seen, exclude: own === undefined ? [] : [own] })
  const byPair = new Map(judgements.map(j => [`${j.a}:${j.b}`, j]))
  const body: ComparisonBody = {
    answerIdsSeen: seen.map(fromHex),
    comparisons: assigned.map(([a, b]) => {
      const j = byPair.get(`${a}:${b}`)
      return { a: fromHex(a), b: fromHex(b), verdict: j === undefined ? Verdict.TIE : Verdict[j.verdict], reason: j?.reason.slice(0, 200) ?? 'no verdict' }
    })
  }
  state.own.comparison = { body, salt }
  actions.push(publish(state, { comparisonCommit: { queryId: state.queryId, commitment: comparisonCommitment(body, salt) } }))
}

function candidateIdsSeen (state: RoundState): string[] {
  return [...new Set([...state.answerReveals.values()].map(m => candidateId(m.payload.answerReveal!.answer)))].sort()
}

function ownCandidate (state: RoundState): string | undefined {
  const mine = state.answerReveals.get(state.init.self)
  return mine === undefined ? undefined : candidateId(mine.payload.answerReveal!.answer)
}

/** Everyone who committed has revealed (or was caught cheating). */
function allRevealed (commits: Map<string, SignedMessage>, reveals: Map<string, SignedMessage>, invalid: Set<string>): boolean {
  for (const node of commits.keys()) if (!reveals.has(node) && !invalid.has(node)) return false
  return true
}

/** Move through every phase whose condition holds now, emitting what each transition needs. */
function advance (state: RoundState, now: number, actions: RoundAction[]): void {
  for (;;) {
    const phase = state.phase
    if (phase === 'answering') {
      const everyone = state.answerers.every(n => state.answerCommits.has(n))
      if (!(everyone || now >= state.deadlines.answering)) break
      state.phase = 'answer-reveal'
      // Nobody is left to copy a reveal once everyone has committed; otherwise wait out the slack.
      state.own.answerRevealAt = everyone ? now : state.deadlines.answering + revealSlackMs
    } else if (phase === 'answer-reveal') {
      const own = state.own.answer
      if (own !== undefined && state.answerCommits.has(state.init.self) && !state.own.answerRevealed && now >= (state.own.answerRevealAt ?? now)) {
        state.own.answerRevealed = true
        actions.push(publish(state, { answerReveal: { queryId: state.queryId, answer: own.text, salt: own.salt } }))
      }
      if (!(allRevealed(state.answerCommits, state.answerReveals, state.invalid) || now >= state.deadlines['answer-reveal'])) break
      const seen = candidateIdsSeen(state)
      if (seen.length < 2) {
        finish(state, actions)
        break
      }
      state.phase = 'comparing'
      const restored = state.init.restored?.comparison
      if (state.rankers.includes(state.init.self) && restored !== undefined) {
        state.own.comparison = restored
        actions.push(publish(state, { comparisonCommit: { queryId: state.queryId, commitment: comparisonCommitment(restored.body, restored.salt) } }))
      } else if (state.rankers.includes(state.init.self)) {
        const own = ownCandidate(state)
        const pairs = assignPairs({ queryId: state.queryId, ranker: state.init.self, candidates: seen, exclude: own === undefined ? [] : [own] })
        const textOf = new Map([...state.answerReveals.values()].map(m => [candidateId(m.payload.answerReveal!.answer), m.payload.answerReveal!.answer]))
        if (pairs.length === 0) {
          commitComparisons(state, [], new Uint8Array(16).fill(0x5a), actions) // nothing to judge: an empty, public body
        } else {
          actions.push({ type: 'request-comparisons', queryId: state.queryIdHex, prompt: state.prompt, pairs: pairs.map(([a, b]) => ({ a, b, answerA: textOf.get(a)!, answerB: textOf.get(b)! })) })
        }
      }
    } else if (phase === 'comparing') {
      const everyone = state.rankers.every(n => state.comparisonCommits.has(n))
      if (!(everyone || now >= state.deadlines.comparing)) break
      state.phase = 'comparison-reveal'
      state.own.comparisonRevealAt = everyone ? now : state.deadlines.comparing + revealSlackMs
    } else if (phase === 'comparison-reveal') {
      const own = state.own.comparison
      if (own !== undefined && state.comparisonCommits.has(state.init.self) && !state.own.comparisonRevealed && now >= (state.own.comparisonRevealAt ?? now)) {
        state.own.comparisonRevealed = true
        actions.push(publish(state, { comparisonReveal: { queryId: state.queryId, body: own.body, salt: own.salt } }))
      }
      if (!(allRevealed(state.comparisonCommits, state.comparisonReveals, state.invalid) || now >= state.deadlines['comparison-reveal'])) break
      finish(state, actions)
      break
    } else {
      break
    }
  }
  if (state.phase !== 'done') {
    // a reveal held back for the slack comes due before the phase's deadline
    const revealAt = state.phase === 'answer-reveal' && !state.own.answerRevealed && state.own.answer !== undefined
      ? state.own.answerRevealAt
      : state.phase === 'comparison-reveal' && !state.own.comparisonRevealed && state.own.comparison !== undefined ? state.own.comparisonRevealAt : undefined
    actions.push({ type: 'wake-at', at: revealAt !== undefined && revealAt > now ? Math.min(revealAt, state.deadlines[state.phase]) : state.deadlines[state.phase] })
  }
}

function finish (state: RoundState, actions: RoundAction[]): void {
  state.phase = 'done'
  const messages = [
    ...state.answerCommits.values(), ...state.answerReveals.values(),
    ...state.comparisonCommits.values(), ...state.comparisonReveals.values(), ...state.evidence
  ]
  const evidence = evidenceFromMessages(state.init.query, messages, { answerers: state.answerers, rankers: state.rankers })
  const outcome = computeRoundRecord(evidence, state.init.table, state.init.params)
  state.outcome = outcome
  actions.push({ type: 'closed', outcome, messages: evidence.messages })
}

export const queryIdHexOf = (payload: Payload): string | undefined => {
  const id = payload.answerCommit?.queryId ?? payload.answerReveal?.queryId ?? payload.comparisonCommit?.queryId ?? payload.comparisonReveal?.queryId
  return id === undefined ? undefined : toHex(id)
}
