import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { drawTask } from '../../protocol/agents/tasks.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import { callApi } from '../cli/http-client.js'
import type { NodeStatus } from '../swarm-node.js'
import type { QueryView } from '../store.js'
import { CLUSTER_FILE, ClusterError, isAlive, readCluster, spawnNode } from './launcher.js'
import type { ClusterFile, ClusterNode } from './launcher.js'

/**
 * Fault injection against a running cluster (DESIGN §7, reliability engineers): SIGKILL and
 * restart, SIGSTOP/SIGCONT, clean restart, wipe-and-resync, and brand-new nodes joining, while
 * queries keep flowing; then heal, wait for quiescence and report Jepsen-style: acknowledged,
 * final, lost (acknowledged, never final), heights and state roots, divergence.
 */
export type FaultKind = 'kill' | 'pause' | 'restart' | 'wipe' | 'join'
export const faultKinds: FaultKind[] = ['kill', 'pause', 'restart', 'wipe', 'join']

export interface ChurnOptions {
  clusterDir: string
  durationS: number
  seed: string
  faults: FaultKind[]
  /** faults per second */
  rate: number
  queriesPerSecond: number
  /** how long to wait for every acknowledged query to be final after healing */
  quiescenceS: number
  log: (line: string) => void
}

export interface ChurnReport {
  durationS: number
  seed: string
  faults: Record<FaultKind, number>
  queries: { acknowledged: number, final: number, lost: number, inconsistent: number, refused: number }
  lostIds: string[]
  nodes: Array<{ index: number, peerId: string, height: number | null, stateRoot: string | null, joined: boolean }>
  diverged: number
  ok: boolean
}

interface LiveNode extends ClusterNode {
  state: 'up' | 'down' | 'paused'
  joined: boolean
  /** extra start flags (joined nodes have their own data dir and no fixed listen port) */
  startArgs: string[]
}

export async function runChurn (opts: ChurnOptions): Promise<ChurnReport> {
  const cluster = readCluster(opts.clusterDir)
  if (cluster === undefined) throw new ClusterError(`no ${CLUSTER_FILE} in ${opts.clusterDir}: start a cluster first (swarmrank cluster --data ${opts.clusterDir})`)
  const nodes: LiveNode[] = cluster.nodes.map(n => ({ ...n, state: 'up', joined: false, startArgs: startArgsFor(cluster, n) }))
  for (const n of nodes) if (!isAlive(n.pid)) throw new ClusterError(`node ${n.index} (pid ${n.pid}) is not running; restart the cluster`)
  const validators = nodes.length
  // Fewer than 1/3 of the (equal) voting power may be down at once, so the rest keep finality.
  const maxDown = Math.max(0, Math.ceil(validators / 3) - 1)
  const rng = new HashStream(sha256(utf8(`churn/${opts.seed}`)))
  const counts: Record<FaultKind, number> = { kill: 0, pause: 0, restart: 0, wipe: 0, join: 0 }
  const acknowledged = new Map<string, number>() // query id → node index it was acknowledged by
  let refused = 0
  const end = Date.now() + opts.durationS * 1000
  const recoveries: Array<Promise<void>> = []
  opts.log(`churn: ${nodes.length} nodes, ${opts.durationS} s, faults ${opts.faults.join(',')} at ${opts.rate}/s, ${opts.queriesPerSecond} queries/s, at most ${maxDown} validator(s) down at once`)

  const down = (): number => nodes.filter(n => !n.joined && n.state !== 'up').length
  const keepsQuorum = async (victim: LiveNode): Promise<boolean> => {
    for (const source of up()) {
      try {
        const set = await callApi<{ validators: Array<{ peerId: string, power: number }> }>(source.api, '/v1/validators', { timeoutMs: 2_000 })
        const total = set.validators.reduce((s, v) => s + v.power, 0)
        const upIds = new Set(up().filter(x => x !== victim).map(x => x.peerId))
        const upPower = set.validators.filter(v => upIds.has(v.peerId)).reduce((s, v) => s + v.power, 0)
        return upPower * 3 > total * 2
      } catch { /* ask another node */ }
    }
    return false
  }
  const up = (): LiveNode[] => nodes.filter(n => n.state === 'up')

  const restart = async (n: LiveNode, wipe: boolean): Promise<void> => {
    if (wipe) rmSync(join(n.dataDir, 'db'), { recursive: true, force: true })
    const started = await spawnNode(n.startArgs, n.dataDir, 60_000)
    started.child.unref()
    n.pid = started.info.pid
    n.api = started.info.api
    n.state = 'up'
  }

  const inject = async (kind: FaultKind): Promise<void> => {
    if (kind === 'join') {
      const index = nodes.length
      const dataDir = join(opts.clusterDir, `node-${index}`)
      mkdirSync(dataDir, { recursive: true, mode: 0o700 })
      const n: LiveNode = { index, peerId: '', profile: 'ada', dataDir, pid: 0, api: '', multiaddr: '', log: join(dataDir, 'node.log'), state: 'down', joined: true, startArgs: [] }
      n.startArgs = ['start', '--data', dataDir, '--genesis', cluster.genesis, '--api', '0', '--profile', 'ada', ...nodes.filter(x => !x.joined).flatMap(x => ['--bootstrap', x.multiaddr])]
      nodes.push(n)
      counts.join++
      opts.log(`  +${elapsed()}s join node-${index}`)
      await restart(n, false)
      n.peerId = (await callApi<NodeStatus>(n.api, '/v1/status')).peerId
      return
    }
    const candidates = up().filter(n => !n.joined)
    if (candidates.length === 0 || down() + 1 > maxDown) return
    const n = candidates[rng.nextInt(candidates.length)]
    // Voting power is reputation, so nodes weigh differently: keep more than 2/3 of it up.
    if (!(await keepsQuorum(n))) return
    const outage = 1_000 + rng.nextInt(4_000)
    counts[kind]++
    opts.log(`  +${elapsed()}s ${kind} node-${n.index}${kind === 'restart' ? '' : ` for ${(outage / 1000).toFixed(1)} s`}`)
    if (kind === 'pause') {
      process.kill(n.pid, 'SIGSTOP')
      n.state = 'paused'
      recoveries.push(sleep(outage).then(() => { process.kill(n.pid, 'SIGCONT'); n.state = 'up' }))
    } else if (kind === 'restart') {
      n.state = 'down'
      await stopGracefully(n.pid)
      recoveries.push(restart(n, false))
    } else {
      process.kill(n.pid, 'SIGKILL')
      n.state = 'down'
      recoveries.push(sleep(outage).then(async () => restart(n, kind === 'wipe')))
    }
  }

  const started = Date.now()
  const elapsed = (): string => ((Date.now() - started) / 1000).toFixed(1)
  const queryLoop = (async () => {
    const task = new HashStream(sha256(utf8(`churn-queries/${opts.seed}`)))
    while (Date.now() < end) {
      const targets = up()
      if (targets.length > 0) {
        const n = targets[rng.nextInt(targets.length)]
        try {
          const { id } = await callApi<{ id: string }>(n.api, '/v1/queries', { method: 'POST', body: { prompt: drawTask(task).prompt }, timeoutMs: 3_000 })
          acknowledged.set(id, n.index)
        } catch {
          refused++ // not acknowledged: the client knows it failed
        }
      }
      await sleep(1000 / opts.queriesPerSecond)
    }
  })()
  const faultLoop = (async () => {
    while (Date.now() < end) {
      await sleep(Math.max(50, (1000 / opts.rate) * (0.5 + rng.nextFloat())))
      if (Date.now() >= end || opts.faults.length === 0) break
      await inject(opts.faults[rng.nextInt(opts.faults.length)]).catch(err => opts.log(`  fault failed: ${(err as Error).message}`))
    }
  })()
  await Promise.all([queryLoop, faultLoop])

  // Heal: every paused node resumed, every killed node restarted.
  opts.log(`healing at +${elapsed()}s`)
  await Promise.allSettled(recoveries)
  for (const n of nodes) {
    if (n.state === 'paused') { process.kill(n.pid, 'SIGCONT'); n.state = 'up' }
    if (n.state === 'down' || !isAlive(n.pid)) await restart(n, false)
  }
  writeClusterFile(opts.clusterDir, cluster, nodes)

  // Quiescence: every acknowledged query final on every node, and all heights equal.
  const deadline = Date.now() + opts.quiescenceS * 1000
  let pending = [...acknowledged.keys()]
  let statuses: Array<NodeStatus | undefined> = []
  for (;;) {
    statuses = await Promise.all(nodes.map(async n => callApi<NodeStatus>(n.api, '/v1/status').catch(() => undefined)))
    const stillPending: string[] = []
    for (const id of pending) {
      const views = await Promise.all(nodes.map(async n => callApi<QueryView>(n.api, `/v1/queries/${id}`).catch(() => undefined)))
      if (!views.every(v => v?.status === 'final')) stillPending.push(id)
    }
    pending = stillPending
    const heights = new Set(statuses.map(s => s?.height))
    if ((pending.length === 0 && heights.size === 1 && !heights.has(undefined)) || Date.now() > deadline) break
    await sleep(500)
  }

  // Consistency of the answers each node reports for the same query.
  let inconsistent = 0
  for (const id of acknowledged.keys()) {
    const views = await Promise.all(nodes.map(async n => callApi<QueryView>(n.api, `/v1/queries/${id}`).catch(() => undefined)))
    const finals = views.filter(v => v?.status === 'final')
    if (new Set(finals.map(v => `${v!.winner}/${v!.block?.hash}`)).size > 1) inconsistent++
  }
  const byHeight = new Map<number, Set<string>>()
  for (const s of statuses) if (s !== undefined) byHeight.set(s.height, (byHeight.get(s.height) ?? new Set()).add(s.stateRoot))
  const diverged = [...byHeight.values()].filter(roots => roots.size > 1).length
  const lost = pending.length
  const report: ChurnReport = {
    durationS: opts.durationS,
    seed: opts.seed,
    faults: counts,
    queries: { acknowledged: acknowledged.size, final: acknowledged.size - lost, lost, inconsistent, refused },
    lostIds: pending,
    nodes: nodes.map((n, i) => ({ index: n.index, peerId: n.peerId, height: statuses[i]?.height ?? null, stateRoot: statuses[i]?.stateRoot ?? null, joined: n.joined })),
    diverged,
    ok: lost === 0 && diverged === 0 && inconsistent === 0
  }
  return report
}

function startArgsFor (cluster: ClusterFile, n: ClusterNode): string[] {
  const port = n.multiaddr.split('/')[4]
  const args = ['start', '--data', n.dataDir, '--genesis', cluster.genesis, '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--api', '0', '--profile', n.profile]
  for (const other of cluster.nodes) if (other.index !== n.index) args.push('--bootstrap', other.multiaddr)
  return args
}

function writeClusterFile (dir: string, cluster: ClusterFile, nodes: LiveNode[]): void {
  const file: ClusterFile = { ...cluster, nodes: nodes.map(({ index, peerId, profile, dataDir, pid, api, multiaddr, log }) => ({ index, peerId, profile, dataDir, pid, api, multiaddr, log })) }
  if (existsSync(dir)) writeFileSync(join(dir, CLUSTER_FILE), JSON.stringify(file, null, 2) + '\n')
}

async function stopGracefully (pid: number, graceMs = 5_000): Promise<void> {
  try { process.kill(pid, 'SIGTERM') } catch { return }
  const deadline = Date.now() + graceMs
  while (isAlive(pid) && Date.now() < deadline) await sleep(50)
  if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  while (isAlive(pid)) await sleep(20)
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
