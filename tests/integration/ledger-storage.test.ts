import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Level } from 'level'
import { afterEach, describe, expect, it } from 'vitest'
import { headLedger } from '../../node/chain.js'
import { forgeChain } from '../../node/cluster/forge-chain.js'
import { NodeStore } from '../../node/store.js'
import { defaultBftParams, defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { fromSnapshot, stateRootHex } from '../../protocol/ledger.js'
import { CertifiedBlock } from '../../protocol/wire/messages.js'
import { testKey } from '../helpers/wire-fixtures.js'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const pad = (h: number): string => String(h).padStart(12, '0')

/**
 * The whole ledger holds every query ordered in the last QUERY_TTL_BLOCKS heights (~1.5 MB of
 * JSON under load); a node writes it every few heights only, a reputation table at every height,
 * and brings the ledger to its head at start by applying the blocks stored above it.
 */
describe('the ledger on disk', () => {
  it('a whole ledger every epoch, a table every height; the head is rebuilt from the blocks above the last whole ledger; a damaged block is refused', async () => {
    const EPOCH = 4
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-ledger-'))
    dirs.push(dir)
    const keys = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(700 + i)))
    const genesis: Genesis = {
      network: 'ledger-storage',
      params: { ...defaultProtocolParams, bft: { ...defaultBftParams, epochBlocks: EPOCH } },
      validators: keys.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 }))
    }
    const last = await forgeChain({ dataDir: dir, genesis, keys, blocks: 14, queriesPerBlock: 3 })
    expect(last.height).toBe(14)

    const db = join(dir, 'db')
    const stored = new Level<string, Uint8Array>(db, { valueEncoding: 'view' })
    const ledgerKeys = await stored.keys({ gte: 'ledger/', lt: 'ledger0' }).all()
    await stored.close()
    const heights = (prefix: string): number[] => ledgerKeys.filter(k => k.startsWith(prefix)).map(k => Number(k.slice(prefix.length)))
    expect(heights('ledger/at/')).toEqual([0, 4, 8, 12])
    expect(heights('ledger/table/')).toEqual(Array.from({ length: 15 }, (_, h) => h))

    const store = new NodeStore(db)
    await store.open()
    const saved = (await store.getLedger())!
    expect(saved.height).toBe(12)
    const head = await headLedger(store, genesis, fromSnapshot(saved))
    expect(head.height).toBe(14)
    expect(stateRootHex(head)).toBe(stateRootHex(last))
    // a table answers for a height with no whole ledger
    expect((await store.getLedgerTable(13))?.reputations.map(r => r.peerId).sort()).toEqual(genesis.validators.map(v => v.peerId).sort())
    await store.close()

    // a stored block that does not give the state its header names: the store is damaged, and says so
    const raw = new Level<string, Uint8Array>(db, { valueEncoding: 'view' })
    const certified = CertifiedBlock.decode((await raw.get(`block/${pad(14)}`))!)
    certified.block!.header!.stateRoot = new Uint8Array(32)
    await raw.put(`block/${pad(14)}`, CertifiedBlock.encode(certified))
    await raw.close()
    const again = new NodeStore(db)
    await again.open()
    await expect(headLedger(again, genesis, fromSnapshot((await again.getLedger())!))).rejects.toThrow(/damaged: block 14 does not give the state its header names/)
    await again.close()
  })
})
