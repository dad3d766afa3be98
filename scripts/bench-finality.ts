/**
 * Finality latency: time from submitting a query to its certified answer (final in a committed
 * block on the submitting node), with instant builtin agents, N real nodes in one process over
 * loopback TCP. Prints p50 and p99 per N, and the same figures for "round done" (the answer known
 * locally, before BFT) so the cost of finality shows as the difference in the same run, and the
 * CPU time and socket writes per query of the whole process (all N nodes together).
 *
 *   npm run bench:finality                      # N = 4, 7, 16 in one process; 40 queries each
 *   npm run bench:finality -- --quick           # N = 4; 10 queries
 *   npm run bench:finality -- --processes       # one OS process per node (swarmrank start), via HTTP
 *   npm run bench:finality -- --sizes 16 --queries 20
 */
import { drawTask } from '../protocol/agents/tasks.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { HashStream } from '../protocol/random.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { Socket } from 'node:net'
import { join } from 'node:path'
import { callApi } from '../node/cli/http-client.js'
import { prepareCluster, startClusterNodes, stopClusterNodes } from '../node/cluster/launcher.js'
import { startLocalSwarm } from '../node/cluster/local-swarm.js'
import type { QueryView } from '../node/store.js'
import type { NodeStatus } from '../node/swarm-node.js'

const quick = process.argv.includes('--quick')
const sizesFlag = process.argv.indexOf('--sizes')
const sizes = sizesFlag > 0 ? process.argv[sizesFlag + 1].split(',').map(Number) : quick ? [4] : [4, 7, 16]
const queriesFlag = process.argv.indexOf('--queries')
const queries = queriesFlag > 0 ? Number(process.argv[queriesFlag + 1]) : quick ? 10 : 40

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const processes = process.argv.includes('--processes')

/** A node to measure against: submit a prompt, read its view. */
interface Target { submit: (prompt: string) => Promise<string>, view: (id: string) => Promise<QueryView> }

async function inProcess (size: number): Promise<{ targets: Target[], stop: () => Promise<void> }> {
  const swarm = await startLocalSwarm({ size, params: { answerers: Math.min(5, Math.ceil(size / 2)), rankers: 5 }, metrics: false })
  return {
    targets: swarm.nodes.map(n => ({ submit: async p => (await n.submitQuery(p)).id, view: async id => (await n.getQuery(id)) as QueryView })),
    stop: swarm.stop
  }
}

async function asProcesses (size: number): Promise<{ targets: Target[], stop: () => Promise<void> }> {
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
    targets: started.map(s => ({
      submit: async p => (await callApi<{ id: string }>(s.info.api, '/v1/queries', { method: 'POST', body: { prompt: p } })).id,
      view: async id => callApi<QueryView>(s.info.api, `/v1/queries/${id}`)
    })),
    stop: async () => {
      await stopClusterNodes(started.map(s => s.child))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

// Socket writes per query (every node's, all in this process unless --processes): the cost that
// dominated before docs/performance.md's changes. Counted at Node's own net.Socket.write.
let socketWrites = 0
const write = Socket.prototype.write
Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
  socketWrites++
  return write.apply(this, args)
} as Socket['write']

console.log(`finality latency, instant builtin agents, loopback, Node ${process.versions.node}, ${processes ? 'one process per node' : 'all nodes in one process'}, ${queries} sequential queries per size`)
console.log('nodes  round done p50/p99 (ms)  certified p50/p99 (ms)  finality share of p50  CPU ms/query  socket writes/query')
for (const size of sizes) {
  const { targets, stop } = processes ? await asProcesses(size) : await inProcess(size)
  const rng = new HashStream(sha256(utf8(`bench-finality/${size}`)))
  const done: number[] = []
  const certified: number[] = []
  let cpuPerQuery = 0
  let writesPerQuery = 0
  const cpuBefore = process.cpuUsage()
  const writesBefore = socketWrites
  try {
    for (let q = 0; q < queries; q++) {
      const node = targets[q % size]
      const start = performance.now()
      const id = await node.submit(drawTask(rng).prompt)
      let doneAt: number | undefined
      for (;;) {
        const view = await node.view(id)
        if (doneAt === undefined && (view.phase === 'awaiting-finality' || view.status === 'final')) doneAt = performance.now()
        if (view.status === 'final') break
        await new Promise(resolve => setTimeout(resolve, processes ? 10 : 2))
      }
      certified.push(performance.now() - start)
      done.push(doneAt! - start)
    }
  } finally {
    const cpu = process.cpuUsage(cpuBefore)
    cpuPerQuery = (cpu.user + cpu.system) / 1000 / queries
    writesPerQuery = (socketWrites - writesBefore) / queries
    await stop()
  }
  const p50 = percentile(certified, 50)
  console.log(`${String(size).padStart(5)}  ${percentile(done, 50).toFixed(0).padStart(10)} / ${percentile(done, 99).toFixed(0).padEnd(12)} ${p50.toFixed(0).padStart(10)} / ${percentile(certified, 99).toFixed(0).padEnd(12)} ${`${((p50 - percentile(done, 50)) / p50 * 100).toFixed(0)}%`.padEnd(22)} ${processes ? '-' : cpuPerQuery.toFixed(0).padStart(12)}  ${processes ? '-' : writesPerQuery.toFixed(0).padStart(19)}`)
}
