/**
 * Churn campaign (issue 14, docs/reliability.md): many short seeded `swarmrank churn` runs, each
 * on a fresh `swarmrank cluster` of real node processes, mixing every fault kind. As root the
 * clusters run in network namespaces (--netns) so partitions, delay and loss are made by the
 * kernel and the relays; otherwise they run on loopback and the network faults are skipped (said
 * once at the start and in the summary). One line per run, then a summary: runs, queries, lost,
 * inconsistent, diverged, worst heal time. A failed run keeps its directory (node logs, the churn
 * log and report) and prints the command that replays its seed; passing runs are deleted.
 *
 *   npm run campaign -- [--runs 100] [--seed BASE] [--from 0] [--nodes 4,5] [--duration 12]
 *                       [--rate 0.7] [--queries-per-second 2] [--quiescence 90] [--out DIR]
 *                       [--loopback] [--faults LIST]
 *
 * Exit code 0 only if every run passed.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { faultKinds, networkFaultKinds } from '../node/cluster/churn.js'
import type { ChurnReport, FaultKind } from '../node/cluster/churn.js'
import { readCluster, stopListedNodes } from '../node/cluster/launcher.js'
import { destroyNetwork, netnsUnavailable } from '../node/cluster/netns.js'

const bin = fileURLToPath(new URL('../../bin/swarmrank.js', import.meta.url))
/** the cluster command of the run in progress (stopped cleanly if the campaign is interrupted) */
let current: ChildProcess | undefined
let currentChurn: ChildProcess | undefined

export interface CampaignOptions {
  runs: number
  from: number
  seed: string
  nodes: number[]
  durationS: number
  rate: number
  queriesPerSecond: number
  quiescenceS: number
  out: string
  netns: boolean
  faults: FaultKind[]
  log: (line: string) => void
}

export interface RunResult {
  run: number
  seed: string
  nodes: number
  ok: boolean
  /** the churn report, or undefined when the run broke before it had one */
  report?: ChurnReport
  error?: string
  wallS: number
  dir: string
}

export interface CampaignSummary {
  runs: number
  failed: number
  /** of the failed runs: those that broke before the churn report (a cluster that did not start) */
  noReport: number
  queries: number
  lost: number
  inconsistent: number
  diverged: number
  /** the longest heal time of the runs that healed, and the runs that never did */
  worstHealS: number | null
  unhealed: number
  faults: Record<FaultKind, number>
  skipped: FaultKind[]
}

export async function runCampaign (opts: CampaignOptions): Promise<{ results: RunResult[], summary: CampaignSummary }> {
  mkdirSync(opts.out, { recursive: true })
  const results: RunResult[] = []
  const jsonl = join(opts.out, 'runs.jsonl')
  writeFileSync(jsonl, '')
  opts.log(`campaign "${opts.seed}": ${opts.runs} runs of ${opts.durationS} s on ${opts.nodes.join('/')}-node clusters ${opts.netns ? 'in network namespaces' : 'on loopback'}, faults ${opts.faults.join(',')} at ${opts.rate}/s; results in ${opts.out}`)
  for (let k = opts.from; k < opts.from + opts.runs; k++) {
    const r = await oneRun(opts, k)
    results.push(r)
    appendFileSync(jsonl, JSON.stringify({ run: r.run, seed: r.seed, nodes: r.nodes, ok: r.ok, error: r.error, wallS: r.wallS, report: r.report }) + '\n')
    opts.log(runLine(r))
    if (r.ok) {
      rmSync(r.dir, { recursive: true, force: true })
    } else {
      opts.log(`    kept ${r.dir}; replay: npm run campaign -- --seed ${opts.seed} --from ${k} --runs 1 --nodes ${r.nodes} --duration ${opts.durationS} --rate ${opts.rate} --faults ${opts.faults.join(',')}${opts.netns ? '' : ' --loopback'}`)
    }
  }
  const summary = summarise(results)
  if (summary.skipped.length > 0) opts.log(`(${summary.skipped.join(', ')} skipped in every run: they need root and the --netns layout)`)
  return { results, summary }
}

async function oneRun (opts: CampaignOptions, k: number): Promise<RunResult> {
  const seed = `${opts.seed}-${k}`
  const nodes = opts.nodes[k % opts.nodes.length]
  const dir = join(opts.out, `run-${k}`)
  const data = join(dir, 'cluster')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const started = Date.now()
  const wallS = (): number => Math.round((Date.now() - started) / 100) / 10
  const clusterLog = join(dir, 'cluster.log')
  // The cluster writes to a file, not a pipe to this process: if the campaign is killed, the
  // cluster still stops its nodes and removes its namespaces when told to (no EPIPE on the way).
  const logFd = openSync(clusterLog, 'w')
  const args = [bin, 'cluster', '--nodes', String(nodes), '--queries', '0', '--data', data, '--seed', seed, ...(opts.netns ? ['--netns'] : [])]
  const cluster = spawn(process.execPath, args, { stdio: ['ignore', logFd, logFd] })
  closeSync(logFd)
  current = cluster
  const exited = new Promise<number | null>(resolve => cluster.once('exit', code => resolve(code)))
  try {
    // `cluster running` is printed once the mesh formed
    const deadline = Date.now() + 120_000
    while (!readFileSync(clusterLog, 'utf8').includes('cluster running')) {
      if (cluster.exitCode !== null) throw new Error(`the cluster exited with code ${cluster.exitCode} while starting (${clusterLog})`)
      if (Date.now() > deadline) throw new Error(`the cluster did not start within 120 s (${clusterLog})`)
      await sleep(100)
    }
    const churnArgs = ['churn', '--cluster', data, '--duration', String(opts.durationS), '--seed', seed, '--rate', String(opts.rate), '--queries-per-second', String(opts.queriesPerSecond), '--quiescence', String(opts.quiescenceS), '--faults', opts.faults.join(','), '--json']
    const churn = await runChild([bin, ...churnArgs], (opts.durationS + opts.quiescenceS + 180) * 1000)
    writeFileSync(join(dir, 'churn.log'), churn.stderr)
    writeFileSync(join(dir, 'report.json'), churn.stdout)
    let report: ChurnReport | undefined
    try { report = JSON.parse(churn.stdout.trim().split('\n').pop() ?? '') as ChurnReport } catch {}
    if (report === undefined) return { run: k, seed, nodes, ok: false, error: `churn exited with code ${churn.code} and no report (${join(dir, 'churn.log')})`, wallS: wallS(), dir }
    return { run: k, seed, nodes, ok: report.ok && churn.code === 0, report, wallS: wallS(), dir }
  } catch (err) {
    return { run: k, seed, nodes, ok: false, error: (err as Error).message, wallS: wallS(), dir }
  } finally {
    cluster.kill('SIGINT')
    const timer = setTimeout(() => cluster.kill('SIGKILL'), 30_000)
    await exited
    clearTimeout(timer)
    current = undefined
    // whatever the cluster command could not stop (it was killed, or broke): nodes, relays, namespaces
    await stopListedNodes(data).catch(() => {})
    const net = readCluster(data)?.net
    if (net !== undefined) destroyNetwork(net)
  }
}

function runLine (r: RunResult): string {
  const head = `run ${String(r.run).padStart(3)} seed ${r.seed.padEnd(12)} ${r.nodes} nodes`
  if (r.report === undefined) return `${head}  FAILED: ${r.error ?? 'no report'} (${r.wallS} s)`
  const f = r.report.faults
  const faults = faultKinds.map(k => `${k} ${f[k]}`).join(' ')
  const q = r.report.queries
  return `${head}  ${faults} | queries ${q.acknowledged} lost ${q.lost} inconsistent ${q.inconsistent} diverged ${r.report.diverged} heal ${r.report.healS === null ? 'never' : `${r.report.healS.toFixed(1)} s`}  ${r.ok ? 'OK' : 'FAILED'} (${r.wallS} s)`
}

export function summarise (results: RunResult[]): CampaignSummary {
  const reports = results.map(r => r.report).filter((r): r is ChurnReport => r !== undefined)
  const heals = reports.map(r => r.healS).filter((h): h is number => h !== null)
  const faults = Object.fromEntries(faultKinds.map(k => [k, reports.reduce((s, r) => s + (r.faults[k] ?? 0), 0)])) as Record<FaultKind, number>
  return {
    runs: results.length,
    failed: results.filter(r => !r.ok).length,
    noReport: results.filter(r => r.report === undefined).length,
    queries: reports.reduce((s, r) => s + r.queries.acknowledged, 0),
    lost: reports.reduce((s, r) => s + r.queries.lost, 0),
    inconsistent: reports.reduce((s, r) => s + r.queries.inconsistent, 0),
    diverged: reports.reduce((s, r) => s + r.diverged, 0),
    worstHealS: heals.length === 0 ? null : Math.max(...heals),
    unhealed: reports.filter(r => r.healS === null).length,
    faults,
    skipped: [...new Set(reports.flatMap(r => r.skipped?.faults ?? []))]
  }
}

export function summaryLine (s: CampaignSummary): string {
  return `summary: runs ${s.runs}, failed ${s.failed}${s.noReport > 0 ? ` (${s.noReport} without a report: the harness broke, see their logs)` : ''}, queries ${s.queries}, lost ${s.lost}, inconsistent ${s.inconsistent}, diverged ${s.diverged}, worst heal time ${s.worstHealS === null ? '-' : `${s.worstHealS.toFixed(1)} s`}${s.unhealed > 0 ? ` (${s.unhealed} never healed)` : ''}; faults ${faultKinds.map(k => `${k} ${s.faults[k]}`).join(', ')}`
}

async function runChild (args: string[], timeoutMs: number): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  currentChurn = child
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>(resolve => child.once('exit', c => resolve(c)))
  clearTimeout(timer)
  return { code, stdout, stderr }
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

function usage (message: string): never {
  process.stderr.write(`campaign: ${message} (see npm run campaign -- --help)\n`)
  process.exit(2)
}

async function main (): Promise<number> {
  let values
  try {
    values = parseArgs({
      options: {
        runs: { type: 'string' },
        from: { type: 'string' },
        seed: { type: 'string' },
        nodes: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        'queries-per-second': { type: 'string' },
        quiescence: { type: 'string' },
        out: { type: 'string' },
        faults: { type: 'string' },
        loopback: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true
    }).values
  } catch (err) {
    usage((err as Error).message)
  }
  if (values.help === true) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter(l => l.startsWith(' *')).slice(0, 14).map(l => l.slice(3)).join('\n') + '\n')
    return 0
  }
  const num = (name: string, raw: string | undefined, fallback: number, ok: (n: number) => boolean, what: string): number => {
    const v = raw === undefined ? fallback : Number(raw)
    if (!Number.isFinite(v) || !ok(v)) usage(`--${name} must be ${what}, got "${raw}"`)
    return v
  }
  const nodes = (values.nodes ?? '4,5').split(',').map(x => num('nodes', x, 4, n => Number.isInteger(n) && n >= 2 && n <= 32, 'node counts from 2 to 32, comma-separated'))
  const faults = (values.faults ?? faultKinds.join(',')).split(',').map(f => f.trim()).filter(f => f !== '')
  for (const f of faults) if (!faultKinds.includes(f as FaultKind)) usage(`--faults: unknown fault "${f}" (known: ${faultKinds.join(', ')})`)
  let netns = values.loopback !== true
  const why = netnsUnavailable()
  if (netns && why !== undefined) {
    const lost = faults.filter(f => networkFaultKinds.includes(f as FaultKind))
    process.stdout.write(`campaign: ${why}; running on loopback clusters${lost.length > 0 ? `, without ${lost.join(', ')}` : ''}\n`)
    netns = false
  }
  const seed = values.seed ?? 'c'
  const opts: CampaignOptions = {
    runs: num('runs', values.runs, 100, n => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    from: num('from', values.from, 0, n => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    seed,
    nodes,
    durationS: num('duration', values.duration, 12, n => n > 0 && n <= 3600, 'seconds > 0'),
    rate: num('rate', values.rate, 0.7, n => n > 0 && n <= 100, 'faults per second > 0'),
    queriesPerSecond: num('queries-per-second', values['queries-per-second'], 2, n => n > 0 && n <= 1000, 'a number > 0'),
    quiescenceS: num('quiescence', values.quiescence, 90, n => n > 0 && n <= 3600, 'seconds > 0'),
    // results/ is git-ignored: a failed run's logs stay there for a look and a replay
    out: resolve(values.out ?? join('results', `campaign-${seed}`)),
    netns,
    faults: faults as FaultKind[],
    log: line => process.stdout.write(line + '\n')
  }
  // Ctrl-C or SIGTERM: the run's cluster stops its nodes and removes its namespaces, then we go
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stdout.write(`campaign: ${signal}, stopping the current cluster\n`)
      if (currentChurn?.exitCode === null) currentChurn.kill('SIGTERM')
      const c = current
      if (c === undefined || c.exitCode !== null) process.exit(130)
      c.once('exit', () => process.exit(130))
      c.kill('SIGINT')
    })
  }
  const { summary } = await runCampaign(opts)
  process.stdout.write(summaryLine(summary) + '\n')
  if (values.json === true) process.stdout.write(JSON.stringify(summary) + '\n')
  return summary.failed === 0 ? 0 : 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(code => { process.exitCode = code }, err => {
    process.stderr.write(`campaign: ${(err as Error).message}\n`)
    process.exitCode = 2
  })
}
