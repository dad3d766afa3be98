import { toHex } from '../protocol/hash.js'
import { blockHash, recordHash } from '../protocol/ledger.js'
import type { CertifiedBlock, RoundRecord } from '../protocol/wire/messages.js'
import type { QueryView } from './store.js'
import { assembleFinalView } from './views.js'
import type { FinalBlockRef } from './views.js'

/**
 * A final query view as stored (`query/<id>`): only what its block does not hold. The block
 * (`block/<height>`, kept and pruned together with the view by node/retention.ts) holds the
 * record, the commit certificate and every record's hash, and the view's winner, strengths, tie
 * and deltas are computed from the record; a view that repeated them stored ~9.7 KB per query
 * under load, ~8 KB of it the block's (issue 15). What is stored instead: the query's fields,
 * the committees, the answer texts and who revealed each, and when the query became final here.
 * On read the view is rebuilt from the block by the function that built it (assembleFinalView),
 * so the API serves the same JSON as before the view was stored.
 */
export interface StoredFinalView {
  id: string
  prompt: string
  status: 'final'
  createdAt: number
  anchorHeight: number
  answerers?: string[]
  rankers?: string[]
  answer: string | null
  /** the candidates whose reveals this node held: their text and who revealed it */
  texts: Array<{ id: string, answer: string, answerers: string[] }>
  /** the block holding the query's record */
  blockHeight: number
  finalizedAt: number
}

/** A stored view that names its block instead of holding its parts (a view stored whole, pending or by an older version, holds `block` or is not final). */
export function isStoredFinal (stored: QueryView | StoredFinalView): stored is StoredFinalView {
  return stored.status === 'final' && 'blockHeight' in stored && !('block' in stored)
}

/** A stored block as final views name it: its records by query id, and what a view shows of the block. */
export interface FinalBlock { records: ReadonlyMap<string, RoundRecord>, ref: FinalBlockRef }

/** Computed once per block: a block's record hashes serve every view of the block. */
export function finalBlockOf (certified: CertifiedBlock | undefined): FinalBlock | undefined {
  const block = certified?.block
  if (block?.header === undefined || certified?.certificate === undefined) return undefined
  return {
    records: new Map(block.records.map(r => [toHex(r.queryId), r])),
    ref: { height: block.header.height, hash: toHex(blockHash(block.header)), certificate: certified.certificate, recordHashes: block.records.map(r => toHex(recordHash(r))) }
  }
}

/**
 * The form a view is stored in. A final view is stored without its block's parts when `certified`
 * (the block it names) rebuilds it exactly; any other view, or one that would not rebuild to the
 * same JSON (a field set outside assembleFinalView), is stored whole and served as it is.
 */
export function storedForm (view: QueryView, block: FinalBlock | undefined): QueryView | StoredFinalView {
  if (view.status !== 'final' || view.block === undefined || block === undefined) return view
  const stored: StoredFinalView = {
    id: view.id,
    prompt: view.prompt,
    status: 'final',
    createdAt: view.createdAt,
    anchorHeight: view.anchorHeight,
    answerers: view.answerers,
    rankers: view.rankers,
    answer: view.answer ?? null,
    // a candidate with neither text nor answerer is rebuilt as such from the record alone
    texts: (view.candidates ?? []).filter(c => c.answer !== '' || c.answerers.length > 0).map(c => ({ id: c.id, answer: c.answer, answerers: c.answerers })),
    blockHeight: view.block.height,
    finalizedAt: view.finalizedAt ?? 0
  }
  const rebuilt = fromStored(stored, block)
  return JSON.stringify(rebuilt) === JSON.stringify(view) ? stored : view
}

/**
 * The whole view of a stored final view, rebuilt from its block. Retention prunes a view with its
 * block, so the block is there; should it be missing all the same (or not hold the record), the
 * view is served with what is stored, without the parts only the block holds (no certificate,
 * record, candidates' strengths), rather than failing the read.
 */
export function fromStored (stored: StoredFinalView, block: FinalBlock | undefined): QueryView {
  const record = block?.records.get(stored.id)
  if (block === undefined || record === undefined) {
    return { id: stored.id, prompt: stored.prompt, status: 'final', phase: 'final', createdAt: stored.createdAt, anchorHeight: stored.anchorHeight, answerers: stored.answerers, rankers: stored.rankers, answer: stored.answer, finalizedAt: stored.finalizedAt }
  }
  return assembleFinalView(record, {
    prompt: stored.prompt,
    createdAt: stored.createdAt,
    anchorHeight: stored.anchorHeight,
    answerers: stored.answerers,
    rankers: stored.rankers,
    answer: stored.answer,
    texts: new Map(stored.texts.map(t => [t.id, { answer: t.answer, answerers: t.answerers }])),
    finalizedAt: stored.finalizedAt
  }, block.ref)
}
