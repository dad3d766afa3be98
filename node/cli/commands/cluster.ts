import { randomBytes } from 'node:crypto'
import { drawTask, solveTask } from '../../../protocol/agents/tasks.js'
import { sha256, utf8 } from '../../../protocol/hash.js'
import type { LedgerSnapshot } from '../../../protocol/ledger.js'
import { HashStream } from '../../../protocol/random.js'
import { prepareCluster, startClusterNodes, stopClusterNodes, stopListedNodes } from '../../cluster/launcher.js'
import { createNetwork, destroyNetwork, netnsUnavailable } from '../../cluster/netns.js'
import type { NetLayout } from '../../cluster/netns.js'
import type { StartedNode } from '../../cluster/launcher.js'
import type { QueryView } from '../../store.js'
import type { NodeStatus } from '../../swarm-node.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { callApi } from '../http-client.js'
import { UsageError } from '../errors.js'
import { formatTable } from '../table.js'

export const clusterHelp = `Usage: swarmrank cluster [--nodes N] [--queries K] [--data DIR] [--seed S] [--netns] [--exit] [--json]

Start a local swarm: N node processes on loopback with builtin agents of different skill, a
fresh genesis naming them all, one data directory each under DIR, and DIR/cluster.json
(each node's pid, data dir, API URL and multiaddr). Then ask K demo questions, printing each
answer, its strengths and whether it is right, and finally consensus vs majority vote and the
reputations. Without --exit the cluster keeps running until Ctrl-C.

  --nodes N     node processes (default 5)
  --queries K   demo questions (default 5)
  --data DIR    cluster directory (default .swarmrank/cluster; an old cluster there is replaced)
  --seed S      seed for the questions (default: random)
  --exit        stop the nodes after the questions; exit 0 only if every question is final
  --json        print a JSON summary on stdout (progress goes to stderr)
  --log-level L the nodes' log level, in DIR/node-*/node.log (default info)
  --netns       root only: each node in a network namespace of its own on a bridge, so that
                swarmrank churn can partition, delay and drop packets between real processes
                (needs ip and nft; the namespaces and bridge go when the cluster stops)

Examples:
  swarmrank cluster --nodes 5
  swarmrank cluster --nodes 3 --queries 3 --exit --json`

interface QueryResult { id: string, prompt: string, status: string, answer: string | null, correct?: boolean, majorityCorrect?: boolean }

export async function clusterCommand (argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('cluster', argv, {
    nodes: { type: 'string' },
    queries: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'string' },
    exit: { type: 'boolean' },
    json: { type: 'boolean' },
    'log-level': { type: 'string' },
    netns: { type: 'boolean' }
  }, false)
  if (values.help === true) { out(clusterHelp); return 0 }
  const logLevel = (values['log-level'] as string | undefined) ?? 'info'
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) throw new UsageError('--log-level must be one of debug, info, warn, error, silent')
  const size = numberFlag('nodes', values.nodes as string | undefined, 5, n => Number.isInteger(n) && n >= 1 && n <= 64, 'an integer from 1 to 64')
  const queries = numberFlag('queries', values.queries as string | undefined, 5, n => Number.isInteger(n) && n >= 0 && n <= 10_000, 'an integer from 0 to 10000')
  const dir = (values.data as string | undefined) ?? '.swarmrank/cluster'
  const seed = (values.seed as string | undefined) ?? randomBytes(4).toString('hex')
  const json = values.json === true
  const say = json ? err : out

  if (values.netns === true) {
    const why = netnsUnavailable()
    if (why !== undefined) throw new UsageError(`--netns: ${why}`)
  }
  // A closed terminal or pipe (EPIPE) must not cut the shutdown short and leave nodes running
  // or namespaces behind.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {})
  const network = `cluster-${randomBytes(3).toString('hex')}`
  const layout = await prepareCluster(dir, size, network)
  let net: NetLayout | undefined
  let started: StartedNode[] = []
  // Our own children, and any node a churn run restarted since (listed in cluster.json, not our child).
  const shutdown = async (): Promise<void> => {
    await stopClusterNodes(started.map(s => s.child))
    await stopListedNodes(dir)
    if (net !== undefined) destroyNetwork(net)
  }
  try {
    if (values.netns === true) net = createNetwork()
    say(`starting ${size} nodes in ${dir} (network ${network}${net === undefined ? '' : `; namespaces ${net.prefix}-*, bridge ${net.bridge} ${net.subnet}.0/24`})`)
    started = await startClusterNodes(dir, layout.genesisFile, layout.nodes, logLevel, net)
    for (const [i, s] of started.entries()) say(`  node-${i}  ${layout.nodes[i].profile.padEnd(4)} ${s.info.peerId}  ${s.info.api}`)
    if (started.length > 0) say(`dashboard: open ${started[0].info.api}/ in a browser; OpenAI-compatible endpoint ${started[0].info.api}/v1; metrics ${started[0].info.api}/metrics`)
    await waitForMesh(started, size)

    const rng = new HashStream(sha256(utf8(`cluster-questions/${seed}`)))
    const results: QueryResult[] = []
    for (let q = 0; q < queries; q++) {
      const task = drawTask(rng)
      const api = started[q % size].info.api
      const { id } = await callApi<{ id: string }>(api, '/v1/queries', { method: 'POST', body: { prompt: task.prompt } })
      const view = await waitFinal(api, id, clusterDeadline())
      const right = solveTask(task.prompt)?.answer
      const majority = majorityAnswer(view)
      const result: QueryResult = { id, prompt: task.prompt, status: view.status, answer: view.answer ?? null, correct: view.answer === right, majorityCorrect: majority === right }
      results.push(result)
      const strengths = (view.candidates ?? []).map(c => `${c.answer} ${c.strength.toFixed(2)}`).join(', ')
      say(`Q${q + 1} ${task.prompt}\n    → ${view.answer ?? '(no answer)'} (${result.correct === true ? 'right' : 'wrong'}; majority vote: ${majority ?? '-'})  strengths: ${strengths}`)
    }

    const statuses = await settledStatuses(started)
    const ledger = await callApi<LedgerSnapshot>(started[0].info.api, '/v1/ledger')
    const right = results.filter(r => r.correct === true).length
    const majorityRight = results.filter(r => r.majorityCorrect === true).length
    if (queries > 0) say(`\nconsensus right ${right}/${queries} (${pct(right, queries)}); majority vote right ${majorityRight}/${queries} (${pct(majorityRight, queries)})`)
    const profileOf = new Map(started.map((s, i) => [s.info.peerId, layout.nodes[i].profile]))
    say(formatTable(['node', 'profile', 'reputation', 'height', 'state root'], statuses.map(s => [
      s.peerId.slice(-8), profileOf.get(s.peerId) ?? '', ((ledger.reputations.find(r => r.peerId === s.peerId)?.reputationPpm ?? 0) / 1e6).toFixed(4), String(s.height), s.stateRoot.slice(0, 16)
    ]), [false, false, true, true, false]))
    if (json) {
      out(JSON.stringify({
        queries: results.map(r => ({ id: r.id, status: r.status, answer: r.answer, correct: r.correct })),
        consensusCorrect: right,
        majorityCorrect: majorityRight,
        nodes: statuses.map(s => ({ peerId: s.peerId, api: started.find(x => x.info.peerId === s.peerId)?.info.api, height: s.height, stateRoot: s.stateRoot }))
      }))
    }
    const allFinal = results.every(r => r.status === 'final')
    if (values.exit === true) {
      await shutdown()
      return allFinal ? 0 : 1
    }
    say(`\ncluster running: ${dir}/cluster.json lists the nodes. Try: npm run swarmrank -- ask --api ${started[0].info.api} "Compute 12 + 7 × 3."\nCtrl-C stops it.`)
    // Signal handlers do not keep a process alive, and once churn has restarted every node this
    // command started, no child does either: without this timer it exited (code 13, an unsettled
    // top-level await) and left the restarted nodes running.
    const keepAlive = setInterval(() => {}, 60_000)
    await new Promise<void>(resolve => {
      // The handlers stay: a second Ctrl-C (or SIGTERM) while the nodes are being stopped must not
      // kill this process half-way and leave them running.
      let stopping = false
      const stop = (): void => {
        if (stopping) say('still stopping the nodes (any left get SIGKILL within 5 s)…')
        stopping = true
        resolve()
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    clearInterval(keepAlive)
    say('stopping the nodes…')
    await shutdown()
    return 0
  } catch (e) {
    await shutdown()
    throw e
  }
}

function clusterDeadline (): number {
  return 30_000
}

async function waitForMesh (nodes: StartedNode[], size: number): Promise<void> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const statuses = await Promise.all(nodes.map(async s => callApi<NodeStatus>(s.info.api, '/v1/status').catch(() => undefined)))
    if (statuses.every(s => s !== undefined && s.connectedPeers.length >= size - 1)) break
    if (Date.now() > deadline) break // go on: gossip relays through whoever is connected
    await new Promise(r => setTimeout(r, 100))
  }
  // Gossipsub forms its mesh on its heartbeat (1 s).
  await new Promise(r => setTimeout(r, 1_200))
}

/**
 * Every node's status once all report the same height (the last block reaches the nodes a few
 * milliseconds apart), or after 10 s whatever they report.
 */
async function settledStatuses (nodes: StartedNode[]): Promise<NodeStatus[]> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const statuses = await Promise.all(nodes.map(async s => callApi<NodeStatus>(s.info.api, '/v1/status')))
    if (new Set(statuses.map(s => s.height)).size === 1 || Date.now() > deadline) return statuses
    await new Promise(r => setTimeout(r, 50))
  }
}

async function waitFinal (api: string, id: string, timeoutMs: number): Promise<QueryView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const view = await callApi<QueryView>(api, `/v1/queries/${id}`)
    if (view.status === 'final' || Date.now() > deadline) return view
    await new Promise(r => setTimeout(r, 50))
  }
}

/** The answer most answerers gave (ties: the smaller candidate id), as majority voting would pick. */
function majorityAnswer (view: QueryView): string | undefined {
  const sorted = [...(view.candidates ?? [])].sort((x, y) => y.answerers.length - x.answerers.length || (x.id < y.id ? -1 : 1))
  return sorted[0]?.answer
}

function pct (k: number, n: number): string {
  return `${Math.round((100 * k) / n)}%`
}
