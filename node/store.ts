import { Level } from 'level'
import type { RoundRecord } from '../protocol/wire/messages.js'
import { decodeRoundRecord, encodeRoundRecord } from '../protocol/wire/codec.js'
import type { LedgerSnapshot } from '../protocol/ledger.js'

/**
 * The node's LevelDB (DESIGN §4.4 "LevelDB store"). Key spaces:
 *   msg/<id>            signed envelope bytes of every accepted protocol message
 *   record/<queryId>    RoundRecord bytes
 *   query/<queryId>     the query's view for the API (JSON)
 *   ledger/state        the current ledger snapshot (JSON)
 *   ledger/at/<height>  snapshots of recent heights, for rounds anchored in the past (JSON)
 * A finished round's record, view and ledger changes go in one batch written with sync: true,
 * so a crash leaves either all of them or none.
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
  candidates?: Array<{ id: string, answer: string, strengthPpm: number, strength: number, answerers: string[] }>
  strengths?: Record<string, number>
  record?: { height: number, includedMessages: number, deltas: Array<{ peerId: string, deltaPpm: number }> }
  finalizedAt?: number
}

/** How many past ledger heights stay available as anchors. */
export const LEDGER_HISTORY = 256

const heightKey = (h: number): string => `ledger/at/${String(h).padStart(12, '0')}`

export class NodeStore {
  private readonly db: Level<string, Uint8Array>

  constructor (location: string) {
    this.db = new Level<string, Uint8Array>(location, { valueEncoding: 'view' })
  }

  async open (): Promise<void> {
    await this.db.open()
  }

  async close (): Promise<void> {
    await this.db.close()
  }

  async putMessage (idHex: string, bytes: Uint8Array): Promise<void> {
    await this.db.put(`msg/${idHex}`, bytes)
  }

  async getMessage (idHex: string): Promise<Uint8Array | undefined> {
    return this.db.get(`msg/${idHex}`)
  }

  async getRecord (queryIdHex: string): Promise<RoundRecord | undefined> {
    const bytes = await this.db.get(`record/${queryIdHex}`)
    return bytes === undefined ? undefined : decodeRoundRecord(bytes)
  }

  async getQuery (queryIdHex: string): Promise<QueryView | undefined> {
    return this.getJson<QueryView>(`query/${queryIdHex}`)
  }

  async getLedger (): Promise<LedgerSnapshot | undefined> {
    return this.getJson<LedgerSnapshot>('ledger/state')
  }

  async getLedgerAt (height: number): Promise<LedgerSnapshot | undefined> {
    return this.getJson<LedgerSnapshot>(heightKey(height))
  }

  /** The durable end of a round: record, view and ledger state together, synced to disk. */
  async commitRound (queryIdHex: string, record: RoundRecord, view: QueryView, ledger: LedgerSnapshot): Promise<void> {
    const ops: Array<{ type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }> = [
      { type: 'put', key: `record/${queryIdHex}`, value: encodeRoundRecord(record) },
      { type: 'put', key: `query/${queryIdHex}`, value: json(view) },
      { type: 'put', key: 'ledger/state', value: json(ledger) },
      { type: 'put', key: heightKey(ledger.height), value: json(ledger) }
    ]
    if (ledger.height > LEDGER_HISTORY) ops.push({ type: 'del', key: heightKey(ledger.height - LEDGER_HISTORY) })
    await this.db.batch(ops, { sync: true })
  }

  /** The genesis state, written once on first start. */
  async initLedger (ledger: LedgerSnapshot): Promise<void> {
    await this.db.batch([
      { type: 'put', key: 'ledger/state', value: json(ledger) },
      { type: 'put', key: heightKey(ledger.height), value: json(ledger) }
    ], { sync: true })
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
