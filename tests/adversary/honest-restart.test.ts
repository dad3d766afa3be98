import { afterEach, describe, expect, it } from 'vitest'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * DESIGN §8.7, honest restarts never look Byzantine (issue 13 item 7). Salts used to live only
 * in memory: a node restarted between its answer commitment and its reveal committed a new
 * answer for the same query, its peers REJECTed that as equivocation and the record marked it
 * invalid. Now what a commitment commits to is on disk before the commitment is published, and
 * the restarted node commits the very same bytes again (a duplicate) and reveals them.
 */
describe('an honest node restarted between its commitment and its reveal', () => {
  let swarm: TestSwarm | undefined
  afterEach(async () => swarm?.stop())

  it('reveals what it committed: its answer counts, and no peer saw an equivocation', async () => {
    // Node 3 thinks for 10 s, so the answer phase runs to its deadline (3 s) and node 0 has time
    // to commit, be stopped and come back before anyone reveals.
    swarm = await startTestSwarm({ size: 4, agentDelayMs: [0, 0, 0, 10_000], params: { answerers: 4, rankers: 4 }, logLevel: process.env.SWARM_LOG as 'debug' | undefined })
    const node0 = swarm.nodes[0].peerId
    const { id } = await swarm.nodes[0].submitQuery('Compute 21 + 4 × 5.')
    // node 0 answers at once (instant agent) and commits
    await new Promise(resolve => setTimeout(resolve, 300))
    // restarted: it resumes its own acknowledged query and starts the round again
    await swarm.restart(0)
    const views = await waitFinal(swarm.nodes, id, 30_000)
    const view = views[1]
    // its reveal opened the commitment everyone holds: it is one of the candidates' answerers
    expect(view.candidates!.some(c => c.answerers.includes(node0))).toBe(true)
    // and no peer rejected anything from it (an equivocation is REJECTed and scored down)
    expect(swarm.nodes.slice(1).map(n => n.rejectedMessages)).toEqual([0, 0, 0])
    await waitFor(() => swarm!.nodes.slice(1).every(n => n.peerScore(node0) >= 0), 5_000, 'no negative gossip score for the restarted node')
  }, 60_000)
})
