import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

const soak = join(repoRoot, 'dist/scripts/soak.js')
const run = (args: string[]): { code: number | null, stdout: string, stderr: string } => {
  const r = spawnSync(process.execPath, [soak, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const dir = mkdtempSync(join(tmpdir(), 'swarmrank-soak-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface SoakSamples { samples: Array<{ atS: number, final: number, nodes: Array<{ rssMb: number, heapMb?: number, externalMb?: number, diskMb: number }> }> }

describe('npm run soak (smoke)', () => {
  it('drives 3 node processes until a number of queries is final, printing memory and disk per node every interval, then a summary', () => {
    const out = join(dir, 'samples.json')
    const r = run(['--nodes', '3', '--concurrency', '4', '--queries', '12', '--interval', '1', '--out', out, '--max-rss', '4000'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // interval lines: time, final, q/s, p50, p99, then RSS, heap, external and disk for each of the 3 nodes
    const lines = r.stdout.split('\n').filter(l => /^\s+[\d.]+ s\s/.test(l))
    expect(lines.length).toBeGreaterThanOrEqual(1)
    for (const l of lines) expect(l.trim().split(/\s+/).length).toBe(2 + 4 + 4 * 3)
    expect(r.stdout).toMatch(/^\d+ queries final in \d+ s/m)
    expect(r.stdout).toMatch(/^last half \(\d+ → \d+ queries\): RSS growth MB/m)
    expect(r.stdout).toMatch(/^disk MB per node at the end:/m)
    expect(r.stdout).toContain('every node\'s RSS stayed under 4000 MB over the last half')
    // the validator set at the end, node by node (power gathered on one node is what a rule punishing slow nodes looks like)
    expect(r.stdout).toMatch(/^voting power at height \d+ \(node 0's ledger\), node by node: (\d+ %( · )?){3}$/m)
    const { samples } = JSON.parse(readFileSync(out, 'utf8')) as SoakSamples
    const last = samples[samples.length - 1]
    expect(last.final).toBeGreaterThanOrEqual(12)
    expect(last.nodes).toHaveLength(3)
    for (const n of last.nodes) {
      expect(n.rssMb).toBeGreaterThan(10)
      expect(n.heapMb).toBeGreaterThan(1)
      expect(n.externalMb).toBeGreaterThan(0)
      expect(n.diskMb).toBeGreaterThan(0)
    }
  }, 120_000)

  it('refuses bad flags with exit code 2 and says why', () => {
    const both = run(['--queries', '10', '--duration', '10'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give --queries or --duration, not both')
    const bad = run(['--nodes', '1'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--nodes takes a node count from 2 to 64')
  })
})
