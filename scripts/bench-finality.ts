/**
 * Finality latency: time from submitting a query to its certified answer (final in a committed
 * block on the submitting node), with instant builtin agents, N real nodes in one process over
 * loopback TCP. Prints p50 and p99 per N, and the same figures for "round done" (the answer known
 * locally, before BFT) so the cost of finality shows as the difference in the same run.
 *
 *   npm run bench:finality                 # N = 4, 7, 16; 40 queries each
 *   npm run bench:finality -- --quick      # N = 4; 10 queries
 */
import { drawTask } from '../protocol/agents/tasks.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { HashStream } from '../protocol/random.js'
import { startLocalSwarm } from '../node/cluster/local-swarm.js'
import type { QueryView } from '../node/store.js'

const quick = process.argv.includes('--quick')
const sizes = quick ? [4] : [4, 7, 16]
const queries = quick ? 10 : 40

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

console.log(`finality latency, instant builtin agents, loopback, Node ${process.versions.node}, ${queries} sequential queries per size`)
console.log('nodes  round done p50/p99 (ms)  certified p50/p99 (ms)  finality share of p50')
for (const size of sizes) {
  const swarm = await startLocalSwarm({ size, params: { answerers: Math.min(5, Math.ceil(size / 2)), rankers: 5 } })
  const rng = new HashStream(sha256(utf8(`bench-finality/${size}`)))
  const done: number[] = []
  const certified: number[] = []
  try {
    for (let q = 0; q < queries; q++) {
      const node = swarm.nodes[q % size]
      const start = performance.now()
      const { id } = await node.submitQuery(drawTask(rng).prompt)
      let doneAt: number | undefined
      for (;;) {
        const view = await node.getQuery(id) as QueryView
        if (doneAt === undefined && (view.phase === 'awaiting-finality' || view.status === 'final')) doneAt = performance.now()
        if (view.status === 'final') break
        await new Promise(resolve => setTimeout(resolve, 2))
      }
      certified.push(performance.now() - start)
      done.push(doneAt! - start)
    }
  } finally {
    await swarm.stop()
  }
  const p50 = percentile(certified, 50)
  console.log(`${String(size).padStart(5)}  ${percentile(done, 50).toFixed(0).padStart(10)} / ${percentile(done, 99).toFixed(0).padEnd(12)} ${p50.toFixed(0).padStart(10)} / ${percentile(certified, 99).toFixed(0).padEnd(12)} ${((p50 - percentile(done, 50)) / p50 * 100).toFixed(0)}%`)
}
