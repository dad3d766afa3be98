import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { heightDriverLimits } from '../protocol/bft/height-driver.js'
import { asBytes, fromHex, toHex } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { decodeSyncRequest, decodeSyncResponse, encodeSyncRequest, encodeSyncResponse } from '../protocol/wire/codec.js'
import { syncLimits } from '../protocol/wire/limits.js'
import { CertifiedBlock as CertifiedBlockCodec } from '../protocol/wire/messages.js'
import type { CertifiedBlock, SyncRequest, SyncResponse } from '../protocol/wire/messages.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import { answerSnapshot } from './snapshot-server.js'
import type { SnapshotSource } from './snapshot-server.js'
import type { NodeStore } from './store.js'

/**
 * Request/response sync (DESIGN §4.7) on `/swarmrank/<networkId>/sync/1`: one length-prefixed
 * SyncRequest, one length-prefixed SyncResponse, then the stream closes. libp2p 3 streams are
 * message streams rather than it-pipe duplexes; `lpStream` from @libp2p/utils is their
 * length-prefixed framing.
 *
 * Bounded (DESIGN §8 property 10; the numbers are `syncLimits`): a response is at most
 * `maxResponseBytes`, which is what the client reads; requested ids are deduplicated; a peer
 * gets a token bucket of requests, and past it a fixed refusal with nothing read or decoded; a
 * connection holds a few sync streams at once; a request over its size is refused on its length
 * prefix.
 */
export const syncProtocol = (networkIdHex: string): string => `/swarmrank/${networkIdHex}/sync/1`

/** Blocks per response at most (the driver's sync batch); bytes cap it further. */
export const MAX_BLOCKS_PER_RESPONSE = heightDriverLimits.syncBatchBlocks
/** How long a peer gets to answer one request. */
export const SYNC_TIMEOUT_MS = 5_000

/** What the server sends a peer over its request rate (`SyncResponse.error`). */
export const RATE_LIMITED = 'rate limited'

/** One request answered (or refused), for metrics and tests. */
export interface SyncServed {
  kind: 'status' | 'blocks' | 'messages' | 'consensus' | 'snapshot' | 'rate_limited' | 'bad_request'
  peer: string
  /** blocks or envelopes in the response */
  items: number
  /** encoded response bytes */
  bytes: number
}

export interface SyncServerComponents {
  store: NodeStore
  height: () => number
  headHash: () => string
  /** proposals and votes held for a height being decided (vote catch-up) */
  consensusMessages: (height: number) => Uint8Array[]
  /** state snapshots and the light steps to them (node/snapshot-server.ts); unset: none offered */
  snapshots?: SnapshotSource
  /** ids of queries waiting here for a block to order them, longest-waiting first (sent along with a vote catch-up) */
  waitingQueries?: (max: number) => string[]
  logger: Logger
  /** told of every request served or refused */
  observe?: (served: SyncServed) => void
}

/** Options of the sync server; every default is in `syncLimits`, where each is explained. */
export interface SyncServerInit {
  maxResponseBytes?: number
  maxBlocksPerResponse?: number
  requestsPerSecond?: number
  requestBurst?: number
  maxTrackedPeers?: number
  maxInboundStreams?: number
}

export const defaultSyncServerInit: Required<SyncServerInit> = {
  maxResponseBytes: syncLimits.maxResponseBytes,
  maxBlocksPerResponse: MAX_BLOCKS_PER_RESPONSE,
  requestsPerSecond: syncLimits.requestsPerSecond,
  requestBurst: syncLimits.requestBurst,
  maxTrackedPeers: syncLimits.maxTrackedPeers,
  maxInboundStreams: syncLimits.maxInboundStreams
}

/** The refusal, encoded once: an over-rate request costs a lookup and a 15-byte write. */
const rateLimitedResponse = encodeSyncResponse({ error: RATE_LIMITED })

export async function serveSync (host: SwarmHost, networkIdHex: string, c: SyncServerComponents, init: SyncServerInit = {}): Promise<void> {
  const opts = { ...defaultSyncServerInit, ...init }
  const limiter = new PeerRateLimiter(opts.requestsPerSecond, opts.requestBurst, opts.maxTrackedPeers)
  await host.handle(syncProtocol(networkIdHex), async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS)
    let kind: SyncServed['kind'] = 'bad_request'
    try {
      const lp = lpStream(stream, { maxDataLength: syncLimits.maxRequestBytes })
      if (!limiter.take(peer)) {
        kind = 'rate_limited'
        await lp.write(rateLimitedResponse, { signal })
        await stream.close({ signal })
        c.observe?.({ kind, peer, items: 0, bytes: rateLimitedResponse.length })
        return
      }
      // over maxRequestBytes: refused on the length prefix, before the bytes are read
      const request = decodeSyncRequest((await lp.read({ signal })).subarray())
      const { response, items } = await answer(request, c, opts)
      kind = requestKind(request)
      const bytes = encodeSyncResponse(response)
      await lp.write(bytes, { signal })
      await stream.close({ signal })
      c.observe?.({ kind, peer, items, bytes: bytes.length })
    } catch (err) {
      c.logger.debug(`sync request from ${peer} failed: ${(err as Error).message}`)
      stream.abort(err as Error)
      if (kind === 'bad_request') c.observe?.({ kind, peer, items: 0, bytes: 0 })
    }
  }, { maxInboundStreams: opts.maxInboundStreams })
}

function requestKind (req: SyncRequest): SyncServed['kind'] {
  if (req.status !== undefined) return 'status'
  if (req.blocks !== undefined) return 'blocks'
  if (req.consensus !== undefined) return 'consensus'
  if (req.snapshot !== undefined) return 'snapshot'
  return 'messages'
}

/** Bytes of a varint. */
const varintBytes = (n: number): number => n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5

/**
 * Encoded bytes of a response carrying `items` (their sizes) as a repeated bytes-or-message
 * field inside the response's one field: a tag and a length for the outer field, and for each item.
 */
export class ResponseSize {
  private inner = 0
  constructor (private readonly max: number) {}
  /** whether an item of `length` bytes still fits */
  fits (length: number): boolean {
    return ResponseSize.total(this.inner + 1 + varintBytes(length) + length) <= this.max
  }

  add (length: number): void {
    this.inner += 1 + varintBytes(length) + length
  }

  private static total (inner: number): number {
    return 1 + varintBytes(inner) + inner
  }
}

async function answer (req: SyncRequest, c: SyncServerComponents, opts: Required<SyncServerInit>): Promise<{ response: SyncResponse, items: number }> {
  if (req.status !== undefined) return { response: { status: { height: c.height(), headHash: fromHex(c.headHash()), snapshotHeight: await c.snapshots?.offered() ?? 0 } }, items: 0 }
  const size = new ResponseSize(opts.maxResponseBytes)
  if (req.snapshot !== undefined) {
    if (c.snapshots === undefined) return { response: { error: 'no snapshots served here' }, items: 0 }
    return await answerSnapshot(req.snapshot, c.snapshots, size, opts.maxResponseBytes)
  }
  if (req.blocks !== undefined) {
    const blocks: CertifiedBlock[] = []
    const max = Math.min(req.blocks.max === 0 ? opts.maxBlocksPerResponse : req.blocks.max, opts.maxBlocksPerResponse)
    for (let h = req.blocks.fromHeight; h < req.blocks.fromHeight + max; h++) {
      const raw = await c.store.getCertifiedBlockBytes(h)
      if (raw === undefined) break
      // stop before the block that would overflow the response, but send one in any case: the
      // client reads the largest legal block (syncLimits.maxCertifiedBlockBytes) and goes on
      // from where the response stops
      if (blocks.length > 0 && !size.fits(raw.length)) break
      size.add(raw.length)
      blocks.push(CertifiedBlockCodec.decode(raw))
    }
    return { response: { blocks: { blocks } }, items: blocks.length }
  }
  const envelopes: Bytes[] = []
  if (req.consensus !== undefined) {
    for (const e of c.consensusMessages(req.consensus.height)) {
      if (envelopes.length >= syncLimits.maxEnvelopesPerResponse || (envelopes.length > 0 && !size.fits(e.length))) break
      size.add(e.length)
      envelopes.push(asBytes(e))
    }
    // The queries waiting here, so a peer that never got one by gossip (a partition healed while
    // nobody sent anything) learns there is work; it checks them as it checks gossip.
    for (const id of c.waitingQueries?.(syncLimits.maxWaitingQueriesPerResponse) ?? []) {
      if (envelopes.length >= syncLimits.maxEnvelopesPerResponse) break
      const bytes = await c.store.getMessage(id)
      if (bytes === undefined) continue
      if (envelopes.length > 0 && !size.fits(bytes.length)) break
      size.add(bytes.length)
      envelopes.push(asBytes(bytes))
    }
    return { response: { messages: { envelopes } }, items: envelopes.length }
  }
  // in the order asked, each id once; cut short before the envelope that would overflow, so the
  // client asks again for the ids after the last one it got
  const seen = new Set<string>()
  for (const id of req.messages?.ids ?? []) {
    const idHex = toHex(id)
    if (seen.has(idHex)) continue
    seen.add(idHex)
    const bytes = await c.store.getMessage(idHex)
    if (bytes === undefined) continue
    if (envelopes.length > 0 && !size.fits(bytes.length)) break
    size.add(bytes.length)
    envelopes.push(asBytes(bytes))
  }
  return { response: { messages: { envelopes } }, items: envelopes.length }
}

/**
 * Token buckets by remote peer id: `burst` requests at once, refilled at `perSecond`. At most
 * `maxPeers` buckets are kept (the map is keyed by identities anyone can make): past that, those
 * refilled to full go first (they hold nothing), then the oldest.
 */
export class PeerRateLimiter {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxPeers: number,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** Spend one request of `peer`'s; false when it has none left. */
  take (peer: string): boolean {
    const now = this.now()
    let bucket = this.buckets.get(peer)
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxPeers) this.evict(now)
      bucket = { tokens: this.burst, at: now }
      this.buckets.set(peer, bucket)
    } else {
      bucket.tokens = this.refilled(bucket, now)
      bucket.at = now
    }
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  get size (): number {
    return this.buckets.size
  }

  private refilled (bucket: { tokens: number, at: number }, now: number): number {
    return Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perSecond / 1000)
  }

  private evict (now: number): void {
    for (const [peer, bucket] of this.buckets) if (this.refilled(bucket, now) >= this.burst) this.buckets.delete(peer)
    while (this.buckets.size >= this.maxPeers) this.buckets.delete(this.buckets.keys().next().value as string)
  }
}

/** A peer answered a request with a refusal (`SyncResponse.error`), over its rate for one. */
export class SyncRefusedError extends Error {
  override name = 'SyncRefusedError'
  constructor (readonly peer: string, readonly reason: string) {
    super(`${peer} refused the sync request: ${reason}`)
  }
}

/**
 * One request to one peer; throws on timeout, a refused stream, a refusal (SyncRefusedError) or a
 * malformed answer. Reads at most `syncLimits.maxResponseBytes`, what a server may send.
 */
export async function syncRequest (host: SwarmHost, networkIdHex: string, peer: string, request: SyncRequest, timeoutMs = SYNC_TIMEOUT_MS): Promise<SyncResponse> {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await host.dialProtocol(peerIdFromString(peer), syncProtocol(networkIdHex), { signal })
  let response: SyncResponse
  try {
    const lp = lpStream(stream, { maxDataLength: syncLimits.maxResponseBytes })
    await lp.write(encodeSyncRequest(request), { signal })
    response = decodeSyncResponse((await lp.read({ signal })).subarray())
    await stream.close({ signal }).catch(() => {})
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
  if (response.error !== undefined) throw new SyncRefusedError(peer, response.error)
  return response
}
