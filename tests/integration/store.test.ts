import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Level } from 'level'
import { NodeStore } from '../../node/store.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'

const dirs: string[] = []
function freshDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-store-'))
  dirs.push(dir)
  return dir
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const bytes = (n: number): Uint8Array => new Uint8Array(32).fill(n)
/** A message id as the node makes them (sha256 of the envelope): 64 hex characters. */
const mid = (label: string | number): string => toHex(sha256(utf8(`message ${label}`)))
const emptyBlock = { block: { header: undefined, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }, certificate: undefined }
const ledgerAt = (height: number): { table: { height: number, reputations: [] } } => ({ table: { height, reputations: [] } })

/** Every entry of a stopped store's LevelDB under `prefix`. */
async function entries (dir: string, prefix: string): Promise<Array<[string, Uint8Array]>> {
  const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
  try {
    return await db.iterator({ gte: prefix, lt: prefix + '~' }).all()
  } finally {
    await db.close()
  }
}
/** LevelDB hands back Buffers; compare as plain bytes */
async function read (store: NodeStore, id: string): Promise<Uint8Array | undefined> {
  const b = await store.getMessage(id)
  return b === undefined ? undefined : new Uint8Array(b)
}

/** An open store in `dir`, with the kind of every write batch it makes, in order. */
async function openStore (dir: string): Promise<{ store: NodeStore, batches: string[] }> {
  const store = new NodeStore(dir)
  const batches: string[] = []
  store.observeWrite = kind => batches.push(kind)
  await store.open()
  return { store, batches }
}

describe('NodeStore message writes (real LevelDB on disk)', () => {
  it('serves a message at once, writes the messages of one turn together, and keeps them across a reopen', async () => {
    const dir = freshDir()
    const { store, batches } = await openStore(dir)
    const writes = [1, 2, 3].map(async i => store.putMessage(mid(i), bytes(i)))
    // readable before the write finished
    expect(await read(store, mid(2))).toEqual(bytes(2))
    await Promise.all(writes)
    expect(batches).toEqual(['message'])
    // content-addressed: writing a known id again writes nothing
    await store.putMessage(mid(1), bytes(1))
    expect(batches).toEqual(['message'])
    await store.close()

    const { store: again } = await openStore(dir)
    for (const i of [1, 2, 3]) expect(await read(again, mid(i))).toEqual(bytes(i))
    expect(await read(again, mid(4))).toBeUndefined()
    await again.close()
  })

  it('a synced write takes the unwritten messages with it (one batch, not two)', async () => {
    const dir = freshDir()
    const { store, batches } = await openStore(dir)
    const message = store.putMessage(mid('accepted-before-the-query'), bytes(7))
    await store.putPending(mid('acknowledged'), bytes(8))
    await message
    // one synced batch carried both: no separate message batch was left to write
    expect(batches).toEqual(['pending'])
    await store.close()

    const { store: again } = await openStore(dir)
    expect(await read(again, mid('accepted-before-the-query'))).toEqual(bytes(7))
    expect((await again.listPending()).map(b => new Uint8Array(b))).toEqual([bytes(8)])
    await again.close()
  })

  it('commits a block together with the messages accepted just before it', async () => {
    const dir = freshDir()
    const { store } = await openStore(dir)
    void store.putMessage(mid('record-message'), bytes(9))
    await store.commitBlock({ block: { header: undefined, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }, certificate: undefined }, [], { table: { height: 1, reputations: [] } })
    await store.close()
    const { store: again } = await openStore(dir)
    expect(await read(again, mid('record-message'))).toEqual(bytes(9))
    expect(await again.getCertifiedBlockBytes(1)).toBeDefined()
    await again.close()
  })
})

describe('the arrival index of messages (mh/, what retention prunes unnamed messages by)', () => {
  it('costs ~32 bytes per message, one row per height, not an 80-byte key per message', async () => {
    const dir = freshDir()
    const { store } = await openStore(dir)
    const PER_HEIGHT = 100
    for (let h = 0; h < 3; h++) {
      // written in several batches at each height: a turn of the event loop each, and an acknowledged query
      for (let b = 0; b < 5; b++) await Promise.all(Array.from({ length: PER_HEIGHT / 5 - (b === 0 ? 1 : 0) }, async (_, i) => store.putMessage(mid(`${h}-${b}-${i}`), bytes(i))))
      await store.putPending(mid(`query ${h}`), bytes(h))
      await store.commitBlock(emptyBlock, [], ledgerAt(h + 1))
    }
    await store.close()
    const index = await entries(dir, 'mh/')
    const size = index.reduce((n, [k, v]) => n + Buffer.byteLength(k) + v.byteLength, 0)
    // one key per height the messages were stored at (the old index: 300 keys of 80 bytes)
    expect(index.map(([k]) => k.split('/')[1])).toEqual(['000000000000', '000000000001', '000000000002'])
    expect(size / (3 * PER_HEIGHT)).toBeLessThan(34)
  })

  it('retention deletes the messages of both forms: rows, and one key per message from older versions', async () => {
    const dir = freshDir()
    const { store } = await openStore(dir)
    for (let h = 0; h < 4; h++) {
      await Promise.all([0, 1].map(async i => store.putMessage(mid(`${h}-${i}`), bytes(i))))
      await store.commitBlock(emptyBlock, [], ledgerAt(h + 1))
    }
    await store.close()
    // a data directory from an older version: an empty value under the message's id
    const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
    await db.batch([{ type: 'put', key: `msg/${mid('old')}`, value: bytes(5) }, { type: 'put', key: `mh/000000000001/${mid('old')}`, value: new Uint8Array(0) }])
    await db.close()
    const { store: again } = await openStore(dir)
    // heights below 3 left the window, orphan lag 1: what arrived at heights 0 and 1 goes
    const pruned = await again.prune(3, 64, 1)
    expect(pruned).toMatchObject({ from: 0, to: 3, messages: 5 })
    for (const gone of [mid('0-0'), mid('0-1'), mid('1-0'), mid('1-1'), mid('old')]) expect(await read(again, gone)).toBeUndefined()
    for (const h of [2, 3]) for (const i of [0, 1]) expect(await read(again, mid(`${h}-${i}`))).toEqual(bytes(i))
    await again.close()
    expect((await entries(dir, 'mh/')).map(([k]) => k.split('/')[1])).toEqual(['000000000002', '000000000003'])
  })

  it('refuses an id that is not a message id, and stores nothing', async () => {
    const { store } = await openStore(freshDir())
    await expect(store.putMessage('not-an-id', bytes(1))).rejects.toThrow(/64 lower-case hex/)
    expect(await store.getMessage('not-an-id')).toBeUndefined()
    await store.close()
  })
})

describe('patched dependencies (patches/, applied by npm install)', () => {
  const source = (pkg: string, file: string): string => readFileSync(join('node_modules', pkg, 'dist/src', file), 'utf8')

  it('yamux sends window updates only once half the window is used', () => {
    expect(source('@chainsafe/libp2p-yamux', 'stream.js')).toContain('this.recvWindow - this.recvWindowCapacity < this.recvWindow / 2')
  })

  it('the TCP connection gathers the writes of one tick into one', () => {
    expect(source('@libp2p/tcp', 'socket-to-conn.js')).toContain('process.nextTick(uncorkSocket, this.socket)')
  })
})
