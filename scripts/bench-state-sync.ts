/**
 * State sync against block replay on a long chain: a wiped node rejoining a node that holds N
 * blocks, timed from its start until it holds the head, once from a snapshot (node/state-sync.ts)
 * and once by replaying every block (state sync off). Prints both and their ratio.
 *
 *   npm run bench:state-sync                          # 10,000 blocks, 1 query ordered per block
 *   npm run bench:state-sync -- --blocks 2000 --queries-per-block 4
 *   npm run bench:state-sync -- --skip-replay         # only the snapshot
 *   npm run bench:state-sync -- --chain-dir DIR       # forge into DIR once, reuse it after
 *
 * The chain is forged (node/cluster/forge-chain.ts): real blocks proposed on the ledger with
 * signed queries, certified by the four genesis validators' keys and committed into the serving
 * node's LevelDB as a node commits them, but without rounds (no records), so building 10,000
 * blocks takes seconds rather than the hours a live swarm would. The serving node is an archive
 * node (every block, ledgers kept for the anchor window only: older epoch-boundary ledgers are
 * rebuilt by replay when a state sync asks for them), run in this process with a key outside
 * the validator set, so the chain stands still while the joiners catch up. Each joiner is a
 * real SwarmNode over loopback TCP with its own empty data directory. Besides the wall clock, each
 * line gives the CPU time the process spent meanwhile (the serving node's and the joiner's).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { builtinAgent } from '../node/agents/builtin.js'
import { forgeChain } from '../node/cluster/forge-chain.js'
import { createLogger } from '../node/logger.js'
import type { StateSyncInit } from '../node/state-sync.js'
import { SwarmNode } from '../node/swarm-node.js'
import { defaultProtocolParams } from '../protocol/genesis.js'
import type { Genesis } from '../protocol/genesis.js'
import { sha256, utf8 } from '../protocol/hash.js'
import { stateRootHex, toSnapshot } from '../protocol/ledger.js'
import { scriptArgs } from './script-args.js'

const usage = `Usage: npm run bench:state-sync -- [--blocks N] [--queries-per-block Q] [--skip-replay] [--timeout-s S]
  --blocks N              chain length (default 10000)
  --queries-per-block Q   queries each block orders (default 1)
  --skip-replay           time the snapshot only
  --timeout-s S           give a joiner at most S seconds to reach the head (default 1800)
  --chain-dir DIR         keep the forged chain in DIR and reuse it when DIR already holds one
                          of the same length (each run serves a copy, so DIR stays as forged)`

const args = scriptArgs('bench-state-sync', usage, {
  blocks: { type: 'string', default: '10000' },
  'queries-per-block': { type: 'string', default: '1' },
  'skip-replay': { type: 'boolean' },
  'timeout-s': { type: 'string', default: '1800' },
  'chain-dir': { type: 'string' }
})
const blocks = args.numberOf('blocks', n => Number.isInteger(n) && n >= 1, 'a positive integer')
const perBlock = args.numberOf('queries-per-block', n => Number.isInteger(n) && n >= 1 && n <= 32, 'an integer from 1 to 32')
const timeoutMs = args.numberOf('timeout-s', n => n > 0, 'a positive number') * 1000

const key = async (label: string): Promise<PrivateKey> => generateKeyPairFromSeed('Ed25519', sha256(utf8(label)))
const validators = await Promise.all([0, 1, 2, 3].map(async i => key(`bench-state-sync-validator-${i}`)))
const genesis: Genesis = {
  network: 'bench-state-sync',
  params: defaultProtocolParams,
  validators: validators.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 }))
}
const dir = mkdtempSync(join(tmpdir(), 'swarmrank-bench-state-sync-'))
const seconds = (ms: number): string => (ms / 1000).toFixed(2)

/** What a kept chain directory holds besides the server's data directory: what it was forged with, to reuse only a chain of the same shape. */
interface KeptChain { blocks: number, perBlock: number, stateRoot: string, ledgerBytes: number, forgedSeconds: string }

/** Forge the chain into `dataDir` (or copy the one kept in --chain-dir); what was forged. */
async function chain (dataDir: string): Promise<KeptChain & { reused: boolean }> {
  const keep = args.values['chain-dir'] as string | undefined
  const markerPath = keep === undefined ? undefined : join(keep, 'chain.json')
  if (keep !== undefined && existsSync(markerPath!)) {
    const kept = JSON.parse(readFileSync(markerPath!, 'utf8')) as KeptChain
    if (kept.blocks !== blocks || kept.perBlock !== perBlock) args.fail(`--chain-dir ${keep} holds a chain of ${kept.blocks} blocks with ${kept.perBlock} queries each; use another directory`)
    cpSync(join(keep, 'server'), dataDir, { recursive: true })
    return { ...kept, reused: true }
  }
  const forgeStart = performance.now()
  const head = await forgeChain({ dataDir, genesis, keys: validators, blocks, queriesPerBlock: perBlock, progress: h => process.stderr.write(`forged ${h} blocks\r`) })
  const forged: KeptChain = { blocks, perBlock, stateRoot: stateRootHex(head), ledgerBytes: JSON.stringify(toSnapshot(head)).length, forgedSeconds: seconds(performance.now() - forgeStart) }
  if (keep !== undefined) {
    mkdirSync(keep, { recursive: true })
    cpSync(dataDir, join(keep, 'server'), { recursive: true })
    writeFileSync(markerPath!, JSON.stringify(forged) + '\n')
  }
  return { ...forged, reused: false }
}

try {
  const forged = await chain(join(dir, 'server'))
  console.log(`chain: ${blocks} blocks, ${perBlock} queries ordered per block, epochs of ${genesis.params.bft.epochBlocks} blocks; ledger at the head ${(forged.ledgerBytes / 1024).toFixed(0)} KiB of JSON; ${forged.reused ? `reused from --chain-dir (forged in ${forged.forgedSeconds} s)` : `forged in ${forged.forgedSeconds} s`}`)

  const logger = createLogger({ level: 'warn' })
  const node = async (name: string, bootstrap: string[], stateSync?: StateSyncInit | false): Promise<SwarmNode> => {
    const privateKey = await key(`bench-state-sync-${name}`)
    const n = new SwarmNode({ dataDir: join(dir, name), genesis, privateKey, agent: builtinAgent({ profile: 'ada', seed: name }), bootstrap, metrics: false, logger, stateSync })
    return n
  }
  const server = await node('server', [])
  await server.start()
  const serverRoot = server.status().stateRoot
  if (serverRoot !== forged.stateRoot) throw new Error(`the serving node's state root ${serverRoot} is not the forged chain's ${forged.stateRoot}`)
  const bootstrap = [server.multiaddrs()[0]]

  const rejoin = async (name: string, stateSync: StateSyncInit | false | undefined): Promise<{ ms: number, cpuMs: number, root: string, detail: string }> => {
    const joiner = await node(name, bootstrap, stateSync)
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    await joiner.start()
    const deadline = started + timeoutMs
    while (joiner.status().height < blocks) {
      if (performance.now() > deadline) throw new Error(`${name}: at height ${joiner.status().height} of ${blocks} after ${timeoutMs / 1000} s`)
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const ms = performance.now() - started
    const cpu = process.cpuUsage(cpuBefore)
    const o = joiner.stateSyncOutcome
    const detail = o?.synced === true ? `snapshot at ${o.height} (${o.steps} steps, ${(o.bytes / 1024 / 1024).toFixed(1)} MiB) in ${seconds(o.ms)} s, then ${blocks - o.height} blocks` : `no snapshot: ${o?.reason ?? 'state sync off'}`
    const root = joiner.status().stateRoot
    await joiner.stop()
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, root, detail }
  }

  const snap = await rejoin('snapshot', undefined)
  // CPU time: both nodes' (one process), a figure less bent than the wall clock by a busy machine
  console.log(`state sync: ${seconds(snap.ms)} s to the head (${snap.detail}); ${seconds(snap.cpuMs)} s of CPU; state root ${snap.root === serverRoot ? 'matches' : 'DIFFERS'}`)
  if (args.values['skip-replay'] !== true) {
    const replay = await rejoin('replay', false)
    console.log(`block replay: ${seconds(replay.ms)} s to the head; ${seconds(replay.cpuMs)} s of CPU; state root ${replay.root === serverRoot ? 'matches' : 'DIFFERS'}`)
    console.log(`state sync is ${(replay.ms / snap.ms).toFixed(1)}x faster than replay on ${blocks} blocks`)
  }
  await server.stop()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
