import { lineChart, percent } from '../svg.js'
import { honestAgent } from './common.js'
import { accuracy, baseConfig, finality, pct, round3, simulate, swarm } from './common.js'
import type { ExperimentContext, ExperimentReport } from './common.js'
import { Prng } from '../prng.js'

/**
 * Churn: a share of the nodes leaves per minute and as many join: half crash and come back
 * 30 s later (catching up by block sync), half leave for good and are replaced by fresh
 * identities that must be admitted. Faults never take down a third of the voting power at once
 * (an operator's fault budget), as in `swarmrank churn`.
 */
export async function churnExperiment (ctx: ExperimentContext): Promise<ExperimentReport> {
  const n = ctx.nodes ?? (ctx.quick ? 16 : 30)
  const queries = ctx.quick ? 30 : 100
  const rates = ctx.quick ? [0, 0.3] : [0, 0.1, 0.2, 0.3, 0.4, 0.5]
  const rows: Array<Record<string, unknown>> = []
  for (let i = 0; i < rates.length; i++) {
    const rate = rates[i]
    const fresh = new Prng(`fresh/${ctx.seed}/${rate}`)
    const r = await simulate(
      baseConfig(ctx.seed, swarm(n, ctx.seed, 'calibrated'), queries, {
        churn: { perMinute: rate, returnAfterMs: 30_000, returnShare: 0.5, freshAgent: () => honestAgent(fresh, 'calibrated') }
      }),
      (d, total) => ctx.progress((i + d / total) / rates.length, `churn ${Math.round(rate * 100)}%/min: ${d}/${total} queries final`)
    )
    rows.push({
      churnPerMinute: rate,
      nodes: n,
      queries,
      consensus: round3(accuracy(r.queries, 'consensusRight')),
      majority: round3(accuracy(r.queries, 'majorityRight')),
      finality: finality(r.queries),
      faults: r.faults,
      height: r.height,
      agreement: r.agreement
    })
  }
  const fin = (r: Record<string, unknown>): { final: number, p50Ms: number, p99Ms: number } => r.finality as { final: number, p50Ms: number, p99Ms: number }
  const plots = {
    'churn-finality.svg': lineChart({
      title: `Time to finality under churn (${n} nodes)`,
      xLabel: 'nodes leaving (and joining) per minute, share of the swarm',
      yLabel: 'query → final block (s)',
      series: [
        { name: 'p50', points: rows.map(r => [r.churnPerMinute as number, fin(r).p50Ms / 1000]) },
        { name: 'p99', dashed: true, points: rows.map(r => [r.churnPerMinute as number, fin(r).p99Ms / 1000]) }
      ],
      yMin: 0
    }),
    'churn-accuracy.svg': lineChart({
      title: `Accuracy under churn (${n} nodes)`,
      xLabel: 'nodes leaving (and joining) per minute, share of the swarm',
      yLabel: 'questions right (never final = wrong)',
      series: [
        { name: 'weighted BT', points: rows.map(r => [r.churnPerMinute as number, r.consensus as number]) },
        { name: 'majority vote', dashed: true, points: rows.map(r => [r.churnPerMinute as number, r.majority as number]) },
        { name: 'final', dashed: true, points: rows.map(r => [r.churnPerMinute as number, fin(r).final]) }
      ],
      yMin: 0,
      yMax: 1,
      yFormat: percent
    })
  }
  const summary = rows.map(r => `churn ${pct(r.churnPerMinute as number).padStart(6)}/min: final ${pct(fin(r).final)}, finality p50 ${(fin(r).p50Ms / 1000).toFixed(1)} s p99 ${(fin(r).p99Ms / 1000).toFixed(1)} s, consensus ${pct(r.consensus as number)} vs majority ${pct(r.majority as number)}, violations ${(r.agreement as { violations: number }).violations}`)
  return { name: 'churn', report: { experiment: 'churn', seed: ctx.seed, rows }, plots, summary }
}
