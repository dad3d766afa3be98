import { afterEach, describe, expect, it } from 'vitest'
import { decodeCommitCertificate } from '../../protocol/wire/codec.js'
import { fromHex } from '../../protocol/hash.js'
import { nodeIdFromBytes } from '../../protocol/record.js'
import { startTestSwarm, waitFinal } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * DESIGN §8.6 end to end: a modified node (`--byzantine censor`) leaves every rival's answer
 * commits and reveals out of the blocks it proposes, so that its own answer would be the only
 * candidate of the rounds it records. Before round messages were ordered by blocks, the proposer
 * named the messages its record was computed from, and validators checked only that the record
 * matched them (tests/adversary/censoring-proposer.test.ts shows such a record at the pure level).
 * Now a round's record is what the messages blocks ordered give, at their blocks' times: what
 * the censor leaves out, the next honest proposer orders, long before the deadline.
 */
describe('a proposer that censors its rivals\' answers', () => {
  let swarm: TestSwarm | undefined
  afterEach(async () => swarm?.stop())

  it('only delays them: every honest answer is a candidate of every record', async () => {
    swarm = await startTestSwarm({ size: 4, byzantine: { 3: 'censor' }, params: { answerers: 4, rankers: 4 } })
    const honest = swarm.nodes.slice(0, 3)
    const censor = swarm.nodes[3].peerId
    const recordedBy = new Set<string>()
    for (let r = 0; r < 8; r++) {
      const { id } = await honest[r % 3].submitQuery(`Compute ${11 + r} × ${4 + r} − 7.`)
      const perNode = await waitFinal(honest, id, 30_000)
      expect(new Set(perNode.map(v => v.block!.record)).size).toBe(1)
      const view = perNode[0]
      const answered = new Set(view.candidates!.flatMap(c => c.answerers))
      for (const node of honest) expect(answered.has(node.peerId), `query ${r}: ${node.peerId.slice(-6)}'s answer is a candidate`).toBe(true)
      recordedBy.add(nodeIdFromBytes(decodeCommitCertificate(fromHex(view.block!.certificate)).header!.proposer))
    }
    // The censor took its turns as proposer (4 validators rotate), and its blocks counted.
    const heights = swarm.nodes.map(n => n.status().height)
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(16)
    expect(recordedBy.size).toBeGreaterThan(1)
    expect(censor).toBeDefined()
  }, 180_000)
})
