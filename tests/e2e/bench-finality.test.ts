import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

const bench = join(repoRoot, 'dist/scripts/bench-finality.js')
const run = (args: string[]): { code: number | null, stdout: string, stderr: string } => {
  const r = spawnSync(process.execPath, [bench, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('npm run bench:finality (smoke)', () => {
  it('times queries with the nodes in one process and dealt to two processes', () => {
    const r = run(['--sizes', '4', '--queries', '3', '--groups', '2'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // nodes, processes, round done p50 / p99, certified p50 / p99, share, CPU ms/query, socket writes/query
    const line = r.stdout.split('\n').find(l => /^\s+4\s+2\s/.test(l))
    expect(line).toBeDefined()
    const figures = line!.match(/^\s+4\s+2\s+(\d+) \/ \d+\s+(\d+) \/ \d+\s+\d+%\s+(\d+)\s+(\d+)\s*$/)
    expect(figures).not.toBeNull()
    const [, doneP50, certifiedP50, cpu, writes] = figures!
    expect(Number(certifiedP50)).toBeGreaterThanOrEqual(Number(doneP50))
    expect(Number(cpu)).toBeGreaterThan(0) // summed over both group processes
    expect(Number(writes)).toBeGreaterThan(0)
  }, 150_000)

  it('refuses a bad flag value', () => {
    const r = run(['--groups', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--groups takes positive integers')
  })
})
