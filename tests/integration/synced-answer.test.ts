import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { builtinAgent } from '../../node/agents/builtin.js'
import { forgeBlocks, forgeChain } from '../../node/cluster/forge-chain.js'
import { createLogger } from '../../node/logger.js'
import { SwarmNode } from '../../node/swarm-node.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { roundEndsAt } from '../../protocol/round.js'
import { testKey } from '../helpers/wire-fixtures.js'
import { drawTask } from '../../protocol/agents/tasks.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import type { QueryView } from '../../node/store.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await swarm?.stop()
  swarm = undefined
  for (const c of cleanups.splice(0)) await c()
})

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

describe('a node that caught up by block sync', () => {
  // Issue 15: such a node answered `status: final` with the right block and `answer: null` (the
  // winning reveal never fetched: filling in the view from peers ran in the background, once).
  it('serves the winning answer of every query it holds the block of, as soon as it holds the block', async () => {
    swarm = await startTestSwarm({ size: 4 })
    const ids: string[] = []
    const expected = new Map<string, QueryView>()
    for (let r = 0; r < 3; r++) {
      const { id } = await swarm.nodes[r].submitQuery(prompt(`synced-answer-${r}`))
      const [view] = await waitFinal(swarm.nodes, id)
      expect(view.answer).not.toBeNull()
      ids.push(id)
      expected.set(id, view)
    }
    // Every round's last deadline passes first: the wiped node then starts none of them as it
    // imports their blocks (it never fetches their queries for a round), so each final view
    // comes from the record and what it fetches from peers for the view alone.
    await new Promise(resolve => setTimeout(resolve, roundEndsAt({ time: Date.now() }, swarm!.genesis.params) - Date.now() + 1_000))
    // Node 3 comes back with an empty data directory: it holds none of the rounds' messages and
    // learns the blocks by sync only.
    const wiped = await swarm.restart(3, { wipe: true })
    // Read each view the moment its block is imported there, before anything could fill it in
    // in the background.
    const seen = new Map<string, Promise<QueryView | undefined>>()
    wiped.addEventListener('round-final', e => {
      const id = (e as CustomEvent<{ id: string }>).detail.id
      if (expected.has(id) && !seen.has(id)) seen.set(id, wiped.getQuery(id))
    })
    await waitFor(() => wiped.status().height >= swarm!.nodes[0].status().height, 20_000, 'the wiped node to catch up by block sync')
    await waitFor(() => seen.size === ids.length, 5_000, 'a view read at each block import')
    for (const id of ids) {
      const view = await seen.get(id)!
      const want = expected.get(id)!
      expect(view?.status).toBe('final')
      expect(view?.block?.hash).toBe(want.block!.hash)
      expect(view?.winner).toBe(want.winner)
      expect(view?.answer).toBe(want.answer)
      expect(view?.prompt).toBe(want.prompt)
      // and stored so: a later read (or a restart) needs no peer
      expect((await wiped.getQuery(id))?.answer).toBe(want.answer)
    }
  }, 60_000)

  // Issue 15: a node catching up fetched the query of every block it imported (one sync request
  // each, against a peer's request rate), even for rounds whose deadlines had long passed, where
  // it can take no part: 240 blocks after a snapshot took 12.8 s. It fetches only live rounds' now.
  it('fetches the queries of the rounds still open when it imports their blocks, not of those whose deadlines passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-synced-rounds-'))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    const keys = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(780 + i)))
    const genesis: Genesis = { network: 'synced-rounds', params: defaultProtocolParams, validators: keys.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 })) }
    // 60 blocks a second apart, timed so that the rounds of blocks 1–20 ended 20 s or more before
    // the forging and those of blocks 45–60 end 25 s or more after it
    const BLOCKS = 60
    const now = Date.now()
    const span = roundEndsAt({ time: 0 }, genesis.params)
    const startTime = now - span - 40_000
    const opts = { genesis, keys, blocks: BLOCKS, startTime, blockMs: 1_000 }
    await forgeChain({ dataDir: join(dir, 'server'), ...opts })
    const queryOf = new Map([...forgeBlocks(opts)].map(f => [f.block.header!.height, f.queries[0].idHex]))
    const logger = createLogger({ level: 'silent' })
    const server = new SwarmNode({ dataDir: join(dir, 'server'), genesis, privateKey: await testKey(790), agent: builtinAgent({ profile: 'ada', seed: 's' }), bootstrap: [], metrics: false, logger })
    await server.start()
    cleanups.unshift(async () => server.stop())
    const joiner = new SwarmNode({ dataDir: join(dir, 'joiner'), genesis, privateKey: await testKey(791), agent: builtinAgent({ profile: 'ada', seed: 'j' }), bootstrap: [server.multiaddrs()[0]], metrics: false, logger, stateSync: false })
    await joiner.start()
    cleanups.unshift(async () => joiner.stop())
    await waitFor(() => joiner.status().height >= BLOCKS, 20_000, 'the joiner to import every block')
    for (let h = 45; h <= BLOCKS; h++) expect(roundEndsAt({ time: startTime + h * 1_000 }, genesis.params), 'the test ran too slowly for its open rounds').toBeGreaterThan(Date.now())
    // a started round has a view (pending, then closed with no answer); a skipped one none until a record names it
    const viewAt = async (h: number) => joiner.getQuery(queryOf.get(h)!)
    await waitFor(async () => (await Promise.all(Array.from({ length: BLOCKS - 44 }, async (_, i) => viewAt(45 + i)))).every(v => v !== undefined), 10_000, 'the open rounds to start')
    for (let h = 1; h <= 20; h++) expect(await viewAt(h), `block ${h}'s round`).toBeUndefined()
  }, 60_000)
})
