import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asBytes, fromHex, sha256, toHex, utf8 } from '../../protocol/hash.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { syncLimits, wireLimits } from '../../protocol/wire/limits.js'
import { SyncRequest, SyncResponse } from '../../protocol/wire/messages.js'
import { createHost } from '../../node/host.js'
import type { SwarmHost } from '../../node/host.js'
import { createLogger } from '../../node/logger.js'
import { MessageFetcher } from '../../node/message-fetcher.js'
import { NodeStore } from '../../node/store.js'
import { syncProtocol } from '../../node/sync.js'
import { startTestSwarm, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/**
 * DESIGN §8 property 10, bounded resources, for the sync protocol (issue 15, "sync amplifies"):
 * a peer that asks for one big message 256 times, for more bytes than a response may carry, or
 * asks again and again, gets a bounded answer, then none; an honest node still fetches and
 * catches up. A raw libp2p host plays the attacker against a real 4-node swarm.
 */

/** Far above any response: the attacker reads whatever the server sends, to measure it. */
const READ_ANYTHING = 128 * 1024 * 1024

interface RawAnswer { bytes: number, response: SyncResponse }

/** One request on a fresh stream, as node/sync.ts does it, but with the attacker's own read limit. */
async function rawSync (host: SwarmHost, networkIdHex: string, peer: string, request: SyncRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await host.dialProtocol(peerIdFromString(peer), syncProtocol(networkIdHex), { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: READ_ANYTHING, maxBufferSize: READ_ANYTHING })
    await lp.write(SyncRequest.encode(request), { signal })
    const raw = (await lp.read({ signal })).subarray()
    await stream.close({ signal }).catch(() => {})
    return { bytes: raw.length, response: SyncResponse.decode(raw) }
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

describe('sync under attack: bounded responses, a rate per peer, honest sync goes on', () => {
  let swarm: TestSwarm
  const hosts: SwarmHost[] = []
  const dirs: string[] = []
  let networkIdHex: string
  let node0: string

  /** A raw libp2p host (a fresh identity: a fresh rate bucket) connected to node 0 only. */
  async function rawHost (seed: string): Promise<SwarmHost> {
    const host = await createHost({ privateKey: await generateKeyPairFromSeed('Ed25519', sha256(utf8(seed))), networkIdHex })
    await host.start()
    hosts.push(host)
    await host.dial(multiaddr(swarm.nodes[0].multiaddrs()[0]))
    return host
  }

  beforeAll(async () => {
    swarm = await startTestSwarm({ size: 4, params: { answerCommitMs: 1_500, answerRevealMs: 700, compareCommitMs: 1_500, compareRevealMs: 700 } })
    networkIdHex = swarm.nodes[0].networkIdHex
    node0 = swarm.nodes[0].peerId
  }, 60_000)

  afterAll(async () => {
    await Promise.allSettled(hosts.map(async h => h.stop()))
    await swarm?.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }, 60_000)

  it('256 copies of one big message id are answered with one copy', async () => {
    // the biggest prompt a query may carry: its envelope is ~8.3 KB
    const { id } = await swarm.nodes[0].submitQuery(`Compute 2 + 2. ${'Think it over carefully. '.repeat(320)}`)
    const attacker = await rawHost('sync-attacker-copies')
    const { bytes, response } = await rawSync(attacker, networkIdHex, node0, { messages: { ids: Array.from({ length: 256 }, () => fromHex(id)) } })
    const envelopes = response.messages?.envelopes ?? []
    expect(envelopes.length).toBeGreaterThan(0)
    const one = envelopes[0].length
    console.log(`256 copies of a ${one}-byte message: ${envelopes.length} envelope(s), ${bytes} response bytes`)
    expect(one).toBeGreaterThan(8_000)
    expect(envelopes.length).toBe(1)
    expect(bytes).toBeLessThanOrEqual(one + 16)
  }, 30_000)

  /** 300 signed answer reveals of the longest legal answer (16 KiB), held by node 0 alone: 4.9 MB. */
  let big: SignedMessage[] = []

  it('a messages response stays under the byte cap, cut short in the order asked', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('sync-big-messages')))
    const networkId = asBytes(fromHex(networkIdHex))
    big = []
    for (let i = 0; i < 300; i++) {
      big.push(await signMessage(key, { networkId, answerReveal: { queryId: sha256(utf8(`q-${i}`)), answer: `${i} `.padEnd(wireLimits.maxAnswerBytes, 'x'), salt: new Uint8Array(16).fill(i % 256) } }))
    }
    const store0 = (swarm.nodes[0] as unknown as { store: NodeStore }).store
    for (const m of big) await store0.putMessage(m.idHex, m.bytes)

    const attacker = await rawHost('sync-attacker-bytes')
    const { bytes, response } = await rawSync(attacker, networkIdHex, node0, { messages: { ids: big.slice(0, 256).map(m => m.id) } })
    console.log(`256 distinct 16 KiB messages: ${response.messages?.envelopes.length} envelopes, ${bytes} response bytes (cap ${syncLimits.maxResponseBytes})`)
    expect(bytes).toBeLessThanOrEqual(syncLimits.maxResponseBytes)
    const got = response.messages?.envelopes ?? []
    expect(got.length).toBeGreaterThan(0)
    expect(got.map(e => toHex(e))).toEqual(big.slice(0, got.length).map(m => toHex(m.bytes)))
  }, 30_000)

  it('an honest fetch of more than a response may carry gets every message, continuing where each response stopped', async () => {
    expect(big.length).toBe(300)
    // the node's own MessageFetcher on a host connected to node 0 only, asking for all 300, each named twice
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-fetch-'))
    dirs.push(dir)
    const store = new NodeStore(join(dir, 'db'))
    await store.open()
    try {
      const fetcher = new MessageFetcher({ host: await rawHost('sync-honest-fetcher'), networkId: asBytes(fromHex(networkIdHex)), networkIdHex, store, logger: createLogger({ level: 'silent' }).forComponent('fetch') })
      const ids = big.map(m => m.idHex)
      const found = await fetcher.fetch([...ids, ...ids])
      console.log(`honest fetch of 300 messages (${big.reduce((s, m) => s + m.bytes.length, 0)} bytes): ${found.size} found`)
      expect(found.size).toBe(300)
    } finally {
      await store.close()
    }
  }, 30_000)

  it('a request over the size limit is refused on its length prefix, without waiting for its bytes', async () => {
    const attacker = await rawHost('sync-attacker-oversized')
    const stream = await attacker.dialProtocol(peerIdFromString(node0), syncProtocol(networkIdHex))
    // a length prefix announcing 200 KiB, then a few bytes: a server that waits for the rest
    // holds the stream until its timeout
    const announced = 200 * 1024
    stream.send(new Uint8Array([0x80 | (announced & 0x7f), 0x80 | ((announced >> 7) & 0x7f), announced >> 14, 1, 2, 3]))
    const started = Date.now()
    const outcome = await lpStream(stream, { maxDataLength: READ_ANYTHING, maxBufferSize: READ_ANYTHING }).read({ signal: AbortSignal.timeout(10_000) }).then(() => 'answered', (err: Error) => err.name)
    const ms = Date.now() - started
    console.log(`oversized request: ${outcome} after ${ms} ms`)
    expect(outcome).not.toBe('answered')
    expect(ms).toBeLessThan(1_000)
  }, 30_000)

  it('one connection holds at most a few sync streams at once', async () => {
    const attacker = await rawHost('sync-attacker-streams')
    // open 12 streams, one after another, and send nothing yet: the server is left waiting on each
    const streams = []
    for (let i = 0; i < 12; i++) streams.push(await attacker.dialProtocol(peerIdFromString(node0), syncProtocol(networkIdHex)).catch(() => undefined))
    await new Promise(resolve => setTimeout(resolve, 300))
    const answered = await Promise.all(streams.map(async stream => {
      if (stream === undefined) return false
      try {
        const signal = AbortSignal.timeout(5_000)
        const lp = lpStream(stream, { maxDataLength: READ_ANYTHING, maxBufferSize: READ_ANYTHING })
        await lp.write(SyncRequest.encode({ status: {} }), { signal })
        const res = SyncResponse.decode((await lp.read({ signal })).subarray())
        await stream.close({ signal }).catch(() => {})
        return res.status !== undefined
      } catch {
        stream.abort(new Error('refused'))
        return false
      }
    }))
    const open = answered.filter(Boolean).length
    console.log(`12 concurrent streams on one connection: ${open} answered`)
    expect(open).toBeLessThanOrEqual(syncLimits.maxInboundStreams)
    expect(open).toBeGreaterThan(0)
  }, 30_000)

  it('a peer flooding requests is refused past its rate, while honest sync (a wiped node catching up, another peer asking) goes on', async () => {
    const flooder = await rawHost('sync-attacker-flood')
    const honest = await rawHost('sync-honest-asker')
    let flooding = true
    const counts = { answered: 0, refused: 0, failed: 0 }
    const started = Date.now()
    const flood = (async () => {
      // four at a time (under the per-connection stream cap, so what stops them is the rate)
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (flooding) {
          try {
            const { response } = await rawSync(flooder, networkIdHex, node0, { blocks: { fromHeight: 1, max: 32 } }, 5_000)
            if (response.error !== undefined) counts.refused++
            else counts.answered++
          } catch {
            counts.failed++
          }
        }
      }))
    })()

    // meanwhile: a wiped validator catches up by block sync from its peers (node 0 among them)
    await waitFor(() => swarm.nodes[0].status().height > 0, 20_000, 'a block (the first test\'s query)')
    const height = swarm.nodes[0].status().height
    const wiped = await swarm.restart(3, { wipe: true })
    await waitFor(() => wiped.status().height >= height, 20_000, 'the wiped node to catch up')
    // and another peer asking node 0 directly is answered every time
    let honestAnswered = 0
    for (let i = 0; i < 10; i++) {
      const { response } = await rawSync(honest, networkIdHex, node0, { blocks: { fromHeight: 1, max: 32 } })
      if ((response.blocks?.blocks.length ?? 0) > 0) honestAnswered++
    }
    // let the flood run until it has asked well past what its rate allows (a busy machine slows
    // the flooder down too: it must still have outrun the bucket for the test to mean anything)
    const allowedBy = (ms: number): number => syncLimits.requestBurst + syncLimits.requestsPerSecond * ms / 1000
    const asked = (): number => counts.answered + counts.refused + counts.failed
    while ((Date.now() - started < 3_000 || asked() <= allowedBy(Date.now() - started) + 10) && Date.now() - started < 30_000) await new Promise(resolve => setTimeout(resolve, 100))
    flooding = false
    await flood
    const seconds = (Date.now() - started) / 1000
    const allowed = syncLimits.requestBurst + syncLimits.requestsPerSecond * seconds
    console.log(`flood over ${seconds.toFixed(1)} s: ${counts.answered} answered, ${counts.refused} refused, ${counts.failed} failed (allowed ≤ ${Math.floor(allowed)}); honest peer answered ${honestAnswered}/10`)
    expect(honestAnswered).toBe(10)
    expect(wiped.status().stateRoot).toBe(swarm.nodes[0].status().stateRoot)
    expect(counts.answered).toBeLessThanOrEqual(Math.ceil(allowed) + 1)
    // everything past the bucket was refused
    expect(counts.refused).toBeGreaterThanOrEqual(asked() - counts.failed - Math.ceil(allowed) - 1)
    expect(counts.refused).toBeGreaterThan(0)
  }, 60_000)
})
