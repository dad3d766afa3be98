import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'swarmrank-e2e-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('swarmrank cluster (node processes through the CLI)', () => {
  it('--nodes 3 --queries 3 --exit --json finishes with every query final', () => {
    const data = join(dir, 'cluster')
    const r = runCli(['cluster', '--nodes', '3', '--queries', '3', '--exit', '--json', '--data', data, '--seed', 'e2e'], { timeoutMs: 120_000 })
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(r.stdout) as { queries: Array<{ id: string, status: string, answer: string | null }>, nodes: Array<{ peerId: string, api: string, stateRoot: string, height: number }> }
    expect(summary.queries).toHaveLength(3)
    expect(summary.queries.every(q => q.status === 'final' && typeof q.answer === 'string')).toBe(true)
    expect(summary.nodes).toHaveLength(3)
    expect(new Set(summary.nodes.map(n => n.stateRoot)).size).toBe(1)
    // each query is ordered by one block and recorded in a later one (blocks may share them)
    expect(new Set(summary.nodes.map(n => n.height)).size).toBe(1)
    expect(summary.nodes[0].height).toBeGreaterThanOrEqual(4)
    const cluster = JSON.parse(readFileSync(join(data, 'cluster.json'), 'utf8')) as { nodes: Array<{ pid: number, dataDir: string, api: string, multiaddr: string }> }
    expect(cluster.nodes).toHaveLength(3)
    for (const n of cluster.nodes) {
      expect(n.multiaddr).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo/)
      expect(existsSync(join(n.dataDir, 'identity.key'))).toBe(true)
      expect(() => process.kill(n.pid, 0)).toThrow() // --exit stopped every node
    }
    expect(r.stderr).toMatch(/consensus right \d\/3/)
  }, 150_000)
})

describe('node commands: bad input is a one-line error with exit code 2', () => {
  const badGenesis = join(dir, 'bad-genesis.json')
  writeFileSync(badGenesis, JSON.stringify({ network: 'x', params: {}, validators: [] }))
  const notJson = join(dir, 'not-json.json')
  writeFileSync(notJson, '{ nope')
  const cases: Array<[string, string[], RegExp]> = [
    ['start without --data', ['start'], /start needs --data DIR/],
    ['start on a data dir with no genesis', ['start', '--data', join(dir, 'empty')], /has no genesis\.json: pass --genesis FILE/],
    ['start with a genesis that is not JSON', ['start', '--data', join(dir, 'n1'), '--genesis', notJson], /not valid JSON/],
    ['start with an invalid genesis', ['start', '--data', join(dir, 'n2'), '--genesis', badGenesis], /genesis params is missing/],
    ['start with a bad API port', ['start', '--data', join(dir, 'n3'), '--api', '99999'], /--api must be a port number/],
    ['start with a gossip degree out of range', ['start', '--data', join(dir, 'n3'), '--gossip-degree', '1'], /--gossip-degree must be an integer from 2 to 32/],
    ['start with a retention window shorter than the anchor window', ['start', '--data', join(dir, 'n3'), '--retention-blocks', '100'], /--retention-blocks must be 0 \(keep everything\) or an integer of at least 257/],
    ['start with a negative state-sync gap', ['start', '--data', join(dir, 'n3'), '--state-sync-gap', '-1'], /--state-sync-gap must be a non-negative integer number of blocks \(0: off\)/],
    ['start with an unknown agent', ['start', '--data', join(dir, 'n4'), '--agent', 'gpt'], /--agent must be builtin or openai/],
    ['start with a bad bootstrap address', ['start', '--data', join(dir, 'n5'), '--bootstrap', '127.0.0.1:4001'], /is not a multiaddr/],
    ['init without --data', ['init'], /init needs --data DIR/],
    ['init with a bad validator', ['init', '--data', join(dir, 'n6'), '--validator', 'nope'], /not an Ed25519 peer id/],
    ['ask with a bad API URL', ['ask', '--api', 'nowhere', 'hi'], /--api must be a URL/],
    ['ask without a question', ['ask'], /ask takes one QUESTION/]
  ]
  for (const [what, args, message] of cases) {
    it(what, () => {
      const r = runCli(args)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    })
  }

  it('init makes a key (mode 0600) and a genesis, refuses to run twice, and a corrupt key is an error', () => {
    const data = join(dir, 'fresh')
    const r = runCli(['init', '--data', data, '--network', 'testnet-1'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/created identity 12D3Koo/)
    expect(statSync(join(data, 'identity.key')).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(join(data, 'genesis.json'), 'utf8')).network).toBe('testnet-1')
    const again = runCli(['init', '--data', data])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists/)
    writeFileSync(join(data, 'identity.key'), 'garbage')
    const start = runCli(['start', '--data', data, '--api', '0'])
    expect(start.code).toBe(2)
    expect(start.stderr).toMatch(/identity key .* is corrupt/)
  })

  it('ask against a node that is not running exits 1 and says what to do', () => {
    const r = runCli(['ask', '--api', 'http://127.0.0.1:9', 'hi'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/cannot reach the node API .* is the node running\?/)
  })
})
