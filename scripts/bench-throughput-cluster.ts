/**
 * The cluster under test in bench-throughput (scripts/bench-throughput.ts): N `swarmrank start`
 * processes of one build, laid out by that build's own launcher (node/cluster/launcher.ts:
 * prepareCluster, spawnNode), and what the benchmark reads from them over HTTP besides the load:
 * readiness and the block-check metric.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as LauncherModule from '../node/cluster/launcher.js'
import type { NodeApi } from './bench-throughput-load.js'

export type Launcher = typeof LauncherModule
export type StartedNode = LauncherModule.StartedNode
export type ClusterLayout = Awaited<ReturnType<Launcher['prepareCluster']>>

export const launcherPath = (buildDir: string): string => join(buildDir, 'dist/node/cluster/launcher.js')

/** A build's launcher: its nodes are started from its own bin/ and dist/. */
export async function loadLauncher (buildDir: string): Promise<Launcher> {
  return await import(pathToFileURL(launcherPath(buildDir)).href) as Launcher
}

/** How long a node may take to start: 16 processes loading at once on 2 busy cores can take more than the launcher's 30 s. */
const START_TIMEOUT_MS = 120_000

/** Free loopback ports, chosen by the OS (a port can be taken again before its node binds it, rarely). */
async function freePorts (count: number): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, async () => new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = (server.address() as AddressInfo)
      server.close(() => resolve(port))
    })
  })))
}

/** Change genesis parameters before the nodes start (objects merge one level deep: `{"bft": {"timeoutProposeMs": 3000}}`). */
function overrideParams (file: string, params: Record<string, unknown>): void {
  const genesis = JSON.parse(readFileSync(file, 'utf8')) as { params: Record<string, unknown> }
  for (const [key, value] of Object.entries(params)) {
    const old = genesis.params[key]
    genesis.params[key] = value !== null && typeof value === 'object' && old !== null && typeof old === 'object' ? { ...old, ...value } : value
  }
  writeFileSync(file, JSON.stringify(genesis, null, 2) + '\n')
}

export interface ClusterOptions {
  /** genesis parameters to change (--params) */
  params: Record<string, unknown>
  /** start the nodes with `--inspect-port=0`, so that SIGUSR1 opens an inspector on a free port */
  inspectable: boolean
  /** more flags for every node's `swarmrank start` (the soak's --node-args) */
  nodeArgs?: string[]
}

/**
 * Lay out a cluster in `dir` and start its nodes as `swarmrank cluster` does
 * (launcher.startClusterNodes: all at once, each given every other's address), through the
 * launcher's spawnNode with a longer start timeout. If one fails, the others are stopped.
 */
export async function startCluster (launcher: Launcher, dir: string, size: number, options: ClusterOptions): Promise<{ layout: ClusterLayout, started: StartedNode[] }> {
  const layout = await launcher.prepareCluster(dir, size, 'throughput')
  if (Object.keys(options.params).length > 0) overrideParams(layout.genesisFile, options.params)
  const ports = await freePorts(layout.nodes.length)
  const addrs = layout.nodes.map((n, i) => `/ip4/127.0.0.1/tcp/${ports[i]}/p2p/${n.peerId}`)
  const nodeOptions = process.env.NODE_OPTIONS
  if (options.inspectable) process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --inspect-port=0`.trim()
  let results: Array<PromiseSettledResult<StartedNode>>
  try {
    results = await Promise.allSettled(layout.nodes.map(async (n, i) => {
      const args = ['start', '--data', n.dataDir, '--genesis', layout.genesisFile, '--listen', `/ip4/127.0.0.1/tcp/${ports[i]}`, '--api', '0', '--profile', n.profile, '--log-level', 'warn', ...(options.nodeArgs ?? [])]
      for (const [j, a] of addrs.entries()) if (j !== i) args.push('--bootstrap', a)
      return launcher.spawnNode(args, n.dataDir, START_TIMEOUT_MS)
    }))
  } finally {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS
    else process.env.NODE_OPTIONS = nodeOptions
  }
  const started = results.flatMap(r => r.status === 'fulfilled' ? [r.value] : [])
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed !== undefined) {
    await launcher.stopClusterNodes(started.map(s => s.child), 0)
    throw failed.reason
  }
  return { layout, started }
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Wait until every node is connected to all the others, then let gossipsub form its mesh (as bench-finality does). */
export async function waitMesh (apis: NodeApi[], size: number): Promise<void> {
  const deadline = Date.now() + 60_000
  for (const api of apis) {
    for (;;) {
      const r = await api.call('GET', '/v1/status').catch(() => undefined)
      if (r?.status === 200 && (r.body as { connectedPeers: string[] }).connectedPeers.length >= size - 1) break
      if (Date.now() > deadline) throw new Error(`the ${size} nodes did not connect to each other within 60 s`)
      await sleep(100)
    }
  }
  await sleep(1_500)
}

/**
 * Block checks so far, summed over the nodes (swarmrank_block_check_seconds in GET /metrics):
 * how long a validator took to fetch what a proposed block names and recompute it, which decides
 * whether it prevotes before the propose timeout. Undefined for builds without the metric.
 */
export async function blockChecks (apis: NodeApi[]): Promise<{ seconds: number, count: number, gossip: number } | undefined> {
  // gossip: messages the nodes validated (swarmrank_gossip_messages_total, every topic and verdict)
  const totals = { seconds: 0, count: 0, gossip: 0 }
  let found = false
  for (const api of apis) {
    const reply = await api.call('GET', '/metrics').catch(() => undefined)
    if (reply?.status !== 200 || typeof reply.body !== 'string') continue
    // the HELP line is there from the start; the series only once a block was checked
    if (reply.body.includes('# HELP swarmrank_block_check_seconds ')) found = true
    for (const line of reply.body.split('\n')) {
      const g = /^swarmrank_gossip_messages_total\{[^}]*\} (\S+)$/.exec(line)
      if (g !== null) totals.gossip += Number(g[1])
      const m = /^swarmrank_block_check_seconds_(sum|count)\{[^}]*\} (\S+)$/.exec(line)
      if (m === null) continue
      if (m[1] === 'sum') totals.seconds += Number(m[2])
      else totals.count += Number(m[2])
    }
  }
  return found ? totals : undefined
}
