/**
 * Metered submission (DESIGN §8.5): every query costs the network about answerers + rankers ×
 * pairs model calls, so only ledger members may submit, and each identity's rate is bounded —
 * at the gossip door (a token bucket per identity, in each node's own clock: a flood is dropped
 * before any round starts, so it costs honest nodes no model calls) and in blocks (at most
 * `perBlock` records per submitter, which block validity enforces).
 */
export interface SubmissionParams {
  /** Round records of one submitter's queries per block. Default 32: with blocks every 100–300 ms under load, 100–300 queries per second. */
  perBlock: number
  /** Queries per second one identity may have gossiped (sustained; bursts of twice that). Default 200. */
  perSecond: number
  /**
   * Queries of one identity the blocks of one epoch (`bft.epochBlocks`) may order; block validity
   * enforces it. Default 128: with the default 8-block epochs and blocks every 50–100 ms under
   * load, room for 160–320 queries per second. Optional in a genesis file (then the default).
   */
  perEpoch: number
}

export const defaultSubmissionParams: SubmissionParams = { perBlock: 32, perSecond: 200, perEpoch: 128 }

/** Identities whose buckets are kept at once (the least recently seen go first). */
const MAX_TRACKED_IDENTITIES = 10_000

/**
 * Token buckets by identity: `take(id, now)` spends one token if there is one. Pure apart from
 * its own state: time is an argument.
 */
export class SubmissionMeter {
  private readonly perSecond: number
  private readonly burst: number
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (params: Pick<SubmissionParams, 'perSecond'>) {
    this.perSecond = params.perSecond
    this.burst = params.perSecond * 2
  }

  /** Whether `id` may submit one more query at `now` (ms), spending nothing. */
  allows (id: string, now: number): boolean {
    return this.tokens(id, now) >= 1
  }

  /** Whether `id` may submit one more query at `now` (ms); spends a token if so. */
  take (id: string, now: number): boolean {
    const tokens = this.tokens(id, now)
    this.buckets.delete(id)
    if (this.buckets.size >= MAX_TRACKED_IDENTITIES) this.buckets.delete(this.buckets.keys().next().value as string)
    if (tokens < 1) {
      this.buckets.set(id, { tokens, at: now })
      return false
    }
    this.buckets.set(id, { tokens: tokens - 1, at: now })
    return true
  }

  private tokens (id: string, now: number): number {
    const b = this.buckets.get(id)
    return b === undefined ? this.burst : Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * this.perSecond / 1000)
  }
}

/**
 * Records in the order a proposer takes them: submitters in turn (each submitter's own in
 * query-id order), at most `perBlock` per submitter and `max` in all. Query-id order alone let
 * an identity that grinds low ids starve everyone else.
 */
export function fairRecordOrder<T extends { queryIdHex: string, submitter: string }> (ready: Iterable<T>, perBlock: number, max: number): T[] {
  const bySubmitter = new Map<string, T[]>()
  for (const r of ready) {
    const list = bySubmitter.get(r.submitter) ?? []
    list.push(r)
    bySubmitter.set(r.submitter, list)
  }
  const queues = [...bySubmitter].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, list]) => list.sort((x, y) => (x.queryIdHex < y.queryIdHex ? -1 : 1)).slice(0, perBlock))
  const out: T[] = []
  for (let i = 0; out.length < max; i++) {
    let took = false
    for (const q of queues) {
      if (i < q.length && out.length < max) {
        out.push(q[i])
        took = true
      }
    }
    if (!took) break
  }
  return out
}
