/**
 * Reproduces a liveness gap the campaigns found (docs/reliability.md, "What the campaigns found"):
 * a query acknowledged by a node while it is cut off from the others stays pending after the
 * partition heals for as long as no other query moves the chain on — it is ordered only when
 * later traffic brings a height that node proposes.
 *
 *   sudo npm run swarmrank -- cluster --nodes 4 --queries 0 --data D --netns     # leave it running
 *   sudo node dist/scripts/repro-quiet-partition.js D [--wait 90]
 *
 * Exit code 0 if the query became final on every node within --wait seconds after the heal, 1 if not.
 */
import { parseArgs } from 'node:util'
import { callApi } from '../node/cli/http-client.js'
import { readCluster } from '../node/cluster/launcher.js'
import { NetFaults } from '../node/cluster/net-faults.js'
import type { HashStream } from '../protocol/random.js'
import type { QueryView } from '../node/store.js'

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

async function main (): Promise<number> {
  const { values, positionals } = parseArgs({ options: { wait: { type: 'string' } }, allowPositionals: true })
  const cluster = positionals[0] === undefined ? undefined : readCluster(positionals[0])
  if (cluster?.net === undefined) throw new Error('usage: repro-quiet-partition.js DIR (a running cluster started with --netns)')
  const waitS = Number(values.wait ?? 90)
  const faults = new NetFaults(cluster.net, cluster.net.shapesFile)
  const members = cluster.nodes.map(n => ({ index: n.index, ip: n.ip! }))
  const alone = members[members.length - 1]
  const submit = async (api: string, prompt: string): Promise<string> => (await callApi<{ id: string }>(api, '/v1/queries', { method: 'POST', body: { prompt } })).id
  const views = async (id: string): Promise<Array<QueryView | undefined>> => await Promise.all(cluster.nodes.map(async n => await callApi<QueryView>(n.api, `/v1/queries/${id}`).catch(() => undefined)))

  // the last member first, and an order-keeping "random" stream: isolate exactly that node
  const keep = { nextInt: (bound: number) => bound - 1 } as unknown as HashStream
  console.log(faults.partition('isolate', [alone, ...members.slice(0, -1)], keep))
  const id = await submit(cluster.nodes[alone.index].api, 'Compute 4 + 5.')
  console.log(`query ${id.slice(0, 12)} acknowledged by node-${alone.index} while it is cut off`)
  await sleep(8_000)
  faults.healPartition()
  console.log('partition healed; no other query is sent')
  for (let s = 0; s <= waitS; s++) {
    const v = await views(id)
    if (v.every(x => x?.status === 'final')) {
      console.log(`final on every node ${s} s after the heal`)
      return 0
    }
    if (s % 10 === 0) console.log(`+${s}s ${v.map((x, i) => `node-${i} ${x?.status ?? 'unknown'}${x?.phase === undefined ? '' : `/${x.phase}`}`).join(', ')}`)
    await sleep(1_000)
  }
  console.log(`NOT final ${waitS} s after the heal`)
  return 1
}

main().then(code => { process.exitCode = code }, err => {
  process.stderr.write(`repro-quiet-partition: ${(err as Error).message}\n`)
  process.exitCode = 2
})
