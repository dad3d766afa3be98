import { lineChart, percent } from '../svg.js'
import { baseConfig, finality, percentile, round3, simProtocolParams, simulate, swarm } from './common.js'
import type { ExperimentContext, ExperimentReport } from './common.js'

/**
 * Departures (issue 15, DESIGN §8.8): validators leave for good one at a time, each far below
 * 1/3 of the power, until more than a third of the founders are gone. Without jailing a departed
 * validator keeps its power until absence decay wears it down, so the departures add up to a
 * halt once a third of the power is offline; with jailing (protocol/jailing.ts: missing from more
 * than 2/3 of the last 100 commits, jailed at the next epoch boundary) each one is removed before
 * the next few leave, and the chain never stops. Same seed, same departures, both ways.
 */
export async function departuresExperiment (ctx: ExperimentContext): Promise<ExperimentReport> {
  const n = ctx.nodes ?? (ctx.quick ? 12 : 30)
  const queries = ctx.quick ? 70 : 150
  // more than a third of the founders, one every 20 s from t = 30 s
  const count = Math.floor(n * 0.4)
  const departures = { startMs: 30_000, everyMs: 20_000, count }
  // Committees of 3 + 3: each validator sits on a fifth of the rounds (a half in the quick
  // version), as in a network larger than the simulated one. Absence decay (a tenth of the way
  // to 0 per round a departed member is drawn) then works slowly, as it would there.
  const committees = { answerers: 3, rankers: 3 }
  const settings = [
    { name: 'jailing', params: { ...simProtocolParams, ...committees } },
    { name: 'no jailing', params: { ...simProtocolParams, ...committees, jailing: undefined } }
  ]
  const rows: Array<Record<string, unknown>> = []
  const series: Array<{ name: string, points: Array<[number, number]>, dashed?: boolean }> = []
  for (let k = 0; k < settings.length; k++) {
    const s = settings[k]
    const r = await simulate(
      baseConfig(ctx.seed, swarm(n, ctx.seed, 'calibrated'), queries, { params: s.params, departures, drainMs: 60_000 }),
      (d, total) => ctx.progress((k + d / total) / settings.length, `${s.name}: ${d}/${total} queries final`)
    )
    const times = r.blocks.map(b => b.timeMs)
    const gaps = times.slice(1).map((t, i) => t - times[i])
    const lastAsk = 1_000 + (queries - 1) * 3_000
    const jailedDeparted = r.jailings.filter(j => j.leftAtMs !== undefined)
    const toJail = jailedDeparted.map(j => j.atMs - j.leftAtMs!)
    const f = finality(r.queries)
    rows.push({
      setting: s.name,
      nodes: n,
      departed: r.departures.length,
      jailedDeparted: jailedDeparted.length,
      // honest validators still online that the chain jailed (should be none)
      jailedOnline: r.jailings.filter(j => j.leftAtMs === undefined).length,
      timeToJailMs: { p50: percentile(toJail, 0.5), max: Math.max(0, ...toJail) },
      final: round3(f.final),
      finalityP50Ms: f.p50Ms,
      finalityP99Ms: f.p99Ms,
      height: r.height,
      lastBlockAtMs: Math.round(times[times.length - 1] ?? 0),
      // the chain halted if it made no block for the last stretch while queries were still asked
      halted: (times[times.length - 1] ?? 0) < lastAsk,
      longestBlockGapMs: Math.round(Math.max(0, ...gaps)),
      minOnlinePowerShare: round3(Math.min(1, ...r.blocks.map(b => b.onlinePowerShare))),
      agreement: r.agreement
    })
    series.push({ name: `${s.name}: online share of the power`, dashed: k > 0, points: r.blocks.map(b => [b.timeMs / 1000, b.onlinePowerShare]) })
  }
  const plots = {
    'departures.svg': lineChart({
      title: `${count} of ${n} validators leave for good, one every ${departures.everyMs / 1000} s from t = ${departures.startMs / 1000} s`,
      xLabel: 'time (s)',
      yLabel: 'share of the validator power online',
      series,
      yMin: 0,
      yMax: 1,
      yFormat: percent
    })
  }
  const summary = rows.map(r => {
    const jail = r.timeToJailMs as { p50: number, max: number }
    return `${String(r.setting).padEnd(10)} ${String(r.departed)} departed, ${String(r.jailedDeparted)} jailed (time to jail p50 ${(jail.p50 / 1000).toFixed(1)} s, max ${(jail.max / 1000).toFixed(1)} s), ` +
      `online power min ${(100 * (r.minOnlinePowerShare as number)).toFixed(1)}%, final ${(100 * (r.final as number)).toFixed(1)}%, ${r.halted === true ? `HALTED at ${((r.lastBlockAtMs as number) / 1000).toFixed(0)} s` : 'never halted'}, longest block gap ${((r.longestBlockGapMs as number) / 1000).toFixed(1)} s`
  })
  return { name: 'departures', report: { experiment: 'departures', seed: ctx.seed, departures, committees, queries, rows }, plots, summary }
}
