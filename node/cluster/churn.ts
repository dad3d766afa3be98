import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { drawTask } from '../../protocol/agents/tasks.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { HashStream } from '../../protocol/random.js'
import { callApi } from '../cli/http-client.js'
import { checkQuiescence } from './churn-check.js'
import type { Quiescence } from './churn-check.js'
import { CLUSTER_FILE, ClusterError, isAlive, netnsStartArgs, readCluster, spawnNode, startNetnsMember } from './launcher.js'
import type { ClusterFile, ClusterNode } from './launcher.js'
import { NetFaults, partitionKinds } from './net-faults.js'
import { inNamespace } from './netns.js'

/**
 * Fault injection against a running cluster (DESIGN §7, reliability engineers) while queries
 * keep flowing. Processes: SIGKILL and restart, SIGSTOP/SIGCONT, clean restart, wipe-and-resync,
 * brand-new nodes joining, and a node restarted with its clock skewed. Network (clusters started
 * with --netns only): partitions (random halves, one node isolated, a bridge node that hears both
 * sides, one-way), delay with jitter, and packet loss. Then everything is healed, the tool waits
 * for quiescence and reports Jepsen-style: acknowledged, final, lost (acknowledged, never final),
 * inconsistent (final with different answers or blocks on different nodes), diverged (state
 * roots differing at one height), and the heal time: from the last fault lifted until every
 * node has every acknowledged query final at one common height.
 */
export type FaultKind = 'kill' | 'pause' | 'restart' | 'wipe' | 'join' | 'clock' | 'partition' | 'delay' | 'loss'
export const faultKinds: FaultKind[] = ['kill', 'pause', 'restart', 'wipe', 'join', 'clock', 'partition', 'delay', 'loss']
/** faults that need the netns layout (swarmrank cluster --netns, root) */
export const networkFaultKinds: FaultKind[] = ['partition', 'delay', 'loss']

/** Clock skews stay within what the design assumes of honest clocks ("within a few seconds", §8). */
export const MAX_CLOCK_SKEW_MS = 3_000

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
  /** asked for but not possible on this cluster, and why */
  skipped: { faults: FaultKind[], reason: string } | null
  queries: { acknowledged: number, final: number, lost: number, inconsistent: number, refused: number }
  lostIds: string[]
  nodes: Array<{ index: number, peerId: string, height: number | null, stateRoot: string | null, joined: boolean }>
  diverged: number
  /** seconds from the last fault lifted to quiescence; null if it was not reached within --quiescence */
  healS: number | null
  ok: boolean
}

interface LiveNode extends ClusterNode {
  state: 'up' | 'down' | 'paused'
  joined: boolean
  /** a process or clock fault holds it until its outage ends (no second one meanwhile) */
  held: boolean
  clockOffsetMs: number
}

export async function runChurn (opts: ChurnOptions): Promise<ChurnReport> {
  const cluster = readCluster(opts.clusterDir)
  if (cluster === undefined) throw new ClusterError(`no ${CLUSTER_FILE} in ${opts.clusterDir}: start a cluster first (swarmrank cluster --data ${opts.clusterDir})`)
  const net = cluster.net
  const nodes: LiveNode[] = cluster.nodes.map(n => ({ ...n, args: n.args ?? loopbackArgs(cluster, n), state: 'up', joined: false, held: false, clockOffsetMs: 0 }))
  for (const n of nodes) if (!isAlive(n.pid)) throw new ClusterError(`node ${n.index} (pid ${n.pid}) is not running; restart the cluster`)
  let skipped: ChurnReport['skipped'] = null
  let faults = opts.faults
  const unavailable = net === undefined ? faults.filter(f => networkFaultKinds.includes(f)) : []
  if (unavailable.length > 0) {
    skipped = { faults: unavailable, reason: 'network faults need a cluster in network namespaces (swarmrank cluster --netns, as root)' }
    faults = faults.filter(f => !unavailable.includes(f))
    opts.log(`churn: ${unavailable.join(', ')} skipped: ${skipped.reason}; running ${faults.join(', ') || 'no faults'}`)
  }
  if (faults.length === 0 && opts.faults.length > 0) throw new ClusterError(`none of the faults asked for (${opts.faults.join(', ')}) can run on this cluster: ${skipped?.reason ?? ''}`)
  const netFaults = net === undefined ? undefined : new NetFaults(net, net.shapesFile)
  const validators = nodes.length
  // Fewer than 1/3 of the (equal) voting power may be down at once, so the rest keep finality.
  const maxDown = Math.max(0, Math.ceil(validators / 3) - 1)
  const rng = new HashStream(sha256(utf8(`churn/${opts.seed}`)))
  const counts = Object.fromEntries(faultKinds.map(k => [k, 0])) as Record<FaultKind, number>
  const acknowledged = new Map<string, number>() // query id → node index it was acknowledged by
  let refused = 0
  const end = Date.now() + opts.durationS * 1000
  const recoveries: Array<Promise<void>> = []
  opts.log(`churn: ${nodes.length} nodes${net === undefined ? '' : ` in namespaces ${net.prefix}-*`}, ${opts.durationS} s, faults ${faults.join(',')} at ${opts.rate}/s, ${opts.queriesPerSecond} queries/s, at most ${maxDown} validator(s) down at once`)

  const up = (): LiveNode[] => nodes.filter(n => n.state === 'up')
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

  const start = async (n: LiveNode, wipe: boolean): Promise<void> => {
    if (wipe) rmSync(join(n.dataDir, 'db'), { recursive: true, force: true })
    const args = n.clockOffsetMs === 0 ? n.args! : [...n.args!, '--clock-offset-ms', String(n.clockOffsetMs)]
    const started = await spawnNode(args, n.dataDir, 60_000, net === undefined ? [] : inNamespace(net, n.index))
    started.child.unref()
    n.pid = started.info.pid
    n.api = started.info.api
    n.state = 'up'
  }
  const restartGracefully = async (n: LiveNode): Promise<void> => {
    n.state = 'down'
    await stopGracefully(n.pid)
    await start(n, false)
  }
  const later = (ms: number, lift: () => void | Promise<void>): void => {
    recoveries.push(sleep(ms).then(lift).catch(err => opts.log(`  lifting a fault failed: ${(err as Error).message}`)))
  }

  const join_ = async (): Promise<void> => {
    const index = nodes.length
    const dataDir = resolve(join(opts.clusterDir, `node-${index}`))
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const bootstrap = nodes.filter(x => !x.joined).map(x => x.multiaddr)
    const n: LiveNode = { index, peerId: '', profile: 'ada', dataDir, pid: 0, api: '', multiaddr: '', log: join(dataDir, 'node.log'), state: 'down', joined: true, held: true, clockOffsetMs: 0 }
    nodes.push(n)
    counts.join++
    opts.log(`  +${elapsed()}s join node-${index}`)
    if (net === undefined) {
      n.args = ['start', '--data', dataDir, '--genesis', cluster.genesis, '--api', '0', '--profile', 'ada', ...bootstrap.flatMap(a => ['--bootstrap', a])]
      await start(n, false)
    } else {
      const member = await startNetnsMember(net, index, dataDir, netnsStartArgs(net, dataDir, cluster.genesis, index, 'ada', bootstrap, 'info'), net.shapesFile)
      Object.assign(n, { args: member.args, netns: member.namespace, ip: member.ip, relayPid: member.relayPid, pid: member.started.info.pid, api: member.started.info.api, state: 'up' })
      member.started.child.unref()
    }
    n.peerId = (await callApi<{ peerId: string }>(n.api, '/v1/status')).peerId
    n.multiaddr = net === undefined ? '' : `/ip4/${n.ip!}/tcp/${net.p2pPort}/p2p/${n.peerId}`
    n.held = false
  }

  // Slow parts of faults (a node stopping and starting, a join) run beside the fault loop, so that
  // faults overlap as they would in the wild; heal waits for them.
  const background: Array<Promise<void>> = []
  const inBackground = (work: () => Promise<void>): void => {
    background.push(work().catch(err => opts.log(`  fault failed: ${(err as Error).message}`)))
  }
  // One victim chosen at a time: two faults must never both count on the same quorum.
  let choosing: Promise<unknown> = Promise.resolve()

  const inject = async (kind: FaultKind): Promise<void> => {
    if (kind === 'join') return inBackground(join_)
    if (kind === 'partition' || kind === 'delay' || kind === 'loss') return injectNetwork(kind)
    const chosen = choosing.then(async () => await injectProcess(kind))
    choosing = chosen.catch(() => {})
    const slow = await chosen
    if (slow !== undefined) inBackground(slow)
  }

  /** Choose a victim and hit it; returns the slow remainder (stop, start) to run in the background. */
  const injectProcess = async (kind: FaultKind): Promise<(() => Promise<void>) | undefined> => {
    const candidates = up().filter(n => !n.joined && !n.held)
    if (candidates.length === 0 || down() + 1 > maxDown) return
    const n = candidates[rng.nextInt(candidates.length)]
    // Voting power is reputation, so nodes weigh differently: keep more than 2/3 of it up.
    if (!(await keepsQuorum(n))) return
    const outage = 1_000 + rng.nextInt(4_000)
    counts[kind]++
    n.held = true
    const release = (): void => { n.held = false }
    if (kind === 'clock') {
      const magnitude = 500 + rng.nextInt(MAX_CLOCK_SKEW_MS - 500 + 1)
      n.clockOffsetMs = rng.nextInt(2) === 0 ? magnitude : -magnitude
      const skewedFor = 3_000 + rng.nextInt(5_000)
      opts.log(`  +${elapsed()}s clock node-${n.index} ${n.clockOffsetMs > 0 ? '+' : ''}${n.clockOffsetMs} ms for ${(skewedFor / 1000).toFixed(1)} s (restarted with --clock-offset-ms)`)
      n.state = 'down'
      return async () => {
        await restartGracefully(n)
        later(skewedFor, async () => {
          // setting the clock right is a restart too: it waits for a free slot under the limit
          const claimed = choosing.then(async () => {
            while (down() + 1 > maxDown && down() > 0) await sleep(100)
            n.state = 'down'
          })
          choosing = claimed.catch(() => {})
          await claimed
          n.clockOffsetMs = 0
          await restartGracefully(n)
          release()
        })
      }
    }
    opts.log(`  +${elapsed()}s ${kind} node-${n.index}${kind === 'restart' ? '' : ` for ${(outage / 1000).toFixed(1)} s`}`)
    if (kind === 'pause') {
      process.kill(n.pid, 'SIGSTOP')
      n.state = 'paused'
      later(outage, () => { process.kill(n.pid, 'SIGCONT'); n.state = 'up'; release() })
    } else if (kind === 'restart') {
      n.state = 'down'
      return async () => { await restartGracefully(n); release() }
    } else {
      process.kill(n.pid, 'SIGKILL')
      n.state = 'down'
      later(outage, async () => { await start(n, kind === 'wipe'); release() })
    }
    return undefined
  }

  const injectNetwork = (kind: 'partition' | 'delay' | 'loss'): void => {
    const members = nodes.filter(n => n.ip !== undefined && n.peerId !== '').map(n => ({ index: n.index, ip: n.ip! }))
    const outage = 2_000 + rng.nextInt(6_000)
    const forS = `for ${(outage / 1000).toFixed(1)} s`
    if (kind === 'partition') {
      if (netFaults!.partitioned || members.length < 2) return
      const variant = partitionKinds[rng.nextInt(partitionKinds.length)]
      if (variant === 'bridge' && members.length < 3) return
      counts.partition++
      opts.log(`  +${elapsed()}s partition ${variant}: ${netFaults!.partition(variant, members, rng)} ${forS}`)
      later(outage, () => netFaults!.healPartition())
      return
    }
    // one node, or (one time in four) every node at once
    const free = members.filter(m => kind === 'loss' ? !netFaults!.lossy(m.index) : !netFaults!.delayed(m.ip))
    if (free.length === 0) return
    const targets = rng.nextInt(4) === 0 && free.length === members.length ? free : [free[rng.nextInt(free.length)]]
    const who = targets.length === 1 ? `node-${targets[0].index}` : 'every node'
    counts[kind]++
    if (kind === 'loss') {
      const percent = 5 + rng.nextInt(26)
      opts.log(`  +${elapsed()}s loss ${percent}% on ${who} ${forS}`)
      for (const t of targets) netFaults!.setLoss(t.index, percent)
      later(outage, () => { for (const t of targets) netFaults!.clearLoss(t.index) })
    } else {
      const delayMs = 50 + rng.nextInt(451)
      const jitterMs = rng.nextInt(Math.floor(delayMs / 2) + 1)
      opts.log(`  +${elapsed()}s delay ${delayMs} ms + jitter 0-${jitterMs} ms on ${who}'s packets ${forS}`)
      for (const t of targets) netFaults!.setDelay(t.ip, { delayMs, jitterMs })
      later(outage, () => { for (const t of targets) netFaults!.clearDelay(t.ip) })
    }
  }

  const started = Date.now()
  const elapsed = (): string => ((Date.now() - started) / 1000).toFixed(1)
  const queryLoop = (async () => {
    const task = new HashStream(sha256(utf8(`churn-queries/${opts.seed}`)))
    // a stream of its own: how many queries go out depends on timing, and must not shift the fault schedule
    const pick = new HashStream(sha256(utf8(`churn-targets/${opts.seed}`)))
    while (Date.now() < end) {
      const targets = up()
      if (targets.length > 0) {
        const n = targets[pick.nextInt(targets.length)]
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
      if (Date.now() >= end || faults.length === 0) break
      await inject(faults[rng.nextInt(faults.length)]).catch(err => opts.log(`  fault failed: ${(err as Error).message}`))
    }
  })()
  try {
    await Promise.all([queryLoop, faultLoop])
    // Heal: every fault's outage ends, then anything still faulty is put right.
    opts.log(`healing at +${elapsed()}s`)
    await Promise.allSettled(background) // may add recoveries (a clock fault's second restart)
    await Promise.allSettled(recoveries)
  } finally {
    // also when something above threw: never leave a cluster partitioned, lossy or slowed
    netFaults?.healAll()
  }
  for (const n of nodes) {
    if (n.state === 'paused') { process.kill(n.pid, 'SIGCONT'); n.state = 'up' }
    if (n.clockOffsetMs !== 0) { n.clockOffsetMs = 0; await restartGracefully(n) }
    if (n.state === 'down' || !isAlive(n.pid)) await start(n, false)
  }
  writeClusterFile(opts.clusterDir, cluster, nodes)
  const healedAt = Date.now()
  opts.log(`healed at +${elapsed()}s; waiting for quiescence`)

  const q: Quiescence = await checkQuiescence(nodes, [...acknowledged.keys()], opts.quiescenceS * 1000)
  const lost = q.pending.length
  return {
    durationS: opts.durationS,
    seed: opts.seed,
    faults: counts,
    skipped,
    queries: { acknowledged: acknowledged.size, final: acknowledged.size - lost, lost, inconsistent: q.inconsistent, refused },
    lostIds: q.pending,
    nodes: nodes.map((n, i) => ({ index: n.index, peerId: n.peerId, height: q.statuses[i]?.height ?? null, stateRoot: q.statuses[i]?.stateRoot ?? null, joined: n.joined })),
    diverged: q.diverged,
    healS: q.quiescentAt === undefined ? null : Math.round((q.quiescentAt - healedAt) / 100) / 10,
    ok: lost === 0 && q.diverged === 0 && q.inconsistent === 0
  }
}

/** The start arguments of a loopback node in a cluster.json written before they were recorded. */
function loopbackArgs (cluster: ClusterFile, n: ClusterNode): string[] {
  const port = n.multiaddr.split('/')[4]
  const args = ['start', '--data', n.dataDir, '--genesis', cluster.genesis, '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--api', '0', '--profile', n.profile]
  for (const other of cluster.nodes) if (other.index !== n.index) args.push('--bootstrap', other.multiaddr)
  return args
}

function writeClusterFile (dir: string, cluster: ClusterFile, nodes: LiveNode[]): void {
  const file: ClusterFile = {
    ...cluster,
    nodes: nodes.map(({ index, peerId, profile, dataDir, pid, api, multiaddr, log, args, netns, ip, relayPid }) => ({ index, peerId, profile, dataDir, pid, api, multiaddr, log, args, netns, ip, relayPid }))
  }
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
