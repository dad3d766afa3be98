import { spawnSync } from 'node:child_process'
import { renameSync, writeFileSync } from 'node:fs'
import { ClusterError } from './launcher.js'

/**
 * The network-namespace layout of a local cluster (root only): each node in its own network
 * namespace with one veth link to a bridge in the host namespace, so that faults act on real
 * kernel networking between real processes.
 *
 *   host namespace: bridge PREFIX-br with HOST_IP (.1) — the cluster and churn tools reach each
 *                   node's HTTP API through it; node-to-node faults never touch it
 *   PREFIX-i:       eth0 = NODE_IP(i) (.i+2); the node listens for libp2p on 127.0.0.1 only, behind
 *                   its relay (relay.ts) on NODE_IP(i):P2P_PORT, which delays bytes when told to
 *
 * Faults and how they are made (docs/reliability.md says what each leaves out):
 * - partition, one-way partition: nftables rules in the node's namespace dropping packets from
 *   or to the other side's addresses (packets vanish; TCP retransmits until it gives up);
 * - loss: nftables `numgen random mod 100 < N drop` on the node's packets to and from other nodes;
 * - delay and jitter: the relays (this kernel has no sch_netem).
 *
 * Names carry PREFIX = "swr" + the creating process's pid in base 36, so parallel clusters never
 * collide, and namespaces left by a process that died without cleaning up can be recognised and
 * removed (removeStaleNetworks).
 */
export interface NetLayout {
  prefix: string
  bridge: string
  /** the /24 the cluster uses, e.g. "10.213.7" */
  subnet: string
  hostIp: string
  /** the libp2p port every relay listens on (and each node on loopback behind it) */
  p2pPort: number
  /** the HTTP API port of every node (each has its own address) */
  apiPort: number
}

export const P2P_PORT = 4001
export const API_PORT = 7420
/** the nftables table that holds a node's faults; replaced as a whole on every change */
const FAULT_TABLE = 'swarmrank_faults'

export function isRoot (): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/** Why the netns layout cannot run here, or undefined when it can. */
export function netnsUnavailable (): string | undefined {
  if (!isRoot()) return 'the netns layout needs root (network namespaces, veth links, a bridge and nftables rules)'
  for (const [tool, pkg] of [['ip', 'iproute2'], ['nft', 'nftables']]) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error !== undefined) return `the netns layout needs the ${tool} command (Debian package ${pkg})`
  }
  return undefined
}

export function nodeIp (net: NetLayout, index: number): string {
  if (index + 2 > 254) throw new ClusterError(`a netns cluster holds at most 253 nodes (node ${index})`)
  return `${net.subnet}.${index + 2}`
}

export function namespaceOf (net: NetLayout, index: number): string {
  return `${net.prefix}-${index}`
}

/** Run a command; a failure is a ClusterError with the command and its stderr. */
function sh (cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input })
  if (r.error !== undefined) throw new ClusterError(`${cmd}: ${r.error.message}`)
  if (r.status !== 0) throw new ClusterError(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`)
  return r.stdout
}

function quiet (cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: 'ignore' })
}

/** A /24 in 10.200.0.0–10.249.255.0 that no interface of this host uses yet, derived from the pid. */
function pickSubnet (pid: number): string {
  const used = sh('ip', ['-4', '-o', 'addr', 'show'])
  for (let k = 0; k < 12_800; k++) {
    const n = (pid + k * 7919) % 12_800
    const subnet = `10.${200 + Math.floor(n / 256)}.${n % 256}`
    if (!used.includes(` ${subnet}.`)) return subnet
  }
  throw new ClusterError('no free 10.200–249.x.0/24 subnet for the cluster bridge')
}

/**
 * Create the bridge for a cluster made by this process. Namespaces and links of clusters whose
 * creator died are removed first (a SIGKILLed cluster command cannot clean up after itself).
 */
export function createNetwork (): NetLayout {
  const why = netnsUnavailable()
  if (why !== undefined) throw new ClusterError(why)
  removeStaleNetworks()
  const prefix = `swr${process.pid.toString(36)}`
  const net: NetLayout = { prefix, bridge: `${prefix}-br`, subnet: pickSubnet(process.pid), hostIp: '', p2pPort: P2P_PORT, apiPort: API_PORT }
  net.hostIp = `${net.subnet}.1`
  try {
    sh('ip', ['link', 'add', net.bridge, 'type', 'bridge'])
    sh('ip', ['addr', 'add', `${net.hostIp}/24`, 'dev', net.bridge])
    sh('ip', ['link', 'set', net.bridge, 'up'])
  } catch (err) {
    destroyNetwork(net)
    throw err
  }
  return net
}

/** A namespace for node `index`, linked to the bridge, loopback up, no fault rules. */
export function addNodeNamespace (net: NetLayout, index: number): { namespace: string, ip: string } {
  const namespace = namespaceOf(net, index)
  const ip = nodeIp(net, index)
  const hostEnd = `${net.prefix}-h${index}`
  const nodeEnd = `${net.prefix}-n${index}`
  try {
    sh('ip', ['netns', 'add', namespace])
    sh('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nodeEnd])
    sh('ip', ['link', 'set', nodeEnd, 'netns', namespace])
    sh('ip', ['link', 'set', hostEnd, 'master', net.bridge])
    sh('ip', ['link', 'set', hostEnd, 'up'])
    sh('ip', ['-n', namespace, 'link', 'set', nodeEnd, 'name', 'eth0'])
    sh('ip', ['-n', namespace, 'addr', 'add', `${ip}/24`, 'dev', 'eth0'])
    sh('ip', ['-n', namespace, 'link', 'set', 'eth0', 'up'])
    sh('ip', ['-n', namespace, 'link', 'set', 'lo', 'up'])
  } catch (err) {
    quiet('ip', ['link', 'del', hostEnd])
    quiet('ip', ['netns', 'del', namespace])
    throw err
  }
  return { namespace, ip }
}

/** The command prefix that runs a program inside node `index`'s namespace. */
export function inNamespace (net: NetLayout, index: number): string[] {
  return ['ip', 'netns', 'exec', namespaceOf(net, index)]
}

/** SIGKILL every process in the cluster's namespaces, delete them and the bridge. Never throws. */
export function destroyNetwork (net: Pick<NetLayout, 'prefix' | 'bridge'>): void {
  for (const ns of listNamespaces().filter(ns => ns.startsWith(`${net.prefix}-`))) {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? ''
    for (const pid of pids.split(/\s+/).filter(p => /^\d+$/.test(p))) {
      try { process.kill(Number(pid), 'SIGKILL') } catch {}
    }
    // deleting the namespace deletes its veth end, and with it the host end
    quiet('ip', ['netns', 'del', ns])
  }
  quiet('ip', ['link', 'del', net.bridge])
}

function listNamespaces (): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? ''
  return out.split('\n').map(l => l.split(' ')[0]).filter(n => n !== '')
}

/** Remove the namespaces and bridges of netns clusters whose creating process is gone. */
export function removeStaleNetworks (): string[] {
  const prefixes = new Set<string>()
  for (const ns of listNamespaces()) {
    const m = /^(swr([0-9a-z]+))-\d+$/.exec(ns)
    if (m !== null) prefixes.add(m[1])
  }
  const links = spawnSync('ip', ['-o', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' }).stdout ?? ''
  for (const m of links.matchAll(/^\d+: (swr[0-9a-z]+)-br[:@]/gm)) prefixes.add(m[1])
  const removed: string[] = []
  for (const prefix of prefixes) {
    const pid = parseInt(prefix.slice(3), 36)
    let alive = true
    try { process.kill(pid, 0) } catch { alive = false }
    if (alive) continue
    destroyNetwork({ prefix, bridge: `${prefix}-br` })
    removed.push(prefix)
  }
  return removed
}

/** The network faults of one node: who it cannot reach, and how many of its packets are lost. */
export interface NodeNetFaults {
  /** node addresses whose packets to this node are dropped */
  dropFrom: string[]
  /** node addresses this node's packets to are dropped */
  dropTo: string[]
  /** percent of this node's packets to and from other nodes dropped at random (0–100) */
  lossPercent: number
}

export const noNetFaults = (): NodeNetFaults => ({ dropFrom: [], dropTo: [], lossPercent: 0 })

/**
 * Replace node `index`'s fault rules (one nftables transaction: the old table goes, the new one
 * comes, nothing in between). Only node-to-node packets are touched: the host address, through
 * which the tools reach the API, is exempt.
 */
export function applyNetFaults (net: NetLayout, index: number, faults: NodeNetFaults): void {
  const peers = `ip saddr ${net.subnet}.0/24 ip saddr != ${net.hostIp}`
  const peersOut = `ip daddr ${net.subnet}.0/24 ip daddr != ${net.hostIp}`
  const input: string[] = []
  const output: string[] = []
  if (faults.dropFrom.length > 0) input.push(`ip saddr { ${faults.dropFrom.join(', ')} } drop`)
  if (faults.dropTo.length > 0) output.push(`ip daddr { ${faults.dropTo.join(', ')} } drop`)
  const loss = Math.round(faults.lossPercent)
  if (loss > 0) {
    input.push(`${peers} numgen random mod 100 < ${loss} drop`)
    output.push(`${peersOut} numgen random mod 100 < ${loss} drop`)
  }
  const script = [
    `add table inet ${FAULT_TABLE}`,
    `delete table inet ${FAULT_TABLE}`,
    `table inet ${FAULT_TABLE} {`,
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    ...input.map(r => `    ${r}`),
    '  }',
    '  chain output {',
    '    type filter hook output priority 0; policy accept;',
    ...output.map(r => `    ${r}`),
    '  }',
    '}'
  ].join('\n') + '\n'
  sh('ip', ['netns', 'exec', namespaceOf(net, index), 'nft', '-f', '-'], script)
}

/**
 * Per-node egress delay for the relays (relay.ts reads the file): every byte a node sends to
 * another node waits delayMs plus a uniform 0..jitterMs, in order.
 */
export interface LinkShape { delayMs: number, jitterMs: number }

export function writeShapes (file: string, shapes: Record<string, LinkShape>): void {
  // write then rename: a relay polling the file never reads half of it
  writeFileSync(`${file}.tmp`, JSON.stringify(shapes) + '\n')
  renameSync(`${file}.tmp`, file)
}
