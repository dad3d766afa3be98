import { afterEach, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { defaultBftParams } from '../../protocol/genesis.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { defaultJailingParams } from '../../protocol/jailing.js'
import { HashStream } from '../../protocol/random.js'
import type { SwarmNode } from '../../node/swarm-node.js'
import { startTestSwarm, waitFinal } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
afterEach(async () => {
  await swarm?.stop()
  swarm = undefined
})

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

/** Short rounds, epochs of 2 blocks, and a window of 6 commits: a departed validator is jailed within a few blocks. */
const params = {
  answerers: 3,
  rankers: 3,
  answerCommitMs: 1_500,
  answerRevealMs: 700,
  compareCommitMs: 1_500,
  compareRevealMs: 700,
  bft: { ...defaultBftParams, epochBlocks: 2 },
  jailing: { ...defaultJailingParams, windowBlocks: 6, maxMissedPpm: 500_000 }
}

const powerOf = (node: SwarmNode, peerId: string): number => node.ledgerSnapshot().reputations.find(r => r.peerId === peerId)?.votingPower ?? 0

describe('departures one at a time (DESIGN §8.8)', () => {
  it('seven validators leave one by one, each below 1/3 of the power then: every query is final, the departed are jailed', async () => {
    swarm = await startTestSwarm({ size: 7, params })
    const live = [...swarm.nodes]
    let q = 0
    // One query at a time, each its own block: the chain must keep finalizing.
    const ask = async (): Promise<void> => {
      const node = live[q % live.length]
      const { id } = await node.submitQuery(prompt(`departure-${q++}`))
      await waitFinal(live, id, 60_000)
    }
    for (let i = 0; i < 3; i++) await ask()
    // Four departures: 7 → 3 validators. Each leaves when the others hold more than 2/3 of the power.
    for (let d = 0; d < 4; d++) {
      const leaving = live.pop()!
      const id = leaving.peerId
      const before = live[0].ledgerSnapshot().height
      await leaving.stop()
      // Keep asking until the departed validator has no power left (jailed at an epoch end).
      while (powerOf(live[0], id) > 0) {
        await ask()
        expect(live[0].ledgerSnapshot().height - before).toBeLessThan(40) // it must be jailed within a bounded number of blocks
      }
      const ledger = live[0].ledgerSnapshot()
      expect(ledger.jailing?.jailed.map(([node]) => node)).toContain(id)
      // no validator still running was jailed
      for (const n of live) expect(ledger.jailing?.jailed.some(([node]) => node === n.peerId)).toBe(false)
    }
    // Three validators left, all live; a query still finalizes and every live node agrees.
    await ask()
    const ledger = live[0].ledgerSnapshot()
    expect(ledger.reputations.filter(r => r.votingPower > 0).map(r => r.peerId).sort()).toEqual(live.map(n => n.peerId).sort())
    expect(new Set(live.map(n => n.status().stateRoot)).size).toBe(1)
  }, 600_000)
})
