import { quantizePpm, rankCandidates } from '../protocol/bt.js'
import type { PairwiseVerdict } from '../protocol/bt.js'
import { sha256, toHex, utf8 } from '../protocol/hash.js'
import { assignPairs } from '../protocol/pairs.js'
import { HashStream } from '../protocol/random.js'
import { agreementPpm, applyRound, genesisValidator, positionScoresPpm, PPM, votingPower } from '../protocol/reputation.js'
import type { ReputationEntry, RoundParticipation, ScoredVerdict } from '../protocol/reputation.js'
import { drawTask } from './tasks.js'

/**
 * A node of the demo swarm: how often it answers right, how often it judges a pair right, and
 * how often it calls a pair a tie. The demo runs the protocol core (pairs, weighted
 * Bradley–Terry, reputation) in one process, without the network.
 */
export interface DemoNode {
  name: string
  answerSkill: number
  judgeSkill: number
  tieRate: number
}

/**
 * Judging is easier than answering (the Fortytwo paper's premise): most nodes answer right less
 * than half the time but judge a pair well. `gus` is a poor, contrarian judge.
 */
export const demoNodes: DemoNode[] = [
  { name: 'ada', answerSkill: 0.7, judgeSkill: 0.95, tieRate: 0.02 },
  { name: 'bo', answerSkill: 0.5, judgeSkill: 0.9, tieRate: 0.05 },
  { name: 'cy', answerSkill: 0.45, judgeSkill: 0.9, tieRate: 0.05 },
  { name: 'dee', answerSkill: 0.4, judgeSkill: 0.85, tieRate: 0.05 },
  { name: 'eli', answerSkill: 0.35, judgeSkill: 0.85, tieRate: 0.1 },
  { name: 'fox', answerSkill: 0.35, judgeSkill: 0.8, tieRate: 0.1 },
  { name: 'gia', answerSkill: 0.3, judgeSkill: 0.8, tieRate: 0.1 },
  { name: 'hal', answerSkill: 0.3, judgeSkill: 0.7, tieRate: 0.1 },
  { name: 'gus', answerSkill: 0.1, judgeSkill: 0.2, tieRate: 0 }
]

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
 * nodes rank. A wrong answer is the task's most common mistake half the time, so wrong answers
 * coincide and can outvote the right one, as with real models.
 */
export function runDemo (rounds: number, seed: string, nodes: DemoNode[] = demoNodes): DemoRound[] {
  const rng = new HashStream(sha256(utf8(`swarmrank-demo/${seed}`)))
  let table = new Map<string, ReputationEntry>(nodes.map(n => [n.name, genesisValidator(500_000)]))
  const out: DemoRound[] = []
  for (let r = 0; r < rounds; r++) {
    const task = drawTask(rng)
    const queryId = sha256(utf8(`${seed}/${r}/${task.prompt}`))
    const order = rng.shuffle(nodes)
    const answerers = order.slice(0, ANSWERERS_PER_ROUND)
    const rankers = order.slice(ANSWERERS_PER_ROUND)
    const answers = answerers.map(n => ({
      node: n.name,
      answer: rng.nextFloat() < n.answerSkill
        ? task.answer
        : rng.nextFloat() < 0.5 ? task.distractors[0] : task.distractors[rng.nextInt(task.distractors.length)]
    }))
    const idOf = (answer: string): string => toHex(sha256(utf8(answer)))
    const textOf = new Map(answers.map(a => [idOf(a.answer), a.answer]))
    const candidateIds = [...textOf.keys()]
    const verdicts: PairwiseVerdict[] = []
    const byRanker = new Map<string, ScoredVerdict[]>()
    for (const ranker of rankers) {
      const mine: ScoredVerdict[] = []
      for (const [a, b] of assignPairs({ queryId, ranker: ranker.name, candidates: candidateIds })) {
        const better = textOf.get(a) === task.answer ? 'A' : textOf.get(b) === task.answer ? 'B' : undefined
        let verdict: 'A' | 'B' | 'TIE'
        if (better === undefined) verdict = rng.nextFloat() < ranker.judgeSkill ? 'TIE' : rng.nextFloat() < 0.5 ? 'A' : 'B' // both wrong
        else if (rng.nextFloat() < ranker.tieRate) verdict = 'TIE'
        else verdict = rng.nextFloat() < ranker.judgeSkill ? better : (better === 'A' ? 'B' : 'A')
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
