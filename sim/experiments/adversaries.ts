import { byzantineBehaviours } from '../agents.js'
import type { SimBehaviour } from '../agents.js'
import { lineChart, percent } from '../svg.js'
import type { QueryOutcome, SimResult } from '../swarm.js'
import { accuracy, baseConfig, finality, pct, round3, simProtocolParams, simulate, swarm } from './common.js'
import type { ExperimentContext, ExperimentReport } from './common.js'

/**
 * Adversaries: a share of the founding identities (all with equal starting reputation) runs one
 * Byzantine profile. Accuracy is measured after a warm-up (the first third of the questions),
 * when reputation has had time to react; the defences "stop working" at the smallest share where
 * consensus falls below 90 % of its accuracy with no attacker.
 */
const SEATS = simProtocolParams.answerers + simProtocolParams.rankers

/** Seats of `group` charged as absent, per seat it held, over the final questions. */
function absentRate (queries: readonly QueryOutcome[], group: string): number | null {
  const final = queries.filter(q => q.final)
  const seats = final.reduce((t, q) => t + (q.seats[group] ?? 0) * SEATS, 0)
  if (seats < 0.5) return null
  return round3(final.reduce((t, q) => t + (q.absentSeats[group] ?? 0), 0) / seats)
}

/** A flood's figures: what got through the gossip door and the blocks, against the quota, and what it cost the honest nodes. */
function flooding (r: SimResult): Record<string, unknown> {
  const fl = r.flood
  if (fl === undefined) return {}
  return {
    flood: {
      submitted: fl.submitted,
      ordered: fl.ordered,
      final: fl.final,
      quotaBySecond: fl.quotaBySecond,
      quotaByEpoch: fl.quotaByEpoch,
      honestModelCalls: fl.modelCalls.honest ?? 0,
      honestModelCallsPerOrdered: round3((fl.modelCalls.honest ?? 0) / Math.max(1, fl.ordered))
    }
  }
}

export async function adversariesExperiment (ctx: ExperimentContext): Promise<ExperimentReport> {
  const n = ctx.nodes ?? (ctx.quick ? 15 : 30)
  const queries = ctx.quick ? 45 : 120
  const warmup = Math.floor(queries / 3)
  const fractions = [0, ...(ctx.shares ?? (ctx.quick ? [0.3] : [0.1, 0.2, 0.3, 0.4, 0.45])).filter(f => f > 0)]
  const profiles: SimBehaviour[] = ctx.profiles ?? (ctx.quick ? ['colluder', 'withholder', 'grinder', 'forger', 'equivocator', 'backdater', 'flooder'] : byzantineBehaviours)
  // A flood costs the simulator what it costs the network (every ordered flood query runs a
  // round): flooders run at fewer shares.
  // Flooders try 2 queries a second each (4 times the gossip door's rate); the quick version's
  // single flooder tries 5, so that the blocks' quota, not the flood, bounds what is ordered.
  const flood = { perSecond: ctx.quick ? 5 : 2 }
  const sharesOf = (b: SimBehaviour): number[] => b !== 'flooder' || ctx.shares !== undefined ? fractions.slice(1) : ctx.quick ? [0.1] : [0.1, 0.3]
  const runs = 1 + profiles.reduce((t, b) => t + sharesOf(b).length, 0)
  // time series of the runs at the largest share under a third: reputation and rolling accuracy
  const shown = Math.max(...fractions.filter(f => f < 1 / 3))
  const repSeries: Array<{ name: string, points: Array<[number, number]>, dashed?: boolean }> = []
  const accSeries: Array<{ name: string, points: Array<[number, number]>, dashed?: boolean }> = []
  const rolling = (flags: boolean[], window = 20): Array<[number, number]> => flags.map((_, i) => {
    const from = Math.max(0, i - window + 1)
    const slice = flags.slice(from, i + 1)
    return [i + 1, slice.filter(Boolean).length / slice.length]
  })
  let done = 0
  const one = async (behaviour: SimBehaviour, fraction: number): Promise<Record<string, unknown>> => {
    const label = `${behaviour} at ${Math.round(fraction * 100)}%`
    const r = await simulate(
      baseConfig(ctx.seed, swarm(n, ctx.seed, 'calibrated', { behaviour, fraction }), queries, { flood }),
      (d, total) => ctx.progress((done + d / total) / runs, `${label}: ${d}/${total} queries final`)
    )
    done++
    if (fraction === shown && behaviour !== 'honest') {
      repSeries.push({ name: `${behaviour}`, points: r.blocks.map(b => [b.height, b.reputation.byzantine ?? 0]) })
      if (repSeries.length === 1) repSeries.push({ name: `honest (with ${behaviour})`, dashed: true, points: r.blocks.map(b => [b.height, b.reputation.honest ?? 0]) })
      accSeries.push({ name: behaviour, points: rolling(r.queries.map(q => q.consensusRight)) })
      if (behaviour === 'colluder') accSeries.push({ name: 'majority (colluder)', dashed: true, points: rolling(r.queries.map(q => q.majorityRight)) })
    }
    const last = r.blocks[r.blocks.length - 1]
    // ground queries (grinders): the answer seats grinding would have bought with the query id as
    // the committee seed, against what the ordering block's seed gave them
    const ground = r.queries.flatMap(q => q.ground === undefined ? [] : [q.ground])
    const mean = (xs: number[]): number => xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length
    const grinding = ground.length === 0
      ? {}
      : { groundQueries: ground.length, groundSeatShareIfQueryIdSeed: round3(mean(ground.map(g => g.queryIdSeedShare))), groundSeatShareActual: round3(mean(ground.map(g => g.actualShare))) }
    const f = finality(r.queries)
    return {
      behaviour,
      fraction,
      byzantineNodes: Math.floor(n * fraction + 1e-9),
      // the asked questions' time to finality (a flood must not starve them)
      finalityP50Ms: f.p50Ms,
      finalityP99Ms: f.p99Ms,
      consensus: round3(accuracy(r.queries, 'consensusRight', warmup)),
      majority: round3(accuracy(r.queries, 'majorityRight', warmup)),
      unweighted: round3(accuracy(r.queries, 'unweightedRight', warmup)),
      honestReputationPpm: last?.reputation.honest ?? 0,
      byzantineReputationPpm: last?.reputation.byzantine ?? null,
      byzantinePowerShare: round3(last?.powerShare.byzantine ?? 0),
      final: r.queries.filter(q => q.final).length,
      // the asked questions honest nodes submitted: all final, however busy the flooders keep the chain
      honestSubmittedFinal: round3(finality(r.queries.filter(q => q.submitterGroup === 'honest')).final),
      // seats charged as absent (no message in the final record), per seat the group held: a backdater must not raise the honest rate
      honestAbsentRate: absentRate(r.queries, 'honest'),
      byzantineAbsentRate: absentRate(r.queries, 'byzantine'),
      // model calls the honest nodes made per asked question
      honestModelCallsPerQuery: round3(r.queries.reduce((t, q) => t + (q.modelCalls.honest ?? 0), 0) / Math.max(1, r.queries.length)),
      // accountability (protocol/jailing.ts): double votes carried as evidence, members jailed at the end
      evidence: r.evidence,
      equivocations: r.equivocations,
      jailed: last?.jailed ?? {},
      ...flooding(r),
      agreement: r.agreement,
      ...grinding
    }
  }
  const baseline = await one('honest', 0)
  const rows: Array<Record<string, unknown>> = []
  for (const behaviour of profiles) {
    rows.push({ ...baseline, behaviour })
    for (const f of sharesOf(behaviour)) rows.push(await one(behaviour, f))
  }
  const of = (b: SimBehaviour): Array<Record<string, unknown>> => rows.filter(r => r.behaviour === b)
  const breaks = Object.fromEntries(profiles.map(b => {
    const first = of(b).find(r => (r.consensus as number) < 0.9 * (baseline.consensus as number))
    return [b, first === undefined ? null : first.fraction]
  }))
  const plots = {
    'adversaries-accuracy.svg': lineChart({
      title: `Consensus accuracy after warm-up vs Byzantine share (${n} nodes)`,
      xLabel: 'share of identities Byzantine',
      yLabel: 'questions right (after warm-up)',
      series: [
        ...profiles.map(b => ({ name: b, points: of(b).map(r => [r.fraction as number, r.consensus as number] as [number, number]) })),
        { name: 'majority (colluder)', dashed: true, points: of(profiles.includes('colluder') ? 'colluder' : profiles[0]).map(r => [r.fraction as number, r.majority as number] as [number, number]) }
      ],
      yMin: 0,
      yMax: 1,
      yFormat: percent
    }),
    'adversaries-reputation.svg': lineChart({
      title: 'Mean reputation at the end: Byzantine (solid) vs honest (dashed)',
      xLabel: 'share of identities Byzantine',
      yLabel: 'reputation (ppm)',
      series: [
        ...profiles.map(b => ({ name: `${b}`, points: of(b).filter(r => r.byzantineReputationPpm !== null).map(r => [r.fraction as number, r.byzantineReputationPpm as number] as [number, number]) })),
        ...profiles.slice(0, 1).map(b => ({ name: `honest (vs ${b})`, dashed: true, points: of(b).map(r => [r.fraction as number, r.honestReputationPpm as number] as [number, number]) }))
      ],
      yMin: 0,
      yMax: 1_000_000
    }),
    'adversaries-reputation-over-time.svg': lineChart({
      title: `Mean reputation per block with ${Math.round(shown * 100)}% Byzantine identities`,
      xLabel: 'block height',
      yLabel: 'mean reputation of the Byzantine nodes (ppm)',
      series: repSeries,
      yMin: 0,
      yMax: 1_000_000
    }),
    'adversaries-accuracy-over-time.svg': lineChart({
      title: `Accuracy over the run with ${Math.round(shown * 100)}% Byzantine identities`,
      xLabel: 'question',
      yLabel: 'right in the last 20 questions',
      series: accSeries,
      yMin: 0,
      yMax: 1,
      yFormat: percent
    })
  }
  const summary = [
    `no attacker: consensus ${pct(baseline.consensus as number)}, majority ${pct(baseline.majority as number)} (after warm-up, ${queries - warmup} questions)`,
    ...profiles.map(b => {
      const worst = of(b)[of(b).length - 1]
      const grind = worst.groundQueries === undefined ? '' : `; ${String(worst.groundQueries)} ground queries: answer seats ${pct(worst.groundSeatShareActual as number)} (query-id seed would give ${pct(worst.groundSeatShareIfQueryIdSeed as number)})`
      const fl = worst.flood as Record<string, number> | undefined
      const flood = fl === undefined ? '' : `; flood: ${fl.submitted} submitted, ${fl.ordered} ordered (quota ${Math.min(fl.quotaBySecond, fl.quotaByEpoch)}), ${fl.honestModelCalls} honest model calls`
      return `${b.padEnd(14)} at ${pct(worst.fraction as number)}: consensus ${pct(worst.consensus as number)}, majority ${pct(worst.majority as number)}, Byzantine reputation ${String(worst.byzantineReputationPpm)} vs honest ${String(worst.honestReputationPpm)} ppm; defences hold up to ${breaks[b] === null ? `${pct(fractions[fractions.length - 1])} and beyond` : `below ${pct(breaks[b] as number)}`}${grind}${flood}`
    })
  ]
  return { name: 'adversaries', report: { experiment: 'adversaries', seed: ctx.seed, nodes: n, queries, warmup, rows, defencesBreakAt: breaks }, plots, summary }
}
