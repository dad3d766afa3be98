import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { netnsUnavailable } from '../../node/cluster/netns.js'
import { repoRoot, runCli } from '../helpers/cli.js'

/**
 * The churn campaign in small (CI): one short seeded run on a loopback cluster (process faults
 * and clock skew), and, as root, one in network namespaces with delay, loss, clock skew and pauses. The full
 * campaign (100 runs) is `npm run campaign`; docs/reliability.md has its figures.
 */
const dir = mkdtempSync(join(tmpdir(), 'swarmrank-campaign-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Summary { runs: number, failed: number, queries: number, lost: number, inconsistent: number, diverged: number, worstHealS: number | null, unhealed: number, faults: Record<string, number>, skipped: string[] }

function campaign (args: string[]): { code: number | null, stdout: string, stderr: string, summary?: Summary } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/campaign.js'), '--runs', '1', '--duration', '6', '--rate', '0.8', '--nodes', '4', '--quiescence', '60', '--json', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 })
  const last = r.stdout.trim().split('\n').pop() ?? ''
  let summary: Summary | undefined
  try { summary = JSON.parse(last) as Summary } catch {}
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary }
}

/** Namespaces of netns clusters whose creating process is gone: what a run failed to clean up. */
function orphanNamespaces (): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? ''
  return out.split('\n').map(l => l.split(' ')[0]).filter(ns => {
    const m = /^swr([0-9a-z]+)-\d+$/.exec(ns)
    if (m === null) return false
    try { process.kill(parseInt(m[1], 36), 0); return false } catch { return true }
  })
}

const whyNoNetns = netnsUnavailable()

describe('churn campaign smoke', () => {
  it('a loopback run with process faults and clock skew loses nothing, and says which faults it skipped', () => {
    const r = campaign(['--seed', 'ci-loop', '--loopback', '--out', join(dir, 'loop')])
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    const s = r.summary!
    expect(s).toMatchObject({ runs: 1, failed: 0, lost: 0, inconsistent: 0, diverged: 0, unhealed: 0 })
    expect(s.queries).toBeGreaterThan(0)
    expect(s.skipped.sort()).toEqual(['delay', 'loss', 'partition'])
    expect(r.stdout).toMatch(/^run +0 seed ci-loop-0 +4 nodes .* OK/m)
  }, 180_000)

  it.skipIf(whyNoNetns !== undefined)(`a run in network namespaces with partitions, delay, loss, clock skew and pauses loses nothing and leaves no namespace behind${whyNoNetns === undefined ? '' : ` (skipped: ${whyNoNetns})`}`, () => {
    // Partitions are in since the quiet-partition gap was fixed (docs/reliability.md): a query
    // acknowledged on the cut-off side used to stay unordered once the run went quiet.
    const r = campaign(['--seed', 'ci-netns', '--faults', 'partition,delay,loss,clock,pause', '--rate', '1', '--out', join(dir, 'netns')])
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    const s = r.summary!
    expect(s).toMatchObject({ runs: 1, failed: 0, lost: 0, inconsistent: 0, diverged: 0, unhealed: 0, skipped: [] })
    expect(s.faults.partition).toBeGreaterThan(0)
    expect(s.faults.delay + s.faults.loss).toBeGreaterThan(0)
    expect(orphanNamespaces()).toEqual([])
  }, 180_000)

  it('bad flags are one-line errors that say what to do', () => {
    const churn = runCli(['churn', '--cluster', dir, '--faults', 'kill,flood'])
    expect(churn.code).toBe(2)
    expect(churn.stderr).toContain('unknown fault "flood"')
    expect(churn.stderr).toContain('partition')
    const start = runCli(['start', '--data', join(dir, 'n'), '--clock-offset-ms', '5s'])
    expect(start.code).toBe(2)
    expect(start.stderr).toContain('--clock-offset-ms')
    const c = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/campaign.js'), '--nodes', '1'], { encoding: 'utf8' })
    expect(c.status).toBe(2)
    expect(c.stderr).toContain('--nodes must be node counts from 2 to 32')
  })
})
