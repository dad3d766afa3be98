import type { Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { heightDriverLimits } from '../protocol/bft/height-driver.js'
import { asBytes, fromHex, toHex } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { decodeSyncRequest, decodeSyncResponse, encodeSyncRequest, encodeSyncResponse } from '../protocol/wire/codec.js'
import { wireLimits } from '../protocol/wire/limits.js'
import { CertifiedBlock as CertifiedBlockCodec } from '../protocol/wire/messages.js'
import type { CertifiedBlock, SyncRequest, SyncResponse } from '../protocol/wire/messages.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import type { NodeStore } from './store.js'

/**
 * Request/response sync (DESIGN §4.7) on `/swarmrank/<networkId>/sync/1`: one length-prefixed
 * SyncRequest, one length-prefixed SyncResponse, then the stream closes. libp2p 3 streams are
 * message streams rather than it-pipe duplexes; `lpStream` from @libp2p/utils is their
 * length-prefixed framing, with the same decode limits as gossip.
 */
export const syncProtocol = (networkIdHex: string): string => `/swarmrank/${networkIdHex}/sync/1`

/** Blocks per response: bounded so a response stays well under the sync message limit (the driver's sync batch). */
export const MAX_BLOCKS_PER_RESPONSE = heightDriverLimits.syncBatchBlocks
/** How long a peer gets to answer one request. */
export const SYNC_TIMEOUT_MS = 5_000

export interface SyncServerComponents {
  store: NodeStore
  height: () => number
  headHash: () => string
  /** proposals and votes held for a height being decided (vote catch-up) */
  consensusMessages: (height: number) => Uint8Array[]
  logger: Logger
}

export async function serveSync (host: SwarmHost, networkIdHex: string, c: SyncServerComponents): Promise<void> {
  await host.handle(syncProtocol(networkIdHex), async (stream: Stream) => {
    const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS)
    try {
      const lp = lpStream(stream, { maxDataLength: wireLimits.maxEnvelopeBytes })
      const request = decodeSyncRequest((await lp.read({ signal })).subarray())
      const response = await answer(request, c)
      await lp.write(encodeSyncResponse(response), { signal })
      await stream.close({ signal })
    } catch (err) {
      c.logger.debug(`sync request failed: ${(err as Error).message}`)
      stream.abort(err as Error)
    }
  }, { maxInboundStreams: 16 })
}

async function answer (req: SyncRequest, c: SyncServerComponents): Promise<SyncResponse> {
  if (req.status !== undefined) return { status: { height: c.height(), headHash: fromHex(c.headHash()) } }
  if (req.blocks !== undefined) {
    const blocks: CertifiedBlock[] = []
    let bytes = 0
    const max = Math.min(req.blocks.max === 0 ? MAX_BLOCKS_PER_RESPONSE : req.blocks.max, MAX_BLOCKS_PER_RESPONSE)
    for (let h = req.blocks.fromHeight; h < req.blocks.fromHeight + max; h++) {
      const raw = await c.store.getCertifiedBlockBytes(h)
      if (raw === undefined) break
      bytes += raw.length
      if (bytes > wireLimits.maxSyncMessageBytes / 2) break
      blocks.push(CertifiedBlockCodec.decode(raw))
    }
    return { blocks: { blocks } }
  }
  if (req.consensus !== undefined) {
    const envelopes: Bytes[] = []
    let bytes = 0
    for (const e of c.consensusMessages(req.consensus.height)) {
      bytes += e.length
      if (bytes > wireLimits.maxSyncMessageBytes / 2) break
      envelopes.push(asBytes(e))
    }
    return { messages: { envelopes } }
  }
  const envelopes: Bytes[] = []
  for (const id of req.messages?.ids ?? []) {
    const bytes = await c.store.getMessage(toHex(id))
    if (bytes !== undefined) envelopes.push(asBytes(bytes))
  }
  return { messages: { envelopes } }
}

/** One request to one peer; throws on timeout, a refused stream or a malformed answer. */
export async function syncRequest (host: SwarmHost, networkIdHex: string, peer: string, request: SyncRequest, timeoutMs = SYNC_TIMEOUT_MS): Promise<SyncResponse> {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await host.dialProtocol(peerIdFromString(peer), syncProtocol(networkIdHex), { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: wireLimits.maxSyncMessageBytes })
    await lp.write(encodeSyncRequest(request), { signal })
    const response = decodeSyncResponse((await lp.read({ signal })).subarray())
    await stream.close({ signal }).catch(() => {})
    return response
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
