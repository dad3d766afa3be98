import type { SignedMessage } from './wire/envelope.js'

/** The bounds of an early-message buffer; every key in it is data a peer chose. */
export interface EarlyLimits {
  /** queries with messages kept at once */
  maxQueries: number
  /** messages kept for one query */
  maxPerQuery: number
  /** messages kept from one signer for one query: a member owes a round at most a commit and a reveal of each kind */
  maxPerSigner: number
  /** messages kept from one signer over all the queries not known here when they arrived */
  maxUnknownPerSigner: number
}

interface Entry {
  messages: Map<string, SignedMessage>
  /** the query was not known here when its first message arrived (a made-up id, or a node behind) */
  unknown: boolean
}

/**
 * Round messages held until their round opens here (gossip does not keep order: a commit can
 * arrive before the block that orders its query, or before the query). The query ids are the
 * sender's choice, so the buffer is fair rather than first-come: a query known here (waiting to be
 * ordered, or ordered) keeps its members' messages, a few per signer; a query not known here is
 * most likely made up, and each signer may hold only a few messages over all such queries, which
 * go first when the buffer is full. A flood of made-up ids then pushes out only other made-up
 * ids' messages (and those of a node far behind), never a known round's.
 */
export class EarlyMessages {
  private readonly limits: EarlyLimits
  private readonly entries = new Map<string, Entry>()
  /** messages held per signer in entries marked unknown */
  private readonly unknownBySigner = new Map<string, number>()
  private count = 0

  constructor (limits: EarlyLimits) {
    this.limits = limits
  }

  /** Messages held, over all queries. */
  get size (): number {
    return this.count
  }

  /** Keep a message for `queryIdHex`; `known`: whether that query is known here. */
  add (queryIdHex: string, message: SignedMessage, known: boolean): void {
    let entry = this.entries.get(queryIdHex)
    if (entry === undefined) {
      if (!known && (this.unknownBySigner.get(message.signerId) ?? 0) >= this.limits.maxUnknownPerSigner) return
      if (this.entries.size >= this.limits.maxQueries && !this.evictOne(known)) return
      entry = { messages: new Map(), unknown: !known }
      this.entries.set(queryIdHex, entry)
    }
    if (entry.messages.size >= this.limits.maxPerQuery || entry.messages.has(message.idHex)) return
    let fromSigner = 0
    for (const m of entry.messages.values()) if (m.signerId === message.signerId) fromSigner++
    if (fromSigner >= this.limits.maxPerSigner) return
    if (entry.unknown) {
      const held = this.unknownBySigner.get(message.signerId) ?? 0
      if (held >= this.limits.maxUnknownPerSigner) return
      this.unknownBySigner.set(message.signerId, held + 1)
    }
    entry.messages.set(message.idHex, message)
    this.count++
  }

  /** The messages held for a query, which leave the buffer (its round opens here). */
  take (queryIdHex: string): SignedMessage[] {
    const entry = this.entries.get(queryIdHex)
    if (entry === undefined) return []
    this.delete(queryIdHex, entry)
    return [...entry.messages.values()]
  }

  /** Forget a query's messages (its round is final, or was given up). */
  drop (queryIdHex: string): void {
    const entry = this.entries.get(queryIdHex)
    if (entry !== undefined) this.delete(queryIdHex, entry)
  }

  /** Forget the queries `gone` says are over. */
  dropWhere (gone: (queryIdHex: string) => boolean): void {
    for (const [qid, entry] of [...this.entries]) if (gone(qid)) this.delete(qid, entry)
  }

  /** Room for a new query: the oldest not known here goes first; a known one only makes room for another known one. */
  private evictOne (forKnown: boolean): boolean {
    for (const [qid, entry] of this.entries) {
      if (!entry.unknown) continue
      this.delete(qid, entry)
      return true
    }
    if (!forKnown) return false
    const [qid, entry] = this.entries.entries().next().value as [string, Entry]
    this.delete(qid, entry)
    return true
  }

  private delete (queryIdHex: string, entry: Entry): void {
    this.entries.delete(queryIdHex)
    this.count -= entry.messages.size
    if (!entry.unknown) return
    for (const m of entry.messages.values()) {
      const left = (this.unknownBySigner.get(m.signerId) ?? 1) - 1
      if (left <= 0) this.unknownBySigner.delete(m.signerId)
      else this.unknownBySigner.set(m.signerId, left)
    }
  }
}
