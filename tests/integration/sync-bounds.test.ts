import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import { syncLimits, wireLimits } from '../../protocol/wire/limits.js'
import { SyncRequest, SyncResponse, VoteType } from '../../protocol/wire/messages.js'
import { builtinAgent } from '../../node/agents/builtin.js'
import { createHost } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { createLogger } from '../../node/logger.js'
import { NodeStore } from '../../node/store.js'
import { PeerRateLimiter, serveSync, syncProtocol, syncRequest } from '../../node/sync.js'
import type { SyncServed } from '../../node/sync.js'
import { SwarmNode } from '../../node/swarm-node.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * Sync responses are capped in bytes (DESIGN §4.7, §8 property 10): a blocks response stops
 * before the block that would overflow it but always carries one, so any legal block can be
 * fetched, and a node catching up goes on from where each cut-short response stopped.
 */

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

/** One request on a fresh stream; reads whatever comes back, to measure it. */
async function rawSync (host: SwarmHost, networkIdHex: string, peer: string, request: SyncRequest): Promise<{ bytes: number, response: SyncResponse }> {
  const signal = AbortSignal.timeout(10_000)
  const stream = await host.dialProtocol(peerIdFromString(peer), syncProtocol(networkIdHex), { signal })
  const lp = lpStream(stream, { maxDataLength: 128 * 1024 * 1024, maxBufferSize: 128 * 1024 * 1024 })
  await lp.write(SyncRequest.encode(request), { signal })
  const raw = (await lp.read({ signal })).subarray()
  await stream.close({ signal }).catch(() => {})
  return { bytes: raw.length, response: SyncResponse.decode(raw) }
}

describe('the sync limits are consistent', () => {
  it('the largest precommit fits its bound, and the largest certified block fits one response', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('largest-vote')))
    const vote = await signMessage(key, { networkId: sha256(utf8('n')), vote: { type: VoteType.PRECOMMIT, height: Number.MAX_SAFE_INTEGER, round: 0xffffffff, blockHash: sha256(utf8('b')) } })
    expect(vote.bytes.length).toBeLessThanOrEqual(syncLimits.maxPrecommitBytes)
    expect(syncLimits.maxCertifiedBlockBytes).toBeGreaterThanOrEqual(wireLimits.maxEnvelopeBytes + syncLimits.maxPrecommits * syncLimits.maxPrecommitBytes)
    // framing: SyncResponse.blocks, BlocksResponse.blocks (a tag and a length varint each)
    expect(syncLimits.maxCertifiedBlockBytes + 16).toBeLessThanOrEqual(syncLimits.maxResponseBytes)
    // the client reads what the server may send, and decodes it
    expect(syncLimits.maxResponseBytes).toBeLessThanOrEqual(wireLimits.maxSyncMessageBytes)
  })
})

describe('the per-peer request rate', () => {
  it('gives each peer its burst, then its rate; other peers keep theirs; the buckets kept are bounded', () => {
    let now = 0
    const limiter = new PeerRateLimiter(10, 40, 100, () => now)
    const taken = (peer: string, n: number): number => Array.from({ length: n }, () => limiter.take(peer)).filter(Boolean).length
    expect(taken('flooder', 100)).toBe(40)
    expect(taken('honest', 5)).toBe(5)
    now += 1_000
    expect(taken('flooder', 100)).toBe(10)
    // ten thousand identities: never more than 100 buckets
    for (let i = 0; i < 10_000; i++) limiter.take(`sybil-${i}`)
    expect(limiter.size).toBeLessThanOrEqual(100)
  })
})

describe('catching up through responses cut short by their byte cap', () => {
  let swarm: TestSwarm
  const hosts: SwarmHost[] = []
  let fresh: SwarmNode | undefined
  let blockSizes: number[] = []

  beforeAll(async () => {
    swarm = await startTestSwarm({ size: 2, params: { answerers: 2, rankers: 2, answerCommitMs: 1_000, answerRevealMs: 500, compareCommitMs: 1_000, compareRevealMs: 500 } })
    // a few blocks: queries a second apart finish in blocks of their own or two to a block
    const ids: string[] = []
    for (let q = 0; q < 5; q++) {
      ids.push((await swarm.nodes[q % 2].submitQuery(prompt(`catch-up-${q}`))).id)
      await new Promise(resolve => setTimeout(resolve, 1_200))
    }
    for (const id of ids) await waitFinal(swarm.nodes, id, 30_000)
    const store0 = (swarm.nodes[0] as unknown as { store: NodeStore }).store
    for (let h = 1; h <= swarm.nodes[0].status().height; h++) blockSizes.push((await store0.getCertifiedBlockBytes(h))!.length)
  }, 60_000)

  afterAll(async () => {
    await fresh?.stop()
    await Promise.allSettled(hosts.map(async h => h.stop()))
    await swarm?.stop()
  }, 30_000)

  /** A host serving node 0's blocks with a response cap of `maxResponseBytes`. */
  async function cappedServer (seed: string, maxResponseBytes: number, served: SyncServed[]): Promise<SwarmHost> {
    const node = swarm.nodes[0]
    const host = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8(seed))), networkIdHex: node.networkIdHex })
    await host.start()
    hosts.push(host)
    await serveSync(host, node.networkIdHex, {
      store: (node as unknown as { store: NodeStore }).store,
      height: () => node.status().height,
      headHash: () => '',
      consensusMessages: () => [],
      logger: createLogger({ level: 'silent' }).forComponent('sync'),
      observe: s => served.push(s)
    }, { maxResponseBytes })
    return host
  }

  async function asker (seed: string, server: SwarmHost): Promise<SwarmHost> {
    const host = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8(seed))), networkIdHex: swarm.nodes[0].networkIdHex })
    await host.start()
    hosts.push(host)
    await host.dial(server.getMultiaddrs()[0])
    return host
  }

  it('a block bigger than the cap is still served, alone', async () => {
    const height = blockSizes.length
    expect(height).toBeGreaterThanOrEqual(3)
    const server = await cappedServer('capped-server-1', 1, [])
    const client = await asker('asker-1', server)
    const { bytes, response } = await rawSync(client, swarm.nodes[0].networkIdHex, server.peerId.toString(), { blocks: { fromHeight: 1, max: 32 } })
    console.log(`cap 1 byte, blocks of ${blockSizes.join(', ')} bytes: ${response.blocks?.blocks.length} block(s) in ${bytes} bytes`)
    expect(response.blocks?.blocks.length).toBe(1)
    expect(response.blocks?.blocks[0].block?.header?.height).toBe(1)
  }, 30_000)

  it('a node with nothing catches up through several cut-short responses, to the same state', async () => {
    const height = blockSizes.length
    // room for the biggest block and the smallest: one or two blocks to a response, mostly
    const cap = Math.max(...blockSizes) + Math.min(...blockSizes) + 16
    const total = blockSizes.reduce((s, b) => s + b, 0)
    const served: SyncServed[] = []
    const server = await cappedServer('capped-server-2', cap, served)

    // what one request from height 1 gets: cut short, under the cap
    const client = await asker('asker-2', server)
    const { bytes, response } = await rawSync(client, swarm.nodes[0].networkIdHex, server.peerId.toString(), { blocks: { fromHeight: 1, max: 32 } })
    console.log(`cap ${cap} bytes, ${height} blocks of ${blockSizes.join(', ')} bytes: one request gets ${response.blocks?.blocks.length} block(s) in ${bytes} bytes`)
    expect(bytes).toBeLessThanOrEqual(cap)
    expect(response.blocks?.blocks.length).toBeLessThan(height)

    // a new node whose only peer is the capped server
    served.length = 0
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('fresh-node')))
    fresh = new SwarmNode({
      dataDir: join(swarm.dir, 'fresh'),
      genesis: swarm.genesis,
      privateKey: key,
      agent: builtinAgent({ profile: 'ada', seed: 'fresh' }),
      bootstrap: server.getMultiaddrs().map(a => a.toString()),
      logger: createLogger({ level: 'silent' })
    })
    await fresh.start()
    await waitFor(() => fresh!.status().height >= height, 20_000, 'the new node to catch up')
    const blockResponses = served.filter(s => s.kind === 'blocks' && s.items > 0)
    console.log(`catch-up: ${blockResponses.length} blocks responses of ${blockResponses.map(s => `${s.items} block(s)/${s.bytes} B`).join(', ')}`)
    expect(blockResponses.length).toBeGreaterThanOrEqual(Math.max(2, Math.ceil(total / cap)))
    for (const s of blockResponses) expect(s.bytes <= cap || s.items === 1).toBe(true)
    expect(fresh.status().stateRoot).toBe(swarm.nodes[0].status().stateRoot)
  }, 60_000)
})

describe('a vote catch-up answer', () => {
  const hosts: SwarmHost[] = []
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-catchup-'))
  const store = new NodeStore(join(dir, 'db'))
  const networkId = sha256(utf8('catch-up-answer'))
  const networkIdHex = Buffer.from(networkId).toString('hex')
  afterAll(async () => {
    await Promise.allSettled(hosts.map(async h => h.stop()))
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function host (seed: string): Promise<SwarmHost> {
    const h = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8(seed))), networkIdHex })
    await h.start()
    hosts.push(h)
    return h
  }

  it('carries the queries waiting to be ordered after the votes, longest-waiting first and capped, and never more envelopes than a client decodes', async () => {
    await store.open()
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('voter-and-submitter')))
    const votes = await Promise.all(Array.from({ length: 300 }, async (_, round) => (await signMessage(key, { networkId, vote: { type: VoteType.PREVOTE, height: 1, round, blockHash: new Uint8Array(0) } })).bytes))
    const queries = await Promise.all(Array.from({ length: 40 }, async (_, i) => signMessage(key, { networkId, query: { prompt: `q${i}`, anchorHeight: 0, createdAt: Date.now(), nonce: sha256(utf8(`nonce-${i}`)) } })))
    for (const q of queries) await store.putMessage(q.idHex, q.bytes)
    let held = votes.slice(0, 10)
    const server = await host('catch-up-server')
    await serveSync(server, networkIdHex, {
      store,
      height: () => 0,
      headHash: () => '',
      consensusMessages: () => held,
      waitingQueries: max => queries.map(q => q.idHex).slice(0, max),
      logger: createLogger({ level: 'silent' }).forComponent('sync')
    })
    const client = await host('catch-up-client')
    await client.dial(server.getMultiaddrs()[0])
    const ask = async (): Promise<Uint8Array[]> => (await syncRequest(client, networkIdHex, server.peerId.toString(), { consensus: { height: 1 } })).messages?.envelopes ?? []

    const some = await ask()
    expect(some.slice(0, 10).map(e => Buffer.from(e).toString('hex'))).toEqual(held.map(e => Buffer.from(e).toString('hex')))
    expect(some.slice(10).map(e => Buffer.from(e).toString('hex'))).toEqual(queries.slice(0, syncLimits.maxWaitingQueriesPerResponse).map(q => Buffer.from(q.bytes).toString('hex')))

    // a height of many rounds: the answer stops at what the client's decoder takes
    held = votes
    expect((await ask()).length).toBe(syncLimits.maxEnvelopesPerResponse)
  })
})
