import { toHex } from '../hash.js'
import { blockHash } from '../ledger.js'
import type { LedgerState } from '../ledger.js'
import type { SignedMessage } from '../wire/envelope.js'
import { VoteType } from '../wire/messages.js'
import type { Block, DoubleVote, LastCommit } from '../wire/messages.js'
import type { ChainRoundInput } from '../chain-round.js'
import type { Validation } from '../wire/validate.js'
import type { Proposal, TendermintLock, TimeoutKind, ValueId, Vote, VoteKind } from './tendermint.js'

/**
 * What goes into the height driver (height-driver.ts) and what comes out of it: the messages it
 * takes, its events and effects, and the sign state it asks the shell to persist. The shells (the
 * node's consensus.ts, the simulator's consensus-shell.ts) speak only these.
 */

/** What is persisted (synced) before every vote, so a restart never signs against it. */
export interface ConsensusMemory {
  height: number
  /** "round/kind" → the value id voted */
  votes: Record<string, ValueId>
  /** the round and the lock the votes rest on, as Tendermint takes them back */
  lock: TendermintLock<Block>
}

/**
 * A proposal or vote as the driver sees it: decoded, signature already checked by the shell.
 * `carrier` is what the shell moves around (the node: the signed envelope; the simulator: nothing
 * it needs), kept in the height's log and in commit certificates. `key` identifies the message.
 */
export type ConsensusMessage<E> =
  | { kind: 'proposal', key: string, height: number, from: string, proposal: Proposal<Block>, carrier: E }
  | { kind: 'vote', key: string, height: number, from: string, vote: Vote<E>, carrier: E }

/** The node's form of a consensus message: a validated envelope holding a proposal or a vote. */
export function consensusMessageOf (msg: SignedMessage): ConsensusMessage<SignedMessage> | undefined {
  const p = msg.payload
  if (p.vote !== undefined) {
    const v = p.vote
    const vote: Vote<SignedMessage> = { kind: v.type === VoteType.PREVOTE ? 'prevote' : 'precommit', round: v.round, id: v.blockHash.length === 0 ? null : toHex(v.blockHash), from: msg.signerId, evidence: msg }
    return { kind: 'vote', key: msg.idHex, height: v.height, from: msg.signerId, vote, carrier: msg }
  }
  const bp = p.blockProposal
  if (bp?.block?.header === undefined) return undefined
  const proposal: Proposal<Block> = { round: bp.round, value: bp.block, id: toHex(blockHash(bp.block.header)), validRound: bp.validRound, from: msg.signerId }
  return { kind: 'proposal', key: msg.idHex, height: bp.height, from: msg.signerId, proposal, carrier: msg }
}

export type HeightEvent<E> =
  /** a proposal or vote from gossip, from a peer's catch-up answer, or our own coming back */
  | { type: 'message', message: ConsensusMessage<E> }
  /** a block ordered the query (DESIGN §8.2): follow its round on the chain, with the round messages held for it already */
  | { type: 'round-opened', input: ChainRoundInput, messages: SignedMessage[] }
  /** a validated round message (commit or reveal): it waits for a block to order it (DESIGN §8.6) */
  | { type: 'round-message', message: SignedMessage }
  /** a round closed here: what it waited for has arrived, so a block can likely record it */
  | { type: 'round-ready', queryIdHex: string }
  /** a block this node proposed failed its own check because of this round: it can never be valid here (DESIGN §8.4) */
  | { type: 'record-refused', queryIdHex: string, reason: string }
  /** a validated Query waiting for a block to order it (DESIGN §8.2) */
  | { type: 'query', message: SignedMessage }
  /** a validated Join of an identity outside the ledger */
  | { type: 'join', message: SignedMessage }
  /** the shell's answer to a check-block effect */
  | { type: 'validated', height: number, id: string, valid: boolean }
  | { type: 'timeout', height: number, kind: TimeoutKind, round: number }
  /** the block owner stored and adopted a block (decided here or synced): `state` is the ledger after it */
  | { type: 'committed', block: Block, state: LedgerState }
  /** storing a decided block failed: the height may be decided again (or arrive by sync) */
  | { type: 'commit-failed', height: number }
  /** a wake-up the driver asked for (wake-at), or any periodic tick */
  | { type: 'tick' }
  /** the commit of block `height` as the shell holds it (the decision's precommits and late ones; `complete`: every validator that decided it): the next block carries it (protocol/jailing.ts) */
  | { type: 'last-commit', height: number, lastCommit: LastCommit, complete: boolean }
  /** a double vote as signed evidence (the shell's form of an 'equivocation' effect): the next blocks carry it until punished */
  | { type: 'evidence', offender: string, key: string, height: number, evidence: DoubleVote }

export type HeightEffect<E> =
  | { type: 'publish-proposal', height: number, round: number, block: Block, validRound: number }
  /** persist this before the vote that follows it is signed (synchronously: the vote must not go out first) */
  | { type: 'save-sign-state', memory: ConsensusMemory }
  | { type: 'publish-vote', height: number, round: number, kind: VoteKind, id: ValueId }
  /** valid(v): recompute the block (fetching messages it names, `prefer` asked first) and answer with 'validated'; `fresh`: check its time against the clock (proposed anew) */
  | { type: 'check-block', height: number, id: string, block: Block, fresh: boolean, prefer?: string }
  | { type: 'schedule-timeout', height: number, kind: TimeoutKind, round: number, delayMs: number }
  /** a decision: store the block with its certificate, then answer with 'committed' (or 'commit-failed') */
  | { type: 'commit', height: number, round: number, id: string, block: Block, precommits: E[] }
  /** traffic shows a later height: catch up by block sync (`peer` first) */
  | { type: 'sync', height: number, peer?: string }
  /** the height stalled (or never started here): ask peers for its proposals and votes */
  | { type: 'pull-votes', height: number }
  /** deliver a 'tick' at this time */
  | { type: 'wake-at', at: number }
  | { type: 'equivocation', first: Vote<E>, second: Vote<E> }
  | { type: 'note', level: 'debug' | 'info' | 'warn' | 'error', text: string }

export interface HeightStep<E> {
  effects: Array<HeightEffect<E>>
  /** for 'message' and 'join' events: what gossip should do with the message */
  verdict?: Validation<void>
}
