import type { ProtocolParams } from './genesis.js'
import type { ReputationEntry } from './reputation.js'
import { queryIdHexOf, startRound, stepRound } from './round.js'
import type { RoundStart, RoundState } from './round.js'
import type { RoundOutcome } from './record.js'
import type { SignedMessage } from './wire/envelope.js'

/**
 * A round as the chain sees it (DESIGN §8.6): the round reducer of round.ts, run by an observer
 * that takes part in nothing, fed the round messages that blocks ordered, each at the time of
 * the block that ordered it. Every node holding those messages computes the same state, so which
 * messages count — and the record — is a pure function of the chain, not of what one proposer
 * chose to name: a message a proposer leaves out is ordered by a later block, and it still
 * counts if that block's time is within the message's deadline.
 *
 * The clock moves once per block, before the block's messages: a commit ordered by a block whose
 * time is at or past its phase's deadline is late, whoever proposed the block.
 */

export interface ChainRoundInput {
  /** the Query message */
  query: SignedMessage
  /** what the block that ordered the query fixes: the committees' seed and the block's time */
  start: RoundStart
  /** the reputation table after that block */
  table: ReadonlyMap<string, ReputationEntry>
  params: ProtocolParams
}

/** A round message as a block ordered it, with that block's time. */
export interface OrderedRoundMessage {
  message: SignedMessage
  time: number
}

/** A peer id no node has: the observer sits on no committee, so the reducer asks it to do nothing. */
const OBSERVER = ''

/** The round before any of its messages is ordered. */
export function openChainRound (input: ChainRoundInput): RoundState {
  return startRound({ self: OBSERVER, networkId: new Uint8Array(0), query: input.query, table: input.table, start: input.start, params: input.params }, input.start.time).state
}

/** Move the round's clock to a block's time: phases whose deadline has passed close. */
export function tickChainRound (state: RoundState, time: number): void {
  stepRound(state, { type: 'tick' }, time)
}

/**
 * Order `message` into the round as of a block at `time` (after `tickChainRound(state, time)`):
 * undefined when it counts — the reducer accepted it, or it proves its signer cheated (a second
 * commit or reveal, a reveal that does not open its commit) — and the state now holds it; else
 * why it may not be ordered, and the state is unchanged. A reveal may only follow its ordered
 * commit, and nothing more from a signer caught cheating is ordered: each member has at most a
 * commit, a reveal and one piece of evidence per phase, so a round's ordered messages are bounded.
 */
export function admitToChainRound (state: RoundState, message: SignedMessage, time: number): string | undefined {
  const p = message.payload
  if (queryIdHexOf(p) !== state.queryIdHex) return 'not a message of this round'
  const signer = message.signerId
  if (state.invalid.has(signer)) return 'its signer was caught cheating in this round already'
  if (p.answerReveal !== undefined && !state.answerCommits.has(signer)) return 'an answer reveal before its commit is ordered'
  if (p.comparisonReveal !== undefined && !state.comparisonCommits.has(signer)) return 'a comparison reveal before its commit is ordered'
  const evidence = state.evidence.length
  const { verdict } = stepRound(state, { type: 'message', message }, time)
  if (verdict === undefined) return 'not a round message'
  if (verdict.result === 'ACCEPT') return undefined
  if (verdict.result === 'REJECT' && state.evidence.length > evidence) return undefined
  return verdict.reason
}

/**
 * The round after the messages ordered so far, each at its block's time. A message that does not
 * count is skipped (block validity admits none, so on a valid chain there is none).
 */
export function replayChainRound (input: ChainRoundInput, ordered: Iterable<OrderedRoundMessage>): RoundState {
  const state = openChainRound(input)
  for (const { message, time } of ordered) {
    tickChainRound(state, time)
    admitToChainRound(state, message, time)
  }
  return state
}

/** The round's outcome if it is done as of a block at `time` (every phase closed, by delivery or by deadline). */
export function chainRoundOutcome (state: RoundState, time: number): RoundOutcome | undefined {
  tickChainRound(state, time)
  return state.phase === 'done' ? state.outcome : undefined
}
