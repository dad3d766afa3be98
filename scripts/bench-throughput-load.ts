/**
 * The load of bench-throughput (scripts/bench-throughput.ts): closed-loop clients that submit
 * queries to node processes over HTTP (POST /v1/queries) and learn of finality from each node's
 * activity feed (GET /v1/activity, polled every `pollMs`: one request per node instead of one per
 * pending query, which at 100 clients would be most of the nodes' HTTP work). The feed keeps the
 * node's last 100 final rounds; when a poll shows that more went by than that, the queries still
 * pending on that node are asked for one by one (GET /v1/queries/:id).
 *
 * Latency is the node's own `finalizedAt` (its clock: the moment the block holding the query was
 * imported there) minus the client's clock before the POST — the same machine's clock — so the
 * poll interval adds nothing to it; it only delays the client's next query (the "feed lag").
 */
import { Agent, request } from 'node:http'

export interface HttpReply { status: number, body: unknown }

/** One node's HTTP API over keep-alive connections (node:http: less client CPU than fetch). */
export class NodeApi {
  readonly base: string
  private readonly url: URL
  private readonly agent = new Agent({ keepAlive: true })

  constructor (base: string) {
    this.base = base
    this.url = new URL(base)
  }

  async call (method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 30_000): Promise<HttpReply> {
    const text = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.url.hostname,
        port: this.url.port,
        path,
        method,
        agent: this.agent,
        timeout: timeoutMs,
        headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
      }, res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown = raw
          try { parsed = JSON.parse(raw) } catch { /* not JSON: kept as text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed })
        })
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error(`${method} ${this.base}${path} timed out after ${timeoutMs} ms`)))
      req.on('error', reject)
      req.end(text)
    })
  }

  close (): void {
    this.agent.destroy()
  }
}

/** The activity feed's ring size (node/activity.ts KEEP): a poll that does not reach back to the last one may have missed rounds. */
const FEED_RING = 100

interface Waiter { resolve: (finalizedAt: number) => void, since: number }

/**
 * Finality of one node's queries, from its activity feed. `wait(id)` resolves with the
 * query's `finalizedAt` on that node.
 */
export class FinalityFeed {
  /** detection time minus finalizedAt, per query (ms) */
  readonly lags: number[] = []
  /** queries whose finality came from GET /v1/queries/:id because the feed may have dropped them */
  fallbacks = 0
  /** blocks seen in the feed by height: block time (ms), records, and the Tendermint round that decided it */
  readonly blocks = new Map<number, { time: number, records: number, round: number }>()
  private readonly api: NodeApi
  private readonly pollMs: number
  private readonly pending = new Map<string, Waiter>()
  private newestSeen: string | undefined
  private stopped = false
  private timer: NodeJS.Timeout | undefined

  constructor (api: NodeApi, pollMs: number) {
    this.api = api
    this.pollMs = pollMs
  }

  start (): void {
    const loop = (): void => {
      if (this.stopped) return
      this.poll().catch(() => {}).finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.pollMs)
      })
    }
    loop()
  }

  stop (): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  get size (): number {
    return this.pending.size
  }

  async wait (id: string): Promise<number> {
    return new Promise(resolve => this.pending.set(id, { resolve, since: Date.now() }))
  }

  private settle (id: string, finalizedAt: number): void {
    const w = this.pending.get(id)
    if (w === undefined) return
    this.pending.delete(id)
    this.lags.push(Date.now() - finalizedAt)
    w.resolve(finalizedAt)
  }

  private async poll (): Promise<void> {
    const reply = await this.api.call('GET', '/v1/activity')
    if (reply.status !== 200) return
    // newest first
    const { rounds, blocks } = reply.body as { rounds: Array<{ id: string, finalizedAt: number }>, blocks: Array<{ height: number, time: number, records: number, round: number }> }
    for (const b of blocks) this.blocks.set(b.height, { time: b.time, records: b.records, round: b.round })
    const gap = this.newestSeen !== undefined && rounds.length >= FEED_RING && !rounds.some(r => r.id === this.newestSeen)
    if (rounds.length > 0) this.newestSeen = rounds[0].id
    for (const r of rounds) this.settle(r.id, r.finalizedAt)
    // Missed rounds (a gap), or a query pending for long (a failed poll, say): ask for each.
    const now = Date.now()
    const ask = [...this.pending].filter(([, w]) => gap || now - w.since > 15_000).map(([id]) => id)
    for (const id of ask) this.pending.get(id)!.since = now
    await Promise.all(ask.map(async id => {
      const view = await this.api.call('GET', `/v1/queries/${id}`).catch(() => undefined)
      const v = view?.body as { status?: string, finalizedAt?: number } | undefined
      if (view?.status === 200 && v?.status === 'final' && v.finalizedAt !== undefined) {
        this.fallbacks++
        this.settle(id, v.finalizedAt)
      }
    }))
  }
}

export interface LoadOptions {
  apis: NodeApi[]
  feeds: FinalityFeed[]
  concurrency: number
  prompt: () => string
  warmupMs: number
  /** end of the window: after this long, or once this many queries were final in it */
  end: { durationMs: number } | { queries: number }
  /** after the window, how long to wait for the queries submitted in it */
  drainMs: number
  /** called at the window's start and end (CPU snapshots) */
  onWindow: (edge: 'start' | 'end') => void
  /** rejects when a node process dies */
  died: Promise<never>
}

export interface LoadResult {
  windowMs: number
  /** queries final (on their submitting node) inside the window */
  finalInWindow: number
  /** latencies (ms) of the queries submitted inside the window that became final */
  latencies: number[]
  /** submitted inside the window and not final `drainMs` after it */
  lost: number
  /** 429 / 503 answers to POST /v1/queries (each retried after 20 ms) */
  rejected: number
  /** other failed submissions */
  errors: number
  lastError?: string
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Run `concurrency` clients (client c asks node c mod N), each submitting its next query once the last is final. */
export async function runLoad (o: LoadOptions): Promise<LoadResult> {
  const started = Date.now()
  const t0 = started + o.warmupMs
  let t1 = 'durationMs' in o.end ? t0 + o.end.durationMs : Infinity
  let finalInWindow = 0
  let stop = false
  let rejected = 0
  let errors = 0
  let lastError: string | undefined
  const measured: Array<Promise<number | undefined>> = []
  let endWindow: () => void = () => {}
  const windowEnded = new Promise<void>(resolve => {
    endWindow = () => {
      if (stop) return
      stop = true
      t1 = Math.min(t1, Date.now())
      o.onWindow('end')
      resolve()
    }
  })

  const startTimer = setTimeout(() => o.onWindow('start'), Math.max(0, t0 - Date.now()))
  const durationTimer = 'durationMs' in o.end ? setTimeout(endWindow, t0 + o.end.durationMs - Date.now()) : undefined
  const queriesToEnd = 'queries' in o.end ? o.end.queries : Infinity

  const client = async (c: number): Promise<void> => {
    const node = c % o.apis.length
    while (!stop) {
      const submittedAt = Date.now()
      let reply: HttpReply
      try {
        reply = await o.apis[node].call('POST', '/v1/queries', { prompt: o.prompt() })
      } catch (err) {
        errors++
        lastError = (err as Error).message
        await sleep(100)
        continue
      }
      if (reply.status === 429 || reply.status === 503) {
        rejected++
        await sleep(20)
        continue
      }
      if (reply.status !== 202) {
        errors++
        lastError = `POST /v1/queries answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 200)}`
        await sleep(100)
        continue
      }
      const inWindow = submittedAt >= t0 && !stop
      const final = o.feeds[node].wait((reply.body as { id: string }).id).then(finalizedAt => {
        if (finalizedAt >= t0 && finalizedAt <= t1) {
          finalInWindow++
          if (finalInWindow >= queriesToEnd) endWindow()
        }
        return finalizedAt - submittedAt
      })
      if (inWindow) measured.push(Promise.race([final, windowEnded.then(async () => sleep(o.drainMs)).then(() => undefined)]))
      await Promise.race([final, windowEnded])
    }
  }

  const clients = Promise.all(Array.from({ length: o.concurrency }, async (_, c) => client(c)))
  let outcomes: Array<number | undefined>
  try {
    await Promise.race([windowEnded, o.died])
    outcomes = await Promise.race([Promise.all(measured), o.died])
    await clients
  } finally {
    stop = true
    clearTimeout(startTimer)
    clearTimeout(durationTimer)
  }
  // finalInWindow kept counting during the drain only for finalizedAt ≤ t1, which is what it counts.
  const latencies = outcomes.filter((x): x is number => x !== undefined)
  return { windowMs: t1 - t0, finalInWindow, latencies, lost: outcomes.length - latencies.length, rejected, errors, lastError }
}
