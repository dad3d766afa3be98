import { verifyCertificate } from '../protocol/bft/certificate.js'
import { equalBytes, fromHex, toHex } from '../protocol/hash.js'
import { blockHash, recordsRoot, stateRoot } from '../protocol/ledger.js'
import { decodeTrustedMessage, messageId } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Block, CommitCertificate } from '../protocol/wire/messages.js'
import { validateEnvelope } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { SwarmHost } from './host.js'
import type { LedgerKeeper } from './ledger-keeper.js'
import type { Logger } from './logger.js'
import type { NodeStore } from './store.js'
import { syncRequest } from './sync.js'

export interface ChainSyncComponents {
  host: () => SwarmHost | undefined
  networkId: Uint8Array
  networkIdHex: string
  store: NodeStore
  ledger: LedgerKeeper
  logger: Logger
  connectedPeers: () => string[]
  /** commit a block that passed the checks (the consensus runner's commit path) */
  commit: (block: Block, certificate: CommitCertificate) => Promise<void>
}

/** How long one peer gets to hand over messages a block names. Short: block checks race the propose timeout. */
const FETCH_TIMEOUT_MS = 1_500
/**
 * Peers asked per catch-up (heights, or a height's votes). Any one honest peer that has what we
 * lack is enough, and a node asks every couple of seconds: asking all peers each time cost more
 * than the queries in a 16-node cluster (hundreds of sync streams per query).
 */
const PEERS_ASKED = 3

/**
 * The client side of sync (DESIGN §4.7): messages by id for block checks and views, and catching
 * up on blocks a node missed (new, restarted, wiped, paused or partitioned).
 */
export class ChainSync {
  private readonly c: ChainSyncComponents
  private syncing = false

  constructor (components: ChainSyncComponents) {
    this.c = components
  }

  /**
   * Full validation of a message fetched later (sync, a resumed query): the query-age check is
   * about live gossip, so it is switched off here.
   */
  async validateTimeless (bytes: Uint8Array): Promise<Validation<SignedMessage>> {
    return validateEnvelope(bytes, { networkId: this.c.networkId, now: 0, maxQueryAgeMs: Number.MAX_SAFE_INTEGER, maxClockSkewMs: Number.MAX_SAFE_INTEGER })
  }

  /** Messages by id from our own store only (validated when they were stored: no second signature check). */
  async localMessages (idsHex: string[]): Promise<Map<string, SignedMessage>> {
    const found = new Map<string, SignedMessage>()
    for (const id of idsHex) {
      const bytes = await this.c.store.getMessage(id).catch(() => undefined)
      if (bytes === undefined) continue
      const msg = decodeTrustedMessage(bytes)
      if (msg !== undefined) found.set(id, msg)
    }
    return found
  }

  /** Up to PEERS_ASKED connected peers, `first` (if connected) then others in random order. */
  private somePeers (first?: string): string[] {
    const connected = this.c.connectedPeers()
    const others = connected.filter(p => p !== first).sort(() => Math.random() - 0.5)
    return (first !== undefined && connected.includes(first) ? [first, ...others] : others).slice(0, PEERS_ASKED)
  }

  /**
   * Vote catch-up: the proposals and votes up to three peers hold for `height`, each checked
   * like gossip (signature, network, limits) before the consensus runner sees it.
   */
  async pullConsensus (height: number, known: (idHex: string) => boolean = () => false): Promise<SignedMessage[]> {
    const host = this.c.host()
    if (host === undefined) return []
    const peers = this.somePeers()
    const out = new Map<string, SignedMessage>()
    await Promise.all(peers.map(async peer => {
      try {
        const res = await syncRequest(host, this.c.networkIdHex, peer, { consensus: { height } }, FETCH_TIMEOUT_MS)
        for (const bytes of res.messages?.envelopes ?? []) {
          // Most of what a peer holds we hold too: skip those before the signature check.
          const idHex = toHex(messageId(bytes))
          if (known(idHex) || out.has(idHex)) continue
          const v = await this.validateTimeless(bytes)
          if (v.result !== 'ACCEPT') continue
          const p = v.value.payload
          if ((p.vote?.height ?? p.blockProposal?.height) !== height) continue
          out.set(v.value.idHex, v.value)
        }
      } catch (err) {
        this.c.logger.debug(`vote catch-up from ${peer} failed: ${(err as Error).message}`)
      }
    }))
    return [...out.values()]
  }

  /**
   * Messages by id: from the store, else from peers, each answer checked like gossip. The
   * preferred peer (the proposer of a block being checked: it must hold what its block names) is
   * asked first, then every other peer at once, each with a short timeout: a paused peer must not
   * hold up a block check past the propose timeout.
   */
  async fetchMessages (idsHex: string[], prefer?: string): Promise<Map<string, SignedMessage>> {
    const found = await this.localMessages(idsHex)
    const missing = (): string[] => idsHex.filter(id => !found.has(id))
    const ask = async (peer: string): Promise<void> => {
      for (let i = 0; i < missing().length; i += 256) {
        const chunk = missing().slice(i, i + 256)
        try {
          const res = await syncRequest(this.c.host()!, this.c.networkIdHex, peer, { messages: { ids: chunk.map(fromHex) } }, FETCH_TIMEOUT_MS)
          for (const bytes of res.messages?.envelopes ?? []) {
            const v = await this.validateTimeless(bytes)
            if (v.result !== 'ACCEPT' || !chunk.includes(v.value.idHex) || found.has(v.value.idHex)) continue
            found.set(v.value.idHex, v.value)
            await this.c.store.putMessage(v.value.idHex, v.value.bytes)
          }
        } catch (err) {
          this.c.logger.debug(`fetching messages from ${peer} failed: ${(err as Error).message}`)
        }
      }
    }
    if (missing().length === 0 || this.c.host() === undefined) return found
    const peers = this.c.connectedPeers()
    if (prefer !== undefined && peers.includes(prefer)) await ask(prefer)
    if (missing().length > 0) await Promise.all(peers.filter(p => p !== prefer).map(ask))
    return found
  }

  /**
   * Catch up by block sync (DESIGN §4.7): ask a few peers (`hint` first: a validator whose votes
   * show it ahead) for their height and fetch, check (commit certificate against our validator
   * set, parent hash, state root) and commit the blocks we lack.
   */
  async catchUp (hint?: string): Promise<void> {
    const host = this.c.host()
    if (this.syncing || host === undefined) return
    this.syncing = true
    try {
      for (const peer of this.somePeers(hint)) {
        let status
        try {
          status = (await syncRequest(host, this.c.networkIdHex, peer, { status: {} })).status
        } catch { continue }
        while (status !== undefined && status.height > this.c.ledger.height) {
          const res = await syncRequest(host, this.c.networkIdHex, peer, { blocks: { fromHeight: this.c.ledger.height + 1, max: 0 } }).catch(() => undefined)
          const blocks = res?.blocks?.blocks ?? []
          if (blocks.length === 0) break
          for (const cb of blocks) {
            const problem = await this.checkSyncedBlock(cb.block!, cb.certificate!)
            if (problem !== undefined) {
              this.c.logger.warn(`block ${cb.block?.header?.height} from ${peer} refused: ${problem}`)
              status = undefined
              break
            }
            await this.c.commit(cb.block!, cb.certificate!)
          }
        }
      }
    } finally {
      this.syncing = false
    }
  }

  private async checkSyncedBlock (block: Block, certificate: CommitCertificate): Promise<string | undefined> {
    const h = block.header!
    if (h.height !== this.c.ledger.height + 1) return `height ${h.height}, expected ${this.c.ledger.height + 1}`
    if (!equalBytes(h.prevHash, this.c.ledger.current.lastBlockHash)) return 'does not extend our chain'
    if (!equalBytes(blockHash(h), blockHash(certificate.header!))) return 'certificate is for another block'
    const cert = await verifyCertificate(certificate, this.c.ledger.current.validators, this.c.networkId)
    if (!cert.valid) return `bad certificate: ${cert.reason}`
    if (!equalBytes(h.recordsRoot, recordsRoot(block.records))) return 'records root mismatch'
    if (!equalBytes(h.stateRoot, stateRoot(this.c.ledger.preview(block)))) return 'state root mismatch'
    return undefined
  }
}
