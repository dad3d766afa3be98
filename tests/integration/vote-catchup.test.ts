import { afterAll, describe, expect, it } from 'vitest'
import { startTestSwarm, waitFinal } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * Vote catch-up (found by the simulator's churn experiment): gossip never resends old votes, so a
 * validator that comes back mid-height after the others voted could not complete the quorum
 * they wait for. Here two of four validators are down: the other two cannot decide and sit in a
 * round with their votes cast. One comes back; only by asking its peers for the height's votes
 * does it reach the quorum.
 */
describe('a validator back mid-height catches up on the votes it missed', () => {
  let swarm: TestSwarm
  afterAll(async () => swarm?.stop())

  it('finalizes a query that was stuck while more than a third of the power was down', async () => {
    swarm = await startTestSwarm({ size: 4 })
    const warmup = await swarm.nodes[0].submitQuery('Compute 12 + 3 × 4.')
    await waitFinal(swarm.nodes, warmup.id)
    await swarm.nodes[2].stop()
    await swarm.nodes[3].stop()
    const { id } = await swarm.nodes[0].submitQuery('Compute 40 + 2 × 7.')
    // nodes 0 and 1 vote at the next height, the one that would order the query, and wait for a
    // quorum that cannot come
    await new Promise(resolve => setTimeout(resolve, 12_000))
    expect((await swarm.nodes[0].getQuery(id))?.status).toBe('pending')
    const height = swarm.nodes[0].status().height
    await swarm.restart(2)
    // a round run to its deadlines: its reveal phases start revealSlackMs (5 s) after the commit deadlines
    const [view] = await waitFinal(swarm.nodes.slice(0, 3), id, 60_000)
    // the stuck height orders the query; a later one holds its record (with answerers down the
    // round runs to its deadline, so its messages may be ordered by a block of their own first)
    expect(view.block!.height).toBeGreaterThanOrEqual(height + 2)
    expect(view.block!.height).toBeLessThanOrEqual(height + 4)
    expect(new Set(swarm.nodes.slice(0, 3).map(n => n.status().stateRoot)).size).toBe(1)
  }, 120_000)
})
