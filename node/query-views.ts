import { toHex } from '../protocol/hash.js'
import { recordHash } from '../protocol/ledger.js'
import type { RoundOutcome } from '../protocol/record.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Block, CommitCertificate, RoundRecord } from '../protocol/wire/messages.js'
import type { Logger } from './logger.js'
import type { MessageFetcher } from './message-fetcher.js'
import type { NodeStore, QueryView } from './store.js'
import { finalView, pendingView } from './views.js'

export interface QueryViewsComponents {
  store: NodeStore
  fetcher: MessageFetcher
  logger: Logger
  now: () => number
}

/** Views kept in memory (final ones live in the store and are dropped from memory first). */
const MAX_VIEWS_IN_MEMORY = 1_000

interface BlockRef { height: number, hash: string, certificate: CommitCertificate, recordHashes: string[] }

/**
 * What the API shows of each query (GET /v1/queries/:id), fed by events: a query accepted
 * (pending), its round started and closed here (committees, provisional answer), its record
 * committed (final, written with the block). A final view whose answer text this node lacked
 * (the block came by sync) is filled in from peers afterwards.
 */
export class QueryViews {
  private readonly c: QueryViewsComponents
  private readonly views = new Map<string, QueryView>()
  private hydration: Promise<void> = Promise.resolve()
  /** final views being completed for a reader (GET /v1/queries/:id), by query id */
  private readonly completing = new Map<string, Promise<QueryView | undefined>>()

  constructor (components: QueryViewsComponents) {
    this.c = components
  }

  /** A query accepted here (gossip, API, resumed): pending until a block holds its record. */
  pending (query: SignedMessage): void {
    if (!this.views.has(query.idHex)) this.set(pendingView(query))
  }

  /** This node's round for the query started: show its committees. */
  started (queryIdHex: string, answerers: string[], rankers: string[]): void {
    const view = this.views.get(queryIdHex)
    if (view?.status === 'pending') this.set({ ...view, answerers, rankers })
  }

  /** The round closed here: its provisional answer, until a block makes one final. */
  closed (query: SignedMessage, outcome: RoundOutcome, committees: { answerers: string[], rankers: string[] }): void {
    const view = this.views.get(query.idHex) ?? pendingView(query)
    if (view.status === 'final') return
    this.set({ ...view, phase: 'awaiting-finality', ...committees, answer: outcome.winner?.answer ?? null })
  }

  /** The final views of a block's records, from the messages held here (written with the block). */
  async finalViews (block: Block, hash: string, certificate: CommitCertificate): Promise<QueryView[]> {
    const ref = blockRef(block, hash, certificate)
    const ids = [...new Set(block.records.flatMap(r => r.includedMessageIds.map(toHex)))]
    // Only what we hold: a block arriving by sync must not wait on the network.
    const messages = await this.c.fetcher.local(ids)
    return Promise.all(block.records.map(async r => finalView(r, messages, ref, await this.before(toHex(r.queryId)), this.c.now())))
  }

  /** A block was imported: show its final views, and fill in those missing answer texts. */
  adopt (block: Block, hash: string, certificate: CommitCertificate, views: QueryView[]): void {
    for (const view of views) this.set(view)
    const incomplete = block.records.filter((r, i) => isIncomplete(r, views[i]))
    if (incomplete.length > 0) this.hydrate(incomplete, blockRef(block, hash, certificate))
    this.trim()
  }

  /**
   * The query's view. A final view without the answer texts its record names (the node imported
   * the block by sync and held none of the round's messages, and filling it in from peers failed
   * or has not run yet) is completed before it is served: the reveals are fetched from peers
   * now, so that every node holding the block serves the winning answer (issue 15: a node
   * that caught up by block sync answered `final` with `answer: null`). Only if no connected
   * peer has them does the view go out incomplete (and the next read tries again).
   */
  async get (id: string): Promise<QueryView | undefined> {
    const view = this.views.get(id) ?? await this.c.store.getQuery(id)
    if (view === undefined || !lacksTexts(view) || view.block === undefined) return view
    let completing = this.completing.get(id)
    if (completing === undefined) {
      completing = this.complete(id, view.block.height, view.block.hash).finally(() => this.completing.delete(id))
      this.completing.set(id, completing)
    }
    return (await completing) ?? view
  }

  /** Fetch what a final view lacks for one record of a stored block, and store the completed view. */
  private async complete (id: string, height: number, hash: string): Promise<QueryView | undefined> {
    try {
      const stored = await this.c.store.getCertifiedBlock(height)
      const record = stored?.block?.records.find(r => toHex(r.queryId) === id)
      if (stored?.block === undefined || stored.certificate === undefined || record === undefined) return undefined
      const messages = await this.c.fetcher.fetch(record.includedMessageIds.map(toHex))
      const view = finalView(record, messages, blockRef(stored.block, hash, stored.certificate), await this.before(id), this.c.now())
      if (isIncomplete(record, view)) {
        this.c.logger.warn(`query ${id.slice(0, 12)} is final in block ${height}, but no connected peer holds the messages with its answer text`)
        return undefined
      }
      this.set(view)
      await this.c.store.putQuery(view)
      return view
    } catch (err) {
      this.c.logger.debug(`completing the view of query ${id.slice(0, 12)} failed: ${(err as Error).message}`)
      return undefined
    }
  }

  /** Pruned (node/retention.ts): these queries' views are gone from the store; drop them here too. */
  forget (ids: readonly string[]): void {
    for (const id of ids) this.views.delete(id)
  }

  private async before (id: string): Promise<QueryView | undefined> {
    return this.views.get(id) ?? await this.c.store.getQuery(id)
  }

  private set (view: QueryView): void {
    this.views.delete(view.id)
    this.views.set(view.id, view)
  }

  /** Keep memory bounded: final views live in the store. */
  private trim (): void {
    for (const [k, v] of this.views) {
      if (this.views.size <= MAX_VIEWS_IN_MEMORY) break
      if (v.status === 'final') this.views.delete(k)
    }
  }

  /** One block at a time: a node syncing many blocks must not flood its peers with fetches. */
  private hydrate (records: RoundRecord[], ref: BlockRef): void {
    this.hydration = this.hydration.then(async () => {
      try {
        const messages = await this.c.fetcher.fetch([...new Set(records.flatMap(r => r.includedMessageIds.map(toHex)))])
        for (const r of records) {
          const view = finalView(r, messages, ref, await this.before(toHex(r.queryId)), this.c.now())
          this.set(view)
          await this.c.store.putQuery(view)
        }
      } catch (err) {
        this.c.logger.debug(`filling in views of block ${ref.height} failed: ${(err as Error).message}`)
      }
    })
  }
}

function blockRef (block: Block, hash: string, certificate: CommitCertificate): BlockRef {
  return { height: block.header!.height, hash, certificate, recordHashes: block.records.map(r => toHex(recordHash(r))) }
}

/** A final view that lacks texts a record may name: the prompt, the winning answer, a candidate's answer. */
function lacksTexts (view: QueryView): boolean {
  return view.status === 'final' && (view.prompt === '' || (view.winner !== null && view.winner !== undefined && (view.answer === null || view.answer === undefined)) || (view.candidates ?? []).some(c => c.answer === ''))
}

/** A final view that lacks answer texts the record names (a winner with no text, or candidates without). */
function isIncomplete (record: RoundRecord, view: QueryView | undefined): boolean {
  if (view === undefined) return true
  return view.prompt === '' || (record.winner.length > 0 && (view.answer === null || view.answer === undefined)) || (view.candidates ?? []).some(c => c.answer === '')
}
