import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi } from '../../node/api/http.js'
import type { ApiServer } from '../../node/api/http.js'
import { main } from '../../node/cli/main.js'
import { NodeStore } from '../../node/store.js'
import type { QueryView } from '../../node/store.js'
import { finalView } from '../../node/views.js'
import { makeCertificate } from '../../protocol/bft/certificate.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { blockHash, recordHash } from '../../protocol/ledger.js'
import { candidateId, nodeIdBytes } from '../../protocol/record.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { ParticipationKind, VoteType } from '../../protocol/wire/messages.js'
import type { Block, BlockHeader, CertifiedBlock, RoundRecord } from '../../protocol/wire/messages.js'
import { startTestSwarm, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'
import { networkId, testKey } from '../helpers/wire-fixtures.js'

/**
 * A final query's view as stored (query/<id>) next to its block (block/<height>), real LevelDB on
 * disk. Under load a block holds ~28 records, and a view that repeated the block's certificate,
 * the record and the hashes of all its records stored ~10 KB per query (issue 15, disk bounded).
 */
const RECORDS = 28
const VALIDATORS = 5

const dirs: string[] = []
afterAll(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

interface Fixture { certified: CertifiedBlock, views: QueryView[] }

/** A block of RECORDS rounds, each with a signed query, three signed reveals (two agree) and its commitments, and the views built from them. */
async function fixture (): Promise<Fixture> {
  const keys = await Promise.all(Array.from({ length: VALIDATORS }, async (_, i) => testKey(i)))
  const signed = async (n: number, payload: Parameters<typeof signMessage>[1]): Promise<SignedMessage> => signMessage(keys[n % VALIDATORS], payload)
  const peerIds: string[] = []
  const messages = new Map<string, SignedMessage>()
  const records: RoundRecord[] = []
  const befores = new Map<string, QueryView>()
  for (let q = 0; q < RECORDS; q++) {
    const query = await signed(q, { networkId, query: { prompt: `What is ${q} + ${q}? Answer with the number only.`, anchorHeight: 0, createdAt: 1_700_000_000_000 + q, nonce: new Uint8Array([q]) } })
    const texts = [`${2 * q}`, `${2 * q}`, `${2 * q + 1}`]
    const reveals = await Promise.all(texts.map(async (answer, a) => signed(q + a, { networkId, answerReveal: { queryId: query.id, answer, salt: new Uint8Array(16).fill(a) } })))
    for (const m of [query, ...reveals]) messages.set(m.idHex, m)
    for (const m of reveals) if (!peerIds.includes(m.signerId)) peerIds.push(m.signerId)
    // the commitments and the rankers' messages: named by the record, their bodies not needed for a view
    const others = Array.from({ length: 8 }, (_, k) => sha256(utf8(`round ${q} message ${k}`)))
    const candidates = [...new Set(texts)].map(t => sha256(utf8(t))).sort((x, y) => Buffer.compare(x, y))
    const strengthsPpm = candidates.map(c => toHex(c) === candidateId(texts[0]) ? 800_000 : 200_000)
    records.push({
      queryId: query.id,
      includedMessageIds: [query.id, ...reveals.map(r => r.id), ...others].sort((x, y) => Buffer.compare(x, y)),
      candidates,
      strengthsPpm,
      winner: sha256(utf8(texts[0])),
      deltas: peerIds.slice(0, 3).map((p, k) => ({ node: nodeIdBytes(p), deltaPpm: 40_000 - k * 1_000, qualifies: true })),
      participations: peerIds.slice(0, 3).map(p => ({ node: nodeIdBytes(p), kind: ParticipationKind.SCORED, scorePpm: 900_000 }))
    })
    befores.set(query.idHex, { id: query.idHex, prompt: '', status: 'pending', phase: 'awaiting-finality', createdAt: 0, anchorHeight: 0, answerers: reveals.map(r => r.signerId), rankers: peerIds.slice(0, VALIDATORS) })
  }
  const header: BlockHeader = { height: 1, prevHash: sha256(utf8('genesis')), recordsRoot: sha256(utf8('records')), stateRoot: sha256(utf8('state')), time: 1_700_000_001_000, proposer: nodeIdBytes(peerIds[0]), queriesRoot: sha256(utf8('queries')), roundMessagesRoot: sha256(utf8('round messages')), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }
  const block: Block = { header, records, admissions: [], queries: [], roundMessages: [], evidence: [] }
  const hash = blockHash(header)
  const precommits = await Promise.all(keys.map(async k => signMessage(k, { networkId, vote: { type: VoteType.PRECOMMIT, height: 1, round: 0, blockHash: hash } })))
  const certificate = makeCertificate(header, 0, precommits)
  const ref = { height: 1, hash: toHex(hash), certificate, recordHashes: records.map(r => toHex(recordHash(r))) }
  const views = records.map(r => finalView(r, messages, ref, befores.get(toHex(r.queryId)), 1_700_000_002_000))
  return { certified: { block, certificate }, views }
}

/** The raw values of keys, read with LevelDB itself (the store closed). */
async function rawValues (dir: string, keys: string[]): Promise<Array<Uint8Array | undefined>> {
  const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
  try {
    return await db.getMany(keys)
  } finally {
    await db.close()
  }
}

async function rawWrite (dir: string, op: { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }): Promise<void> {
  const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
  await db.batch([op])
  await db.close()
}

describe('a final query\'s view on disk (real LevelDB)', () => {
  let f: Fixture
  let dir: string
  /** what the API serves for each view: its JSON */
  let served: string[]
  beforeAll(async () => {
    f = await fixture()
    served = f.views.map(v => JSON.stringify(v))
    dir = mkdtempSync(join(tmpdir(), 'swarmrank-views-'))
    dirs.push(dir)
    const store = new NodeStore(dir)
    await store.open()
    await store.commitBlock(f.certified, f.views, { table: { height: 1, reputations: [] } })
    await store.close()
  })

  it('does not repeat what its block holds: well under a tenth of the full view', async () => {
    const sizes = (await rawValues(dir, f.views.map(v => `query/${v.id}`))).map(b => b!.byteLength)
    const full = served.map(s => Buffer.byteLength(s))
    // the full view of a record in a block of 28: ~7.8 KB, of which ~6.8 KB are the block's certificate, record and record hashes
    expect(Math.min(...full)).toBeGreaterThan(7_000)
    expect(Math.max(...sizes)).toBeLessThan(1_200)
  })

  it('is read back whole, byte for byte what was served before it was stored, after a reopen', async () => {
    const store = new NodeStore(dir)
    await store.open()
    try {
      for (const [i, v] of f.views.entries()) expect(JSON.stringify(await store.getQuery(v.id))).toBe(served[i])
    } finally {
      await store.close()
    }
  })

  it('a view completed later (putQuery) is stored without its block too, and read back whole', async () => {
    const store = new NodeStore(dir)
    await store.open()
    const v = f.views[3]
    const completed: QueryView = { ...v, finalizedAt: v.finalizedAt! + 1 }
    await store.putQuery(completed)
    await store.close()
    expect((await rawValues(dir, [`query/${v.id}`]))[0]!.byteLength).toBeLessThan(1_200)
    const again = new NodeStore(dir)
    await again.open()
    expect(JSON.stringify(await again.getQuery(v.id))).toBe(JSON.stringify(completed))
    await again.close()
  })

  it('serves a view stored whole by an older version as it is', async () => {
    const v = f.views[5]
    const old: QueryView = { ...v, prompt: 'stored by an older version' }
    await rawWrite(dir, { type: 'put', key: `query/${v.id}`, value: utf8(JSON.stringify(old)) })
    const store = new NodeStore(dir)
    await store.open()
    expect(JSON.stringify(await store.getQuery(v.id))).toBe(JSON.stringify(old))
    await store.close()
  })

  it('answers with what it holds, without the block\'s parts, when the block is gone', async () => {
    await rawWrite(dir, { type: 'del', key: 'block/000000000001' })
    const store = new NodeStore(dir)
    await store.open()
    const v = f.views[7]
    const view = await store.getQuery(v.id)
    await store.close()
    expect(view).toMatchObject({ id: v.id, status: 'final', prompt: v.prompt, answer: v.answer, answerers: v.answerers, finalizedAt: v.finalizedAt })
    expect(view?.block).toBeUndefined()
  })
})

describe('a final query read through the HTTP API after a restart', () => {
  let swarm: TestSwarm
  let api: ApiServer
  beforeAll(async () => {
    swarm = await startTestSwarm({ size: 3 })
    api = await startApi(swarm.nodes[0])
  }, 30_000)
  afterAll(async () => {
    await api?.close()
    await swarm?.stop()
  })

  it('is served byte for byte as before: certificate, record and record hashes rebuilt from the stored block, and it verifies offline', async () => {
    const ask = async (prompt: string): Promise<string> => ((await (await fetch(`${api.url}/v1/queries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) })).json()) as { id: string }).id
    // several at once, so that blocks hold more than one record
    const ids = await Promise.all(['What is 2 + 3?', 'What is 4 × 5?', 'What is 9 − 7?', 'What is 6 × 7?'].map(ask))
    const before = new Map<string, string>()
    await waitFor(async () => {
      for (const id of ids) {
        const text = await (await fetch(`${api.url}/v1/queries/${id}`)).text()
        if ((JSON.parse(text) as QueryView).status === 'final') before.set(id, text)
      }
      return before.size === ids.length
    }, 30_000, 'all final')
    const first = JSON.parse(before.get(ids[0])!) as QueryView
    expect(first.block).toMatchObject({ certificate: expect.stringMatching(/^[0-9a-f]+$/), record: expect.stringMatching(/^[0-9a-f]+$/) })
    expect(first.block!.recordHashes.length).toBeGreaterThanOrEqual(1)

    await api.close()
    // what is on disk, read through LevelDB while the node is stopped (restart stops a stopped node no further)
    await swarm.nodes[0].stop()
    for (const value of await rawValues(join(swarm.dir, 'node-0', 'db'), ids.map(id => `query/${id}`))) {
      const text = new TextDecoder().decode(value)
      expect(text).not.toContain('certificate')
      expect(text).not.toContain(first.block!.recordHashes[0])
    }
    const restarted = await swarm.restart(0)
    api = await startApi(restarted)
    for (const id of ids) expect(await (await fetch(`${api.url}/v1/queries/${id}`)).text()).toBe(before.get(id))

    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-views-verify-'))
    dirs.push(dir)
    const view = JSON.parse(await (await fetch(`${api.url}/v1/queries/${ids[0]}`)).text()) as QueryView
    writeFileSync(join(dir, 'q.json'), JSON.stringify(view))
    writeFileSync(join(dir, 'v.json'), await (await fetch(`${api.url}/v1/validators?height=${view.block!.height}`)).text())
    const lines: string[] = []
    expect(await main(['verify', '--validators', join(dir, 'v.json'), join(dir, 'q.json')], { out: l => lines.push(l), err: l => lines.push(l) })).toBe(0)
    expect(lines.join('\n')).toMatch(/^valid: query .* is final in block \d+/)
  }, 90_000)
})
