import { fromHex, toHex } from '../protocol/hash.js'
import { messageId } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { StatusResponse } from '../protocol/wire/messages.js'
import { validateEnvelope } from '../protocol/wire/validate.js'
import type { Chain } from './chain.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import { FETCH_TIMEOUT_MS } from './message-fetcher.js'
import type { MessageFetcher } from './message-fetcher.js'
import { MAX_BLOCKS_PER_RESPONSE, syncRequest } from './sync.js'

export interface ChainSyncComponents {
  host: SwarmHost
  networkIdHex: string
  chain: Chain
  fetcher: MessageFetcher
  logger: Logger
  /** the protocol clock (a query's age is checked as gossip checks it) */
  now: () => number
  /**
   * Asked with each peer's status before its blocks are fetched: true while the snapshot that
   * peer offers, far ahead, is being checked before the node switches to it (node/swarm-node.ts);
   * block sync then goes on with the next peer. A status is only its sender's claim: the check,
   * not this answer, decides anything.
   */
  farBehind?: (status: StatusResponse, peer: string) => boolean
}

/** What a vote catch-up brings: the height's proposals and votes, and queries waiting to be ordered. */
export interface PulledConsensus {
  messages: SignedMessage[]
  queries: SignedMessage[]
}

/**
 * Catching up (DESIGN §4.7): blocks a node missed (new, restarted, wiped, paused or
 * partitioned), and the proposals and votes of a height that stalled here.
 */
export class ChainSync {
  private readonly c: ChainSyncComponents
  private syncing = false

  constructor (components: ChainSyncComponents) {
    this.c = components
  }

  /**
   * Vote catch-up: the proposals and votes a few peers hold for `height`, each checked like
   * gossip (signature, network, limits) before consensus sees it — and the queries they hold
   * waiting for a block, checked as the query topic checks them (their age included), which the
   * caller hands to consensus like gossip.
   */
  async pullConsensus (height: number, known: (idHex: string) => boolean = () => false): Promise<PulledConsensus> {
    const out = new Map<string, SignedMessage>()
    const queries = new Map<string, SignedMessage>()
    const networkId = fromHex(this.c.networkIdHex)
    await Promise.all(this.c.fetcher.somePeers().map(async peer => {
      try {
        const res = await syncRequest(this.c.host, this.c.networkIdHex, peer, { consensus: { height } }, FETCH_TIMEOUT_MS)
        for (const bytes of res.messages?.envelopes ?? []) {
          // Most of what a peer holds we hold too: skip those before the signature check.
          const idHex = toHex(messageId(bytes))
          if (known(idHex) || out.has(idHex) || queries.has(idHex)) continue
          const v = await validateEnvelope(bytes, { networkId, now: this.c.now() })
          if (v.result !== 'ACCEPT') continue
          const p = v.value.payload
          if (p.query !== undefined) queries.set(idHex, v.value)
          else if ((p.vote?.height ?? p.blockProposal?.height) === height) out.set(idHex, v.value)
        }
      } catch (err) {
        this.c.logger.debug(`vote catch-up from ${peer} failed: ${(err as Error).message}`)
      }
    }))
    return { messages: [...out.values()], queries: [...queries.values()] }
  }

  /**
   * Catch up by block sync: ask a few peers (`hint` first: a validator whose votes show it ahead)
   * for their height and import the blocks we lack, a batch per round trip; the chain checks each
   * against its certificate and our validator set. A batch is as many blocks as fit in the peer's
   * response (syncLimits.maxResponseBytes), at least one: a response cut short is followed by a
   * request from the height it reached. A peer that moves us no further, or refuses (over its
   * rate), is left for the next.
   */
  async catchUp (hint?: string): Promise<void> {
    if (this.syncing) return
    this.syncing = true
    const chain = this.c.chain
    try {
      for (const peer of this.c.fetcher.somePeers(hint)) {
        let status
        try {
          status = (await syncRequest(this.c.host, this.c.networkIdHex, peer, { status: {} })).status
        } catch { continue }
        if (status !== undefined && this.c.farBehind?.(status, peer) === true) continue
        while (status !== undefined && status.height > chain.height) {
          const from = chain.height + 1
          const max = Math.min(MAX_BLOCKS_PER_RESPONSE, status.height - chain.height)
          const res = await syncRequest(this.c.host, this.c.networkIdHex, peer, { blocks: { fromHeight: from, max } }).catch((err: Error) => {
            this.c.logger.debug(`block sync from ${peer} failed: ${err.message}`)
            return undefined
          })
          const blocks = res?.blocks?.blocks ?? []
          if (blocks.length === 0) break
          for (const cb of blocks) {
            if (cb.block?.header === undefined || cb.certificate === undefined) { status = undefined; break }
            const result = await chain.importSynced(cb.block, cb.certificate)
            // not_next: consensus committed this height meanwhile; go on from the new height
            if (!result.imported && result.code !== 'not_next') {
              this.c.logger.warn(`block ${cb.block.header.height} from ${peer} refused: ${result.reason}`)
              status = undefined
              break
            }
          }
          if (chain.height < from) break
        }
      }
    } finally {
      this.syncing = false
    }
  }
}
