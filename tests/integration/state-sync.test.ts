import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Level } from 'level'
import { afterEach, describe, expect, it } from 'vitest'
import { forgeChain } from '../../node/cluster/forge-chain.js'
import { createHost } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { createLogger } from '../../node/logger.js'
import type { SnapshotSource } from '../../node/snapshot-server.js'
import { StateSync } from '../../node/state-sync.js'
import { NodeStore } from '../../node/store.js'
import type { QueryView } from '../../node/store.js'
import { serveSync } from '../../node/sync.js'
import { drawTask } from '../../protocol/agents/tasks.js'
import { defaultBftParams, defaultProtocolParams, networkIdHex } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { fromSnapshot, stateRootHex } from '../../protocol/ledger.js'
import { lightLedgerOf } from '../../protocol/bft/light-client.js'
import type { LightLedger } from '../../protocol/bft/light-client.js'
import type { LedgerSnapshot } from '../../protocol/ledger.js'
import { HashStream } from '../../protocol/random.js'
import { makeCertificate } from '../../protocol/bft/certificate.js'
import { blockHash } from '../../protocol/ledger.js'
import { signMessageSync } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import type { CommitCertificate } from '../../protocol/wire/messages.js'
import { testKey } from '../helpers/wire-fixtures.js'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { builtinAgent } from '../../node/agents/builtin.js'
import { SwarmNode } from '../../node/swarm-node.js'
import type { SwarmNodeInit } from '../../node/swarm-node.js'
import type { StateSyncOutcome } from '../../node/state-sync.js'
import { SNAPSHOT_DEPTH_BLOCKS } from '../../protocol/bft/state-sync.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt
const logger = createLogger({ level: 'silent' }).forComponent('test')

let swarm: TestSwarm | undefined
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await swarm?.stop()
  swarm = undefined
  for (const c of cleanups.splice(0)) await c()
})

/** Every key of a LevelDB (opened after its owner closed it). */
async function keysOf (dbDir: string): Promise<string[]> {
  const db = new Level<string, Uint8Array>(dbDir, { valueEncoding: 'view' })
  await db.open()
  try {
    return await db.keys().all()
  } finally {
    await db.close()
  }
}

describe('state sync (node/state-sync.ts)', () => {
  it('a wiped node rejoins a network of pruning nodes from a snapshot, with their state root, and finalizes with them', async () => {
    const EPOCH = 4
    const KEEP = 4
    // Nodes 0–2 keep only the last 4 blocks (and the epoch boundaries): none can replay the chain from the genesis to anyone.
    swarm = await startTestSwarm({ size: 4, params: { bft: { ...defaultBftParams, epochBlocks: EPOCH } }, retentionBlocks: { 0: KEEP, 1: KEEP, 2: KEEP } })
    const live = swarm.nodes.slice(0, 3)
    const finals: QueryView[] = []
    for (let r = 0; r < 6; r++) {
      const { id } = await swarm.nodes[r % 4].submitQuery(prompt(`state-sync-${r}`))
      finals.push((await waitFinal(swarm.nodes, id))[0])
    }
    const head = live[0].status().height
    expect(head).toBeGreaterThan(2 * KEEP)
    // retention runs every few seconds: wait until block 1's query is gone everywhere
    await waitFor(async () => (await Promise.all(live.map(async n => n.getQuery(finals[0].id)))).every(v => v === undefined), 20_000, 'the pruning nodes to prune the first blocks')

    // Without state sync, the wiped node cannot catch up: nobody holds block 1 any more.
    const replaying = await swarm.restart(3, { wipe: true, stateSync: false })
    await new Promise(resolve => setTimeout(resolve, 4_000))
    expect(replaying.status().height).toBe(0)

    // With it, the node starts from a snapshot and follows the blocks after it.
    const started = Date.now()
    const rejoined = await swarm.restart(3, { wipe: true, stateSync: { minGap: 2 } })
    const outcome = rejoined.stateSyncOutcome
    expect(outcome?.synced, JSON.stringify(outcome)).toBe(true)
    if (outcome?.synced !== true) return
    expect(outcome.height).toBeGreaterThan(KEEP)
    expect(outcome.steps).toBe(Math.ceil(outcome.height / EPOCH))
    await waitFor(() => rejoined.status().height >= live[0].status().height, 15_000, 'the rejoined node to reach the head')
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(rejoined.status().stateRoot).toBe(live[0].status().stateRoot)

    // and it keeps finalizing with them: a query through it, final everywhere with one state root
    const { id } = await rejoined.submitQuery(prompt('state-sync-after'))
    const views = await waitFinal(swarm.nodes, id, 30_000)
    expect(new Set(views.map(v => v.answer)).size).toBe(1)
    await waitFor(() => new Set(swarm!.nodes.map(n => n.status().height)).size === 1, 10_000, 'one height')
    expect(new Set(swarm.nodes.map(n => n.status().stateRoot)).size).toBe(1)
    // it serves a snapshot in turn (its steps below the snapshot were kept)
    expect(rejoined.status().height).toBeGreaterThan(outcome.height)
  }, 120_000)

  it('a forged snapshot (tampered ledger, a header the validators never signed, a forged validator set or rest root at a boundary, an oversize step; an uncertified ledger sent in slices, on its first slice) is refused and changes nothing; the honest one is taken', async () => {
    const EPOCH = 4
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-state-sync-'))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    const keys = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(800 + i)))
    const outsiders = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(850 + i)))
    const genesis: Genesis = {
      network: 'state-sync-forged',
      params: { ...defaultProtocolParams, bft: { ...defaultBftParams, epochBlocks: EPOCH } },
      validators: keys.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 }))
    }
    const net = networkIdHex(genesis)
    const last = await forgeChain({ dataDir: join(dir, 'server'), genesis, keys, blocks: 40, queriesPerBlock: 2, wholeLedgers: true })
    const served = new NodeStore(join(dir, 'server', 'db'))
    await served.open()
    cleanups.unshift(async () => served.close())
    const TARGET = 37
    const other = lightLedgerOf(fromSnapshot((await served.getLedgerAt(7))!))
    const honest: SnapshotSource = {
      epochBlocks: EPOCH,
      head: () => last.height,
      offered: async () => TARGET,
      light: async h => served.getLightStep(h),
      step: async h => {
        const certificate = (await served.getCertifiedBlock(h))?.certificate
        const ledgerJson = await served.getLedgerAtBytes(h)
        return certificate === undefined || ledgerJson === undefined ? undefined : { certificate, ledgerJson }
      }
    }
    const tamper = (f: (ledger: LedgerSnapshot, certificate: CommitCertificate) => { ledger: LedgerSnapshot, certificate: CommitCertificate }): SnapshotSource => ({
      ...honest,
      step: async h => {
        const found = await honest.step(h)
        if (found === undefined || h !== TARGET) return found
        const forged = f(JSON.parse(new TextDecoder().decode(found.ledgerJson)) as LedgerSnapshot, found.certificate)
        return { certificate: forged.certificate, ledgerJson: utf8(JSON.stringify(forged.ledger)) }
      }
    })
    // one more vote of reputation for the first member: a ledger no block committed to
    const richer = (l: LedgerSnapshot): LedgerSnapshot => ({ ...l, reputations: l.reputations.map((r, i) => i === 0 ? { ...r, reputationPpm: r.reputationPpm + 1 } : r) })
    // an epoch-boundary step (block 8) bent: another validator set, or a step blown up far past any honest one
    const atBoundary = (f: (json: Uint8Array) => Uint8Array): SnapshotSource => ({
      ...honest,
      light: async h => {
        const found = await honest.light(h)
        return found === undefined || h !== 2 * EPOCH ? found : { ...found, lightJson: f(found.lightJson) }
      }
    })
    const sources: Record<string, SnapshotSource> = {
      tampered: tamper((ledger, certificate) => ({ ledger: richer(ledger), certificate })),
      'forged set': atBoundary(bytes => {
        const doc = JSON.parse(new TextDecoder().decode(bytes)) as LightLedger
        doc.validators[0].power += 1_000_000
        return utf8(JSON.stringify(doc))
      }),
      // the honest set, with a rest root of another ledger (the one after block 7)
      'forged rest root': atBoundary(bytes => {
        const doc = JSON.parse(new TextDecoder().decode(bytes)) as LightLedger
        return utf8(JSON.stringify({ ...doc, restRoot: other.restRoot }))
      }),
      oversize: atBoundary(bytes => utf8(new TextDecoder().decode(bytes) + ' '.repeat(20 * 1024 * 1024))),
      // the forged ledger under a header whose root matches it, signed by keys outside the validator set
      uncertified: tamper((ledger, certificate) => {
        const forged = richer(ledger)
        const header = { ...certificate.header!, stateRoot: Buffer.from(stateRootHex(fromSnapshot(forged)), 'hex') }
        const hash = blockHash(header)
        return { ledger: forged, certificate: makeCertificate(header, 0, outsiders.map(k => signMessageSync(k, { networkId: Buffer.from(net, 'hex'), vote: { type: VoteType.PRECOMMIT, height: header.height, round: 0, blockHash: hash } }))) }
      }),
      // the same, with the ledger padded to 8 MiB: sent in 1 MiB slices, refused on the first
      'uncertified, in slices': tamper((ledger, certificate) => {
        const forged = richer(ledger)
        const header = { ...certificate.header!, stateRoot: Buffer.from(stateRootHex(fromSnapshot(forged)), 'hex') }
        const hash = blockHash(header)
        return { ledger: { ...forged, padding: ' '.repeat(8 * 1024 * 1024) } as unknown as LedgerSnapshot, certificate: makeCertificate(header, 0, outsiders.map(k => signMessageSync(k, { networkId: Buffer.from(net, 'hex'), vote: { type: VoteType.PRECOMMIT, height: header.height, round: 0, blockHash: hash } }))) }
      }),
      honest
    }
    const hosts: Record<string, SwarmHost> = {}
    const snapshotRequests: Record<string, number> = {}
    for (const [name, source] of Object.entries(sources)) {
      const host = await createHost({ privateKey: await testKey(860 + Object.keys(hosts).length), networkIdHex: net })
      hosts[name] = host
      cleanups.unshift(async () => host.stop())
      await serveSync(host, net, { store: served, height: () => last.height, headHash: () => '00'.repeat(32), consensusMessages: () => [], snapshots: source, logger, observe: s => { if (s.kind === 'snapshot') snapshotRequests[name] = (snapshotRequests[name] ?? 0) + 1 } })
    }
    const clientHost = await createHost({ privateKey: await testKey(870), networkIdHex: net })
    cleanups.unshift(async () => clientHost.stop())
    const clientDb = join(dir, 'client', 'db')
    const client = new NodeStore(clientDb)
    await client.open()
    let clientOpen = true
    cleanups.unshift(async () => { if (clientOpen) await client.close() })
    const stateSync = (peer: SwarmHost): StateSync => new StateSync({ host: clientHost, genesis, store: client, peers: () => [peer.peerId.toString()], logger }, { minGap: 2 })
    const refusal: Record<string, RegExp> = { tampered: /state_root/, uncertified: /bad_certificate/, 'uncertified, in slices': /bad_certificate/, 'forged set': /state_root.*block 8/, 'forged rest root': /state_root.*block 8/, oversize: /malformed.*block 8.*over/ }
    for (const name of Object.keys(refusal)) {
      await clientHost.dial(hosts[name].getMultiaddrs()[0])
      const outcome = await stateSync(hosts[name]).run()
      expect(outcome.synced, name).toBe(false)
      expect(!outcome.synced && outcome.reason, name).toMatch(refusal[name])
      expect(await client.getLedger(), name).toBeUndefined()
    }
    // the boundaries, then the first slice of the snapshot's ledger: its certificate fails there
    expect(snapshotRequests['uncertified, in slices']).toBe(2)
    await client.close()
    clientOpen = false
    expect(await keysOf(clientDb)).toEqual([])

    // the honest peer's snapshot is taken: the ledger after block 37, with the steps to it
    const again = new NodeStore(clientDb)
    await again.open()
    cleanups.unshift(async () => again.close())
    await clientHost.dial(hosts.honest.getMultiaddrs()[0])
    const outcome = await new StateSync({ host: clientHost, genesis, store: again, peers: () => [hosts.honest.peerId.toString()], logger }, { minGap: 2 }).run()
    expect(outcome).toMatchObject({ synced: true, height: TARGET, steps: Math.ceil(TARGET / EPOCH) })
    // the boundary steps carry only the validator set and a section root, not the ledger: what
    // moved is the snapshot's ledger plus well under a KiB for each of the 9 boundaries
    const snapshotBytes = (await served.getLedgerAtBytes(TARGET))!.length
    if (outcome.synced) expect(outcome.bytes - snapshotBytes).toBeLessThan(9 * 1024)
    const installed = await again.getLedger()
    expect(stateRootHex(fromSnapshot(installed!))).toBe(stateRootHex(fromSnapshot((await served.getLedgerAt(TARGET))!)))
    expect(await again.firstContiguousBlock()).toBe(TARGET + 1)
    expect((await again.getLightStep(36))?.certificate.header?.height).toBe(36)
  }, 60_000)

  it('a running node that finds a peer far ahead switches to that peer\'s snapshot instead of replaying the blocks in between', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-state-sync-runtime-'))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    const keys = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(700 + i)))
    const genesis: Genesis = {
      network: 'state-sync-runtime',
      params: { ...defaultProtocolParams, bft: { ...defaultBftParams, epochBlocks: 4 } },
      validators: keys.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 }))
    }
    // One chain, forged twice: peer A holds its first 10 blocks, peer B 300 (every round long over).
    const startTime = Date.now() - 2 * 3_600_000
    await forgeChain({ dataDir: join(dir, 'a'), genesis, keys, blocks: 10, startTime })
    await forgeChain({ dataDir: join(dir, 'b'), genesis, keys, blocks: 300, startTime })
    const node = async (name: string, seed: number, opts: Partial<SwarmNodeInit>): Promise<SwarmNode> => {
      const n = new SwarmNode({ dataDir: join(dir, name), genesis, privateKey: await testKey(seed), agent: builtinAgent({ profile: 'ada', seed: name }), metrics: false, logger: createLogger({ level: 'silent' }), ...opts })
      await n.start()
      cleanups.unshift(async () => n.stop())
      return n
    }
    const a = await node('a', 710, { bootstrap: [] })
    // B's address is known before B runs: the joiner dials its bootstrap peers again every few seconds
    const port = await new Promise<number>(resolve => { const srv = createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as AddressInfo).port; srv.close(() => resolve(p)) }) })
    const bAddress = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(await testKey(711)).toString()}`
    // with metrics on, as the CLI runs it: the restart builds a second libp2p host on the node's registry
    const joiner = await node('joiner', 712, { bootstrap: [a.multiaddrs()[0], bAddress], stateSync: { minGap: 20 }, metrics: true })
    // 10 blocks behind A at start: under the gap, so it replays them
    expect(joiner.stateSyncOutcome).toMatchObject({ synced: false })
    await waitFor(() => joiner.status().height === 10, 15_000, 'the joiner to replay A\'s 10 blocks')
    const switched = new Promise<StateSyncOutcome | undefined>(resolve => joiner.addEventListener('state-sync', e => resolve((e as CustomEvent<StateSyncOutcome | undefined>).detail), { once: true }))
    const b = await node('b', 711, { bootstrap: [], listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    // B is 290 blocks ahead while the joiner runs: it takes B's snapshot (240 below B's head), trusting its own ledger at 10
    const noSwitch = new Promise<never>((resolve, reject) => setTimeout(() => reject(new Error(`no state sync while running after 30 s (joiner at height ${joiner.status().height})`)), 30_000).unref())
    expect(await Promise.race([switched, noSwitch])).toMatchObject({ synced: true, height: 300 - SNAPSHOT_DEPTH_BLOCKS, steps: Math.ceil((300 - SNAPSHOT_DEPTH_BLOCKS - 10) / 4) })
    await waitFor(() => joiner.status().height >= 300, 30_000, 'the joiner to reach B\'s head')
    expect(joiner.status().stateRoot).toBe(b.status().stateRoot)
  }, 120_000)
})
