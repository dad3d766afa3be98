import { afterEach, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import type { QueryView } from '../../node/store.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
afterEach(async () => {
  await swarm?.stop()
  swarm = undefined
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
})
