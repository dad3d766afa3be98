/**
 * Soak: N node processes (`swarmrank start`, laid out as `swarmrank cluster` does, instant builtin
 * agents) on loopback under a steady load of C closed-loop HTTP clients (each submits its next
 * query once its last is final on the node it asked), for a number of queries or a duration.
 * Every interval it prints the queries final so far, the interval's finality latency p50/p99,
 * and per node: resident memory, V8 heap used, external memory and the size of its database on
 * disk; then a summary: memory at points along the run, its growth over the last half, disk per
 * query. It answers "does a node last" (DESIGN §8.10: memory flat over a long run, disk bounded).
 *
 *   npm run soak                                            # 5 nodes, 100 clients, 10,000 queries, a line every 30 s
 *   npm run soak -- --nodes 5 --duration 600 --interval 10
 *   npm run soak -- --queries 2000 --node-args='--retention-blocks 300'   # each node started with these flags too (note the =)
 *   npm run soak -- --queries 2000 --max-rss 200           # exit 1 if a node's RSS passed 200 MB in the last half
 *   NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 npm run soak -- --data /tmp/soak   # then kill -USR2 a node's pid
 *
 * `--data DIR` keeps the cluster (logs, databases) in DIR after the run instead of a temporary
 * directory that is removed. `--out FILE` writes every sample as JSON. Latency is the node's
 * own `finalizedAt` minus the client's clock before the POST (the same machine's clock).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scriptArgs } from './script-args.js'
import { drawTask } from '../protocol/agents/tasks.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { HashStream } from '../protocol/random.js'
import { loadLauncher, startCluster, waitMesh } from './bench-throughput-cluster.js'
import { FinalityFeed, NodeApi } from './bench-throughput-load.js'
import { procAvailable, rssMb } from './bench-throughput-proc.js'

const usage = `usage: npm run soak -- [--nodes 5] [--concurrency 100] [--queries 10000 | --duration SECONDS] [--interval 30]
       [--params JSON] [--node-args='FLAGS'] [--max-rss MB] [--data DIR] [--out FILE] [--poll-ms 100]`

const { values, numberOf, fail } = scriptArgs('soak', usage, {
  nodes: { type: 'string', default: '5' },
  concurrency: { type: 'string', default: '100' },
  queries: { type: 'string' },
  duration: { type: 'string' },
  interval: { type: 'string', default: '30' },
  params: { type: 'string' },
  'node-args': { type: 'string' },
  'max-rss': { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  'poll-ms': { type: 'string', default: '100' }
})
const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1
const size = numberOf('nodes', n => Number.isInteger(n) && n >= 2 && n <= 64, 'a node count from 2 to 64')
const concurrency = numberOf('concurrency', positiveInt, 'a positive integer')
if (values.queries !== undefined && values.duration !== undefined) fail('give --queries or --duration, not both')
/** Without either, the issue's target: 10,000 queries. */
const queries = values.duration === undefined ? (values.queries === undefined ? 10_000 : numberOf('queries', positiveInt, 'a positive integer')) : undefined
const durationS = values.duration === undefined ? undefined : numberOf('duration', n => n > 0, 'a number of seconds above 0')
const intervalS = numberOf('interval', n => n >= 0.5, 'a number of seconds, 0.5 or more')
const pollMs = numberOf('poll-ms', n => Number.isInteger(n) && n >= 10, 'an integer of milliseconds, 10 or more')
const maxRss = values['max-rss'] === undefined ? undefined : numberOf('max-rss', n => n > 0, 'a number of MB above 0')
let params: Record<string, unknown> = {}
if (values.params !== undefined) {
  try {
    params = JSON.parse(String(values.params)) as Record<string, unknown>
  } catch {
    fail(`--params takes a JSON object of genesis parameters, like '{"retentionBlocks":500}', got "${String(values.params)}"`)
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) fail('--params takes a JSON object of genesis parameters')
}
const nodeArgs = values['node-args'] === undefined ? [] : String(values['node-args']).split(/\s+/).filter(a => a !== '')
if (!procAvailable()) fail('resident memory is read from /proc: run it on Linux')

/** One reading of one node. */
interface NodeSample { rssMb: number, heapMb?: number, heapTotalMb?: number, externalMb?: number, diskMb: number, height?: number }
/** One interval's line: queries final so far (on their submitting node), latencies of the interval, each node. */
interface Sample { atS: number, final: number, p50?: number, p99?: number, nodes: NodeSample[] }

const MB = 1024 * 1024

/** Bytes of every file under `dir` (a node's LevelDB); files that vanish while we walk (compaction) count 0. */
function diskBytes (dir: string): number {
  let total = 0
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return 0
  }
  for (const name of entries) {
    try {
      const st = statSync(join(dir, name))
      total += st.isDirectory() ? diskBytes(join(dir, name)) : st.size
    } catch { /* removed meanwhile */ }
  }
  return total
}

/** V8 heap used, external memory and height, from the node's GET /metrics (prom-client's default process metrics). */
async function metricsOf (api: NodeApi): Promise<{ heapMb?: number, heapTotalMb?: number, externalMb?: number, height?: number }> {
  const reply = await api.call('GET', '/metrics', undefined, 10_000).catch(() => undefined)
  if (reply?.status !== 200 || typeof reply.body !== 'string') return {}
  const value = (name: string): number | undefined => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(reply.body as string)
    return m === null ? undefined : Number(m[1])
  }
  const mb = (name: string): number | undefined => { const v = value(name); return v === undefined ? undefined : v / MB }
  return { heapMb: mb('nodejs_heap_size_used_bytes'), heapTotalMb: mb('nodejs_heap_size_total_bytes'), externalMb: mb('nodejs_external_memory_bytes'), height: value('swarmrank_height') }
}

function percentile (sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const fixed = (x: number | undefined, digits = 0): string => x === undefined ? '-' : x.toFixed(digits)
const perNode = (xs: Array<number | undefined>): string => xs.map(x => fixed(x).padStart(4)).join(' ')

/** Node processes started and not yet stopped: killed if the soak is interrupted. */
const live = new Set<ChildProcess>()
/** Interrupted while the nodes were starting: they are stopped as soon as they are known. */
let starting = true
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true
    if (starting) return
    for (const child of live) child.kill('SIGKILL')
    process.exit(130)
  })
}

const keepDir = values.data === undefined ? undefined : resolve(String(values.data))
const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'swarmrank-soak-'))
const buildDir = resolve(fileURLToPath(new URL('../../', import.meta.url)))
const launcher = await loadLauncher(buildDir)
const goal = queries !== undefined ? `${queries} queries` : `${durationS} s`
console.log(`soak: ${size} node processes (swarmrank start), instant builtin agents, loopback, Node ${process.versions.node}, ${availableParallelism()} cores; ${concurrency} closed-loop HTTP clients until ${goal}; a line every ${intervalS} s`)
if (values.params !== undefined || nodeArgs.length > 0) console.log(`genesis params changed: ${values.params ?? '-'}; node flags added: ${nodeArgs.join(' ') || '-'}`)

let started: Awaited<ReturnType<typeof startCluster>>['started']
let layout: Awaited<ReturnType<typeof startCluster>>['layout']
try {
  ({ started, layout } = await startCluster(launcher, join(dir, 'cluster'), size, { params, inspectable: false, nodeArgs }))
} catch (err) {
  console.error(`soak: the cluster did not start: ${(err as Error).message}`)
  process.exit(interrupted ? 130 : 1)
}
for (const s of started) live.add(s.child)
starting = false
if (interrupted) {
  await launcher.stopClusterNodes(started.map(s => s.child), 0)
  if (keepDir === undefined) rmSync(dir, { recursive: true, force: true })
  process.exit(130)
}
let stopping = false
let died: string | undefined
for (const [i, s] of started.entries()) {
  s.child.once('exit', code => { if (!stopping) died ??= `node ${i} exited (${code ?? 'signal'}) during the soak; see ${join(layout.nodes[i].dataDir, 'node.log')}` })
}
const apis = started.map(s => new NodeApi(s.info.api))
const feeds = apis.map(api => new FinalityFeed(api, pollMs))
const pids = started.map(s => s.child.pid!)
const dbDirs = layout.nodes.map(n => join(n.dataDir, 'db'))

const samples: Sample[] = []
let final = 0
let rejected = 0
let errors = 0
let lastError: string | undefined
/** latencies (ms) of the queries final since the last sample */
let latencies: number[] = []
const t0 = Date.now()
let stop = false

async function sample (): Promise<Sample> {
  const sorted = [...latencies].sort((a, b) => a - b)
  latencies = []
  const metrics = await Promise.all(apis.map(metricsOf))
  const nodes = pids.map((pid, i) => {
    let rss = 0
    try { rss = rssMb(pid).now } catch { /* exited */ }
    return { rssMb: rss, ...metrics[i], diskMb: diskBytes(dbDirs[i]) / MB }
  })
  return { atS: (Date.now() - t0) / 1000, final, p50: percentile(sorted, 50), p99: percentile(sorted, 99), nodes }
}

function print (s: Sample, previous: Sample | undefined): void {
  const rate = previous === undefined ? s.final / s.atS : (s.final - previous.final) / (s.atS - previous.atS)
  console.log([
    `${fixed(s.atS)} s`.padStart(7),
    String(s.final).padStart(7),
    fixed(rate, 1).padStart(6),
    fixed(s.p50).padStart(6),
    fixed(s.p99).padStart(6),
    ` ${perNode(s.nodes.map(n => n.rssMb))}`,
    ` ${perNode(s.nodes.map(n => n.heapMb))}`,
    ` ${perNode(s.nodes.map(n => n.externalMb))}`,
    ` ${perNode(s.nodes.map(n => n.diskMb))}`
  ].join('  '))
}

const client = async (c: number): Promise<void> => {
  const node = c % apis.length
  const rng = new HashStream(sha256(utf8(`soak/${c}`)))
  while (!stop) {
    const submittedAt = Date.now()
    let reply
    try {
      reply = await apis[node].call('POST', '/v1/queries', { prompt: drawTask(rng).prompt })
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
    const finalizedAt = await feeds[node].wait((reply.body as { id: string }).id)
    final++
    latencies.push(finalizedAt - submittedAt)
  }
}

let exitCode = 0
try {
  await waitMesh(apis, size)
  for (const f of feeds) f.start()
  console.log(`cluster in ${dir}`)
  console.log(`   time    final   q/s  p50 ms p99 ms   RSS MB per node${' '.repeat(Math.max(0, size * 5 - 16))}  heap used MB${' '.repeat(Math.max(0, size * 5 - 12))}  external MB${' '.repeat(Math.max(0, size * 5 - 11))}  disk MB`)
  const clients = Array.from({ length: concurrency }, async (_, c) => client(c))
  let previous: Sample | undefined
  let nextAt = t0 + intervalS * 1000
  for (;;) {
    await sleep(Math.min(200, Math.max(0, nextAt - Date.now())))
    if (died !== undefined) throw new Error(died)
    const done = queries !== undefined ? final >= queries : Date.now() - t0 >= durationS! * 1000
    if (Date.now() < nextAt && !done) continue
    nextAt += intervalS * 1000
    const s = await sample()
    samples.push(s)
    print(s, previous)
    previous = s
    if (done) break
  }
  stop = true
  // Clients waiting on a query stop with the cluster; their queries are not counted.
  void Promise.allSettled(clients)
  exitCode = summarize(samples)
  await printPower()
} catch (err) {
  console.error(`soak: ${(err as Error).message}`)
  exitCode = 1
} finally {
  stopping = true
  for (const f of feeds) f.stop()
  for (const a of apis) a.close()
  await launcher.stopClusterNodes(started.map(s => s.child))
  for (const s of started) live.delete(s.child)
  if (values.out !== undefined) writeFileSync(String(values.out), JSON.stringify({ nodes: size, concurrency, params, nodeArgs, samples }, null, 1) + '\n')
  if (keepDir === undefined) rmSync(dir, { recursive: true, force: true })
}
process.exit(exitCode)

/**
 * The validator set at the end, by node (node 0's ledger): under load a rule that punishes slow
 * nodes shows here as power gathered on one or two of them (docs/performance.md, "Soak").
 */
async function printPower (): Promise<void> {
  const reply = await apis[0].call('GET', '/v1/validators')
  if (reply.status !== 200) return
  const set = reply.body as { height: number, validators: Array<{ peerId: string, power: number }> }
  const total = set.validators.reduce((s, v) => s + v.power, 0)
  const share = layout.nodes.map(n => set.validators.find(v => v.peerId === n.peerId)?.power ?? 0).map(p => total === 0 ? '-' : `${Math.round(p * 100 / total)} %`)
  console.log(`voting power at height ${set.height} (node 0's ledger), node by node: ${share.join(' · ')}`)
}

/** The summary: memory along the run, its growth over the last half, disk per query; 1 if --max-rss was passed. */
function summarize (all: Sample[]): number {
  const last = all[all.length - 1]
  console.log(`\n${last.final} queries final in ${fixed(last.atS)} s (${fixed(last.final / last.atS, 1)}/s); ${rejected} submissions refused (429/503) and retried; ${errors} failed${lastError === undefined ? '' : ` (last: ${lastError})`}`)
  // Memory at points along the run, by queries final: the sample nearest to each share of the total.
  const at = (share: number): Sample => all.reduce((best, s) => Math.abs(s.final - share * last.final) < Math.abs(best.final - share * last.final) ? s : best)
  console.log('RSS MB per node at (queries final):')
  for (const share of [0.1, 0.25, 0.5, 0.75, 1]) {
    const s = at(share)
    console.log(`  ${String(s.final).padStart(7)}  ${perNode(s.nodes.map(n => n.rssMb))}   heap used ${perNode(s.nodes.map(n => n.heapMb))}   heap total ${perNode(s.nodes.map(n => n.heapTotalMb))}   external ${perNode(s.nodes.map(n => n.externalMb))}`)
  }
  // The last half: from the sample nearest to half the queries to the end.
  const half = all.filter(s => s.final >= last.final / 2)
  const growth = (f: (n: NodeSample) => number | undefined): Array<number | undefined> => last.nodes.map((n, i) => {
    const [a, b] = [f(half[0].nodes[i]), f(n)]
    return a === undefined || b === undefined ? undefined : b - a
  })
  const maxRssLastHalf = last.nodes.map((_, i) => Math.max(...half.map(s => s.nodes[i].rssMb)))
  console.log(`last half (${half[0].final} → ${last.final} queries): RSS growth MB ${perNode(growth(n => n.rssMb))}; heap used ${perNode(growth(n => n.heapMb))}; external ${perNode(growth(n => n.externalMb))}; RSS max ${perNode(maxRssLastHalf)}`)
  const disk = last.nodes.map(n => n.diskMb)
  console.log(`disk MB per node at the end: ${perNode(disk)} (${fixed(Math.max(...disk) * 1024 / Math.max(1, last.final), 1)} KB per query at most); heights ${last.nodes.map(n => n.height ?? '-').join(' ')}`)
  const all99 = all.map(s => s.p99).filter((x): x is number => x !== undefined)
  console.log(`finality latency: interval p50 ${fixed(Math.min(...all.map(s => s.p50 ?? Infinity)))}–${fixed(Math.max(...all.map(s => s.p50 ?? 0)))} ms, p99 up to ${fixed(Math.max(0, ...all99))} ms`)
  if (maxRss !== undefined) {
    const over = maxRssLastHalf.map((r, i) => [i, r] as const).filter(([, r]) => r > maxRss)
    if (over.length > 0) {
      console.log(`soak: RSS over ${maxRss} MB in the last half on node(s) ${over.map(([i, r]) => `${i} (${fixed(r)} MB)`).join(', ')}`)
      return 1
    }
    console.log(`every node's RSS stayed under ${maxRss} MB over the last half`)
  }
  return 0
}
