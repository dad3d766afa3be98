import { afterEach, describe, expect, it } from 'vitest'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * DESIGN §8.1 end to end (issue 13 item 1): a modified node (`--byzantine forge`) sits on the
 * ranking committee and commits to, then reveals, forged verdicts — a made-up id among the
 * answers it saw and "X beats each rival" repeated to fill the list. Before the pair check such a
 * reveal was accepted and made X the certified winner (tests/adversary/forged-winner.test.ts
 * shows it at the pure level). Now every honest node rejects the reveal at the door: it never
 * reaches a record, the forger is charged as a ranker that committed and never revealed, and the
 * honest nodes agree on every record.
 */
describe('a node that forges its verdicts', () => {
  let swarm: TestSwarm | undefined
  afterEach(async () => swarm?.stop())

  it('cannot get its forged reveal into a record, and pays for trying', async () => {
    swarm = await startTestSwarm({ size: 5, byzantine: { 4: 'forge' }, params: { answerers: 5, rankers: 5 } })
    const honest = swarm.nodes.slice(0, 4)
    const forger = swarm.nodes[4].peerId
    let forgedRounds = 0
    let scoredDown = false
    // A ranker owes pairs (and so has verdicts to forge) only when there are two candidates
    // besides its own answer: ask until a few such rounds have run.
    for (let r = 0; r < 12 && forgedRounds < 2; r++) {
      const { id } = await honest[r % 4].submitQuery(`Compute ${7 + r} + ${3 + r} × 4.`)
      const perNode = await waitFinal(honest, id, 30_000)
      // one record on every honest node
      expect(new Set(perNode.map(v => v.block!.record)).size).toBe(1)
      if (perNode[0].candidates!.length < 3) continue
      forgedRounds++
      // its reveal never reached the record, so as a ranker it is charged as withholding (the
      // fall of a score of 0 and the penalty on top): it loses, whatever its answer earned
      const delta = perNode[0].record!.deltas.filter(d => d.peerId === forger).reduce((s, d) => s + d.deltaPpm, 0)
      expect(delta).toBeLessThan(0)
      // the rejections' gossip penalty decays with time: look for it while it is fresh — the
      // forger scores below every honest peer on some honest node
      scoredDown ||= honest.some(n => n.peerScore(forger) < Math.min(...honest.filter(h => h !== n).map(h => n.peerScore(h.peerId))))
    }
    expect(forgedRounds).toBeGreaterThan(0)
    // every honest node rejected the forged reveals, and gossip scores the forger below the honest peers
    for (const node of honest) expect(node.rejectedMessages).toBeGreaterThan(0)
    if (!scoredDown) await waitFor(() => honest.some(n => n.peerScore(forger) < Math.min(...honest.filter(h => h !== n).map(h => n.peerScore(h.peerId)))), 5_000, 'a gossip score for the forger below every honest peer\'s')
  }, 120_000)
})
