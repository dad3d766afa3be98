import { readFileSync, statSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import type { Socket } from 'node:net'
import { pathToFileURL } from 'node:url'
import type { LinkShape } from './netns.js'

/**
 * The delay relay of one node in the netns layout (netns.ts). The kernel here has no sch_netem,
 * so latency and jitter are made in user space: the node listens on loopback inside its
 * namespace and this relay accepts its peers' connections on the node's address, forwarding
 * bytes both ways. Every connection between two nodes passes through exactly one relay (the
 * accepting node's), which delays each direction by its sender's shape: bytes from the node by
 * the node's, bytes from the peer (known by its source address) by the peer's. A node's delay
 * is therefore its egress latency on every link, as netem on its interface would give.
 *
 * Bytes keep their order: a chunk leaves at max(previous departure, arrival + delay + U(0, jitter)).
 * When its queue grows past a limit the relay stops reading that side (TCP backpressure).
 *
 * Usage: node relay.js LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT SELF_IP SHAPES_FILE
 */
export interface RelayOptions {
  listenHost: string
  listenPort: number
  targetHost: string
  targetPort: number
  selfIp: string
  shapesFile: string
}

const MAX_QUEUED_BYTES = 4 * 1024 * 1024
/** how often the shapes file is checked for changes */
const POLL_MS = 100

export async function startRelay (opts: RelayOptions): Promise<{ close: () => Promise<void> }> {
  let shapes: Record<string, LinkShape> = {}
  let mtime = 0
  const reload = (): void => {
    try {
      const m = statSync(opts.shapesFile).mtimeMs
      if (m === mtime) return
      shapes = JSON.parse(readFileSync(opts.shapesFile, 'utf8')) as Record<string, LinkShape>
      mtime = m
    } catch { /* missing or being replaced: keep the last shapes */ }
  }
  reload()
  const poll = setInterval(reload, POLL_MS)
  const shapeOf = (ip: string): LinkShape => shapes[ip] ?? { delayMs: 0, jitterMs: 0 }

  const server = createServer({ noDelay: true, allowHalfOpen: true }, client => {
    const peerIp = (client.remoteAddress ?? '').replace(/^::ffff:/, '')
    const upstream = connect({ host: opts.targetHost, port: opts.targetPort, noDelay: true, allowHalfOpen: true })
    const closeBoth = (): void => { client.destroy(); upstream.destroy() }
    client.on('error', closeBoth)
    upstream.on('error', closeBoth)
    pipeDelayed(client, upstream, () => shapeOf(peerIp), closeBoth)
    pipeDelayed(upstream, client, () => shapeOf(opts.selfIp), closeBoth)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.listenPort, opts.listenHost, () => resolve())
  })
  return {
    close: async () => {
      clearInterval(poll)
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

function pipeDelayed (from: Socket, to: Socket, shape: () => LinkShape, closeBoth: () => void): void {
  const queue: Array<{ at: number, data?: Buffer }> = [] // data undefined: the sender's FIN
  let queued = 0
  let lastAt = 0
  let timer: NodeJS.Timeout | undefined
  const flush = (): void => {
    timer = undefined
    const now = Date.now()
    while (queue.length > 0 && queue[0].at <= now) {
      const { data } = queue.shift()!
      if (data === undefined) { to.end(); return }
      queued -= data.length
      to.write(data)
    }
    if (queued < MAX_QUEUED_BYTES && from.isPaused()) from.resume()
    if (queue.length > 0) timer = setTimeout(flush, queue[0].at - now)
  }
  const enqueue = (data?: Buffer): void => {
    const { delayMs, jitterMs } = shape()
    if (delayMs <= 0 && jitterMs <= 0 && queue.length === 0) {
      if (data === undefined) to.end(); else to.write(data)
      return
    }
    lastAt = Math.max(lastAt, Date.now() + delayMs + Math.random() * jitterMs)
    queue.push({ at: lastAt, data })
    if (data !== undefined) {
      queued += data.length
      if (queued >= MAX_QUEUED_BYTES) from.pause()
    }
    if (timer === undefined) timer = setTimeout(flush, Math.max(0, queue[0].at - Date.now()))
  }
  from.on('data', (data: Buffer) => enqueue(data))
  from.on('end', () => enqueue(undefined))
  from.on('close', () => { if (queue.length === 0) closeBoth() })
  to.on('close', () => { if (timer !== undefined) clearTimeout(timer); from.destroy() })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [listenHost, listenPort, targetHost, targetPort, selfIp, shapesFile] = process.argv.slice(2)
  if (shapesFile === undefined) {
    process.stderr.write('usage: relay.js LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT SELF_IP SHAPES_FILE\n')
    process.exit(2)
  }
  startRelay({ listenHost, listenPort: Number(listenPort), targetHost, targetPort: Number(targetPort), selfIp, shapesFile })
    .then(() => process.stdout.write(`relay ${listenHost}:${listenPort} -> ${targetHost}:${targetPort}\n`))
    .catch(err => { process.stderr.write(`relay: ${(err as Error).message}\n`); process.exit(1) })
}
