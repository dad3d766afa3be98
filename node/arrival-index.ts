import { randomBytes } from 'node:crypto'
import { fromHex, toHex } from '../protocol/hash.js'

/** A write to the store's LevelDB. */
export type BatchOp = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

/** A message id: sha256 of its envelope. */
const ID_BYTES = 32
/**
 * Ids in one row at most: the rows of a height are merged into one when the chain moves on, or
 * sooner once they hold this many (32 KB), so a chain that stalls while gossip goes on keeps no
 * more than this in memory.
 */
const MERGE_EVERY = 1024

const pad = (h: number): string => String(h).padStart(12, '0')

/**
 * The messages' arrival index (`mh/<height>/…`): which messages were stored while the chain was
 * at each height, so that retention (node/retention.ts) can delete those no block named. Older
 * versions kept one key per message, `mh/<height>/<id hex>` with an empty value: 80 bytes of key
 * per message, 1.4 keys per message on disk (the index stays a window longer than the messages
 * blocks name). Now a row `mh/<height>/<tag>` holds the ids (32 bytes each) stored in one write
 * batch, and the rows of a height become one row in the block's commit: ~32 bytes per message.
 * Every row is written in the batch of the messages it names, so a crash leaves no stored
 * message out of the index. Retention reads both forms (arrivalIds).
 */
export class ArrivalIndex {
  private height: number
  /** ids stored since the last row was taken */
  private pending: Uint8Array[] = []
  /** the rows written at this height that are still to be merged, and their ids */
  private rows: string[] = []
  private ids: Uint8Array[] = []
  /** row tags: unique within this run, and across runs by the random start */
  private readonly run = randomBytes(4).toString('hex')
  private seq = 0

  constructor (height: number) {
    this.height = height
  }

  /** A message stored now (a content address: 64 hex characters). */
  add (idHex: string): void {
    if (!/^[0-9a-f]{64}$/.test(idHex)) throw new RangeError(`a message id is 64 lower-case hex characters, got "${idHex.slice(0, 80)}"`)
    this.pending.push(fromHex(idHex))
  }

  /** The row naming the messages added since the last call, to write with them (none if none). */
  take (): BatchOp[] {
    if (this.pending.length === 0) return []
    const ids = this.pending
    this.pending = []
    if (this.ids.length + ids.length >= MERGE_EVERY) return this.merge(ids)
    const key = this.rowKey()
    this.rows.push(key)
    this.ids.push(...ids)
    return [{ type: 'put', key, value: concat(ids) }]
  }

  /** The chain moves to `height` (a block committed, a snapshot installed): the rows of the height it leaves become one, in that batch. */
  advance (height: number): BatchOp[] {
    const ops = this.merge(this.pending)
    this.pending = []
    this.height = height
    return ops
  }

  /** Replace this height's rows and `extra` by one row (nothing to do for a single row). */
  private merge (extra: Uint8Array[]): BatchOp[] {
    const rows = this.rows
    const ids = [...this.ids, ...extra]
    this.rows = []
    this.ids = []
    if (extra.length === 0 && rows.length <= 1) return []
    return [...rows.map(key => ({ type: 'del' as const, key })), { type: 'put', key: this.rowKey(), value: concat(ids) }]
  }

  private rowKey (): string {
    return `mh/${pad(this.height)}/${this.run}${(this.seq++).toString(36)}`
  }
}

/** The first key of the index at `height` or above (retention's range bounds). */
export const arrivalFrom = (height: number): string => `mh/${pad(height)}/`

/** The ids (hex) an index entry names: a row's value, or the key of an entry from an older version (empty value). */
export function arrivalIds (key: string, value: Uint8Array): string[] {
  if (value.length === 0) return [key.slice(key.lastIndexOf('/') + 1)]
  const ids: string[] = []
  for (let i = 0; i + ID_BYTES <= value.length; i += ID_BYTES) ids.push(toHex(value.subarray(i, i + ID_BYTES)))
  return ids
}

function concat (ids: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(ids.length * ID_BYTES)
  ids.forEach((id, i) => out.set(id, i * ID_BYTES))
  return out
}
