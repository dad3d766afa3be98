import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Socket } from 'node:net'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { clusterProfileOrder } from '../../protocol/agents/builtin.js'
import { defaultAdmissionParams } from '../../protocol/admission.js'
import { defaultProtocolParams, networkIdHex } from '../../protocol/genesis.js'
import { defaultJailingParams } from '../../protocol/jailing.js'
import type { Genesis } from '../../protocol/genesis.js'
import { GENESIS_FILE, NODE_INFO_FILE, writeGenesisFile } from '../datadir.js'
import type { NodeInfo } from '../datadir.js'
import { loadOrCreateKey } from '../keys.js'
import { addNodeNamespace, inNamespace, nodeIp, writeShapes } from './netns.js'
import type { NetLayout } from './netns.js'

/** DIR/cluster.json: what scripts (churn, tests) need to find and drive the cluster's nodes. */
export interface ClusterNode {
  index: number
  peerId: string
  profile: string
  dataDir: string
  pid: number
  api: string
  multiaddr: string
  log: string
  /** the `swarmrank start` arguments it runs with (churn restarts it with the same) */
  args?: string[]
  /** netns layout: the node's namespace, address and relay process */
  netns?: string
  ip?: string
  relayPid?: number
}

export interface ClusterFile {
  network: string
  networkId: string
  genesis: string
  nodes: ClusterNode[]
  /** present when the nodes run in network namespaces (swarmrank cluster --netns) */
  net?: NetLayout & { shapesFile: string }
}

export const CLUSTER_FILE = 'cluster.json'

/** Builtin agents answer at once, so a local cluster's deadlines are short: they only matter when a node dies. */
export const clusterParams = { ...defaultProtocolParams, answerCommitMs: 5_000, answerRevealMs: 2_000, compareCommitMs: 5_000, compareRevealMs: 2_000, jailing: defaultJailingParams, admission: defaultAdmissionParams }

const bin = fileURLToPath(new URL('../../../bin/swarmrank.js', import.meta.url))
const relayScript = fileURLToPath(new URL('./relay.js', import.meta.url))

/** Free TCP ports on loopback (the OS picks; a port can be taken again before we use it, rarely). */
async function freePorts (count: number): Promise<number[]> {
  const ports: number[] = []
  for (let i = 0; i < count; i++) {
    ports.push(await new Promise<number>((ok, fail) => {
      const s = createServer()
      s.once('error', fail)
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port
        s.close(() => ok(port))
      })
    }))
  }
  return ports
}

export class ClusterError extends Error {
  override name = 'ClusterError'
}

/**
 * Lay out a fresh cluster under DIR: one data directory and identity per node, and a genesis
 * naming them all as validators. Refuses a directory that holds something other than an old
 * cluster of ours (it would be wiped).
 */
export async function prepareCluster (dir: string, size: number, network: string): Promise<{ genesis: Genesis, genesisFile: string, nodes: Array<{ dataDir: string, peerId: string, profile: string }> }> {
  if (existsSync(dir)) {
    const entries = readdirSync(dir)
    if (entries.length > 0 && !entries.includes(CLUSTER_FILE) && !entries.includes(GENESIS_FILE)) {
      throw new ClusterError(`${dir} is not empty and holds no cluster of ours; choose another --data directory`)
    }
    const old = readCluster(dir)
    for (const n of old?.nodes ?? []) {
      if (isAlive(n.pid)) throw new ClusterError(`${dir} has a running cluster (node ${n.index}, pid ${n.pid}); stop it first`)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  mkdirSync(dir, { recursive: true })
  const nodes = []
  for (let i = 0; i < size; i++) {
    const dataDir = join(dir, `node-${i}`)
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const { key } = await loadOrCreateKey(dataDir)
    nodes.push({ dataDir, peerId: peerIdFromPrivateKey(key).toString(), profile: clusterProfileOrder[i % clusterProfileOrder.length] })
  }
  // About half the nodes answer and the rest judge, up to five of each (the protocol default).
  const params = { ...clusterParams, answerers: Math.min(5, Math.max(1, Math.ceil(size / 2))), rankers: 5 }
  const genesis: Genesis = { network, params, validators: nodes.map(n => ({ peerId: n.peerId, reputationPpm: 500_000 })) }
  const genesisFile = join(dir, GENESIS_FILE)
  writeGenesisFile(genesisFile, genesis)
  return { genesis, genesisFile, nodes }
}

export interface StartedNode {
  child: ChildProcess
  info: NodeInfo
}

/**
 * Start node processes (all at once: ports are chosen first, so each knows all others' addresses).
 * With `net`, each node runs in a namespace of its own behind its relay (netns.ts).
 */
export async function startClusterNodes (dir: string, genesisFile: string, nodes: Array<{ dataDir: string, peerId: string, profile: string }>, logLevel = 'info', net?: NetLayout): Promise<StartedNode[]> {
  if (net !== undefined) return await startNetnsNodes(dir, genesisFile, nodes, logLevel, net)
  const ports = await freePorts(nodes.length)
  const addrs = nodes.map((n, i) => `/ip4/127.0.0.1/tcp/${ports[i]}/p2p/${n.peerId}`)
  const argsOf = nodes.map((n, i) => {
    const args = ['start', '--data', resolve(n.dataDir), '--genesis', resolve(genesisFile), '--listen', `/ip4/127.0.0.1/tcp/${ports[i]}`, '--api', '0', '--profile', n.profile, '--log-level', logLevel]
    for (const [j, a] of addrs.entries()) if (j !== i) args.push('--bootstrap', a)
    return args
  })
  const started = await Promise.all(nodes.map(async (n, i) => {
    rmSync(join(n.dataDir, NODE_INFO_FILE), { force: true })
    return spawnNode(argsOf[i], n.dataDir, CLUSTER_START_TIMEOUT_MS)
  }))
  writeCluster(dir, started.map((s, i) => ({ index: i, peerId: s.info.peerId, profile: nodes[i].profile, dataDir: resolve(nodes[i].dataDir), pid: s.info.pid, api: s.info.api, multiaddr: addrs[i], log: resolve(join(nodes[i].dataDir, 'node.log')), args: argsOf[i] })))
  return started
}

/** The file the relays read their shapes from (netns.ts LinkShape), in the cluster directory. */
export const SHAPES_FILE = 'link-shapes.json'

async function startNetnsNodes (dir: string, genesisFile: string, nodes: Array<{ dataDir: string, peerId: string, profile: string }>, logLevel: string, net: NetLayout): Promise<StartedNode[]> {
  const shapesFile = resolve(join(dir, SHAPES_FILE))
  writeShapes(shapesFile, {})
  const addrs = nodes.map((n, i) => `/ip4/${nodeIp(net, i)}/tcp/${net.p2pPort}/p2p/${n.peerId}`)
  const members = await Promise.all(nodes.map(async (n, i) => {
    const args = netnsStartArgs(net, resolve(n.dataDir), resolve(genesisFile), i, n.profile, addrs.filter((_, j) => j !== i), logLevel)
    return await startNetnsMember(net, i, resolve(n.dataDir), args, shapesFile)
  }))
  writeCluster(dir, members.map((m, i) => ({ index: i, peerId: m.started.info.peerId, profile: nodes[i].profile, dataDir: resolve(nodes[i].dataDir), pid: m.started.info.pid, api: m.started.info.api, multiaddr: addrs[i], log: resolve(join(nodes[i].dataDir, 'node.log')), args: m.args, netns: m.namespace, ip: m.ip, relayPid: m.relayPid })), { ...net, shapesFile })
  return members.map(m => m.started)
}

/** `swarmrank start` arguments of node `index` in the netns layout: libp2p on loopback behind the relay, the API on its own address. */
export function netnsStartArgs (net: NetLayout, dataDir: string, genesisFile: string, index: number, profile: string, bootstrap: string[], logLevel: string): string[] {
  const args = ['start', '--data', dataDir, '--genesis', genesisFile, '--listen', `/ip4/127.0.0.1/tcp/${net.p2pPort}`, '--api', String(net.apiPort), '--api-host', nodeIp(net, index), '--profile', profile, '--log-level', logLevel]
  for (const a of bootstrap) args.push('--bootstrap', a)
  return args
}

/** Namespace, relay and node process of member `index` (the namespace is new: index not used before). */
export async function startNetnsMember (net: NetLayout, index: number, dataDir: string, args: string[], shapesFile: string): Promise<{ started: StartedNode, namespace: string, ip: string, relayPid: number, args: string[] }> {
  const { namespace, ip } = addNodeNamespace(net, index)
  rmSync(join(dataDir, NODE_INFO_FILE), { force: true })
  const relayPid = await spawnRelay(net, index, ip, dataDir, shapesFile)
  const started = await spawnNode(args, dataDir, CLUSTER_START_TIMEOUT_MS, inNamespace(net, index))
  return { started, namespace, ip, relayPid, args }
}

/** Start node `index`'s relay in its namespace; resolves with its pid once it listens. */
async function spawnRelay (net: NetLayout, index: number, ip: string, dataDir: string, shapesFile: string): Promise<number> {
  const logFd = openSync(join(dataDir, 'relay.log'), 'a')
  const [cmd, ...pre] = inNamespace(net, index)
  const child = spawn(cmd, [...pre, process.execPath, relayScript, ip, String(net.p2pPort), '127.0.0.1', String(net.p2pPort), ip, shapesFile], { stdio: ['ignore', 'pipe', logFd], detached: false })
  const pid = child.pid
  if (pid === undefined) throw new ClusterError(`relay of node ${index} did not start`)
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new ClusterError(`relay of node ${index} did not start within 10 s; see ${join(dataDir, 'relay.log')}`)), 10_000)
    child.stdout!.once('data', () => { clearTimeout(timer); ok() })
    child.once('exit', code => { clearTimeout(timer); fail(new ClusterError(`relay of node ${index} exited with code ${code}; see ${join(dataDir, 'relay.log')}`)) })
  })
  // keep draining the pipe, but let it (and the child) not hold this process open: churn exits
  // after a join while the joined node's relay runs on
  child.stdout!.resume()
  ;(child.stdout as unknown as Socket).unref()
  child.unref()
  return pid
}

/**
 * How long a cluster waits for each node to start. All of them start at once: on two busy cores
 * one took over 30 s (a churn campaign with two clusters side by side and other work running).
 */
const CLUSTER_START_TIMEOUT_MS = 90_000

/** Spawn `swarmrank start ARGS` with its output in DATA/node.log; resolves once it wrote node.json. */
export async function spawnNode (args: string[], dataDir: string, timeoutMs = 30_000, commandPrefix: string[] = []): Promise<StartedNode> {
  const logFd = openSync(join(dataDir, 'node.log'), 'a')
  // `ip netns exec` execs the program in place: the child's pid is the node's
  const [cmd, ...rest] = [...commandPrefix, process.execPath, bin, ...args]
  const child = spawn(cmd, rest, { stdio: ['ignore', logFd, logFd] })
  const infoFile = join(dataDir, NODE_INFO_FILE)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new ClusterError(`node in ${dataDir} exited with code ${child.exitCode} while starting; see ${join(dataDir, 'node.log')}`)
    if (existsSync(infoFile)) {
      try {
        const info = JSON.parse(readFileSync(infoFile, 'utf8')) as NodeInfo
        if (info.pid === child.pid) return { child, info }
      } catch { /* being written */ }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new ClusterError(`node in ${dataDir} did not start within ${timeoutMs} ms; see ${join(dataDir, 'node.log')}`)
    }
    await new Promise(r => setTimeout(r, 50))
  }
}

export function readCluster (dir: string): ClusterFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, CLUSTER_FILE), 'utf8')) as ClusterFile
  } catch {
    return undefined
  }
}

function writeCluster (dir: string, nodes: ClusterNode[], net?: ClusterFile['net']): void {
  const genesisFile = join(dir, GENESIS_FILE)
  const genesis = JSON.parse(readFileSync(genesisFile, 'utf8')) as Genesis
  const file: ClusterFile = { network: genesis.network, networkId: networkIdHex(genesis), genesis: resolve(genesisFile), nodes, net }
  writeFileSync(join(dir, CLUSTER_FILE), JSON.stringify(file, null, 2) + '\n')
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** SIGTERM every node, then SIGKILL whatever still runs after `graceMs`. */
export async function stopClusterNodes (children: ChildProcess[], graceMs = 5_000): Promise<void> {
  await Promise.all(children.map(async child => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>(r => child.once('exit', () => r()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }))
}

/** SIGTERM every node cluster.json lists that still runs (then SIGKILL after `graceMs`). */
export async function stopListedNodes (dir: string, graceMs = 5_000): Promise<void> {
  const listed = readCluster(dir)?.nodes ?? []
  for (const n of listed) if (n.relayPid !== undefined && isAlive(n.relayPid)) { try { process.kill(n.relayPid, 'SIGKILL') } catch {} }
  const pids = listed.map(n => n.pid).filter(isAlive)
  for (const pid of pids) { try { process.kill(pid, 'SIGCONT'); process.kill(pid, 'SIGTERM') } catch {} }
  const deadline = Date.now() + graceMs
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
  for (const pid of pids.filter(isAlive)) { try { process.kill(pid, 'SIGKILL') } catch {} }
}
