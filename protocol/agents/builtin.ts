import { sha256, utf8 } from '../hash.js'
import { HashStream } from '../random.js'
import { solveTask } from './tasks.js'

/**
 * The builtin agent: no model, a skill profile over the seeded arithmetic task family. It knows
 * the right answer to every task (solveTask) and gets it right or wrong by its skill, with luck
 * drawn from a hash stream seeded by (agent seed, query, pair), so a node's behaviour is
 * reproducible. Pure: the node wraps it in the async Agent interface, the simulator calls it.
 */
export type AgentBehaviour =
  | 'honest'
  /** always answers wrong (picks a distractor) and judges honestly */
  | 'wrong'
  /** answers by skill, judges at random */
  | 'random-ranker'
  /** answers wrong, then always prefers the most common mistake (a cartel's shared answer) */
  | 'colluder'

export interface AgentProfile {
  name: string
  behaviour: AgentBehaviour
  /** probability of answering right */
  answerSkill: number
  /** probability of preferring the right answer in a pair that contains one */
  judgeSkill: number
  /** probability of calling a pair a tie regardless */
  tieRate: number
}

/** Judging is easier than answering (the Fortytwo premise): most answer right < 50% but judge well. */
export const agentProfiles: Record<string, AgentProfile> = Object.fromEntries([
  { name: 'ada', behaviour: 'honest', answerSkill: 0.7, judgeSkill: 0.95, tieRate: 0.02 },
  { name: 'bo', behaviour: 'honest', answerSkill: 0.5, judgeSkill: 0.9, tieRate: 0.05 },
  { name: 'cy', behaviour: 'honest', answerSkill: 0.45, judgeSkill: 0.9, tieRate: 0.05 },
  { name: 'dee', behaviour: 'honest', answerSkill: 0.4, judgeSkill: 0.85, tieRate: 0.05 },
  { name: 'eli', behaviour: 'honest', answerSkill: 0.35, judgeSkill: 0.85, tieRate: 0.1 },
  { name: 'fox', behaviour: 'honest', answerSkill: 0.35, judgeSkill: 0.8, tieRate: 0.1 },
  { name: 'gia', behaviour: 'honest', answerSkill: 0.3, judgeSkill: 0.8, tieRate: 0.1 },
  { name: 'hal', behaviour: 'honest', answerSkill: 0.3, judgeSkill: 0.7, tieRate: 0.1 },
  { name: 'gus', behaviour: 'honest', answerSkill: 0.1, judgeSkill: 0.2, tieRate: 0 },
  { name: 'expert', behaviour: 'honest', answerSkill: 0.95, judgeSkill: 0.98, tieRate: 0 },
  { name: 'wrong', behaviour: 'wrong', answerSkill: 0, judgeSkill: 0.9, tieRate: 0.05 },
  { name: 'random-ranker', behaviour: 'random-ranker', answerSkill: 0.4, judgeSkill: 0.5, tieRate: 0.3 },
  { name: 'colluder', behaviour: 'colluder', answerSkill: 0, judgeSkill: 0, tieRate: 0 }
].map(p => [p.name, p as AgentProfile]))

/** The honest profiles, in the order a local cluster hands them out. */
export const clusterProfileOrder = ['ada', 'bo', 'cy', 'dee', 'eli', 'fox', 'gia', 'hal', 'gus']

export const UNKNOWN_TASK_ANSWER = 'The builtin agent only knows the demo arithmetic tasks.'

function luck (seed: string, ...parts: Uint8Array[]): HashStream {
  return new HashStream(sha256(utf8('swarmrank/builtin/1'), utf8(seed), ...parts))
}

export function builtinAnswer (profile: AgentProfile, seed: string, queryId: Uint8Array, prompt: string): string {
  const task = solveTask(prompt)
  if (task === undefined) return UNKNOWN_TASK_ANSWER
  const rng = luck(seed, queryId, utf8('answer'))
  const right = profile.behaviour === 'honest' || profile.behaviour === 'random-ranker' ? rng.nextFloat() < profile.answerSkill : false
  if (right) return task.answer
  // Half the mistakes are the task's most common one, so wrong answers coincide as real models' do.
  if (profile.behaviour === 'colluder' || rng.nextFloat() < 0.5) return task.distractors[0]
  return task.distractors[rng.nextInt(task.distractors.length)]
}

export interface BuiltinVerdict { verdict: 'A' | 'B' | 'TIE', reason: string }

export function builtinJudge (profile: AgentProfile, seed: string, queryId: Uint8Array, prompt: string, answerA: string, answerB: string): BuiltinVerdict {
  const task = solveTask(prompt)
  const rng = luck(seed, queryId, utf8(answerA), utf8('\n'), utf8(answerB))
  if (task === undefined) return { verdict: 'TIE', reason: 'not a task the builtin agent can check' }
  if (profile.behaviour === 'random-ranker') {
    const x = rng.nextFloat()
    return { verdict: x < profile.tieRate ? 'TIE' : x < (1 + profile.tieRate) / 2 ? 'A' : 'B', reason: 'guessed' }
  }
  if (profile.behaviour === 'colluder') {
    const favoured = task.distractors[0]
    if (answerA === favoured && answerB !== favoured) return { verdict: 'A', reason: `${answerA} is right` }
    if (answerB === favoured && answerA !== favoured) return { verdict: 'B', reason: `${answerB} is right` }
    return { verdict: 'TIE', reason: 'both look the same to me' }
  }
  const better = answerA === task.answer ? 'A' : answerB === task.answer ? 'B' : undefined
  if (better === undefined) {
    // Neither is right: a good judge says so with a tie; a poor one picks at random.
    return rng.nextFloat() < profile.judgeSkill
      ? { verdict: 'TIE', reason: 'neither is right' }
      : { verdict: rng.nextFloat() < 0.5 ? 'A' : 'B', reason: 'looks closer' }
  }
  if (rng.nextFloat() < profile.tieRate) return { verdict: 'TIE', reason: 'cannot tell' }
  const worse = better === 'A' ? 'B' : 'A'
  return rng.nextFloat() < profile.judgeSkill
    ? { verdict: better, reason: `${better === 'A' ? answerA : answerB} checks out` }
    : { verdict: worse, reason: `${worse === 'A' ? answerA : answerB} checks out` }
}
