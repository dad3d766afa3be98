import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, describe, expect, it } from 'vitest'
import { startApi } from '../../node/api/http.js'
import { main } from '../../node/cli/main.js'
import { LEDGER_HISTORY } from '../../node/store.js'
import type { QueryView } from '../../node/store.js'
import { drawTask } from '../../protocol/agents/tasks.js'
import { defaultBftParams } from '../../protocol/genesis.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
afterEach(async () => {
  await swarm?.stop()
  swarm = undefined
})

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt
const pad = (h: number): string => String(h).padStart(12, '0')

/** Every key of a stopped node's LevelDB. */
async function keysOf (dbDir: string): Promise<string[]> {
  const db = new Level<string, Uint8Array>(dbDir, { valueEncoding: 'view' })
  await db.open()
  try {
    return await db.keys().all()
  } finally {
    await db.close()
  }
}

describe('retention (node/retention.ts)', () => {
  it('prunes what left the window and keeps what sync, light proofs and anchors need', async () => {
    const EPOCH = 4
    const KEEP = 5
    // Node 0 keeps the last 5 blocks; nodes 1 and 2 keep everything.
    swarm = await startTestSwarm({ size: 3, params: { bft: { ...defaultBftParams, epochBlocks: EPOCH } }, retentionBlocks: { 0: KEEP } })
    const finals: QueryView[] = []
    for (let r = 0; r < 12; r++) {
      const { id } = await swarm.nodes[r % 3].submitQuery(prompt(`retention-${r}`))
      finals.push((await waitFinal(swarm.nodes, id))[0])
    }
    const pruner = swarm.nodes[0]
    const head = pruner.status().height
    const below = head - KEEP + 1
    const old = finals.filter(v => v.block!.height < below)
    const recent = finals.filter(v => v.block!.height >= below)
    expect(old.length).toBeGreaterThan(0)
    expect(recent.length).toBeGreaterThan(0)
    // pruning runs in the background, every few seconds
    await waitFor(async () => (await pruner.getQuery(old[old.length - 1].id)) === undefined, 15_000, 'node 0 to prune the old queries')

    for (const v of old) expect(await pruner.getQuery(v.id)).toBeUndefined()
    for (const v of recent) expect((await pruner.getQuery(v.id))?.answer).toBe(v.answer)
    // the archive nodes still answer for everything
    for (const v of finals) expect((await swarm.nodes[1].getQuery(v.id))?.answer).toBe(v.answer)

    // A light client verifies the newest answer from the genesis through node 0: the epoch
    // boundaries it steps through were kept.
    const api = await startApi(pruner)
    const queryFile = join(swarm.dir, 'q.json')
    const genesisFile = join(swarm.dir, 'genesis.json')
    writeFileSync(queryFile, JSON.stringify(await pruner.getQuery(recent[recent.length - 1].id)))
    writeFileSync(genesisFile, JSON.stringify(swarm.genesis))
    const lines: string[] = []
    const code = await main(['verify', '--genesis', genesisFile, '--api', api.url, queryFile], { out: l => lines.push(l), err: l => lines.push(l) })
    await api.close()
    expect(lines.join('\n')).toMatch(/^valid: query .* validator set followed from the genesis/)
    expect(code).toBe(0)

    // What is on node 0's disk, read back from its LevelDB once it stopped.
    const prunedAt = pruner.status().height
    await pruner.stop()
    const keys = new Set(await keysOf(join(swarm.dir, 'node-0', 'db')))
    const blocks = [...keys].filter(k => k.startsWith('block/')).map(k => Number(k.slice('block/'.length)))
    const cutoff = Math.max(below, prunedAt - KEEP + 1)
    // blocks: the window (what a peer catching up syncs), nothing below it
    for (let h = 1; h <= prunedAt; h++) expect(blocks.includes(h), `block ${h}`).toBe(h >= cutoff)
    // each epoch boundary's light step (what the light client above stepped through); for the
    // anchor window, the reputation table after every height and the whole ledger after each
    // epoch boundary (never a whole ledger per height: ~1.5 MB each under load)
    const anchors = prunedAt - LEDGER_HISTORY
    for (let h = 1; h <= prunedAt; h++) {
      expect(keys.has(`light/${pad(h)}`), `light step ${h}`).toBe(h % EPOCH === 0)
      expect(keys.has(`ledger/table/${pad(h)}`), `table ${h}`).toBe(h > anchors)
      expect(keys.has(`ledger/at/${pad(h)}`), `ledger ${h}`).toBe(h % EPOCH === 0 && h > anchors)
    }
    for (const v of old) {
      expect(keys.has(`final/${v.id}`)).toBe(false)
      expect(keys.has(`query/${v.id}`)).toBe(false)
      expect(keys.has(`msg/${v.id}`)).toBe(false)
    }
    for (const v of recent) {
      expect(keys.has(`final/${v.id}`)).toBe(true)
      expect(keys.has(`msg/${v.id}`)).toBe(true)
    }
    // messages no block named go one more window later: none is left that arrived before that
    expect([...keys].filter(k => k.startsWith('mh/') && Number(k.split('/')[1]) < cutoff - KEEP)).toEqual([])
    expect(keys.has('meta/prunedBelow')).toBe(true)

    // Restarted on its pruned database, node 0 goes on with the others.
    const restarted = await swarm.restart(0)
    const { id } = await restarted.submitQuery(prompt('retention-after'))
    const [after] = await waitFinal(swarm.nodes, id)
    expect(after.answer).not.toBeNull()
    expect(restarted.status().stateRoot).toBe(swarm.nodes[1].status().stateRoot)
  }, 90_000)
})
