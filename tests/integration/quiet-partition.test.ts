import { afterAll, describe, expect, it } from 'vitest'
import { proposerFor } from '../../protocol/bft/proposer.js'
import { genesisState } from '../../protocol/ledger.js'
import { startTestSwarm, waitFinal } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * The quiet partition (docs/reliability.md, found by the churn campaigns): a validator cut off
 * from the others acknowledges a query; after the partition heals, nobody else sends anything.
 * Gossip does not resend the query, so only the lone validator knows there is work; with a
 * quarter of the power it cannot start a height alone, and the others, idle, start one only on a
 * proposal or on votes from more than a third of the power. The query must still become final.
 *
 * The partition is made with processes' worth of real nodes in one process: node 3 starts alone
 * (no peer to dial), takes the query and votes on it, and only afterwards do the other three
 * start, dialling it — from their side exactly a partition that healed while they were idle.
 */
describe('a query acknowledged during a partition is ordered after the heal without other traffic', () => {
  let lone: TestSwarm | undefined
  let rest: TestSwarm | undefined
  afterAll(async () => {
    await rest?.stop()
    await lone?.stop()
  })

  it('becomes final on every node', async () => {
    lone = await startTestSwarm({ size: 4, members: [3] })
    const alone = lone.nodes[0]
    // Precondition: were the lone node the first proposer of height 1, its own (stale) proposal,
    // pulled by the others, would start their height — a different, slower path.
    expect(proposerFor(genesisState(lone.genesis).validators, 1, 0)).not.toBe(alone.peerId)
    const { id } = await alone.submitQuery('Compute 4 + 5.')
    // Past gossipsub's gossip window (a few heartbeats): a peer connecting now is not offered it.
    // Meanwhile the lone node starts height 1 and prevotes nil in round 0, where it stays.
    await new Promise(resolve => setTimeout(resolve, 6_000))
    expect((await alone.getQuery(id))?.status).toBe('pending')
    rest = await startTestSwarm({ size: 4, members: [0, 1, 2], bootstrap: alone.multiaddrs().slice(0, 1) })
    const all = [...rest.nodes, alone]
    await waitFinal(all, id, 40_000)
    expect(new Set(all.map(n => n.status().stateRoot)).size).toBe(1)
  }, 90_000)
})
