import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { asBytes, sha256, utf8 } from '../../protocol/hash.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import { createHost, topicsFor } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { startTestSwarm, waitFinal } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * DESIGN §8.3, no time games (issue 13 item 3). Deadlines counted from the `createdAt` the
 * submitter signed, accepted up to 10 minutes in the past: a query dated 9 minutes back reached
 * every node with all its deadlines passed, its round closed on arrival with no answer, and every
 * answerer was charged as absent — about 114 such queries took a node from 1.0 to 0.1. Now the
 * deadlines count from the time of the block that orders the query.
 *
 * Seen failing before the change (commit 53f0508): the round closed at once with no candidate.
 */
describe('a backdated query', () => {
  let swarm: TestSwarm | undefined
  let relay: SwarmHost | undefined
  afterEach(async () => {
    await relay?.stop()
    await swarm?.stop()
    relay = undefined
    swarm = undefined
  })

  it('runs a full round: its answerers answer and nobody is charged as absent', async () => {
    swarm = await startTestSwarm({ size: 4, params: { answerers: 4, rankers: 4 } })
    const networkId = asBytes(Buffer.from(swarm.nodes[0].networkIdHex, 'hex'))
    // signed by a member (node 1's key), dated 9 minutes back, gossiped by a host of its own
    const query = await signMessage(swarm.keys[1], { networkId, query: { prompt: 'Compute 7 + 8.', anchorHeight: 0, createdAt: Date.now() - 9 * 60_000, nonce: utf8('backdated') } })
    relay = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8('relay'))), networkIdHex: swarm.nodes[0].networkIdHex })
    await relay.start()
    const topics = topicsFor(swarm.nodes[0].networkIdHex)
    relay.services.pubsub.subscribe(topics.query)
    await relay.dial(multiaddr(swarm.nodes[0].multiaddrs()[0]))
    await new Promise(resolve => setTimeout(resolve, 1_500)) // subscriptions
    await relay.services.pubsub.publish(topics.query, query.bytes)
    const views = await waitFinal(swarm.nodes, query.idHex, 30_000)
    const view = views[0]
    // every answerer answered in time: the round ran its course, not closed on arrival
    expect(view.candidates?.length ?? 0).toBeGreaterThan(0)
    const answered = new Set((view.candidates ?? []).flatMap(c => c.answerers))
    expect(answered.size).toBe(4)
    expect(view.answer).not.toBeNull()
    expect(new Set(swarm.nodes.map(n => n.status().stateRoot)).size).toBe(1)
  }, 60_000)
})
