import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { asBytes, sha256, toHex, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import { encodeEnvelope, encodeRoundRecord, decodeEnvelope } from '../../protocol/wire/codec.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import { wireLimits } from '../../protocol/wire/limits.js'
import type { RoundRecord } from '../../protocol/wire/messages.js'
import { createHost, topicsFor } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { join } from 'node:path'
import { builtinAgent } from '../../node/agents/builtin.js'
import { SIGN_STATE_FILE } from '../../node/datadir.js'
import { readSignState, SignStateFile } from '../../node/sign-state.js'
import { SwarmNode } from '../../node/swarm-node.js'
import type { SignState } from '../../node/swarm-node.js'
import type { QueryView } from '../../node/store.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
let attacker: SwarmHost | undefined
afterEach(async () => {
  await attacker?.stop()
  attacker = undefined
  await swarm?.stop()
  swarm = undefined
})

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

describe('reputation over many rounds', () => {
  it('a node with a bad skill profile loses reputation over 20 rounds, below the honest nodes', async () => {
    // gus answers right 10% of the time and judges pairs the wrong way round 80% of the time.
    swarm = await startTestSwarm({ size: 7, profiles: ['ada', 'bo', 'cy', 'dee', 'eli', 'fox', 'gus'], params: { answerers: 3, rankers: 4 } })
    for (let r = 0; r < 20; r++) {
      const { id } = await swarm.nodes[r % 7].submitQuery(prompt(`rep-${r}`))
      await waitFinal(swarm.nodes, id)
    }
    const ledger = swarm.nodes[0].ledgerSnapshot()
    const rep = new Map(ledger.reputations.map(r => [r.peerId, r.reputationPpm]))
    const gus = rep.get(swarm.nodes[6].peerId)!
    const honest = swarm.nodes.slice(0, 6).map(n => rep.get(n.peerId)!)
    // Against the honest nodes, not a fixed bound: reputation is an EMA and gus hovers around
    // ~0.35 with run-to-run spread (queries carry random nonces, so committees and luck differ);
    // a 0.4 bound failed about one run in five, and a clean-clone CI run once ended it at 0.502,
    // just above its start (the checks against the honest nodes did not run after that one).
    expect(gus).toBeLessThan(honest.reduce((s, x) => s + x, 0) / honest.length)
    expect(gus).toBeLessThan(rep.get(swarm.nodes[0].peerId)!)
    expect(new Set(swarm.nodes.map(n => n.status().stateRoot)).size).toBe(1)
    // each query takes two blocks: one orders it, one holds its record
    expect(ledger.height).toBe(40)
  }, 60_000)
})

describe('Byzantine nodes and restarts', () => {
  it('withholding, equivocating and spamming nodes are penalised; honest nodes agree on every record', async () => {
    swarm = await startTestSwarm({ size: 6, byzantine: { 3: 'withhold', 4: 'equivocate', 5: 'spam' }, params: { answerers: 6, rankers: 6, answerCommitMs: 1_500, answerRevealMs: 700, compareCommitMs: 1_500, compareRevealMs: 700 } })
    const honest = swarm.nodes.slice(0, 3)
    const records = new Map<string, Set<string>>()
    for (const node of honest) {
      node.addEventListener('round-final', e => {
        const { id, record } = (e as CustomEvent<{ id: string, record: RoundRecord }>).detail
        if (!records.has(id)) records.set(id, new Set())
        records.get(id)!.add(toHex(encodeRoundRecord(record)))
      })
    }
    const rounds: QueryView[] = []
    for (let r = 0; r < 3; r++) {
      const { id } = await honest[r].submitQuery(prompt(`byz-${r}`))
      rounds.push((await waitFinal(honest, id, 30_000))[0])
    }
    await waitFor(() => [...records.values()].every(s => s.size === 1) && records.size === 3, 5_000, 'records on all honest nodes')
    const deltaOf = (node: number, round: number): number => rounds[round].record!.deltas.find(d => d.peerId === swarm!.nodes[node].peerId)?.deltaPpm ?? 0
    // Withheld (or absent, if its commit came late) in every round where another answer was
    // revealed in time; a round where none was says nothing about anyone (protocol/record.ts), and
    // under load the first round can be one.
    const answered = [0, 1, 2].filter(r => (rounds[r].candidates?.length ?? 0) > 0)
    expect(answered.length).toBeGreaterThan(0)
    for (const r of answered) expect(deltaOf(3, r)).toBeLessThan(0)
    // The equivocator is caught (invalid) in the first round; its rejected messages then get it
    // graylisted by gossip scoring, so later rounds may see it only as absent.
    expect(deltaOf(4, 0)).toBeLessThanOrEqual(-100_000)
    // It never gains afterwards; an invalid member falls as a score of 0 does and pays 0.1 on top
    // (DESIGN §8.9), so it may already be at 0, where it cannot fall further.
    for (let r = 1; r < 3; r++) expect(deltaOf(4, r)).toBeLessThanOrEqual(0)
    const rep = new Map(swarm.nodes[0].ledgerSnapshot().reputations.map(r => [r.peerId, r.reputationPpm]))
    for (const bad of [3, 4]) expect(rep.get(swarm.nodes[bad].peerId)!).toBeLessThan(Math.min(...honest.map(n => rep.get(n.peerId)!)))
    expect(swarm.nodes[0].rejectedMessages).toBeGreaterThan(0)
  }, 90_000)

  it('a twin (a second node running the same validator identity) cannot break agreement', async () => {
    // libp2p knows one connection per peer id, so the twins also fight over their peers'
    // connections; whatever gets through, honest nodes must end on the same chain.
    swarm = await startTestSwarm({ size: 4, params: { answerers: 4, rankers: 4, answerCommitMs: 1_500, answerRevealMs: 700, compareCommitMs: 1_500, compareRevealMs: 700 } })
    const twin = new SwarmNode({
      dataDir: join(swarm.dir, 'twin'),
      genesis: swarm.genesis,
      privateKey: swarm.keys[0],
      agent: builtinAgent({ profile: 'bo', seed: 'twin' }),
      bootstrap: swarm.nodes.map(n => n.multiaddrs()[0])
    })
    await twin.start()
    try {
      await new Promise(r => setTimeout(r, 1_500))
      const all = [...swarm.nodes, twin]
      for (let r = 0; r < 3; r++) {
        const { id } = await swarm.nodes[1 + r].submitQuery(prompt(`twin-${r}`))
        await waitFinal(swarm.nodes.slice(1), id, 30_000)
      }
      await waitFor(() => new Set(all.map(n => n.status().height)).size === 1, 15_000, 'equal heights')
      expect(new Set(all.map(n => n.status().stateRoot)).size).toBe(1)
      expect(swarm.nodes[1].status().height).toBeGreaterThanOrEqual(3)
    } finally {
      await twin.stop()
    }
  }, 90_000)

  it('a node wiped mid-run resyncs from its peers and ends with the same state root', async () => {
    swarm = await startTestSwarm({ size: 4 })
    for (let r = 0; r < 3; r++) {
      const { id } = await swarm.nodes[r].submitQuery(prompt(`wipe-${r}`))
      await waitFinal(swarm.nodes, id)
    }
    const wiped = await swarm.restart(3, { wipe: true })
    const { id } = await swarm.nodes[0].submitQuery(prompt('wipe-after'))
    await waitFinal(swarm.nodes.slice(0, 3), id)
    await waitFor(() => wiped.status().height === swarm!.nodes[0].status().height, 15_000, 'the wiped node to catch up')
    expect(wiped.status().stateRoot).toBe(swarm.nodes[0].status().stateRoot)
    expect((await wiped.getQuery(id))?.status).toBe('final')
  }, 60_000)

  it('a wiped validator never votes below the height its kept sign state records; it catches up by block sync', async () => {
    swarm = await startTestSwarm({ size: 4 })
    const signedBy = (i: number): SignState | undefined => readSignState<SignState>(join(swarm!.dir, `node-${i}`, SIGN_STATE_FILE))
    const { id } = await swarm.nodes[0].submitQuery(prompt('sign-state-1'))
    await waitFinal(swarm.nodes, id)
    // control: an honest validator's sign state follows the heights it votes at
    // (a query takes two blocks: one orders it, one holds its record)
    await waitFor(() => signedBy(2)?.memory.height === 2, 5_000, 'node 2 to have voted at height 2')
    expect(signedBy(2)!.networkId).toBe(swarm.nodes[2].networkIdHex)

    // node 3 comes back wiped, its sign state saying it signed at height 1000
    const ahead: SignState = { networkId: swarm.nodes[3].networkIdHex, memory: { height: 1000, round: 0, lockedRound: -1, lockedId: null, validRound: -1, validId: null, votes: { '0/prevote': null } } }
    const wiped = await swarm.restart(3, {
      wipe: true,
      whileDown: dir => { const f = SignStateFile.open<SignState>(join(dir, SIGN_STATE_FILE)); f.save(ahead); f.close() }
    })
    for (let r = 0; r < 2; r++) {
      const { id } = await swarm.nodes[r].submitQuery(prompt(`sign-state-${r + 2}`))
      await waitFinal(swarm.nodes.slice(0, 3), id) // three of four validators carry on
    }
    await waitFor(() => wiped.status().height === swarm!.nodes[0].status().height, 15_000, 'the wiped node to catch up')
    expect(wiped.status().stateRoot).toBe(swarm.nodes[0].status().stateRoot)
    // it voted at none of heights 1–6: its sign state is the one it came back with
    expect(signedBy(3)).toEqual(ahead)
    await waitFor(() => signedBy(2)?.memory.height === 6, 5_000, 'node 2 to have voted at height 6')
  }, 60_000)

  it('a new identity asks to join, is admitted on probation by a block, and then takes part in rounds', async () => {
    swarm = await startTestSwarm({ size: 3, params: { answerers: 4, rankers: 4, answerCommitMs: 1_500, answerRevealMs: 700, compareCommitMs: 1_500, compareRevealMs: 700 } })
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('newcomer')))
    const newcomerNode = new SwarmNode({
      dataDir: join(swarm.dir, 'newcomer'),
      genesis: swarm.genesis,
      privateKey: key,
      agent: builtinAgent({ profile: 'ada', seed: 'newcomer' }),
      bootstrap: swarm.nodes.map(n => n.multiaddrs()[0])
    })
    await newcomerNode.start()
    try {
      const id = newcomerNode.peerId
      await waitFor(() => swarm!.nodes.every(n => n.ledgerSnapshot().reputations.some(r => r.peerId === id)), 20_000, 'admission on every validator')
      const entry = swarm.nodes[0].ledgerSnapshot().reputations.find(r => r.peerId === id)!
      expect(entry.onProbation).toBe(true)
      expect(entry.votingPower).toBe(0)
      // with 4 nodes and committees of 4, the newcomer answers and ranks from now on
      const { id: qid } = await swarm.nodes[0].submitQuery(prompt('newcomer-round'))
      const [view] = await waitFinal(swarm.nodes, qid, 30_000)
      expect(view.record!.deltas.some(d => d.peerId === id)).toBe(true)
      await waitFor(() => newcomerNode.status().height === swarm!.nodes[0].status().height, 10_000, 'the newcomer to follow')
      expect(newcomerNode.status().stateRoot).toBe(swarm.nodes[0].status().stateRoot)
      expect(newcomerNode.status().isValidator).toBe(false)
    } finally {
      await newcomerNode.stop()
    }
  }, 90_000)

  it('a restarted node keeps its ledger and answers for past queries', async () => {
    swarm = await startTestSwarm({ size: 3 })
    const { id } = await swarm.nodes[0].submitQuery(prompt('restart'))
    await waitFinal(swarm.nodes, id)
    const before = swarm.nodes[1].status()
    const restarted = await swarm.restart(1)
    expect(restarted.status().height).toBe(before.height)
    expect(restarted.status().stateRoot).toBe(before.stateRoot)
    expect((await restarted.getQuery(id))?.status).toBe('final')
  }, 60_000)

  it('a query replayed to a node restarted after its block stays final there (no second round)', async () => {
    swarm = await startTestSwarm({ size: 3 })
    const networkId = asBytes(Buffer.from(swarm.nodes[0].networkIdHex, 'hex'))
    const topics = topicsFor(swarm.nodes[0].networkIdHex)
    // signed by a member (only members submit, DESIGN §8.5); replayed by a stranger's host below
    const query = await signMessage(swarm.keys[2], { networkId, query: { prompt: prompt('replay'), anchorHeight: swarm.nodes[0].status().height, createdAt: Date.now(), nonce: new Uint8Array(16) } })
    await swarm.nodes[0].submitQuery(prompt('warm-up')).then(async ({ id }) => waitFinal(swarm!.nodes, id))
    // a fresh host each time, connected to one node: gossipsub will not publish what its own
    // seen-cache holds, and the only peer it has must not have offered it the message first
    const publishFromFreshHost = async (node: SwarmNode): Promise<void> => {
      const host = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8(`relay ${Math.random()}`))), networkIdHex: swarm!.nodes[0].networkIdHex })
      await host.start()
      host.services.pubsub.subscribe(topics.query)
      await host.dial((await import('@multiformats/multiaddr')).multiaddr(node.multiaddrs()[0]))
      await new Promise(r => setTimeout(r, 1_500)) // subscriptions
      await host.services.pubsub.publish(topics.query, query.bytes)
      await new Promise(r => setTimeout(r, 1_000))
      await host.stop()
    }
    await publishFromFreshHost(swarm.nodes[0])
    await waitFinal(swarm.nodes, query.idHex)
    const restarted = await swarm.restart(1)
    await publishFromFreshHost(restarted)
    await new Promise(r => setTimeout(r, 1_000))
    const view = await restarted.getQuery(query.idHex)
    expect(view?.status).toBe('final')
    expect(restarted.status().roundsInFlight).toBe(0)
  }, 60_000)
})

describe('faults', () => {
  it('a node that stops mid-round does not stop the round from completing', async () => {
    // Node 4 thinks for 10 s, so it is still silent when it is stopped.
    swarm = await startTestSwarm({ size: 5, agentDelayMs: [0, 0, 0, 0, 10_000], params: { answerers: 5, rankers: 5 } })
    const live = swarm.nodes.slice(0, 4)
    const records = new Map<string, string>()
    for (const node of live) {
      node.addEventListener('round-final', e => records.set(node.peerId, toHex(encodeRoundRecord((e as CustomEvent<{ record: RoundRecord }>).detail.record))))
    }
    const { id } = await swarm.nodes[0].submitQuery(prompt('fault-1'))
    await new Promise(r => setTimeout(r, 200))
    await swarm.nodes[4].stop()
    const views = await waitFinal(live, id, 30_000)
    expect(views.every(v => v.answer === views[0].answer)).toBe(true)
    await waitFor(() => records.size === 4, 5_000, 'records')
    expect(new Set(records.values()).size).toBe(1)
    // the stopped node was an answerer (all five are): it is marked absent and loses reputation
    expect(views[0].record!.deltas.find(d => d.peerId === swarm!.nodes[4].peerId)!.deltaPpm).toBeLessThan(0)
  }, 60_000)

  it('a peer sending malformed, oversized, badly signed and wrong-network messages is rejected and scored down; honest rounds go on', async () => {
    swarm = await startTestSwarm({ size: 4 })
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('attacker')))
    attacker = await createHost({ privateKey: key, networkIdHex: swarm.nodes[0].networkIdHex })
    await attacker.start()
    const topics = topicsFor(swarm.nodes[0].networkIdHex)
    for (const t of [topics.query, topics.round]) attacker.services.pubsub.subscribe(t)
    await attacker.dial((await import('@multiformats/multiaddr')).multiaddr(swarm.nodes[0].multiaddrs()[0]))
    await new Promise(r => setTimeout(r, 1_500)) // mesh

    const networkId = asBytes(Buffer.from(swarm.nodes[0].networkIdHex, 'hex'))
    const good = await signMessage(key, { networkId, query: { prompt: prompt('x'), anchorHeight: 0, createdAt: Date.now(), nonce: new Uint8Array(16) } })
    const badSig = decodeEnvelope(good.bytes)
    badSig.signature[0] ^= 0xff
    const wrongNet = await signMessage(key, { networkId: sha256(utf8('another network')), query: { prompt: 'hi', anchorHeight: 0, createdAt: Date.now(), nonce: new Uint8Array(16) } })
    const bad: Uint8Array[] = [
      new Uint8Array([0xff, 0xff, 0xff, 0x01]),
      new Uint8Array(wireLimits.maxEnvelopeBytes + 10).fill(7),
      encodeEnvelope(badSig),
      wrongNet.bytes
    ]
    const before = swarm.nodes[0].rejectedMessages
    for (const data of bad) await attacker.services.pubsub.publish(topics.query, data).catch(() => {})
    await waitFor(() => swarm!.nodes[0].rejectedMessages >= before + 4, 10_000, 'rejections')
    await waitFor(() => swarm!.nodes[0].peerScore(attacker!.peerId.toString()) < 0, 10_000, 'a negative peer score')

    const { id } = await swarm.nodes[1].submitQuery(prompt('after-attack'))
    const views = await waitFinal(swarm.nodes, id)
    expect(views.every(v => v.status === 'final')).toBe(true)
    // nothing the attacker sent got in: no node knows a query by it
    expect(await swarm.nodes[0].getQuery(good.idHex)).toBeUndefined()
  }, 60_000)
})
