import { queryInadmissible } from '../ledger.js'
import type { LedgerState, PendingQuery } from '../ledger.js'
import type { ProtocolParams } from '../genesis.js'
import type { SignedMessage } from '../wire/envelope.js'
import { accept, ignore } from '../wire/validate.js'
import type { Validation } from '../wire/validate.js'

/** The bounds of the pool, in one place: it is keyed by data members send. */
export const queryPoolLimits = {
  /**
   * Queries waiting for a block to order them (the mempool), and of those at most this many per
   * submitter: one member's flood cannot crowd the others out.
   */
  maxPendingQueries: 10_000,
  maxPendingQueriesPerSubmitter: 1_000
} as const

/**
 * The queries a validator holds until a block orders them (DESIGN §8.2): gossip is the mempool.
 * A query no block could ever order (stranger, stale, ordered already) is refused; one whose
 * submitter has spent its quota waits for a later block or epoch.
 */
export class QueryPool {
  private readonly queries = new Map<string, PendingQuery>()
  private readonly bySubmitter = new Map<string, number>()

  get size (): number {
    return this.queries.size
  }

  has (idHex: string): boolean {
    return this.queries.has(idHex)
  }

  values (): IterableIterator<PendingQuery> {
    return this.queries.values()
  }

  /** Ids of up to `max` waiting queries, the longest-waiting first (a Map keeps arrival order). */
  oldest (max: number): string[] {
    const ids: string[] = []
    for (const id of this.queries.keys()) {
      if (ids.length >= max) break
      ids.push(id)
    }
    return ids
  }

  add (msg: SignedMessage, state: LedgerState, params: ProtocolParams): Validation<void> {
    const pending: PendingQuery = { idHex: msg.idHex, signerId: msg.signerId, anchorHeight: msg.payload.query!.anchorHeight }
    // [IGNORE] known, or one that no block could order now (its submitter is no member, it is stale or ordered already)
    if (this.queries.has(pending.idHex)) return ignore('query already waiting to be ordered', 'duplicate')
    const refused = queryInadmissible(state, pending, params)
    if (refused !== undefined && !refused.waits) return ignore(`query cannot be ordered: ${refused.reason}`, refused.reason === 'already ordered' ? 'duplicate' : 'query_stale')
    if (this.queries.size >= queryPoolLimits.maxPendingQueries) return ignore('too many queries waiting to be ordered', 'mempool_full')
    const mine = this.bySubmitter.get(pending.signerId) ?? 0
    if (mine >= queryPoolLimits.maxPendingQueriesPerSubmitter) return ignore('too many of this submitter\'s queries waiting to be ordered', 'over_quota')
    this.queries.set(pending.idHex, pending)
    this.bySubmitter.set(pending.signerId, mine + 1)
    return accept(undefined)
  }

  /** After a commit: drop what the block ordered, and what no block can order any more. */
  onCommitted (orderedIds: Iterable<string>, state: LedgerState, params: ProtocolParams): void {
    for (const id of orderedIds) this.drop(id)
    for (const q of [...this.queries.values()]) {
      if (queryInadmissible(state, q, params)?.waits === false) this.drop(q.idHex)
    }
  }

  private drop (idHex: string): void {
    const q = this.queries.get(idHex)
    if (q === undefined) return
    this.queries.delete(idHex)
    const left = (this.bySubmitter.get(q.signerId) ?? 1) - 1
    if (left <= 0) this.bySubmitter.delete(q.signerId)
    else this.bySubmitter.set(q.signerId, left)
  }
}
