/**
 * Throughput: N node processes (`swarmrank start`, as `swarmrank cluster` lays them out, with
 * instant builtin agents) on loopback, and C concurrent clients submitting queries through the
 * HTTP API, each asking its next question once its last is final on the node it asked
 * (scripts/bench-throughput-load.ts). Prints finalized queries per second, p50 and p99 latency
 * (submission to final on the submitting node), the CPU time per query of all node processes
 * together and of the client, each node's resident memory, and what the blocks of the window
 * looked like (scripts/bench-throughput-cluster.ts starts the nodes and reads their metrics).
 *
 *   npm run bench:throughput                                   # N = 5, 16; 100 clients; 5 s warm-up, 30 s measured
 *   npm run bench:throughput -- --sizes 5 --concurrency 200 --duration 30
 *   npm run bench:throughput -- --sizes 5 --queries 500       # until 500 queries are final
 *   npm run bench:throughput -- --baseline /tmp/base --repeat 2   # alternate with another build, 2 pairs per size
 *   npm run bench:throughput -- --sizes 5 --cpu-profile node0.cpuprofile  # and one profiled run
 *
 * `--baseline DIR` is a checkout with its own dist/ (a `git worktree` of an older commit, built
 * with `npx tsc -p tsconfig.build.json`): its launcher starts its own nodes, and the runs
 * alternate baseline/current, current/baseline, … so that drift in the machine's load falls on
 * both. `--cpu-profile FILE` adds one run of the current build in which node 0's CPU profile is
 * taken through its inspector for the measured window, and prints a summary of it
 * (scripts/bench-throughput-profile.ts). `--params JSON` changes the clusters' genesis parameters
 * (experiments: a longer propose timeout, bigger blocks) without touching the node's code.
 */
import { execFileSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scriptArgs } from './script-args.js'
import { drawTask } from '../protocol/agents/tasks.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { HashStream } from '../protocol/random.js'
import { blockChecks, launcherPath, loadLauncher, startCluster, waitMesh } from './bench-throughput-cluster.js'
import { FinalityFeed, NodeApi, runLoad } from './bench-throughput-load.js'
import type { LoadResult } from './bench-throughput-load.js'
import { attachProfiler, cpuMs, machineBusyMs, procAvailable, rssMb } from './bench-throughput-proc.js'
import type { Profiler } from './bench-throughput-proc.js'
import { formatSummary, summarizeProfile } from './bench-throughput-profile.js'

const usage = `usage: npm run bench:throughput -- [--sizes 5,16] [--concurrency 100] [--duration 30 | --queries Q]
       [--warmup 5] [--repeat 1] [--baseline DIR] [--poll-ms 100] [--cpu-profile FILE] [--params JSON]`

const { values, numberOf, fail } = scriptArgs('bench-throughput', usage, {
  sizes: { type: 'string', default: '5,16' },
  concurrency: { type: 'string', default: '100' },
  duration: { type: 'string', default: '30' },
  queries: { type: 'string' },
  warmup: { type: 'string', default: '5' },
  repeat: { type: 'string', default: '1' },
  baseline: { type: 'string' },
  'poll-ms': { type: 'string', default: '100' },
  'cpu-profile': { type: 'string' },
  params: { type: 'string' }
})
const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1
const sizes = String(values.sizes).split(',').map(Number)
if (sizes.some(n => !Number.isInteger(n) || n < 2 || n > 64)) fail(`--sizes takes node counts from 2 to 64, comma-separated, got "${String(values.sizes)}"`)
const concurrency = numberOf('concurrency', positiveInt, 'a positive integer')
const durationS = numberOf('duration', n => n > 0, 'a number of seconds above 0')
const queries = values.queries === undefined ? undefined : numberOf('queries', positiveInt, 'a positive integer')
const warmupS = numberOf('warmup', n => n >= 0, 'a number of seconds, 0 or more')
const repeat = numberOf('repeat', positiveInt, 'a positive integer')
const pollMs = numberOf('poll-ms', n => Number.isInteger(n) && n >= 10, 'an integer of milliseconds, 10 or more')
const profileFile = values['cpu-profile'] as string | undefined
/** Genesis parameters to change in every run (experiments: `--params '{"bft":{"timeoutProposeMs":3000}}'`); objects merge one level deep. */
let paramsOverride: Record<string, unknown> = {}
if (values.params !== undefined) {
  try {
    paramsOverride = JSON.parse(String(values.params)) as Record<string, unknown>
  } catch {
    fail(`--params takes a JSON object of genesis parameters, like '{"bft":{"timeoutProposeMs":3000}}', got "${String(values.params)}"`)
  }
  if (paramsOverride === null || typeof paramsOverride !== 'object' || Array.isArray(paramsOverride)) fail('--params takes a JSON object of genesis parameters')
}
if (!procAvailable()) fail('CPU and memory are read from /proc: run it on Linux')

interface Build { name: 'current' | 'baseline', dir: string, commit: string }

function commitOf (dir: string): string {
  try {
    const sha = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== ''
    return dirty ? `${sha}+changes` : sha
  } catch {
    return '?'
  }
}

const current: Build = { name: 'current', dir: resolve(fileURLToPath(new URL('../../', import.meta.url))), commit: '' }
current.commit = commitOf(current.dir)
let baseline: Build | undefined
if (values.baseline !== undefined) {
  const dir = resolve(String(values.baseline))
  if (!existsSync(launcherPath(dir)) || !existsSync(join(dir, 'bin/swarmrank.js'))) {
    fail(`--baseline ${dir} has no built swarmrank (dist/node/cluster/launcher.js, bin/swarmrank.js): make one with git worktree add DIR COMMIT, link node_modules, then npx tsc -p tsconfig.build.json there`)
  }
  baseline = { name: 'baseline', dir, commit: commitOf(dir) }
}

/** Node processes started and not yet stopped: killed if the benchmark is interrupted. */
const live = new Set<ChildProcess>()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of live) child.kill('SIGKILL')
    process.exit(130)
  })
}

interface RunResult {
  build: Build
  size: number
  load: LoadResult
  perSecond: number
  p50?: number
  p99?: number
  nodeCpuPerQuery?: number
  clientCpuPerQuery?: number
  rss: number[]
  feedLag?: number
  /** blocks made in the window (node 0's feed), records per block, share decided after a failed Tendermint round */
  blocks: number
  recordsPerBlock?: number
  laterRounds?: number
  fallbacks: number
  /** mean time a node took to check a proposed block in the window (ms), where the build counts it */
  blockCheckMs?: number
  /** gossip messages a node validated per final query */
  gossipPerQuery?: number
  /** cores' worth of CPU that other processes on the machine used during the window */
  otherCores: number
  profile?: unknown
}

function percentile (values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function runOnce (build: Build, size: number, seed: string, profile: boolean): Promise<RunResult> {
  const launcher = await loadLauncher(build.dir)
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-throughput-'))
  const { layout, started } = await startCluster(launcher, join(dir, 'cluster'), size, { params: paramsOverride, inspectable: profile })
  for (const s of started) live.add(s.child)
  let stopping = false
  const died = new Promise<never>((_resolve, reject) => {
    for (const [i, s] of started.entries()) {
      s.child.once('exit', code => { if (!stopping) reject(new Error(`node ${i} exited (${code ?? 'signal'}) during the run; see ${join(layout.nodes[i].dataDir, 'node.log')}`)) })
    }
  })
  died.catch(() => {})
  const apis = started.map(s => new NodeApi(s.info.api))
  const feeds = apis.map(api => new FinalityFeed(api, pollMs))
  const pids = started.map(s => s.child.pid!)
  try {
    await Promise.race([waitMesh(apis, size), died])
    let profiler: Profiler | undefined
    if (profile) profiler = await attachProfiler(pids[0], join(layout.nodes[0].dataDir, 'node.log'))
    for (const f of feeds) f.start()
    const rng = new HashStream(sha256(utf8(`bench-throughput/${seed}`)))
    let from = { nodes: 0, client: process.cpuUsage(), machine: 0 }
    let to = { nodes: 0, client: process.cpuUsage(), machine: 0 }
    let rss: number[] = []
    const edges = { start: 0, end: 0 }
    const checks: Record<'start' | 'end', Promise<{ seconds: number, count: number, gossip: number } | undefined>> = { start: Promise.resolve(undefined), end: Promise.resolve(undefined) }
    let profiling: Promise<unknown> = Promise.resolve()
    const load = await runLoad({
      apis,
      feeds,
      concurrency,
      prompt: () => drawTask(rng).prompt,
      warmupMs: warmupS * 1000,
      end: queries === undefined ? { durationMs: durationS * 1000 } : { queries },
      drainMs: 60_000,
      died,
      onWindow: edge => {
        const sample = { nodes: pids.reduce((a, pid) => a + cpuMs(pid), 0), client: process.cpuUsage(), machine: machineBusyMs() }
        edges[edge] = Date.now()
        checks[edge] = blockChecks(apis)
        if (edge === 'start') {
          from = sample
          if (profiler !== undefined) profiling = profiler.start()
        } else {
          to = sample
          rss = pids.map(pid => rssMb(pid).now)
          if (profiler !== undefined) profiling = profiling.then(async () => profiler!.stop())
        }
      }
    })
    const profileData = profiler === undefined ? undefined : await profiling
    const n = load.finalInWindow
    const [checksFrom, checksTo] = [await checks.start, await checks.end]
    const checked = checksFrom === undefined || checksTo === undefined ? undefined : { seconds: checksTo.seconds - checksFrom.seconds, count: checksTo.count - checksFrom.count, gossip: checksTo.gossip - checksFrom.gossip }
    const blocks = [...feeds[0].blocks.values()].filter(b => b.time >= edges.start && b.time <= edges.end)
    const clientMs = (to.client.user + to.client.system - from.client.user - from.client.system) / 1000
    return {
      build,
      size,
      load,
      perSecond: n / (load.windowMs / 1000),
      p50: percentile(load.latencies, 50),
      p99: percentile(load.latencies, 99),
      nodeCpuPerQuery: n > 0 ? (to.nodes - from.nodes) / n : undefined,
      clientCpuPerQuery: n > 0 ? clientMs / n : undefined,
      rss,
      feedLag: percentile(feeds.flatMap(f => f.lags), 50),
      fallbacks: feeds.reduce((a, f) => a + f.fallbacks, 0),
      blocks: blocks.length,
      gossipPerQuery: checked === undefined || n === 0 ? undefined : checked.gossip / size / n,
      blockCheckMs: checked === undefined || checked.count === 0 ? undefined : checked.seconds * 1000 / checked.count,
      recordsPerBlock: blocks.length === 0 ? undefined : blocks.reduce((a, b) => a + b.records, 0) / blocks.length,
      laterRounds: blocks.length === 0 ? undefined : blocks.filter(b => b.round > 0).length / blocks.length,
      otherCores: Math.max(0, (to.machine - from.machine) - (to.nodes - from.nodes) - clientMs) / load.windowMs,
      profile: profileData
    }
  } finally {
    stopping = true
    for (const f of feeds) f.stop()
    for (const a of apis) a.close()
    await launcher.stopClusterNodes(started.map(s => s.child))
    for (const s of started) live.delete(s.child)
    rmSync(dir, { recursive: true, force: true })
  }
}

const fixed = (x: number | undefined, digits = 0): string => x === undefined ? '-' : x.toFixed(digits)

function line (r: RunResult, label: string): string {
  const sorted = [...r.rss].sort((a, b) => a - b)
  const rss = sorted.length === 0 ? '-' : `${fixed(percentile(sorted, 50))} / ${fixed(sorted[sorted.length - 1])}`
  return [
    String(r.size).padStart(5),
    label.padEnd(9),
    fixed(r.otherCores, 1).padStart(6),
    String(r.load.finalInWindow).padStart(9),
    fixed(r.perSecond, 1).padStart(7),
    fixed(r.p50).padStart(6),
    fixed(r.p99).padStart(6),
    fixed(r.nodeCpuPerQuery, 1).padStart(13),
    fixed(r.clientCpuPerQuery, 1).padStart(11),
    rss.padStart(19),
    String(r.blocks).padStart(6),
    fixed(r.recordsPerBlock, 1).padStart(9),
    (r.laterRounds === undefined ? '-' : `${(r.laterRounds * 100).toFixed(0)}%`).padStart(9),
    fixed(r.blockCheckMs).padStart(8),
    fixed(r.gossipPerQuery, 1).padStart(8),
    fixed(r.feedLag).padStart(11),
    String(r.load.rejected).padStart(8),
    String(r.load.lost).padStart(4)
  ].join('  ')
}

const window = queries === undefined ? `${warmupS} s warm-up, ${durationS} s measured` : `${warmupS} s warm-up, measured until ${queries} queries are final`
console.log(`throughput, one OS process per node (swarmrank start), instant builtin agents, loopback, Node ${process.versions.node}, ${availableParallelism()} cores; ${concurrency} closed-loop HTTP clients, ${window}`)
console.log(`current: ${current.dir} (${current.commit})${baseline === undefined ? '' : `; baseline: ${baseline.dir} (${baseline.commit})`}${values.params === undefined ? '' : `; genesis params changed: ${String(values.params)}`}`)
console.log('nodes  build      others  finalized  final/s  p50 ms  p99 ms  node CPU ms/q  client ms/q  RSS MB/node med/max  blocks  rec/block  round > 0  check ms  gossip/q  feed lag ms  rejected  lost')

/** A run that could not be made (a node did not start, or died): say why, in one line, and stop. */
function abort (err: unknown): never {
  for (const child of live) child.kill('SIGKILL')
  console.error(`bench-throughput: ${(err as Error).message}`)
  process.exit(1)
}

const results: RunResult[] = []
let failed = false
for (const size of sizes) {
  for (let i = 0; i < repeat; i++) {
    const order = baseline === undefined ? [current] : i % 2 === 0 ? [baseline, current] : [current, baseline]
    for (const build of order) {
      const r = await runOnce(build, size, `${size}/${i}`, false).catch(abort)
      results.push(r)
      console.log(line(r, build.name))
      if (r.load.finalInWindow === 0) {
        failed = true
        console.error(`bench-throughput: no query became final in the window (${r.load.errors} failed submissions${r.load.lastError === undefined ? '' : `; last: ${r.load.lastError}`})`)
      }
      if (r.load.errors > 0 && r.load.finalInWindow > 0) console.log(`       (${r.load.errors} submissions failed and were retried; last: ${r.load.lastError ?? '?'})`)
      if (r.fallbacks > 0) console.log(`       (${r.fallbacks} finalities read from GET /v1/queries/:id: the feed's ring of 100 went by between two polls)`)
    }
  }
}
console.log('(others: cores used by other processes on the machine during the window; blocks: made in the window, as node 0 saw them; round > 0: share of them decided only after a failed Tendermint round; check ms: mean time a node took to check a proposed block (GET /metrics; - where a build lacks it); gossip/q: gossip messages a node validated per final query (GET /metrics); feed lag: final on the node → seen by its client)')
if (profileFile !== undefined) {
  const r = await runOnce(current, sizes[0], `${sizes[0]}/profiled`, true).catch(abort)
  console.log(line(r, 'profiled'))
  writeFileSync(profileFile, JSON.stringify(r.profile))
  console.log(`node 0's CPU profile over the measured window: ${resolve(profileFile)}`)
  console.log(formatSummary(summarizeProfile(r.profile as Parameters<typeof summarizeProfile>[0], 15)))
}
if (baseline !== undefined) {
  for (const size of sizes) {
    const of = (name: string): RunResult[] => results.filter(r => r.size === size && r.build.name === name)
    const [cur, base] = [of('current'), of('baseline')]
    const ratio = (f: (r: RunResult) => number | undefined): string => cur.map((c, i) => {
      const [a, b] = [f(c), f(base[i])]
      return a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}×`
    }).join(' · ')
    console.log(`${size} nodes, current / baseline by pair: final/s ${ratio(r => r.perSecond)}; p50 ${ratio(r => r.p50)}; node CPU per query ${ratio(r => r.nodeCpuPerQuery)}`)
  }
}
process.exit(failed ? 1 : 0)
