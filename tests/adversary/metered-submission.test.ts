import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { asBytes, sha256, utf8 } from '../../protocol/hash.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { Agent } from '../../node/agents/agent.js'
import { builtinAgent } from '../../node/agents/builtin.js'
import { createHost, topicsFor } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { QueryInputError } from '../../node/swarm-node.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/** A builtin agent that counts the model calls it is asked for. */
function counting (seed: string, calls: { n: number }): Agent {
  const inner = builtinAgent({ profile: 'ada', seed })
  return {
    description: 'counting',
    answer: async (q, s) => { calls.n++; return inner.answer(q, s) },
    compare: async (q, a, b, s) => { calls.n++; return inner.compare(q, a, b, s) }
  }
}

/**
 * DESIGN §8.5, submission is metered (issue 13 item 5): each query costs the network ~80 model
 * calls, so only ledger members submit and each identity's rate is bounded. Before, any key
 * could publish queries and every node ran rounds for them.
 */
describe('metered submission', () => {
  let swarm: TestSwarm | undefined
  let stranger: SwarmHost | undefined
  afterEach(async () => {
    await stranger?.stop()
    await swarm?.stop()
    stranger = undefined
    swarm = undefined
  })

  it('a stranger\'s query flood is rejected and costs the honest nodes no model calls', async () => {
    const calls = { n: 0 }
    swarm = await startTestSwarm({ size: 4, agents: Object.fromEntries([0, 1, 2, 3].map(i => [i, counting(`n${i}`, calls)])) })
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('stranger')))
    stranger = await createHost({ privateKey: key, networkIdHex: swarm.nodes[0].networkIdHex })
    await stranger.start()
    const topics = topicsFor(swarm.nodes[0].networkIdHex)
    stranger.services.pubsub.subscribe(topics.query)
    await stranger.dial(multiaddr(swarm.nodes[0].multiaddrs()[0]))
    await new Promise(resolve => setTimeout(resolve, 1_500)) // mesh
    const networkId = asBytes(Buffer.from(swarm.nodes[0].networkIdHex, 'hex'))
    for (let i = 0; i < 20; i++) {
      const q = await signMessage(key, { networkId, query: { prompt: `Compute ${i} + 1.`, anchorHeight: 0, createdAt: Date.now(), nonce: utf8(`flood-${i}`) } })
      await stranger.services.pubsub.publish(topics.query, q.bytes).catch(() => {})
    }
    await waitFor(() => swarm!.nodes[0].rejectedMessages >= 1, 10_000, 'the flood rejected')
    await new Promise(resolve => setTimeout(resolve, 1_000))
    expect(calls.n).toBe(0)
    expect(swarm.nodes.every(n => n.status().roundsInFlight === 0)).toBe(true)
    // a member's query still goes through
    const { id } = await swarm.nodes[1].submitQuery('Compute 2 + 3.')
    await waitFinal(swarm.nodes, id)
    expect(calls.n).toBeGreaterThan(0)
  }, 60_000)

  it('a node\'s clients share its rate: past it the API answers 429', async () => {
    swarm = await startTestSwarm({ size: 4, params: { submission: { perBlock: 32, perSecond: 2, perEpoch: 128 } } })
    const accepted: string[] = []
    let refused: unknown
    const started = Date.now()
    for (let i = 0; i < 20 && refused === undefined; i++) {
      try {
        accepted.push((await swarm.nodes[0].submitQuery(`Compute ${i} + 2.`)).id)
      } catch (err) {
        refused = err
      }
    }
    // a burst of twice the rate, then refused; on a busy machine each submission takes a while
    // and the bucket refills meanwhile (2 a second), so the bound counts the time taken
    const seconds = (Date.now() - started) / 1000
    expect(accepted.length).toBeGreaterThanOrEqual(4)
    expect(accepted.length).toBeLessThanOrEqual(4 + Math.ceil(2 * seconds))
    expect(refused).toBeInstanceOf(QueryInputError)
    expect((refused as QueryInputError).status).toBe(429)
  }, 60_000)
})
