import { joinFault } from '../admission.js'
import type { ProtocolParams } from '../genesis.js'
import type { LedgerState } from '../ledger.js'
import type { SignedMessage } from '../wire/envelope.js'
import { accept, ignore } from '../wire/validate.js'
import type { Validation } from '../wire/validate.js'
import { heightDriverLimits } from './height-limits.js'

/**
 * The Joins a validator holds until a block admits their identities (DESIGN §8.11): one per
 * identity, bounded in all, and dropped once their node is in the ledger or they expire
 * (protocol/admission.ts).
 */
export class JoinPool {
  private readonly joins = new Map<string, SignedMessage>()

  get size (): number {
    return this.joins.size
  }

  values (): IterableIterator<SignedMessage> {
    return this.joins.values()
  }

  add (msg: SignedMessage, state: LedgerState, now: number, params: ProtocolParams): Validation<void> {
    // [IGNORE] members need no admission (a jailed one only once its jail is over); a Join expires
    const fault = joinFault(state, msg, now, params)
    if (fault !== undefined) return ignore(fault, state.reputations.has(msg.signerId) ? 'join_member' : 'join_stale')
    // [IGNORE] one pending Join per identity is enough (a fresher one replaces an expired one)
    const pending = this.joins.get(msg.signerId)
    if (pending !== undefined && joinFault(state, pending, now, params) === undefined) return ignore('a join from this node is pending', 'join_pending')
    if (this.joins.size >= heightDriverLimits.maxPendingJoins) this.dropStale(state, now, params)
    if (this.joins.size >= heightDriverLimits.maxPendingJoins) return ignore('too many pending joins', 'joins_full')
    this.joins.set(msg.signerId, msg)
    return accept(undefined)
  }

  /** After a commit: drop the Joins of identities the block admitted, and those that can no longer admit anyone. */
  onCommitted (admitted: Iterable<string>, state: LedgerState, now: number, params: ProtocolParams): void {
    for (const node of admitted) this.joins.delete(node)
    this.dropStale(state, now, params)
  }

  /** Joins whose node is in the ledger (admitted while we were away), or that expired. */
  private dropStale (state: LedgerState, now: number, params: ProtocolParams): void {
    for (const [id, j] of this.joins) if (joinFault(state, j, now, params) !== undefined) this.joins.delete(id)
  }
}
