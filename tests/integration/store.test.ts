import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NodeStore } from '../../node/store.js'

const dirs: string[] = []
function freshDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-store-'))
  dirs.push(dir)
  return dir
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const bytes = (n: number): Uint8Array => new Uint8Array(32).fill(n)
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
    const writes = [1, 2, 3].map(async i => store.putMessage(`m${i}`, bytes(i)))
    // readable before the write finished
    expect(await read(store, 'm2')).toEqual(bytes(2))
    await Promise.all(writes)
    expect(batches).toEqual(['message'])
    // content-addressed: writing a known id again writes nothing
    await store.putMessage('m1', bytes(1))
    expect(batches).toEqual(['message'])
    await store.close()

    const { store: again } = await openStore(dir)
    for (const i of [1, 2, 3]) expect(await read(again, `m${i}`)).toEqual(bytes(i))
    expect(await read(again, 'm4')).toBeUndefined()
    await again.close()
  })

  it('a synced write takes the unwritten messages with it (one batch, not two)', async () => {
    const dir = freshDir()
    const { store, batches } = await openStore(dir)
    const message = store.putMessage('accepted-before-the-query', bytes(7))
    await store.putPending('acknowledged', bytes(8))
    await message
    // one synced batch carried both: no separate message batch was left to write
    expect(batches).toEqual(['pending'])
    await store.close()

    const { store: again } = await openStore(dir)
    expect(await read(again, 'accepted-before-the-query')).toEqual(bytes(7))
    expect((await again.listPending()).map(b => new Uint8Array(b))).toEqual([bytes(8)])
    await again.close()
  })

  it('commits a block together with the messages accepted just before it', async () => {
    const dir = freshDir()
    const { store } = await openStore(dir)
    void store.putMessage('record-message', bytes(9))
    await store.commitBlock({ block: { header: undefined, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }, certificate: undefined }, [], { table: { height: 1, reputations: [] } })
    await store.close()
    const { store: again } = await openStore(dir)
    expect(await read(again, 'record-message')).toEqual(bytes(9))
    expect(await again.getCertifiedBlockBytes(1)).toBeDefined()
    await again.close()
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
