import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { clusterProfileOrder } from '../../protocol/agents/builtin.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis, ProtocolParams } from '../../protocol/genesis.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import type { Agent } from '../agents/agent.js'
import { builtinAgent } from '../agents/builtin.js'
import { createLogger } from '../logger.js'
import type { LogLevel } from '../logger.js'
import { SwarmNode } from '../swarm-node.js'
import type { ByzantineBehaviour } from '../round-runner.js'
import type { QueryView } from '../store.js'
import type { StateSyncInit } from '../state-sync.js'

/**
 * N real nodes in one process over loopback TCP, all genesis validators, fully connected: for
 * integration tests and the finality benchmark (a process cluster is cluster/launcher.ts). The
 * keys and the genesis follow from N alone, so several processes can each run some of the same
 * swarm's nodes (`members`), joining the ones started elsewhere through `bootstrap`.
 */
export interface LocalSwarm {
  /** the nodes run here: all N, or the members in the order given */
  nodes: SwarmNode[]
  keys: PrivateKey[]
  genesis: Genesis
  dir: string
  /**
   * Stop nodes[i] and start it again on the same data directory and key (wiped: its LevelDB
   * deleted first; `whileDown` runs on its data directory before the start).
   */
  restart: (i: number, options?: { wipe?: boolean, whileDown?: (dataDir: string) => void, stateSync?: StateSyncInit | false }) => Promise<SwarmNode>
  stop: () => Promise<void>
}

export interface LocalSwarmOptions {
  size: number
  /** the node indices (0 … size−1) to run in this process; default all */
  members?: number[]
  /** multiaddrs of the swarm's nodes running elsewhere */
  bootstrap?: string[]
  /** builtin profile per node; default the cluster order */
  profiles?: string[]
  params?: Partial<ProtocolParams>
  /** misbehaving nodes by index */
  byzantine?: Record<number, ByzantineBehaviour>
  /** builtin agent thinking time per node (ms) */
  agentDelayMs?: number[]
  /** replace node i's agent */
  agents?: Record<number, Agent>
  logLevel?: LogLevel
  /** Prometheus metrics on each node (default true; the finality benchmark turns them off) */
  metrics?: boolean
  /** retention (blocks kept, node/retention.ts) by node index; default keep everything */
  retentionBlocks?: Record<number, number>
  /** state sync options by node index (node/state-sync.ts); default the node's */
  stateSync?: Record<number, StateSyncInit | false>
}

export async function startLocalSwarm (opts: LocalSwarmOptions): Promise<LocalSwarm> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-it-'))
  const keys = await Promise.all(Array.from({ length: opts.size }, async (_, i) => generateKeyPairFromSeed('Ed25519', sha256(utf8(`swarm-key-${i}`)))))
  const genesis: Genesis = {
    network: 'integration',
    params: { ...defaultProtocolParams, answerCommitMs: 3_000, answerRevealMs: 1_500, compareCommitMs: 3_000, compareRevealMs: 1_500, ...opts.params },
    validators: keys.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 }))
  }
  const nodes: SwarmNode[] = []
  const makeNode = (i: number, bootstrap: string[], stateSync = opts.stateSync?.[i]): SwarmNode => {
    const profile = opts.profiles?.[i] ?? clusterProfileOrder[i % clusterProfileOrder.length]
    return new SwarmNode({
      dataDir: join(dir, `node-${i}`),
      genesis,
      privateKey: keys[i],
      agent: opts.agents?.[i] ?? builtinAgent({ profile, seed: peerIdFromPrivateKey(keys[i]).toString(), delayMs: opts.agentDelayMs?.[i] }),
      bootstrap,
      logger: createLogger({ level: opts.logLevel ?? 'silent', prefix: `n${i}` }),
      byzantine: opts.byzantine?.[i],
      metrics: opts.metrics,
      retentionBlocks: opts.retentionBlocks?.[i],
      stateSync
    })
  }
  const members = opts.members ?? Array.from({ length: opts.size }, (_, i) => i)
  if (members.some(i => !Number.isInteger(i) || i < 0 || i >= opts.size)) throw new RangeError(`members must be node indices below ${opts.size}`)
  const outside = opts.bootstrap ?? []
  for (const i of members) {
    const node = makeNode(i, [...outside, ...nodes.flatMap(n => n.multiaddrs().slice(0, 1))])
    await node.start()
    nodes.push(node)
  }
  // connected to every node started so far: all of them once the last process has started its members
  await waitFor(() => nodes.every(n => n.status().connectedPeers.length >= outside.length + members.length - 1), 10_000, 'full mesh')
  // Let gossipsub exchange subscriptions and form its mesh.
  await new Promise(resolve => setTimeout(resolve, 1_500))
  return {
    nodes,
    keys,
    genesis,
    dir,
    restart: async (i: number, options = {}) => {
      await nodes[i].stop()
      if (options.wipe === true) rmSync(join(dir, `node-${members[i]}`, 'db'), { recursive: true, force: true })
      options.whileDown?.(join(dir, `node-${members[i]}`))
      const node = makeNode(members[i], [...outside, ...nodes.filter((_, j) => j !== i).flatMap(n => n.multiaddrs().slice(0, 1))], options.stateSync ?? opts.stateSync?.[members[i]])
      await node.start()
      nodes[i] = node
      return node
    },
    stop: async () => {
      await Promise.allSettled(nodes.map(async n => n.stop()))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export async function waitFor (condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** Wait until `id` is final on every given node; returns their views. */
export async function waitFinal (nodes: SwarmNode[], id: string, timeoutMs = 20_000): Promise<QueryView[]> {
  let views: Array<QueryView | undefined> = []
  await waitFor(async () => {
    views = await Promise.all(nodes.map(async n => n.getQuery(id)))
    return views.every(v => v?.status === 'final')
  }, timeoutMs, `query ${id.slice(0, 12)} to be final on ${nodes.length} nodes`)
  return views as QueryView[]
}
