import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startRelay } from '../../node/cluster/relay.js'
import { writeShapes } from '../../node/cluster/netns.js'

/**
 * The delay relay of the netns layout (node/cluster/relay.ts), on loopback: bytes arrive whole
 * and in order however they are delayed and jittered, each direction is delayed by its sender's
 * shape, and a changed shapes file takes effect on open connections. Only lower bounds on time
 * are checked (a relay may be late on a busy machine, never early).
 */
const dir = mkdtempSync(join(tmpdir(), 'swarmrank-relay-'))
const shapesFile = join(dir, 'shapes.json')
const servers: Server[] = []
const closers: Array<() => Promise<void>> = []

afterAll(async () => {
  for (const c of closers) await c()
  for (const s of servers) s.close()
  rmSync(dir, { recursive: true, force: true })
})

/** An echo server on loopback; resolves with its port. */
async function echoServer (): Promise<number> {
  const server = createServer(socket => socket.pipe(socket))
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  return (server.address() as AddressInfo).port
}

async function relayTo (targetPort: number, selfIp: string): Promise<number> {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', () => resolve()))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>(resolve => probe.close(() => resolve()))
  const relay = await startRelay({ listenHost: '127.0.0.1', listenPort: port, targetHost: '127.0.0.1', targetPort, selfIp, shapesFile })
  closers.push(relay.close)
  return port
}

async function open (port: number): Promise<Socket> {
  return await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s))
    s.once('error', reject)
  })
}

/** Send `chunks` one by one, collect the echo until it is all back; returns it and the elapsed ms. */
async function roundTrip (socket: Socket, chunks: Buffer[]): Promise<{ echoed: Buffer, ms: number }> {
  const total = chunks.reduce((s, c) => s + c.length, 0)
  const started = Date.now()
  const parts: Buffer[] = []
  let got = 0
  const done = new Promise<void>(resolve => {
    const onData = (d: Buffer): void => {
      parts.push(d)
      got += d.length
      if (got >= total) { socket.off('data', onData); resolve() }
    }
    socket.on('data', onData)
  })
  for (const c of chunks) socket.write(c)
  await done
  return { echoed: Buffer.concat(parts), ms: Date.now() - started }
}

describe('delay relay (netns layout)', () => {
  it('forwards bytes unchanged with no shape, and in order under delay and jitter', async () => {
    writeShapes(shapesFile, {})
    const port = await relayTo(await echoServer(), '127.0.0.2')
    const socket = await open(port)
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.from(`chunk ${i} ${'x'.repeat(i % 37)};`))
    const plain = await roundTrip(socket, chunks)
    expect(plain.echoed.equals(Buffer.concat(chunks))).toBe(true)

    // the client is 127.0.0.1 as the relay sees it: its bytes wait 30–50 ms, the echo's 20 ms more
    writeShapes(shapesFile, { '127.0.0.1': { delayMs: 30, jitterMs: 20 }, '127.0.0.2': { delayMs: 20, jitterMs: 0 } })
    await new Promise(resolve => setTimeout(resolve, 300)) // the relay polls the file every 100 ms
    const shaped = await roundTrip(socket, chunks)
    expect(shaped.echoed.equals(Buffer.concat(chunks))).toBe(true)
    expect(shaped.ms).toBeGreaterThanOrEqual(50) // a lower bound only: 30 ms one way + 20 ms back
    socket.destroy()
  })

  it('passes the end of a stream through once the delayed bytes before it are out', async () => {
    writeShapes(shapesFile, { '127.0.0.1': { delayMs: 40, jitterMs: 10 } })
    await new Promise(resolve => setTimeout(resolve, 300))
    const port = await relayTo(await echoServer(), '127.0.0.3')
    const socket = await open(port)
    const parts: Buffer[] = []
    socket.on('data', d => parts.push(d))
    const closed = new Promise<void>(resolve => socket.once('close', () => resolve()))
    socket.end(Buffer.from('last words'))
    await closed
    expect(Buffer.concat(parts).toString()).toBe('last words')
  })
})
