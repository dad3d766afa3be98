import { barChart, lineChart, percent } from '../svg.js'
import { accuracy, baseConfig, finality, pct, round3, simulate, swarm } from './common.js'
import type { ExperimentContext, ExperimentReport, Method, SkillProfile } from './common.js'

interface Setting {
  name: string
  profile: SkillProfile
  freeForm: boolean
  what: string
}

const settings: Setting[] = [
  { name: 'calibrated', profile: 'calibrated', freeForm: false, what: 'judging easier than answering (answer 20–65 %, judge 80–95 %), short exact answers' },
  { name: 'hard-judging', profile: 'hard-judging', freeForm: false, what: 'judging barely easier than answering (judge 55–78 %)' },
  { name: 'free-form', profile: 'calibrated', freeForm: true, what: 'calibrated skills, answers in free-form phrasing (rarely identical strings)' }
]

const methods: Array<[Method, string]> = [
  ['consensusRight', 'weighted BT (swarmrank)'],
  ['unweightedRight', 'unweighted BT'],
  ['majorityRight', 'majority vote'],
  ['bestSingleRight', 'best single node']
]

/**
 * Accuracy: peer-ranked, reputation-weighted Bradley–Terry consensus against majority vote over
 * the same answers, the unweighted fit over the same verdicts, and the best node alone.
 */
export async function accuracyExperiment (ctx: ExperimentContext): Promise<ExperimentReport> {
  const n = ctx.nodes ?? (ctx.quick ? 16 : 30)
  const queries = ctx.quick ? 40 : 200
  const rows: Array<Record<string, unknown>> = []
  const curves: Array<{ name: string, points: Array<[number, number]>, dashed?: boolean }> = []
  for (let s = 0; s < settings.length; s++) {
    const setting = settings[s]
    const result = await simulate(
      baseConfig(ctx.seed, swarm(n, ctx.seed, setting.profile), queries, { freeForm: setting.freeForm }),
      (done, total) => ctx.progress((s + done / total) / settings.length, `${setting.name}: ${done}/${total} queries final`)
    )
    const acc = Object.fromEntries(methods.map(([m]) => [m.replace('Right', ''), round3(accuracy(result.queries, m))]))
    const answered = result.queries.filter(q => q.final)
    rows.push({
      setting: setting.name,
      what: setting.what,
      nodes: n,
      queries,
      accuracy: acc,
      meanAnswers: round3(answered.reduce((t, q) => t + q.answers, 0) / Math.max(1, answered.length)),
      meanDistinctAnswers: round3(answered.reduce((t, q) => t + q.distinctAnswers, 0) / Math.max(1, answered.length)),
      finality: finality(result.queries),
      agreement: result.agreement
    })
    if (setting.name === 'calibrated') {
      for (const [m, label] of methods.slice(0, 3)) {
        let right = 0
        curves.push({ name: label, dashed: m !== 'consensusRight', points: result.queries.map((q, i) => { right += q[m] ? 1 : 0; return [i + 1, right / (i + 1)] }) })
      }
    }
  }
  const plots = {
    'accuracy.svg': barChart({
      title: `Accuracy by method (${n} nodes, ${queries} questions each)`,
      yLabel: 'questions answered right',
      categories: settings.map(s => s.name),
      series: methods.map(([m, label]) => ({ name: label, values: rows.map(r => (r.accuracy as Record<string, number>)[m.replace('Right', '')]) })),
      yMin: 0,
      yMax: 1,
      yFormat: percent
    }),
    'accuracy-over-rounds.svg': lineChart({
      title: 'Cumulative accuracy, calibrated profile',
      xLabel: 'questions asked',
      yLabel: 'share right so far',
      series: curves,
      yMin: 0,
      yMax: 1,
      yFormat: percent
    })
  }
  const summary = rows.map(r => {
    const a = r.accuracy as Record<string, number>
    return `${String(r.setting).padEnd(13)} weighted BT ${pct(a.consensus)}  unweighted BT ${pct(a.unweighted)}  majority ${pct(a.majority)}  best node ${pct(a.bestSingle)}  (${pct(a.consensus - a.majority)} over majority; ${(r.meanDistinctAnswers as number).toFixed(1)} distinct of ${(r.meanAnswers as number).toFixed(1)} answers)`
  })
  return { name: 'accuracy', report: { experiment: 'accuracy', seed: ctx.seed, settings: rows }, plots, summary }
}
