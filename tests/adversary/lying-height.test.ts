import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHost } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { createLogger } from '../../node/logger.js'
import type { SnapshotSource } from '../../node/snapshot-server.js'
import { NodeStore } from '../../node/store.js'
import { serveSync } from '../../node/sync.js'
import type { StateSyncOutcome } from '../../node/state-sync.js'
import type { SwarmNode } from '../../node/swarm-node.js'
import { drawTask } from '../../protocol/agents/tasks.js'
import { makeCertificate } from '../../protocol/bft/certificate.js'
import { lightLedgerOf } from '../../protocol/bft/light-client.js'
import { asBytes, sha256, utf8 } from '../../protocol/hash.js'
import { blockHash, fromSnapshot } from '../../protocol/ledger.js'
import { HashStream } from '../../protocol/random.js'
import { signMessageSync } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import type { BlockHeader, CommitCertificate } from '../../protocol/wire/messages.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * DESIGN §8 (issue 15), a peer lying about its height: a status is only its sender's claim. A
 * running node that hears a peer claim to be 10,000 blocks ahead, offering a snapshot 5,000 above
 * its height, checks that snapshot from its own trusted state before it touches anything; a liar
 * that then serves no snapshot, or a forged one, changes nothing (the node never halts, and keeps
 * following the honest validators' blocks) and is distrusted. Two raw libp2p hosts play the
 * liars, speaking the real sync protocol (node/sync.ts serveSync) with a forged status, against a
 * real 4-node swarm.
 */

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt
const logger = createLogger({ level: 'silent' })
const LIE = 10_000

describe('a peer lying about its height cannot restart or stall a running node', () => {
  let swarm: TestSwarm
  const hosts: SwarmHost[] = []
  const stores: NodeStore[] = []
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmrank-liar-'))
    swarm = await startTestSwarm({ logLevel: (process.env.LIAR_LOG ?? 'silent') as 'silent', size: 4, params: { answerCommitMs: 1_500, answerRevealMs: 700, compareCommitMs: 1_500, compareRevealMs: 700 } })
  }, 60_000)

  afterAll(async () => {
    await Promise.allSettled(hosts.map(async h => h.stop()))
    await Promise.allSettled(stores.map(async s => s.close()))
    await swarm?.stop()
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  /**
   * A liar: a libp2p host serving the sync protocol from an empty store, whose status claims the
   * victim's height + LIE and a snapshot at + LIE/2; `step` is what it serves for each step asked.
   */
  async function liar (name: string, victim: SwarmNode, step: (key: PrivateKey, height: number) => { certificate: CommitCertificate, ledgerJson: Uint8Array } | undefined): Promise<SwarmHost> {
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8(`liar-${name}`)))
    const net = victim.networkIdHex
    const host = await createHost({ privateKey: key, networkIdHex: net })
    hosts.push(host)
    const store = new NodeStore(join(dir, name))
    await store.open()
    stores.push(store)
    const claimed = (): number => victim.status().height + LIE
    const snapshots: SnapshotSource = {
      epochBlocks: swarm.genesis.params.bft.epochBlocks,
      head: claimed,
      offered: async () => claimed() - LIE / 2,
      light: async h => { const s = step(key, h); return s === undefined ? undefined : { certificate: s.certificate, lightJson: s.ledgerJson } },
      step: async h => step(key, h)
    }
    await serveSync(host, net, { store, height: claimed, headHash: () => '00'.repeat(32), consensusMessages: () => [], snapshots, logger: logger.forComponent(name) })
    await host.dial(multiaddr(victim.multiaddrs()[0]))
    return host
  }

  it('a liar offering no snapshot, and one offering a forged one, change nothing and are distrusted; the node keeps following blocks', async () => {
    const [n0, , , victim] = swarm.nodes
    // a few blocks first: the victim follows a chain
    for (let r = 0; r < 2; r++) await waitFinal(swarm.nodes, (await n0.submitQuery(prompt(`liar-before-${r}`))).id, 30_000)
    const before = victim.status().height
    expect(before).toBeGreaterThan(0)

    const restarts: Array<StateSyncOutcome | undefined> = []
    victim.addEventListener('state-sync', e => restarts.push((e as CustomEvent<StateSyncOutcome | undefined>).detail))
    const refused = new Map<string, string>()
    victim.addEventListener('snapshot-refused', e => { const d = (e as CustomEvent<{ peer: string, reason: string }>).detail; refused.set(d.peer, d.reason) })
    let unavailable = 0
    const probe = setInterval(() => { try { victim.status() } catch { unavailable++ } }, 20)

    // Liar 1 holds nothing: it claims a snapshot and then refuses to serve it.
    const silent = await liar('silent', victim, () => undefined)
    // Liar 2 serves every step asked under a header it signed itself, over the victim's own ledger
    // relabelled: well-formed, but certified by nobody the victim trusts.
    const ledger = fromSnapshot(victim.ledgerSnapshot())
    const forged = await liar('forged', victim, (key, height) => {
      const zero = new Uint8Array(32)
      const header: BlockHeader = { height, prevHash: zero, recordsRoot: zero, stateRoot: zero, time: Date.now(), proposer: asBytes(key.publicKey.raw), queriesRoot: zero, roundMessagesRoot: zero, lastCommitHash: zero, evidenceHash: zero }
      const vote = signMessageSync(key, { networkId: Buffer.from(victim.networkIdHex, 'hex'), vote: { type: VoteType.PRECOMMIT, height, round: 0, blockHash: blockHash(header) } })
      const json = JSON.stringify(height % swarm.genesis.params.bft.epochBlocks === 0 ? lightLedgerOf(ledger) : { ...victim.ledgerSnapshot(), height })
      return { certificate: makeCertificate(header, 0, [vote]), ledgerJson: utf8(json) }
    })
    const liars = [silent.peerId.toString(), forged.peerId.toString()]

    try {
      // The victim's block sync asks connected peers for their status every 2 s while the chain is idle.
      await waitFor(() => restarts.length > 0 || unavailable > 0 || liars.every(p => refused.has(p)), 40_000, 'the victim to halt or to refuse both liars')
      // give a restart begun time to finish (or not)
      if (unavailable > 0) await waitFor(() => restarts.length > 0, 10_000, 'the halted victim to start again').catch(() => {})
      expect({ unavailable, restarts }, `the node halted on a liar's word (status() threw in ${unavailable} probes every 20 ms; restarts: ${JSON.stringify(restarts)})`).toEqual({ unavailable: 0, restarts: [] })
      expect(refused.get(liars[0])).toMatch(/does not hold|refused/)
      expect(refused.get(liars[1])).toMatch(/bad_certificate/)
      // penalised: neither liar's claims count any more, and the forger is disconnected
      expect(liars.map(p => victim.distrustsSnapshotsOf(p))).toEqual([true, true])
      await waitFor(() => !victim.status().connectedPeers.includes(liars[1]), 5_000, 'the victim to hang up on the forger')

      // and the victim keeps following the honest validators' blocks, with the liars still around
      await forged.dial(multiaddr(victim.multiaddrs()[0]))
      for (let r = 0; r < 3; r++) await waitFinal(swarm.nodes, (await n0.submitQuery(prompt(`liar-after-${r}`))).id, 30_000)
      await waitFor(() => victim.status().height === n0.status().height, 10_000, 'the victim to reach the honest head')
      expect(victim.status().height).toBeGreaterThan(before)
      expect(victim.status().stateRoot).toBe(n0.status().stateRoot)
      expect(restarts).toEqual([])
      expect(unavailable).toBe(0)
    } finally {
      clearInterval(probe)
    }
  }, 120_000)
})
