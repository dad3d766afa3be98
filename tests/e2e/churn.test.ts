import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCluster, stopListedNodes } from '../../node/cluster/launcher.js'
import { repoRoot, runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'swarmrank-churn-'))
const data = join(dir, 'cluster')
let cluster: ReturnType<typeof spawn> | undefined

afterAll(async () => {
  cluster?.kill('SIGINT')
  await stopListedNodes(data)
  rmSync(dir, { recursive: true, force: true })
})

/** A process's /proc/PID/stat line (Linux), or undefined once it is gone. */
function procStat (pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
}

/** Alive and not a zombie waiting to be reaped (state letter Z). */
function running (pid: number): boolean {
  const state = procStat(pid)?.match(/^\d+ \(.*\) (\w)/)?.[1]
  return state !== undefined && state !== 'Z'
}

describe('swarmrank churn (smoke: 4 node processes, ~25 s of faults)', () => {
  it('kills, pauses, restarts, wipes and adds nodes while queries flow; nothing acknowledged is lost and nothing diverges', async () => {
    cluster = spawn(process.execPath, [join(repoRoot, 'bin/swarmrank.js'), 'cluster', '--nodes', '4', '--queries', '0', '--data', data], { stdio: 'ignore' })
    const deadline = Date.now() + 60_000
    while (!(existsSync(join(data, 'cluster.json')) && (readCluster(data)?.nodes.length ?? 0) === 4)) {
      if (Date.now() > deadline) throw new Error('cluster did not start')
      await new Promise(r => setTimeout(r, 200))
    }
    await new Promise(r => setTimeout(r, 3_000)) // mesh
    const r = runCli(['churn', '--cluster', data, '--duration', '25', '--seed', 'ci', '--faults', 'kill,pause,restart,wipe,join', '--rate', '0.4', '--queries-per-second', '2', '--json'], { timeoutMs: 180_000 })
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0)
    const report = JSON.parse(r.stdout) as { faults: Record<string, number>, queries: { acknowledged: number, lost: number, inconsistent: number }, diverged: number, nodes: Array<{ height: number, stateRoot: string }> }
    expect(Object.values(report.faults).reduce((s, x) => s + x, 0)).toBeGreaterThanOrEqual(4)
    expect(report.queries.acknowledged).toBeGreaterThan(20)
    expect(report.queries.lost).toBe(0)
    expect(report.queries.inconsistent).toBe(0)
    expect(report.diverged).toBe(0)
    expect(new Set(report.nodes.map(n => n.stateRoot)).size).toBe(1)
    expect(report.nodes[0].height).toBeGreaterThan(5)

    // The cluster command outlives its own children (churn may have replaced them all), and
    // stopping it stops every node cluster.json lists — its own children and the ones churn
    // restarted or added — even when told twice in a row (an impatient Ctrl-C).
    const pids = readCluster(data)!.nodes.map(n => n.pid)
    expect(pids.length).toBeGreaterThanOrEqual(4)
    expect(cluster!.exitCode, 'the cluster command is still running').toBeNull()
    const exited = new Promise<number | null>(resolve => cluster!.once('exit', code => resolve(code)))
    cluster!.kill('SIGINT')
    await new Promise(r => setTimeout(r, 100))
    cluster!.kill('SIGINT')
    expect(await exited).toBe(0)
    // A node that needed SIGKILL may take a moment to die and be reaped (churn's restarts are
    // orphans, reaped by init): allow that, but not a node left running.
    const reapedBy = Date.now() + 10_000
    while (pids.some(running) && Date.now() < reapedBy) await new Promise(r => setTimeout(r, 100))
    for (const pid of pids) expect(running(pid), `node ${pid} still runs: ${procStat(pid)?.slice(0, 80)}`).toBe(false)
    cluster = undefined
  }, 240_000)
})
