import { fromHex } from '../protocol/hash.js'
import { decodeTrustedMessage } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { syncLimits, wireLimits } from '../protocol/wire/limits.js'
import { validateEnvelope } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import type { RecentMessages } from './recent-messages.js'
import type { NodeStore } from './store.js'
import { syncRequest } from './sync.js'

export interface MessageFetcherComponents {
  host: SwarmHost
  networkId: Uint8Array
  networkIdHex: string
  store: NodeStore
  logger: Logger
  /** messages accepted lately, decoded: looked up before the store */
  recent?: RecentMessages
}

/** How long one peer gets to hand over messages a block names. Short: block checks race the propose timeout. */
export const FETCH_TIMEOUT_MS = 1_500
/** Ids asked of a peer in one request (the proto's limit); the peer's byte cap may return fewer. */
const IDS_PER_REQUEST = 256
/**
 * Peers asked per catch-up (heights, or a height's votes). Any one honest peer that has what we
 * lack is enough, and a node asks every couple of seconds: asking all peers each time cost more
 * than the queries in a 16-node cluster (hundreds of sync streams per query).
 */
const PEERS_ASKED = 3

/**
 * Signed messages by id (DESIGN §4.7): from the store, else from peers over the sync protocol,
 * each answer checked like gossip. Used by block checks, final views and resumed queries.
 */
export class MessageFetcher {
  private readonly c: MessageFetcherComponents

  constructor (components: MessageFetcherComponents) {
    this.c = components
  }

  /** Peers with an open connection (one peer may have several), sorted. */
  connectedPeers (): string[] {
    return [...new Set(this.c.host.getConnections().map(c => c.remotePeer.toString()))].sort()
  }

  /** Up to a few connected peers, `first` (if connected) then others in random order. */
  somePeers (first?: string): string[] {
    const connected = this.connectedPeers()
    const others = connected.filter(p => p !== first).sort(() => Math.random() - 0.5)
    return (first !== undefined && connected.includes(first) ? [first, ...others] : others).slice(0, PEERS_ASKED)
  }

  /**
   * Full validation of a message fetched later (sync, a resumed query): the query-age check is
   * about live gossip, so it is switched off here.
   */
  async validateTimeless (bytes: Uint8Array): Promise<Validation<SignedMessage>> {
    return validateEnvelope(bytes, { networkId: this.c.networkId, now: 0, maxQueryAgeMs: Number.MAX_SAFE_INTEGER, maxClockSkewMs: Number.MAX_SAFE_INTEGER })
  }

  /** Messages by id from our own store only (validated when they were stored: no second signature check). */
  async local (idsHex: string[]): Promise<Map<string, SignedMessage>> {
    const found = new Map<string, SignedMessage>()
    for (const id of idsHex) {
      const recent = this.c.recent?.get(id)
      if (recent !== undefined) { found.set(id, recent); continue }
      const bytes = await this.c.store.getMessage(id).catch(() => undefined)
      if (bytes === undefined) continue
      const msg = decodeTrustedMessage(bytes)
      if (msg !== undefined) found.set(id, msg)
    }
    return found
  }

  /**
   * Messages by id: from the store, else from peers. The preferred peer (the proposer of a block
   * being checked: it must hold what its block names) is asked first, then every other peer at
   * once, each with a short timeout: a paused peer must not hold up a block check past the
   * propose timeout. Each id is asked for once however often it is named; missing ones are left out.
   */
  async fetch (idsHex: string[], prefer?: string): Promise<Map<string, SignedMessage>> {
    const wanted = [...new Set(idsHex)]
    const found = await this.local(wanted)
    const missing = (): string[] => wanted.filter(id => !found.has(id))
    if (missing().length === 0) return found
    const peers = this.connectedPeers()
    if (prefer !== undefined && peers.includes(prefer)) await this.ask(prefer, missing, found)
    if (missing().length > 0) await Promise.all(peers.filter(p => p !== prefer).map(async peer => this.ask(peer, missing, found)))
    return found
  }

  /**
   * Ask one peer for what is still missing, IDS_PER_REQUEST ids a request, until it has nothing
   * more of it. A response holds the ids in the order asked, without those the peer lacks, and
   * stops where the peer's byte cap (syncLimits.maxResponseBytes) is reached: ids before the
   * last one returned that did not come, the peer lacks; those after it are asked for again,
   * unless the response was too small to have been cut short. Every round trip finds a message
   * or rules some out, so a peer gets at most one request per id.
   */
  private async ask (peer: string, missing: () => string[], found: Map<string, SignedMessage>): Promise<void> {
    const lacking = new Set<string>()
    for (;;) {
      const chunk = missing().filter(id => !lacking.has(id)).slice(0, IDS_PER_REQUEST)
      if (chunk.length === 0) return
      let envelopes: Uint8Array[]
      try {
        const res = await syncRequest(this.c.host, this.c.networkIdHex, peer, { messages: { ids: chunk.map(fromHex) } }, FETCH_TIMEOUT_MS)
        envelopes = res.messages?.envelopes ?? []
      } catch (err) {
        this.c.logger.debug(`fetching messages from ${peer} failed: ${(err as Error).message}`)
        return
      }
      const position = new Map(chunk.map((id, i) => [id, i]))
      let last = -1
      let bytes = 0
      for (const envelope of envelopes) {
        bytes += envelope.length + 6 // with its framing
        const v = await this.validateTimeless(envelope)
        const i = v.result === 'ACCEPT' ? position.get(v.value.idHex) : undefined
        if (v.result !== 'ACCEPT' || i === undefined) continue
        last = Math.max(last, i)
        if (found.has(v.value.idHex)) continue
        found.set(v.value.idHex, v.value)
        this.c.recent?.add(v.value)
        await this.c.store.putMessage(v.value.idHex, v.value.bytes)
      }
      // the next envelope (at most maxEnvelopeBytes) might not have fit: the response may be cut short
      const cutShort = last >= 0 && bytes + wireLimits.maxEnvelopeBytes > syncLimits.maxResponseBytes
      const asked = cutShort ? last + 1 : chunk.length
      for (let i = 0; i < asked; i++) if (!found.has(chunk[i])) lacking.add(chunk[i])
    }
  }
}
