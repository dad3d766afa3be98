import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { defaultBftParams } from '../../protocol/genesis.js'
import { asBytes, sha256, utf8 } from '../../protocol/hash.js'
import { defaultJailingParams } from '../../protocol/jailing.js'
import { HashStream } from '../../protocol/random.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import { createHost, topicsFor } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
let relay: SwarmHost | undefined
afterEach(async () => {
  await relay?.stop()
  relay = undefined
  await swarm?.stop()
  swarm = undefined
})

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

/**
 * DESIGN §8.9: a validator that signs two different votes for one height and round is caught by
 * the honest nodes that see both, the two signed votes go into a block as evidence, every
 * validator checks them, and the offender loses half its reputation and its voting power — once,
 * however many copies or further pairs of the same offence go around.
 */
describe('double votes become evidence in blocks and cost power (DESIGN §8.9)', () => {
  it('two conflicting prevotes signed by validator 3 are punished once, on every node alike', async () => {
    swarm = await startTestSwarm({
      size: 5,
      params: { answerers: 3, rankers: 3, answerCommitMs: 1_500, answerRevealMs: 700, compareCommitMs: 1_500, compareRevealMs: 700, bft: { ...defaultBftParams, epochBlocks: 2 }, jailing: defaultJailingParams }
    })
    const s = swarm
    const { id: first } = await s.nodes[0].submitQuery(prompt('dv-0'))
    await waitFinal(s.nodes, first, 60_000)
    const offender = s.nodes[3].peerId
    const before = s.nodes[0].ledgerSnapshot().reputations.find(r => r.peerId === offender)!.reputationPpm

    // The offender's key signs conflicting prevotes for the next height; a plain libp2p host gossips them.
    relay = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8('relay'))), networkIdHex: s.nodes[0].networkIdHex })
    await relay.start()
    const topics = topicsFor(s.nodes[0].networkIdHex)
    relay.services.pubsub.subscribe(topics.consensus)
    for (const n of s.nodes) await relay.dial(multiaddr(n.multiaddrs()[0]))
    await new Promise(resolve => setTimeout(resolve, 1_500)) // mesh
    const networkId = asBytes(Buffer.from(s.nodes[0].networkIdHex, 'hex'))
    const height = s.nodes[0].status().height + 1
    const signed = await Promise.all([sha256(utf8('fake block a')), sha256(utf8('fake block b')), sha256(utf8('fake block c'))]
      .map(async blockHash => signMessage(s.keys[3], { networkId, vote: { type: VoteType.PREVOTE, height, round: 7, blockHash } })))
    for (const m of signed) await relay.services.pubsub.publish(topics.consensus, m.bytes).catch(() => {})
    // Votes of one validator (under 1/3 of the power) do not start an idle height; they are kept
    // and counted when a proposal starts it. The next blocks carry the evidence.
    for (let q = 1; q <= 4; q++) {
      const { id } = await s.nodes[q % 3].submitQuery(prompt(`dv-${q}`))
      await waitFinal(s.nodes, id, 60_000)
      if (q === 1) await waitFor(() => s.nodes.filter((_, i) => i !== 3).every(n => n.status().equivocations > 0), 20_000, 'the double vote to be seen')
    }
    const ledger = s.nodes[0].ledgerSnapshot()
    const entry = ledger.reputations.find(r => r.peerId === offender)!
    // half of what it had: the rounds of gains since (at most +0.1 of the gap each) cannot make that up
    expect(entry.reputationPpm).toBeLessThan(before)
    expect(ledger.jailing!.jailed.some(([id]) => id === offender)).toBe(true)
    expect(ledger.jailing!.offences.map(([key]) => key)).toEqual([`${offender}/${height}/7/prevote`])
    expect(entry.votingPower).toBe(0) // the epoch ended (2 blocks) since
    expect(new Set(s.nodes.map(n => n.status().stateRoot)).size).toBe(1)
  }, 180_000)
})
