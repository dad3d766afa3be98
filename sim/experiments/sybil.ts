import type { SimAgent } from '../agents.js'
import type { QueryOutcome } from '../swarm.js'
import { lineChart, percent } from '../svg.js'
import { accuracy, baseConfig, pct, round3, simulate, swarm } from './common.js'
import type { ExperimentContext, ExperimentReport } from './common.js'

/**
 * Sybil: a swarm of founders is joined at once by a flood of fresh identities. They are
 * admitted (16 per block) on probation: their verdicts weigh nothing and they gain voting power
 * only after scoring well for 5 rounds, then at most 1/8 of the total per epoch. Two kinds of
 * flood: a cartel (colluders) and patient sybils that behave honestly to earn weight; and the
 * patient sybils again, submitting their own queries once admitted (any ledger member submits,
 * DESIGN §8.11): the block that orders a query draws its committees, so submitting buys no seats;
 * and once more as farmers, which submit their own easy queries (they know the answers) with nonces
 * ground for committees of their own: what self-dealt questions buy in leaving probation and power.
 */
function groundSeats (own: readonly QueryOutcome[]): Record<string, number> {
  const ground = own.flatMap(q => q.ground === undefined ? [] : [q.ground])
  if (ground.length === 0) return {}
  const mean = (xs: number[]): number => round3(xs.reduce((a, b) => a + b, 0) / xs.length)
  return { groundQueries: ground.length, groundSeatShareIfQueryIdSeed: mean(ground.map(g => g.queryIdSeedShare)), groundSeatShareActual: mean(ground.map(g => g.actualShare)) }
}

export async function sybilExperiment (ctx: ExperimentContext): Promise<ExperimentReport> {
  const founders = ctx.nodes ?? (ctx.quick ? 12 : 30)
  const sybils = ctx.quick ? 100 : 1_000
  const queries = ctx.quick ? 40 : 200
  const joinAt = 20_000
  const patient: SimAgent = { behaviour: 'honest', answerSkill: 0.4, judgeSkill: 0.85, tieRate: 0.05 }
  const kinds: Array<{ name: string, agent: SimAgent, submitters?: 'members' }> = [
    { name: 'cartel', agent: { behaviour: 'colluder', answerSkill: 0, judgeSkill: 0, tieRate: 0 } },
    { name: 'patient', agent: patient },
    { name: 'asking', agent: patient, submitters: 'members' },
    { name: 'farming', agent: { ...patient, behaviour: 'farmer' }, submitters: 'members' }
  ]
  const rows: Array<Record<string, unknown>> = []
  const powerSeries: Array<{ name: string, points: Array<[number, number]>, dashed?: boolean }> = []
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[k]
    const r = await simulate(
      baseConfig(ctx.seed, swarm(founders, ctx.seed, 'calibrated'), queries, {
        joins: [{ atMs: joinAt, count: sybils, agent: kind.agent, group: 'sybil' }],
        joinRetryMs: 30_000,
        ...(kind.submitters === undefined ? {} : { submitters: kind.submitters })
      }),
      (d, total) => ctx.progress((k + d / total) / kinds.length, `${kind.name} sybils: ${d}/${total} queries final`)
    )
    const admitted = r.blocks.find(b => (b.members.sybil ?? 0) >= sybils)
    const maxShare = Math.max(0, ...r.blocks.map(b => b.powerShare.sybil ?? 0))
    const last = r.blocks[r.blocks.length - 1]
    const firstAfter = r.queries.findIndex(q => q.createdAtMs > joinAt)
    const after = r.queries.filter(q => q.index >= firstAfter)
    const own = after.filter(q => q.submitterGroup === 'sybil')
    const others = after.filter(q => q.submitterGroup !== 'sybil')
    const seatShare = (qs: typeof after): number => round3(qs.reduce((t, q) => t + (q.seats.sybil ?? 0), 0) / Math.max(1, qs.length))
    rows.push({
      sybils: kind.name,
      founders,
      count: sybils,
      allAdmittedAtMs: admitted === undefined ? null : Math.round(admitted.timeMs),
      maxPowerShare: round3(maxShare),
      // sybils past probation (proof of capability) at the end
      settled: last?.settled.sybil ?? 0,
      finalPowerShare: round3(last?.powerShare.sybil ?? 0),
      sybilReputationPpm: last?.reputation.sybil ?? null,
      accuracyBefore: round3(accuracy(r.queries.slice(0, Math.max(0, firstAfter)), 'consensusRight')),
      accuracyAfter: round3(accuracy(r.queries, 'consensusRight', firstAfter < 0 ? queries : firstAfter)),
      sybilSeatShare: seatShare(after),
      // the queries the sybils submitted themselves, and the seats they held on those and on the rest
      sybilQueryShare: round3(own.length / Math.max(1, after.length)),
      sybilSeatsOnOwnQueries: own.length === 0 ? null : seatShare(own),
      sybilSeatsOnOtherQueries: others.length === 0 ? null : seatShare(others),
      ownQueriesFinal: own.length === 0 ? null : round3(own.filter(q => q.final).length / own.length),
      // ground queries: the sybils' answer seats had the query id seeded the committees, and as drawn from the ordering block
      ...groundSeats(own),
      agreement: r.agreement
    })
    powerSeries.push({ name: `${kind.name}: power share`, points: r.blocks.map(b => [b.timeMs / 1000, b.powerShare.sybil ?? 0]) })
    powerSeries.push({ name: `${kind.name}: committee seats`, dashed: true, points: r.queries.filter(q => q.final).map(q => [q.createdAtMs / 1000, q.seats.sybil ?? 0]) })
  }
  const plots = {
    'sybil.svg': lineChart({
      title: `${sybils} fresh identities join ${founders} founders at t = ${joinAt / 1000} s`,
      xLabel: 'time (s)',
      yLabel: 'share held by the sybils',
      series: powerSeries,
      yMin: 0,
      yMax: 1,
      yFormat: percent
    })
  }
  const summary = rows.map(r => `${String(r.sybils).padEnd(8)} voting power max ${pct(r.maxPowerShare as number)} (end ${pct(r.finalPowerShare as number)}), ${String(r.settled)} past probation; committee seats ${pct(r.sybilSeatShare as number)}; accuracy before ${pct(r.accuracyBefore as number)}, after ${pct(r.accuracyAfter as number)}` +
    (r.sybilSeatsOnOwnQueries === null ? '' : `; ${pct(r.sybilQueryShare as number)} of the queries theirs, seats on their own ${pct(r.sybilSeatsOnOwnQueries as number)} vs ${r.sybilSeatsOnOtherQueries === null ? '-' : pct(r.sybilSeatsOnOtherQueries as number)} on the others'`))
  return { name: 'sybil', report: { experiment: 'sybil', seed: ctx.seed, rows }, plots, summary }
}
