import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

const bench = join(repoRoot, 'dist/scripts/bench-throughput.js')
const run = (args: string[]): { code: number | null, stdout: string, stderr: string } => {
  const r = spawnSync(process.execPath, [bench, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 90_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('npm run bench:throughput (smoke)', () => {
  it('drives 3 node processes with concurrent HTTP clients and prints one line of figures', () => {
    const r = run(['--sizes', '3', '--concurrency', '3', '--queries', '6', '--warmup', '0'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // nodes, build, others, finalized, final/s, p50, p99, node CPU ms/q, client ms/q, RSS med / max,
    // blocks, records/block, round > 0, check ms, gossip/q, feed lag, rejected, lost
    const line = r.stdout.split('\n').find(l => /^\s+3\s+current\s/.test(l))
    expect(line).toBeDefined()
    const figures = line!.match(/^\s+3\s+current\s+[\d.]+\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\d+) \/ (\d+)\s+(\d+)\s+([\d.]+|-)\s+(\d+%|-)\s+(\d+|-)\s+([\d.]+|-)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/)
    expect(figures).not.toBeNull()
    const [finalized, perSecond, p50, p99, nodeCpu, , rssMedian, rssMax, blocks, , , , gossipPerQuery, , , lost] = figures!.slice(1).map(Number)
    expect(finalized).toBeGreaterThanOrEqual(6)
    expect(perSecond).toBeGreaterThan(0)
    expect(p99).toBeGreaterThanOrEqual(p50)
    expect(nodeCpu).toBeGreaterThan(0) // summed over the three node processes
    expect(rssMax).toBeGreaterThanOrEqual(rssMedian)
    expect(rssMedian).toBeGreaterThan(10)
    expect(blocks).toBeGreaterThanOrEqual(1)
    expect(gossipPerQuery).toBeGreaterThan(0) // a query's round is several messages each node validates
    expect(lost).toBe(0)
  }, 120_000)

  it('refuses a bad flag value and an unknown flag with exit code 2', () => {
    const bad = run(['--concurrency', '0'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--concurrency takes a positive integer')
    const unknown = run(['--nodes', '5'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("Unknown option '--nodes'")
  })
})
