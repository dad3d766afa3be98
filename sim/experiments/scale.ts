import { lineChart } from '../svg.js'
import { baseConfig, finality, round3, simulate, swarm } from './common.js'
import type { ExperimentContext, ExperimentReport } from './common.js'

/** Founding validators at most: beyond this the others start in the ledger on probation. */
const MAX_FOUNDERS = 100

/**
 * Scale: time to finality, gossip copies and bytes per node per question, and the simulator's
 * own wall time, for N = 10 … 10,000. Validators are the first min(N, 100) nodes (a Tendermint
 * vote is O(validators²) messages; see docs/experiments.md); everyone relays everything.
 */
export async function scaleExperiment (ctx: ExperimentContext): Promise<ExperimentReport> {
  const sizes = ctx.nodes !== undefined ? [ctx.nodes] : ctx.quick ? [10, 100] : [10, 100, 1_000, 10_000]
  const queriesFor = (n: number): number => (ctx.quick ? 5 : n >= 10_000 ? 5 : n >= 1_000 ? 10 : 20)
  const rows: Array<Record<string, unknown>> = []
  const wall: Record<string, number> = {}
  for (let i = 0; i < sizes.length; i++) {
    const n = sizes[i]
    const queries = queriesFor(n)
    const nodes = swarm(n, ctx.seed, 'calibrated').map((spec, k) => ({ ...spec, founder: k < MAX_FOUNDERS }))
    const t0 = performance.now()
    const r = await simulate(baseConfig(ctx.seed, nodes, queries), (d, total) => ctx.progress((i + d / total) / sizes.length, `N = ${n}: ${d}/${total} queries final`))
    wall[String(n)] = Math.round(performance.now() - t0)
    rows.push({
      nodes: n,
      validators: Math.min(n, MAX_FOUNDERS),
      queries,
      finality: finality(r.queries),
      messagesPerNodePerQuery: round3(r.traffic.messagesPerNodePerQuery),
      kbInPerNodePerQuery: round3(r.traffic.bytesInPerNodePerQuery / 1024),
      kbOutPerNodePerQuery: round3(r.traffic.bytesOutPerNodePerQuery / 1024),
      broadcastsPerQuery: round3(r.traffic.broadcasts / queries),
      agreement: r.agreement
    })
  }
  const pts = (f: (r: Record<string, unknown>) => number): Array<[number, number]> => rows.map(r => [r.nodes as number, f(r)])
  const plots = {
    'scale-traffic.svg': lineChart({
      title: 'Gossip cost per node per question',
      xLabel: 'nodes (log scale)',
      yLabel: 'kB received per node per question',
      logX: true,
      series: [{ name: 'kB in per node', points: pts(r => r.kbInPerNodePerQuery as number) }],
      yMin: 0
    }),
    'scale-finality.svg': lineChart({
      title: 'Time to finality vs network size',
      xLabel: 'nodes (log scale)',
      yLabel: 'query → final block (s)',
      logX: true,
      series: [
        { name: 'p50', points: pts(r => (r.finality as { p50Ms: number }).p50Ms / 1000) },
        { name: 'p99', dashed: true, points: pts(r => (r.finality as { p99Ms: number }).p99Ms / 1000) }
      ],
      yMin: 0
    })
  }
  const summary = rows.map(r => {
    const f = r.finality as { p50Ms: number, p99Ms: number, final: number }
    return `N = ${String(r.nodes).padStart(6)}: finality p50 ${(f.p50Ms / 1000).toFixed(2)} s p99 ${(f.p99Ms / 1000).toFixed(2)} s; ${String(r.messagesPerNodePerQuery)} copies and ${String(r.kbInPerNodePerQuery)} kB in per node per question; simulator ${(wall[String(r.nodes)] / 1000).toFixed(1)} s`
  })
  return { name: 'scale', report: { experiment: 'scale', seed: ctx.seed, rows }, plots, summary, timing: { wallMsByNodes: wall } }
}
