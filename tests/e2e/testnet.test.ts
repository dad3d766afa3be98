import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * docs/testnet.md, followed on two "machines": two network namespaces joined by a veth pair,
 * with addresses from the benchmarking range (198.18.0.0/15) that exist only inside them. The
 * second node knows nothing but the genesis file and the first node's bootstrap address.
 * Needs root and `ip netns`; skipped with a message otherwise.
 */
const bin = fileURLToPath(new URL('../../bin/swarmrank.js', import.meta.url))
const suffix = String(process.pid % 100000)
const ns = { a: `swr-a-${suffix}`, b: `swr-b-${suffix}` }
const ip = { a: '198.18.0.1', b: '198.18.0.2' }

function sh (...args: string[]): { code: number | null, out: string } {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}

function canUseNetns (): string | undefined {
  if (process.getuid?.() !== 0) return 'not root'
  const probe = `swr-probe-${suffix}`
  const r = sh('ip', 'netns', 'add', probe)
  if (r.code !== 0) return `ip netns add failed: ${r.out.trim()}`
  sh('ip', 'netns', 'del', probe)
  return undefined
}

const why = canUseNetns()
if (why !== undefined) console.warn(`testnet join test skipped: network namespaces unavailable (${why})`)

/** The CLI inside a namespace (its own loopback, so every node can use API port 7420). */
const inNs = (name: string, args: string[]): { code: number | null, out: string } => sh('ip', 'netns', 'exec', name, process.execPath, bin, ...args)

describe.skipIf(why !== undefined)('joining a testnet on another machine (network namespaces)', () => {
  const procs: ChildProcess[] = []
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-testnet-'))

  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL')
    sh('ip', 'netns', 'del', ns.a)
    sh('ip', 'netns', 'del', ns.b)
  })

  const startNode = (name: string, args: string[]): ChildProcess => {
    const p = spawn('ip', ['netns', 'exec', name, process.execPath, bin, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    p.stdout!.on('data', (d: Buffer) => { log += d.toString() })
    p.stderr!.on('data', (d: Buffer) => { log += d.toString() })
    ;(p as ChildProcess & { log: () => string }).log = () => log
    procs.push(p)
    return p
  }

  const waitFor = async (check: () => boolean, ms: number, what: string): Promise<void> => {
    const end = Date.now() + ms
    while (Date.now() < end) {
      if (check()) return
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    throw new Error(`timed out waiting for ${what}`)
  }

  it('a second operator joins through the bootstrap address only, is admitted, and follows the same ledger', async () => {
    for (const name of [ns.a, ns.b]) {
      expect(sh('ip', 'netns', 'add', name).code).toBe(0)
      sh('ip', 'netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up')
    }
    expect(sh('ip', 'link', 'add', `va${suffix}`, 'netns', ns.a, 'type', 'veth', 'peer', 'name', `vb${suffix}`, 'netns', ns.b).code).toBe(0)
    for (const [name, dev, addr] of [[ns.a, `va${suffix}`, ip.a], [ns.b, `vb${suffix}`, ip.b]]) {
      sh('ip', 'netns', 'exec', name, 'ip', 'addr', 'add', `${addr}/30`, 'dev', dev)
      sh('ip', 'netns', 'exec', name, 'ip', 'link', 'set', dev, 'up')
    }
    // The operator of B tells the coordinator its peer id; the coordinator writes the genesis.
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    const idB = inNs(ns.b, ['id', '--data', b]).out.trim()
    expect(idB).toMatch(/^12D3KooW/)
    const init = inNs(ns.a, ['init', '--data', a, '--network', 'ns-testnet'])
    expect(init.code).toBe(0)
    const idA = /identity (\S+)/.exec(init.out)![1]
    const genesisFile = join(dir, 'genesis.json')
    writeFileSync(genesisFile, readFileSync(join(a, 'genesis.json')))

    // A listens on its own address; B only knows that address (no mDNS, nothing else).
    const nodeA = startNode(ns.a, ['--data', a, '--listen', `/ip4/${ip.a}/tcp/4001`, '--api', '7420', '--profile', 'expert'])
    await waitFor(() => (nodeA as ChildProcess & { log: () => string }).log().includes('API'), 20_000, 'node A')
    const config = join(dir, 'b.json')
    writeFileSync(config, JSON.stringify({ data: b, genesis: genesisFile, listen: [`/ip4/${ip.b}/tcp/4001`], bootstrap: [`/ip4/${ip.a}/tcp/4001/p2p/${idA}`], api: 7420, profile: 'ada' }))
    const nodeB = startNode(ns.b, ['--config', config])
    await waitFor(() => (nodeB as ChildProcess & { log: () => string }).log().includes('API'), 20_000, 'node B')

    // B is admitted to the ledger by a block on A (on probation: it earns weight by scoring well),
    // and B has that block too: only members submit queries (DESIGN §8.5).
    await waitFor(() => [ns.a, ns.b].every(n => {
      const l = inNs(n, ['ledger', '--json'])
      return l.code === 0 && (JSON.parse(l.out) as { reputations: Array<{ peerId: string }> }).reputations.some(r => r.peerId === idB)
    }), 40_000, 'B admitted')

    // A question asked at B is answered by the swarm and final on both machines, one ledger.
    const ask = inNs(ns.b, ['ask', '--timeout', '60', 'Compute 12 + 5 × 3.'])
    expect(ask.code, ask.out).toBe(0)
    expect(ask.out).toMatch(/^\d+$/m)
    await waitFor(() => {
      const sa = JSON.parse(inNs(ns.a, ['status', '--json']).out) as { height: number, stateRoot: string }
      const sb = JSON.parse(inNs(ns.b, ['status', '--json']).out) as { height: number, stateRoot: string }
      return sa.height === sb.height && sa.stateRoot === sb.stateRoot && sa.height >= 2
    }, 20_000, 'same height and state root')
    const ledgerB = JSON.parse(inNs(ns.b, ['ledger', '--json']).out) as { reputations: Array<{ peerId: string, onProbation: boolean }> }
    expect(ledgerB.reputations.find(r => r.peerId === idB)?.onProbation).toBe(true)
    const statusB = JSON.parse(inNs(ns.b, ['status', '--json']).out) as { connectedPeers: string[], listen: string[] }
    expect(statusB.connectedPeers).toEqual([idA])
    expect(statusB.listen.some(l => l.includes(ip.b))).toBe(true)
  }, 150_000)
})
