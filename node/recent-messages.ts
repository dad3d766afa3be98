import type { SignedMessage } from '../protocol/wire/envelope.js'

/** Bounds of the recent-message cache: by count and by bytes (an envelope may be 256 KiB). */
export const recentMessagesLimits = {
  /** ~20 s of a 5-node cluster's traffic at 25 queries a second: the rounds a block names */
  maxMessages: 16_384,
  maxBytes: 32 * 1024 * 1024
} as const

/**
 * Decoded messages this node accepted or signed lately, by id. A block check names every message
 * of every round it records — ~1,000 per block at 5 nodes under load — and reading each back from
 * LevelDB and decoding it again was ~15 % of a node's CPU (docs/performance.md, the throughput
 * profile). Only messages that were validated (or signed here) enter, as for the store. The
 * oldest leave first once either bound is reached.
 */
export class RecentMessages {
  private readonly byId = new Map<string, SignedMessage>()
  private bytes = 0

  constructor (private readonly limits: { maxMessages: number, maxBytes: number } = recentMessagesLimits) {}

  get size (): number {
    return this.byId.size
  }

  add (msg: SignedMessage): void {
    if (this.byId.has(msg.idHex) || msg.bytes.length > this.limits.maxBytes) return
    this.byId.set(msg.idHex, msg)
    this.bytes += msg.bytes.length
    while (this.byId.size > this.limits.maxMessages || this.bytes > this.limits.maxBytes) {
      const [id, oldest] = this.byId.entries().next().value as [string, SignedMessage]
      this.byId.delete(id)
      this.bytes -= oldest.bytes.length
    }
  }

  get (idHex: string): SignedMessage | undefined {
    return this.byId.get(idHex)
  }
}
