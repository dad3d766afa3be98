import { Level } from 'level'
import type { CertifiedBlock } from '../protocol/wire/messages.js'
import { CertifiedBlock as CertifiedBlockCodec, SnapshotStep as SnapshotStepCodec } from '../protocol/wire/messages.js'
import type { CommitCertificate } from '../protocol/wire/messages.js'
import { ANCHOR_WINDOW } from '../protocol/ledger.js'
import { asBytes } from '../protocol/hash.js'
import type { LedgerSnapshot } from '../protocol/ledger.js'
import { ArrivalIndex, arrivalFrom, arrivalIds } from './arrival-index.js'
import type { BatchOp } from './arrival-index.js'
import { finalBlockOf, fromStored, isStoredFinal, storedForm } from './stored-view.js'
import type { StoredFinalView } from './stored-view.js'

/**
 * The node's LevelDB (DESIGN §4.4 "LevelDB store"). Key spaces:
 *   msg/<id>            signed envelope bytes of every accepted protocol message
 *   block/<height>      the committed block with its commit certificate (CertifiedBlock bytes)
 *   final/<queryId>     the height of the block holding the query's record
 *   query/<queryId>     the query's view for the API (JSON); a final one without what its block holds, rebuilt
 *                       from block/<height> when read (node/stored-view.ts)
 *   ledger/state        the last whole ledger written (JSON): the head's, or one up to a few blocks below it, which
 *                       the stored blocks above it bring to the head at start (Chain.open)
 *   ledger/at/<height>  the whole ledger after an epoch-boundary height of the anchor window (JSON): where a
 *                       ledger at a height in the window is rebuilt from (Chain.ledgerAt) and state sync serves from
 *   ledger/table/<height> the reputation table after each height of the anchor window, with voting power (JSON
 *                       LedgerTable): what a round anchored there and the certificate of the next block need. The
 *                       whole ledger holds every query ordered in the last QUERY_TTL_BLOCKS heights (~1.5 MB at
 *                       ~28 queries a block), too much to write at every height (docs/performance.md)
 *   meta/consensus      the last votes signed, as data directories from before node/sign-state.ts kept them (read once)
 *   pending/<queryId>   queries this node acknowledged and that are not final yet (synced before the ack)
 *   own/<queryId>       this node's answer and verdicts in a round, with their salts (written before the commitment is published)
 *   mh/<height>/<tag>   the ids (32 bytes each) of the messages stored while the chain was at that height, a row per
 *                       write batch merged into one per height (node/arrival-index.ts); older versions wrote
 *                       mh/<height>/<id> with an empty value. Retention prunes unnamed messages by it
 *   meta/prunedBelow    retention: the data of heights below this one are pruned (node/retention.ts)
 *   light/<height>      an epoch boundary's certified header and the light ledger after it (its validator set and
 *                       the rest's root; SnapshotStep bytes): verified by state sync (the boundaries below the
 *                       snapshot and the snapshot itself, whose blocks this node never held), or kept when the
 *                       block was committed or first served, so light proofs and state sync need no replay
 *   meta/stateSyncBase  the height of the snapshot this node started from (node/state-sync.ts); absent: from the genesis
 * A committed block, its certificate, the finality index, the query views and the ledger state
 * go in one batch written with sync: true: after kill -9 the node has all of a block or none.
 */
export interface QueryView {
  id: string
  prompt: string
  status: 'pending' | 'final'
  phase: string
  createdAt: number
  anchorHeight: number
  answerers?: string[]
  rankers?: string[]
  answer?: string | null
  winner?: string | null
  /**
   * The candidates that share the top strength, when more than one does: the swarm did not pick
   * between them, and `winner`/`answer` is only the tie-break by id (DESIGN §4.3).
   */
  tie?: string[]
  candidates?: Array<{ id: string, answer: string, strengthPpm: number, strength: number, answerers: string[] }>
  strengths?: Record<string, number>
  record?: { height: number, includedMessages: number, deltas: Array<{ peerId: string, deltaPpm: number }> }
  /**
   * The block that finalized the query, with what a client needs to verify the answer offline:
   * the commit certificate (hex protobuf), the record (hex protobuf) and the block's record hashes.
   */
  block?: { height: number, hash: string, round: number, certificate: string, record: string, recordHashes: string[] }
  finalizedAt?: number
}

/** A node's own work in a round as stored: salts and the comparison body in hex. */
export interface StoredOwnWork {
  answer?: { text: string, salt: string }
  comparison?: { body: string, salt: string }
}

/** How many past ledger heights stay available as anchors (the protocol's window). */
export const LEDGER_HISTORY = ANCHOR_WINDOW

/**
 * Messages kept in memory once written or read, up to this many bytes (each counted with
 * RECENT_ENTRY_OVERHEAD). Block checks and commits read the messages of rounds that were gossiped
 * moments before; a LevelDB read each (a trip through libuv's small thread pool, behind the
 * synced writes) made the block check and the commit the slowest steps of finality with many
 * nodes on one machine. What those need is the messages of the rounds in flight and awaiting a
 * block: ~3 KB per query, so a few MB at 25 queries/s and seconds to finality under load.
 */
const RECENT_MESSAGE_BYTES = 8 * 1024 * 1024
/** What keeping one message costs beyond its bytes: the id string, the Map entry, the Uint8Array and its ArrayBuffer. */
const RECENT_ENTRY_OVERHEAD = 320

const pad = (h: number): string => String(h).padStart(12, '0')

const heightKey = (h: number): string => `ledger/at/${pad(h)}`
const tableKey = (h: number): string => `ledger/table/${pad(h)}`

/** The reputation table after a height, with each member's voting power (ledger/table/). */
export type LedgerTable = Pick<LedgerSnapshot, 'height' | 'reputations'>
const blockKey = (h: number): string => `block/${pad(h)}`
const lightKey = (h: number): string => `light/${pad(h)}`

/** What one pruning pass deleted (node/retention.ts). */
export interface PruneResult {
  /** heights [from, to) pruned */
  from: number
  to: number
  blocks: number
  /** the queries whose view and finality entry were deleted */
  queries: string[]
  messages: number
}

export class NodeStore {
  private readonly db: Level<string, Uint8Array>
  /** recently written or read messages by id, oldest first (bounded by RECENT_MESSAGE_BYTES) */
  private readonly recent = new Map<string, Uint8Array>()
  private recentBytes = 0
  private unwritten: BatchOp[] = []
  private flush?: Promise<void>
  /** Told how long each kind of write took (the node's LevelDB write-latency metric). */
  observeWrite?: (kind: string, seconds: number) => void
  /** messages stored are indexed under the chain height last committed (mh/) */
  private arrivals = new ArrivalIndex(0)

  constructor (location: string) {
    this.db = new Level<string, Uint8Array>(location, { valueEncoding: 'view' })
  }

  async open (): Promise<void> {
    await this.db.open()
    this.arrivals = new ArrivalIndex(Math.max((await this.getLedger())?.height ?? 0, await this.lastBlockHeight()))
  }

  async close (): Promise<void> {
    await this.flush
    const ops = this.takeUnwritten()
    if (ops.length > 0) await this.db.batch(ops)
    await this.db.close()
  }

  private async timed (kind: string, write: () => Promise<void>): Promise<void> {
    if (this.observeWrite === undefined) return write()
    const start = performance.now()
    await write()
    this.observeWrite(kind, (performance.now() - start) / 1000)
  }

  /**
   * Store an accepted message. Readable at once (kept in memory); on disk with the next batch:
   * the messages accepted in one turn of the event loop go in one LevelDB write, or with the
   * next synced write (a block, an acknowledged query) if that comes first, so a committed block never lands on
   * disk before the messages it names. A message is content-addressed (id = its hash): one
   * already stored is not written again.
   */
  async putMessage (idHex: string, bytes: Uint8Array): Promise<void> {
    if (this.recent.has(idHex)) return
    this.arrivals.add(idHex)
    this.keepRecent(idHex, bytes)
    this.unwritten.push({ type: 'put', key: `msg/${idHex}`, value: bytes })
    this.flush ??= new Promise<void>(resolve => setImmediate(resolve)).then(async () => {
      this.flush = undefined
      const ops = this.takeUnwritten()
      if (ops.length > 0) await this.timed('message', async () => this.db.batch(ops))
    })
    return this.flush
  }

  /** Messages accepted but not yet written, with their arrival row: they go first in whatever batch is written next. */
  private takeUnwritten (): BatchOp[] {
    const ops = this.unwritten
    this.unwritten = []
    return [...ops, ...this.arrivals.take()]
  }

  async getMessage (idHex: string): Promise<Uint8Array | undefined> {
    const kept = this.recent.get(idHex)
    if (kept !== undefined) return kept
    const bytes = await this.db.get(`msg/${idHex}`)
    if (bytes !== undefined) this.keepRecent(idHex, bytes)
    return bytes
  }

  private keepRecent (idHex: string, bytes: Uint8Array): void {
    if (this.recent.has(idHex)) return
    // A message from gossip or a sync response is a view into the buffer its whole frame was read
    // into (8–64 KB, shared with the other messages of that read), and LevelDB hands values back
    // as slices of a pooled allocation: kept as is, each entry would pin that whole buffer. That
    // was the node's memory growth: ~80 MB of 8–64 KB buffers held for ~30 MB of messages
    // counted. A copy of exactly its own bytes pins nothing else (new Uint8Array copies; a
    // Buffer's slice() would not).
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
    this.recent.set(idHex, own)
    this.recentBytes += own.length + RECENT_ENTRY_OVERHEAD
    for (const [id, b] of this.recent) {
      if (this.recentBytes <= RECENT_MESSAGE_BYTES) break
      this.recent.delete(id)
      this.recentBytes -= b.length + RECENT_ENTRY_OVERHEAD
    }
  }

  async isFinalized (queryIdHex: string): Promise<boolean> {
    return (await this.db.get(`final/${queryIdHex}`)) !== undefined
  }

  async getCertifiedBlock (height: number): Promise<CertifiedBlock | undefined> {
    const bytes = await this.db.get(blockKey(height))
    return bytes === undefined ? undefined : CertifiedBlockCodec.decode(bytes)
  }

  async getCertifiedBlockBytes (height: number): Promise<Uint8Array | undefined> {
    return this.db.get(blockKey(height))
  }

  /** The query's view; a final one stored without its block's parts is rebuilt from the block. */
  async getQuery (queryIdHex: string): Promise<QueryView | undefined> {
    const stored = await this.getJson<QueryView | StoredFinalView>(`query/${queryIdHex}`)
    if (stored === undefined || !isStoredFinal(stored)) return stored
    return fromStored(stored, finalBlockOf(await this.getCertifiedBlock(stored.blockHeight)))
  }

  /** The height of the last block stored (0: none). */
  async lastBlockHeight (): Promise<number> {
    for await (const key of this.db.keys({ gt: 'block/', lt: 'block0', reverse: true, limit: 1 })) return Number(key.slice('block/'.length))
    return 0
  }

  /** The last whole ledger written as the ledger state: the head's, or one a few blocks below it (commitBlock). */
  async getLedger (): Promise<LedgerSnapshot | undefined> {
    return this.getJson<LedgerSnapshot>('ledger/state')
  }

  /** The whole ledger after `height`, if stored: epoch boundaries of the anchor window, the state sync base, and every height in data directories from before ledger/table/. */
  async getLedgerAt (height: number): Promise<LedgerSnapshot | undefined> {
    return this.getJson<LedgerSnapshot>(heightKey(height))
  }

  /** Keep the whole ledger after its height (ledger/at/) besides an epoch boundary's (node/cluster/forge-chain.ts). */
  async putWholeLedger (ledger: LedgerSnapshot): Promise<void> {
    await this.db.put(heightKey(ledger.height), json(ledger))
  }

  /** The reputation table after `height` (a height of the anchor window), from ledger/table/ or a whole ledger stored there. */
  async getLedgerTable (height: number): Promise<LedgerTable | undefined> {
    const table = await this.getJson<LedgerTable>(tableKey(height))
    if (table !== undefined) return table
    const whole = await this.getLedgerAt(height)
    return whole === undefined ? undefined : { height: whole.height, reputations: whole.reputations }
  }

  /** The stored JSON of the ledger after `height`, as it is (state sync serves these bytes). */
  async getLedgerAtBytes (height: number): Promise<Uint8Array | undefined> {
    return this.db.get(heightKey(height))
  }

  /** A certified header and the JSON light ledger after it (`light/`), if held. */
  async getLightStep (height: number): Promise<{ certificate: CommitCertificate, lightJson: Uint8Array } | undefined> {
    const bytes = await this.db.get(lightKey(height))
    if (bytes === undefined) return undefined
    const step = SnapshotStepCodec.decode(bytes)
    return step.certificate === undefined ? undefined : { certificate: step.certificate, lightJson: step.ledger }
  }

  /** Keep a light step computed from a committed block and its ledger (a cache: not synced, as it can be rebuilt). */
  async putLightStep (height: number, certificate: CommitCertificate, lightJson: Uint8Array): Promise<void> {
    await this.db.put(lightKey(height), lightStepBytes(certificate, lightJson))
  }

  /**
   * Start from a verified snapshot (node/state-sync.ts), in one synced batch: the ledger after
   * its block as the ledger state and as that height's anchor, the verified steps (`light/`, so
   * this node can serve light proofs and state sync in turn), and where it started. Blocks below
   * it are never held here: nothing below it is left for retention to prune.
   */
  async installSnapshot (ledger: LedgerSnapshot, ledgerJson: Uint8Array, steps: ReadonlyArray<{ height: number, certificate: CommitCertificate, lightJson: Uint8Array }>): Promise<void> {
    const ops: BatchOp[] = [
      { type: 'put', key: 'ledger/state', value: ledgerJson },
      { type: 'put', key: heightKey(ledger.height), value: ledgerJson },
      { type: 'put', key: tableKey(ledger.height), value: json({ height: ledger.height, reputations: ledger.reputations }) },
      { type: 'put', key: 'meta/stateSyncBase', value: json(ledger.height) },
      { type: 'put', key: 'meta/prunedBelow', value: json(Math.max(ledger.height, await this.prunedBelow())) }
    ]
    for (const s of steps) ops.push({ type: 'put', key: lightKey(s.height), value: lightStepBytes(s.certificate, s.lightJson) })
    ops.push(...this.takeUnwritten(), ...this.arrivals.advance(ledger.height))
    await this.db.batch(ops, { sync: true })
  }

  /** The lowest height from which this store holds every block up to its head (retention and state sync leave fewer). */
  async firstContiguousBlock (): Promise<number> {
    const base = await this.getMeta<number>('stateSyncBase')
    return Math.max(1, await this.prunedBelow(), base === undefined ? 0 : base + 1)
  }

  /**
   * The durable commit of a block, synced: block and certificate, finality index, views, and the
   * ledger after it: its reputation table (kept for the anchor window), and at the heights the
   * chain picks (every few blocks, node/chain.ts wholeLedgerEvery) the whole ledger, as the
   * ledger state and kept for the window; the ledger state at other heights is that one with
   * the blocks after it applied again at start (Chain.open). `lightJson`: an epoch boundary's
   * light ledger, kept as its light step for good.
   */
  async commitBlock (certified: CertifiedBlock, views: QueryView[], ledger: { table: LedgerTable, whole?: LedgerSnapshot, lightJson?: Uint8Array }): Promise<void> {
    const height = ledger.table.height
    const blockBytes = CertifiedBlockCodec.encode(certified)
    const ops: BatchOp[] = [
      ...this.takeUnwritten(),
      { type: 'put', key: blockKey(height), value: blockBytes },
      { type: 'put', key: tableKey(height), value: json(ledger.table) }
    ]
    if (ledger.whole !== undefined) {
      const wholeJson = json(ledger.whole)
      ops.push({ type: 'put', key: 'ledger/state', value: wholeJson }, { type: 'put', key: heightKey(height), value: wholeJson })
    }
    if (ledger.lightJson !== undefined) ops.push({ type: 'put', key: lightKey(height), value: lightStepBytes(certified.certificate!, ledger.lightJson) })
    for (const r of certified.block!.records) {
      const qid = Buffer.from(r.queryId).toString('hex')
      ops.push({ type: 'put', key: `final/${qid}`, value: json(height) })
      ops.push({ type: 'del', key: `pending/${qid}` })
      ops.push({ type: 'del', key: `own/${qid}` })
    }
    // The views without their block's parts, checked against the block as a later read decodes it.
    const final = views.length > 0 ? finalBlockOf(CertifiedBlockCodec.decode(blockBytes)) : undefined
    for (const v of views) ops.push({ type: 'put', key: `query/${v.id}`, value: json(storedForm(v, final)) })
    // out of the anchor window (a data directory from before ledger/table/ has a whole ledger at every height)
    if (height > LEDGER_HISTORY) ops.push({ type: 'del', key: heightKey(height - LEDGER_HISTORY) }, { type: 'del', key: tableKey(height - LEDGER_HISTORY) })
    ops.push(...this.arrivals.advance(height))
    await this.timed('block', async () => this.db.batch(ops, { sync: true }))
  }

  /** A query this node acknowledged: on disk before the client hears 202, so a crash cannot lose it. */
  async putPending (queryIdHex: string, envelope: Uint8Array): Promise<void> {
    this.arrivals.add(queryIdHex)
    this.keepRecent(queryIdHex, envelope)
    await this.timed('pending', async () => this.db.batch([
      { type: 'put', key: `pending/${queryIdHex}`, value: envelope },
      { type: 'put', key: `msg/${queryIdHex}`, value: envelope },
      ...this.takeUnwritten()
    ], { sync: true }))
  }

  /**
   * What this node committed to in a round (DESIGN §8.7): written before the commitment is
   * published, so a restarted node commits the same bytes again and can reveal them. Not synced:
   * LevelDB has handed it to the operating system when this resolves, which survives the node's
   * process dying (kill -9, a crash), not a power cut; a synced write per commitment cost every
   * round a wait for the busy event loop (docs/performance.md).
   */
  async putOwnWork (queryIdHex: string, work: StoredOwnWork): Promise<void> {
    await this.timed('own', async () => this.db.put(`own/${queryIdHex}`, json(work)))
  }

  /** Queries this node holds its own work for (the rounds it was in when it stopped). */
  async listOwnWork (): Promise<string[]> {
    const out: string[] = []
    for await (const key of this.db.keys({ gt: 'own/', lt: 'own0' })) out.push(key.slice('own/'.length))
    return out
  }

  async getOwnWork (queryIdHex: string): Promise<StoredOwnWork | undefined> {
    return this.getJson<StoredOwnWork>(`own/${queryIdHex}`)
  }

  async listPending (): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const value of this.db.values({ gt: 'pending/', lt: 'pending0' })) out.push(value)
    return out
  }

  /** A view completed after its block was committed (answer texts fetched from peers): stored as commitBlock stores views. */
  async putQuery (view: QueryView): Promise<void> {
    const final = view.status === 'final' && view.block !== undefined ? finalBlockOf(await this.getCertifiedBlock(view.block.height)) : undefined
    await this.db.put(`query/${view.id}`, json(storedForm(view, final)))
  }

  /** The genesis state, written once on first start. */
  async initLedger (ledger: LedgerSnapshot): Promise<void> {
    await this.db.batch([
      { type: 'put', key: 'ledger/state', value: json(ledger) },
      { type: 'put', key: heightKey(ledger.height), value: json(ledger) },
      { type: 'put', key: tableKey(ledger.height), value: json({ height: ledger.height, reputations: ledger.reputations }) }
    ], { sync: true })
  }

  /** The height below which this store's data was pruned (0: nothing pruned). */
  async prunedBelow (): Promise<number> {
    return (await this.getMeta<number>('prunedBelow')) ?? 0
  }

  /**
   * Delete what heights [prunedBelow, min(below, prunedBelow + maxHeights)) left behind
   * (node/retention.ts): the query views and finality entries of their blocks' records, the
   * messages those records and admissions name, every message stored while the chain was at
   * those heights (those of rounds that never made a block too), and the blocks themselves. An
   * epoch boundary's light step (light/, its certified header and light ledger) stays: it is all a
   * light proof or a state sync needs of that height. Not synced: a pass lost to a crash is done again.
   */
  async prune (below: number, maxHeights: number, orphanLag: number): Promise<PruneResult | undefined> {
    const from = await this.prunedBelow()
    const to = Math.min(below, from + maxHeights)
    if (to <= from) return undefined
    const ops: BatchOp[] = []
    const messages = new Set<string>()
    let blocks = 0
    const queries: string[] = []
    for (let h = from; h < to; h++) {
      const certified = await this.getCertifiedBlock(h)
      for (const r of certified?.block?.records ?? []) {
        const qid = Buffer.from(r.queryId).toString('hex')
        ops.push({ type: 'del', key: `final/${qid}` }, { type: 'del', key: `query/${qid}` })
        queries.push(qid)
        messages.add(qid)
        for (const m of r.includedMessageIds) messages.add(Buffer.from(m).toString('hex'))
      }
      for (const a of certified?.block?.admissions ?? []) messages.add(Buffer.from(a.joinMessageId).toString('hex'))
      if (certified !== undefined) {
        ops.push({ type: 'del', key: blockKey(h) })
        blocks++
      }
    }
    // Messages by arrival, `orphanLag` heights behind the blocks: a round's messages arrive some
    // blocks before the block naming them (those go with that block, above); what is left of them
    // here is what no block named (rounds that never made one, late copies).
    for await (const [key, value] of this.db.iterator({ gte: arrivalFrom(Math.max(0, from - orphanLag)), lt: arrivalFrom(Math.max(0, to - orphanLag)) })) {
      ops.push({ type: 'del', key })
      for (const id of arrivalIds(key, value)) messages.add(id)
    }
    for (const id of messages) {
      ops.push({ type: 'del', key: `msg/${id}` })
      const kept = this.recent.get(id)
      if (kept !== undefined) {
        this.recent.delete(id)
        this.recentBytes -= kept.length + RECENT_ENTRY_OVERHEAD
      }
    }
    ops.push({ type: 'put', key: 'meta/prunedBelow', value: json(to) })
    await this.timed('prune', async () => this.db.batch(ops))
    return { from, to, blocks, queries, messages: messages.size }
  }

  async putMeta (key: string, value: unknown): Promise<void> {
    await this.db.put(`meta/${key}`, json(value))
  }

  async getMeta<T> (key: string): Promise<T | undefined> {
    return this.getJson<T>(`meta/${key}`)
  }

  private async getJson<T> (key: string): Promise<T | undefined> {
    const bytes = await this.db.get(key)
    return bytes === undefined ? undefined : JSON.parse(new TextDecoder().decode(bytes)) as T
  }
}

function json (value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value))
}

function lightStepBytes (certificate: CommitCertificate, lightJson: Uint8Array): Uint8Array {
  return SnapshotStepCodec.encode({ certificate, ledger: asBytes(lightJson), offset: 0, ledgerBytes: lightJson.length })
}
