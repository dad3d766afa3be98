/**
 * Finality latency: time from submitting a query to its certified answer (final in a committed
 * block on the submitting node), with instant builtin agents, N real nodes over loopback TCP.
 * Prints p50 and p99 per N, and the same figures for "round done" (the answer known locally,
 * before BFT) so the cost of finality shows as the difference in the same run, and the CPU time
 * and socket writes per query of all N nodes together.
 *
 *   npm run bench:finality                      # N = 4, 7, 16; 40 queries each; in 1 process, then one per core
 *   npm run bench:finality -- --quick           # N = 4; 10 queries
 *   npm run bench:finality -- --groups 2        # only: the N nodes dealt to 2 processes
 *   npm run bench:finality -- --processes       # one OS process per node (swarmrank start), via HTTP
 *   npm run bench:finality -- --sizes 16 --queries 20
 *
 * All N nodes in one process share one event loop: one core does the work of N machines. In K
 * processes ("groups") the nodes are dealt round-robin (scripts/bench-finality-group.ts), so K
 * cores share it; each query is timed inside the process that holds its submitting node. By
 * default every size runs in both layouts: 1 process, and one per core (at most N).
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { drawTask } from '../protocol/agents/tasks.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { HashStream } from '../protocol/random.js'
import type { ProtocolParams } from '../protocol/genesis.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { callApi } from '../node/cli/http-client.js'
import { prepareCluster, startClusterNodes, stopClusterNodes } from '../node/cluster/launcher.js'
import { startLocalSwarm } from '../node/cluster/local-swarm.js'
import type { QueryView } from '../node/store.js'
import type { NodeStatus } from '../node/swarm-node.js'
import type { GroupReply, GroupRequest } from './bench-finality-group.js'
import { costMeter, timeQuery } from './finality-probe.js'
import type { Cost, QueryTiming } from './finality-probe.js'

function flag (name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}

const quick = process.argv.includes('--quick')
const sizes = flag('--sizes')?.split(',').map(Number) ?? (quick ? [4] : [4, 7, 16])
const queries = Number(flag('--queries') ?? (quick ? 10 : 40))
const processes = process.argv.includes('--processes')
const groupsFlag = flag('--groups')
const groups = groupsFlag === undefined ? [...new Set([1, availableParallelism()])] : [Number(groupsFlag)]
for (const [name, values] of [['--sizes', sizes], ['--queries', [queries]], ['--groups', groups]] as const) {
  if (values.some(v => !Number.isInteger(v) || v < 1)) {
    console.error(`bench-finality: ${name} takes positive integers`)
    process.exit(2)
  }
}

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The swarm under test: ask node i a prompt and time it; stop returns the cost since `mark` (where counted). */
interface Bench {
  ask: (node: number, prompt: string) => Promise<QueryTiming>
  mark: () => Promise<void>
  stop: () => Promise<Cost | undefined>
}

const params = (size: number): Partial<ProtocolParams> => ({ answerers: Math.min(5, Math.ceil(size / 2)), rankers: 5 })

const meter = costMeter()

async function inProcess (size: number): Promise<Bench> {
  const swarm = await startLocalSwarm({ size, params: params(size), metrics: false })
  return {
    ask: async (i, prompt) => timeQuery(async () => (await swarm.nodes[i].submitQuery(prompt)).id, async id => swarm.nodes[i].getQuery(id), 2),
    mark: async () => meter.mark(),
    stop: async () => {
      const cost = meter.since()
      await swarm.stop()
      return cost
    }
  }
}

/** A child process running some of the swarm's nodes; one request at a time. */
class Group {
  private readonly child: ChildProcess
  private queue: Promise<unknown> = Promise.resolve()

  constructor () {
    this.child = fork(fileURLToPath(new URL('./bench-finality-group.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  }

  async request<T extends GroupReply['type']>(req: GroupRequest, expect: T): Promise<Extract<GroupReply, { type: T }>> {
    const next = this.queue.then(async () => new Promise<Extract<GroupReply, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null): void => { reject(new Error(`a benchmark group process exited (${code ?? 'signal'})`)) }
      this.child.once('exit', onExit)
      this.child.once('message', (reply: GroupReply) => {
        this.child.off('exit', onExit)
        if (reply.type === expect) resolve(reply as Extract<GroupReply, { type: T }>)
        else reject(new Error(reply.type === 'error' ? reply.message : `unexpected reply ${reply.type} to ${req.type}`))
      })
      this.child.send(req)
    }))
    this.queue = next.catch(() => {})
    return next
  }

  kill (): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

async function inGroups (size: number, k: number): Promise<Bench> {
  const groupOf = (i: number): number => i % k
  const membersOf = (g: number): number[] => Array.from({ length: size }, (_, i) => i).filter(i => groupOf(i) === g)
  const started: Group[] = []
  try {
    const addrs: string[] = []
    for (let g = 0; g < k; g++) {
      const group = new Group()
      started.push(group)
      const reply = await group.request({ type: 'start', size, members: membersOf(g), bootstrap: [...addrs], params: params(size) }, 'started')
      addrs.push(...reply.multiaddrs)
    }
    await Promise.all(started.map(async g => g.request({ type: 'wait-mesh' }, 'ok')))
    // Let gossipsub exchange subscriptions and form its mesh across the groups.
    await new Promise(resolve => setTimeout(resolve, 1_500))
  } catch (err) {
    for (const g of started) g.kill()
    throw err
  }
  return {
    ask: async (i, prompt) => {
      const { done, certified } = await started[groupOf(i)].request({ type: 'ask', node: i, prompt }, 'timing')
      return { done, certified }
    },
    mark: async () => { await Promise.all(started.map(async g => g.request({ type: 'mark' }, 'ok'))) },
    stop: async () => {
      const reports = await Promise.all(started.map(async g => g.request({ type: 'stop' }, 'stopped')))
      return { cpuMs: reports.reduce((a, r) => a + r.cpuMs, 0), socketWrites: reports.reduce((a, r) => a + r.socketWrites, 0) }
    }
  }
}

async function asProcesses (size: number): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-bench-'))
  const layout = await prepareCluster(join(dir, 'cluster'), size, 'bench')
  const started = await startClusterNodes(join(dir, 'cluster'), layout.genesisFile, layout.nodes, 'warn')
  for (const s of started) {
    for (let i = 0; i < 200; i++) {
      const st = await callApi<NodeStatus>(s.info.api, '/v1/status').catch(() => undefined)
      if (st !== undefined && st.connectedPeers.length >= size - 1) break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  await new Promise(resolve => setTimeout(resolve, 1_500))
  return {
    ask: async (i, prompt) => {
      const api = started[i].info.api
      return timeQuery(
        async () => (await callApi<{ id: string }>(api, '/v1/queries', { method: 'POST', body: { prompt } })).id,
        async id => callApi<QueryView>(api, `/v1/queries/${id}`),
        10
      )
    },
    mark: async () => {},
    stop: async () => {
      await stopClusterNodes(started.map(s => s.child))
      rmSync(dir, { recursive: true, force: true })
      return undefined
    }
  }
}

console.log(`finality latency, instant builtin agents, loopback, Node ${process.versions.node}, ${availableParallelism()} cores, ${queries} sequential queries per size and layout`)
console.log('nodes  processes  round done p50/p99 (ms)  certified p50/p99 (ms)  finality share of p50  CPU ms/query  socket writes/query')
for (const size of sizes) {
  for (const k of processes ? [size] : groups.map(g => Math.min(g, size))) {
    const bench = processes ? await asProcesses(size) : k > 1 ? await inGroups(size, k) : await inProcess(size)
    const rng = new HashStream(sha256(utf8(`bench-finality/${size}`)))
    const done: number[] = []
    const certified: number[] = []
    let cost: Cost | undefined
    try {
      await bench.mark()
      for (let q = 0; q < queries; q++) {
        const t = await bench.ask(q % size, drawTask(rng).prompt)
        done.push(t.done)
        certified.push(t.certified)
      }
    } finally {
      cost = await bench.stop()
    }
    const p50 = percentile(certified, 50)
    const perQuery = (x: number | undefined): string => x === undefined ? '-' : (x / queries).toFixed(0)
    console.log(`${String(size).padStart(5)}  ${String(k).padStart(9)}  ${percentile(done, 50).toFixed(0).padStart(10)} / ${percentile(done, 99).toFixed(0).padEnd(12)} ${p50.toFixed(0).padStart(10)} / ${percentile(certified, 99).toFixed(0).padEnd(12)} ${`${((p50 - percentile(done, 50)) / p50 * 100).toFixed(0)}%`.padEnd(22)} ${perQuery(cost?.cpuMs).padStart(12)}  ${perQuery(cost?.socketWrites).padStart(19)}`)
  }
}
