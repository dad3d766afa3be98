import { quantizePpm, rankCandidates } from '../protocol/bt.js'
import type { PairwiseVerdict } from '../protocol/bt.js'
import { sha256, toHex, utf8 } from '../protocol/hash.js'
import { assignPairs } from '../protocol/pairs.js'
import { HashStream } from '../protocol/random.js'
import { agreementPpm, applyRound, genesisValidator, positionScoresPpm, PPM, votingPower } from '../protocol/reputation.js'
import type { ReputationEntry, RoundParticipation, ScoredVerdict } from '../protocol/reputation.js'
import { agentProfiles, builtinAnswer, builtinJudge, clusterProfileOrder } from '../protocol/agents/builtin.js'
import type { AgentProfile } from '../protocol/agents/builtin.js'
import { drawTask } from '../protocol/agents/tasks.js'

/** The demo swarm: the honest builtin profiles (judging easier than answering) and `gus`, a poor judge. */
export const demoNodes: AgentProfile[] = clusterProfileOrder.map(name => agentProfiles[name])

/** Nodes answering each round; the rest rank (committees are disjoint in the demo). */
const ANSWERERS_PER_ROUND = 5

export interface DemoRound {
  prompt: string
  rightAnswer: string
  answers: Array<{ node: string, answer: string }>
  candidates: Array<{ answer: string, strength: number, strengthPpm: number, answerers: string[] }>
  winner: string
  majority: string
  converged: boolean
  iterations: number
  deltas: Array<{ node: string, deltaPpm: number, reputationPpm: number, votingPower: number }>
}

/**
 * Run `rounds` demo rounds from `seed`. Each round a seeded draw picks the answerers; the other
 * nodes rank, with the builtin agents' answers and verdicts (protocol/agents/builtin.ts).
 */
export function runDemo (rounds: number, seed: string, nodes: AgentProfile[] = demoNodes): DemoRound[] {
  const rng = new HashStream(sha256(utf8(`swarmrank-demo/${seed}`)))
  let table = new Map<string, ReputationEntry>(nodes.map(n => [n.name, genesisValidator(500_000)]))
  const out: DemoRound[] = []
  for (let r = 0; r < rounds; r++) {
    const task = drawTask(rng)
    const queryId = sha256(utf8(`${seed}/${r}/${task.prompt}`))
    const order = rng.shuffle(nodes)
    const answerers = order.slice(0, ANSWERERS_PER_ROUND)
    const rankers = order.slice(ANSWERERS_PER_ROUND)
    const answers = answerers.map(n => ({ node: n.name, answer: builtinAnswer(n, n.name, queryId, task.prompt) }))
    const idOf = (answer: string): string => toHex(sha256(utf8(answer)))
    const textOf = new Map(answers.map(a => [idOf(a.answer), a.answer]))
    const candidateIds = [...textOf.keys()]
    const verdicts: PairwiseVerdict[] = []
    const byRanker = new Map<string, ScoredVerdict[]>()
    for (const ranker of rankers) {
      const mine: ScoredVerdict[] = []
      for (const [a, b] of assignPairs({ queryId, ranker: ranker.name, candidates: candidateIds })) {
        const { verdict } = builtinJudge(ranker, ranker.name, queryId, task.prompt, textOf.get(a)!, textOf.get(b)!)
        mine.push({ a, b, verdict })
        verdicts.push({ a, b, outcome: verdict === 'A' ? 'a' : verdict === 'B' ? 'b' : 'tie', weight: votingPower(table.get(ranker.name)) / PPM })
      }
      byRanker.set(ranker.name, mine)
    }
    const ranking = rankCandidates(candidateIds, verdicts)
    const ppm = quantizePpm(ranking.strengths)
    const strengthPpm = new Map(ranking.ids.map((id, k) => [id, ppm[k]]))
    const position = positionScoresPpm(strengthPpm)
    const participations: RoundParticipation[] = []
    for (const a of answers) participations.push({ node: a.node, kind: 'scored', scorePpm: position.get(idOf(a.answer)) ?? 0 })
    for (const [node, mine] of byRanker) participations.push({ node, kind: 'scored', scorePpm: agreementPpm(mine, strengthPpm) })
    const applied = applyRound(table, participations)
    table = applied.table
    const votes = new Map<string, number>()
    for (const a of answers) votes.set(a.answer, (votes.get(a.answer) ?? 0) + 1)
    const majority = [...votes].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0]
    out.push({
      prompt: task.prompt,
      rightAnswer: task.answer,
      answers,
      candidates: ranking.ids
        .map((id, k) => ({ answer: textOf.get(id)!, strength: ranking.strengths[k], strengthPpm: ppm[k], answerers: answers.filter(a => idOf(a.answer) === id).map(a => a.node) }))
        .sort((x, y) => y.strength - x.strength),
      winner: textOf.get(ranking.winner!)!,
      majority,
      converged: ranking.converged,
      iterations: ranking.iterations,
      deltas: nodes.map(n => ({
        node: n.name,
        deltaPpm: applied.deltas.get(n.name) ?? 0,
        reputationPpm: table.get(n.name)!.reputationPpm,
        votingPower: votingPower(table.get(n.name))
      }))
    })
  }
  return out
}
