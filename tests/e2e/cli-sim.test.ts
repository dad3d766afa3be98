import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

describe('swarmrank sim', () => {
  it('writes report.json and plots; the same seed gives the same report.json byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-sim-'))
    const runs = ['a', 'b'].map(d => runCli(['sim', '--experiment', 'scale', '--quick', '--seed', '7', '--out', join(dir, d)], { timeoutMs: 120_000 }))
    for (const r of runs) {
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('scale (seed 7):')
      expect(r.stdout).toMatch(/N = +100: finality p50/)
      expect(r.stderr).toContain('scale: 100%') // progress, one line per 10 % off a terminal
    }
    for (const f of ['report.json', 'scale-traffic.svg', 'scale-finality.svg', 'timing.json']) expect(existsSync(join(dir, 'a', f))).toBe(true)
    expect(readFileSync(join(dir, 'a', 'report.json'), 'utf8')).toBe(readFileSync(join(dir, 'b', 'report.json'), 'utf8'))
    expect(readFileSync(join(dir, 'a', 'scale-traffic.svg'), 'utf8')).toBe(readFileSync(join(dir, 'b', 'scale-traffic.svg'), 'utf8'))
  }, 240_000)

  it('refuses a missing or unknown experiment and bad flags with a usage error', () => {
    const missing = runCli(['sim'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--experiment is required: one of accuracy, adversaries, sybil, churn, departures, scale')
    const unknown = runCli(['sim', '--experiment', 'valueOf'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown experiment "valueOf"')
    const nodes = runCli(['sim', '--experiment', 'scale', '--nodes', '2'])
    expect(nodes.code).toBe(2)
    expect(nodes.stderr).toContain('--nodes must be an integer from 4 to 20000')
  })
})
