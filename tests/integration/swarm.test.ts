import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import { encodeRoundRecord } from '../../protocol/wire/codec.js'
import type { RoundRecord } from '../../protocol/wire/messages.js'
import { startTestSwarm, waitFinal } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

describe('five real nodes over loopback TCP', () => {
  let swarm: TestSwarm
  beforeAll(async () => { swarm = await startTestSwarm({ size: 5, logLevel: (process.env.SWARM_LOG as 'debug' | undefined) ?? 'silent' }) }, 30_000)
  afterAll(async () => swarm?.stop())

  it('complete a round, and every node holds the identical record bytes', async () => {
    const records = new Map<string, string>()
    const done = new Promise<void>(resolve => {
      for (const node of swarm.nodes) {
        node.addEventListener('round-final', (e) => {
          const { record } = (e as CustomEvent<{ record: RoundRecord }>).detail
          records.set(node.peerId, toHex(encodeRoundRecord(record)))
          if (records.size === swarm.nodes.length) resolve()
        })
      }
    })
    const task = drawTask(new HashStream(sha256(utf8('it-1'))))
    const { id } = await swarm.nodes[2].submitQuery(task.prompt)
    const views = await waitFinal(swarm.nodes, id)
    await done
    expect(new Set(records.values()).size).toBe(1)
    expect(views.every(v => v.answer === views[0].answer)).toBe(true)
    expect(views[0].candidates!.length).toBeGreaterThan(0)
    expect(new Set(swarm.nodes.map(n => n.status().stateRoot)).size).toBe(1)
    // two blocks: one orders the query (DESIGN §8.2), one holds its record
    expect(swarm.nodes.every(n => n.status().height === 2)).toBe(true)
  }, 30_000)
})
