/**
 * Simulator campaign (issue 14, docs/reliability.md): many seeded simulator runs, each with its
 * own swarm size, network (latency, jitter, loss), churn (crashes that return after a while,
 * leaves replaced by fresh identities), join waves and partitions, all drawn from the seed; every
 * decision of every node is checked against the agreement oracle (sim/decided-chain.ts). One line
 * per seed and a summary; exit code 1 on any agreement violation.
 *
 *   npm run campaign:sim -- [--seeds 1000] [--from 0] [--seed BASE] [--out FILE.jsonl]
 *
 * A seed's run is a pure function of BASE and its number: `--from K --seeds 1` replays seed K.
 */
import { appendFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { baseConfig, finality, honestAgent, simulate, swarm } from '../sim/experiments/common.js'
import { defaultNetworkParams } from '../sim/network.js'
import { Prng } from '../sim/prng.js'
import type { PartitionSpec, SimConfig } from '../sim/swarm.js'

interface Drawn { cfg: SimConfig, summary: string }

/** Everything about run `k` of campaign `base`, drawn from one seed stream. */
export function drawRun (base: string, k: number): Drawn {
  const seed = `${base}-${k}`
  const rng = new Prng(`sim-campaign/${seed}`)
  // mostly small swarms (fast, and where a few faults weigh most), some at scale
  const n = k % 100 === 99 ? 100 : k % 20 === 19 ? 60 : 7 + rng.int(34)
  const queries = 4 + rng.int(6)
  const queryIntervalMs = 1_000 + rng.int(3_000)
  const lastAsk = 1_000 + (queries - 1) * queryIntervalMs
  const network = {
    ...defaultNetworkParams,
    latencyMedianMs: 10 + rng.int(191),
    jitterMs: rng.int(101),
    loss: rng.next() * 0.05
  }
  const fresh = rng.fork('fresh')
  const churn = rng.next() < 0.3
    ? undefined
    : { perMinute: rng.next() * 0.5, returnAfterMs: 3_000 + rng.int(57_001), returnShare: 0.3 + 0.7 * rng.next(), freshAgent: () => honestAgent(fresh, 'calibrated') }
  const partitions: PartitionSpec[] = []
  let t = 500 + rng.int(5_000)
  for (let p = rng.int(4); p > 0 && t < lastAsk; p--) {
    const healAtMs = t + 2_000 + rng.int(38_001)
    partitions.push({ atMs: t, healAtMs, share: 0.1 + 0.4 * rng.next() })
    t = healAtMs + rng.int(10_000)
  }
  const joins = rng.next() < 0.2 ? [{ atMs: rng.int(lastAsk), count: 1 + rng.int(5), agent: honestAgent(fresh, 'calibrated'), group: 'joined' }] : undefined
  const cfg = baseConfig(seed, swarm(n, seed, 'calibrated'), queries, { queryIntervalMs, network, churn, partitions, joins })
  const summary = [
    `n=${n}`,
    `q=${queries}`,
    `lat=${network.latencyMedianMs}±${network.jitterMs}ms`,
    `loss=${(network.loss * 100).toFixed(1)}%`,
    `churn=${churn === undefined ? 0 : `${(churn.perMinute * 100).toFixed(0)}%/min`}`,
    `parts=${partitions.map(p => `${(p.share * 100).toFixed(0)}%@${(p.atMs / 1000).toFixed(0)}-${(p.healAtMs / 1000).toFixed(0)}s`).join(',') || '-'}`,
    ...(joins === undefined ? [] : [`join=${joins[0].count}`])
  ].join(' ')
  return { cfg, summary }
}

async function main (): Promise<number> {
  const { values } = parseArgs({
    options: { seeds: { type: 'string' }, from: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true
  })
  if (values.help === true) {
    process.stdout.write('usage: npm run campaign:sim -- [--seeds 1000] [--from 0] [--seed BASE] [--out FILE.jsonl]\n')
    return 0
  }
  const int = (name: string, raw: string | undefined, fallback: number): number => {
    const v = raw === undefined ? fallback : Number(raw)
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`)
    return v
  }
  const seeds = int('seeds', values.seeds, 1000)
  const from = int('from', values.from, 0)
  const base = values.seed ?? 'sim'
  const out = values.out
  if (out !== undefined) writeFileSync(out, '')
  const started = performance.now()
  let violations = 0
  let decisions = 0
  let queries = 0
  let final = 0
  let faults = { crashes: 0, leaves: 0, freshJoins: 0, partitions: 0 }
  const failed: number[] = []
  let slowest = { k: -1, ms: 0 }
  for (let k = from; k < from + seeds; k++) {
    const { cfg, summary } = drawRun(base, k)
    const t = performance.now()
    const r = await simulate(cfg)
    const ms = performance.now() - t
    if (ms > slowest.ms) slowest = { k, ms }
    const fin = finality(r.queries)
    violations += r.agreement.violations
    decisions += r.agreement.decisions
    queries += r.queries.length
    final += r.queries.filter(q => q.final).length
    faults = { crashes: faults.crashes + r.faults.crashes, leaves: faults.leaves + r.faults.leaves, freshJoins: faults.freshJoins + r.faults.freshJoins, partitions: faults.partitions + r.faults.partitions }
    if (r.agreement.violations > 0) failed.push(k)
    const ok = r.agreement.violations === 0
    process.stdout.write(`seed ${cfg.seed.padEnd(base.length + 5)} ${summary.padEnd(72)} decisions ${String(r.agreement.decisions).padStart(5)} violations ${r.agreement.violations} final ${(fin.final * 100).toFixed(0).padStart(3)}% h=${r.height} ${ok ? 'OK' : `FAILED (${r.agreement.first ?? ''})`} ${(ms / 1000).toFixed(1)}s\n`)
    if (out !== undefined) appendFileSync(out, JSON.stringify({ seed: cfg.seed, k, summary, agreement: r.agreement, final: fin.final, height: r.height, stateRoot: r.stateRoot, faults: r.faults, wallMs: Math.round(ms) }) + '\n')
  }
  const wall = (performance.now() - started) / 1000
  process.stdout.write(`\nsimulator campaign "${base}": ${seeds} seeds (${from}..${from + seeds - 1}), ${decisions} decisions checked, ${violations} agreement violations; ` +
    `${queries} queries, ${final} final (${((100 * final) / Math.max(1, queries)).toFixed(1)}%); faults: ${faults.crashes} crashes, ${faults.leaves} leaves, ${faults.freshJoins} fresh joins, ${faults.partitions} partitions; ` +
    `slowest seed ${slowest.k} ${(slowest.ms / 1000).toFixed(1)} s; ${wall.toFixed(0)} s in all\n`)
  for (const k of failed) process.stdout.write(`replay: npm run campaign:sim -- --seed ${base} --from ${k} --seeds 1\n`)
  return violations === 0 ? 0 : 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(code => { process.exitCode = code }, err => {
    process.stderr.write(`sim-campaign: ${(err as Error).message}\n`)
    process.exitCode = 2
  })
}
