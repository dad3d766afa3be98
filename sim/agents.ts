import { builtinAnswer, builtinJudge } from '../protocol/agents/builtin.js'
import type { AgentProfile } from '../protocol/agents/builtin.js'
import { sha256, utf8 } from '../protocol/hash.js'
import type { Task } from '../protocol/agents/tasks.js'

/**
 * What a simulated node's agent and node software do. The answer and judging models are the
 * protocol's builtin agents (protocol/agents/builtin.ts); the simulator adds two node-level
 * attacks and free-form answers.
 */
export type SimBehaviour =
  | 'honest'
  /** always answers wrong, judges honestly */
  | 'wrong'
  /** answers by skill, judges at random */
  | 'random-ranker'
  /** a cartel: all answer the same wrong answer (their partner's) and vote it up */
  | 'colluder'
  /** never answers itself: waits to copy another node's answer (commit–reveal makes it too late) */
  | 'copycat'
  /** commits answers and verdicts but never reveals them */
  | 'withholder'
  /**
   * a colluder that also grinds the queries it submits (DESIGN §8.2): it tries nonces until the
   * query id, as a committee seed, would give its cartel the answer committee
   */
  | 'grinder'
  /**
   * forges its verdicts (protocol/byzantine.ts `forge`, DESIGN §8.1): a made-up id among the
   * answers it saw and "X beats each rival" repeated; answers honestly
   */
  | 'forger'
  /**
   * signs two different things wherever it signs: a second commitment after each round commit
   * (protocol/byzantine.ts `equivocate`) and, as a validator, a second, conflicting BFT vote after
   * each vote (DESIGN §8.9: evidence in blocks that costs reputation and jails it)
   */
  | 'equivocator'
  /** dates the queries it submits far in the past or the future (DESIGN §8.3: deadlines on the submitter's clock drained the answerers) */
  | 'backdater'
  /** submits far more queries than its quota (params.submission, DESIGN §8.5), on top of its share of the honest load */
  | 'flooder'
  /**
   * a newcomer (sybil experiment) that behaves honestly and submits its own easy queries: it knows
   * their answers, and grinds each one's nonce for committees of its own kind (DESIGN §8.11)
   */
  | 'farmer'
  /**
   * as a proposer, leaves every rival's answer commits and reveals out of its blocks, to make its
   * own answer the only candidate (DESIGN §8.6, `censoredBy` in protocol/byzantine.ts)
   */
  | 'censor'

export interface SimAgent {
  behaviour: SimBehaviour
  answerSkill: number
  judgeSkill: number
  tieRate: number
}

/** The profiles of the adversaries experiment, in its table's order. */
export const byzantineBehaviours: SimBehaviour[] = ['wrong', 'random-ranker', 'colluder', 'copycat', 'withholder', 'grinder', 'forger', 'equivocator', 'backdater', 'flooder', 'censor']

/** Behaviours whose answers and verdicts are the honest agent's (their attack is elsewhere: in the node software). */
const answersHonestly: ReadonlySet<SimBehaviour> = new Set(['copycat', 'withholder', 'forger', 'equivocator', 'backdater', 'flooder', 'farmer', 'censor'])

export function isByzantine (agent: SimAgent): boolean {
  return agent.behaviour !== 'honest'
}

function profileOf (agent: SimAgent): AgentProfile {
  const behaviour = answersHonestly.has(agent.behaviour) ? 'honest' : agent.behaviour === 'grinder' ? 'colluder' : agent.behaviour as AgentProfile['behaviour']
  return { name: agent.behaviour, behaviour, answerSkill: agent.answerSkill, judgeSkill: agent.judgeSkill, tieRate: agent.tieRate }
}

/**
 * Free-form phrasings: with free-form answers two agents that agree rarely write the same
 * string, so majority voting over exact answers has little to count, while a judge reads the
 * value and compares. 12 openings × 4 endings.
 */
const OPENINGS = ['', 'The answer is ', 'It comes to ', 'Answer: ', 'I get ', 'That makes ', 'Result: ', 'So the total is ', 'Working it through: ', 'We end up with ', 'Final answer: ', 'This gives ']
const ENDINGS = ['', '.', ' (checked twice).', ', I am fairly sure.']

function phrase (value: string, seed: string, queryId: Uint8Array): string {
  const h = sha256(utf8('swarmrank-sim/phrase/'), utf8(seed), queryId)
  return `${OPENINGS[h[0] % OPENINGS.length]}${value}${ENDINGS[h[1] % ENDINGS.length]}`
}

/** The value an answer states: its last integer (free-form answers wrap it in words). */
export function valueOf (answer: string): string | undefined {
  const all = answer.match(/-?\d+/g)
  return all === null ? undefined : all[all.length - 1]
}

export function isRight (answer: string | undefined, task: Task): boolean {
  return answer !== undefined && valueOf(answer) === task.answer
}

/**
 * The agent's answer to a task, or undefined for a copycat (it has none of its own). A cartel
 * phrases its shared answer identically in free-form mode: its members coordinate.
 */
export function simAnswer (agent: SimAgent, seed: string, queryId: Uint8Array, task: Task, freeForm: boolean): string | undefined {
  if (agent.behaviour === 'copycat') return undefined
  const value = builtinAnswer(profileOf(agent), seed, queryId, task.prompt)
  if (!freeForm) return value
  return phrase(value, agent.behaviour === 'colluder' || agent.behaviour === 'grinder' ? 'cartel' : seed, queryId)
}

/** A verdict on a pair: judges read the values, so phrasing does not matter to them. */
export function simJudge (agent: SimAgent, seed: string, queryId: Uint8Array, task: Task, answerA: string, answerB: string): 'A' | 'B' | 'TIE' {
  const a = valueOf(answerA) ?? answerA
  const b = valueOf(answerB) ?? answerB
  if (a === b) return 'TIE' // two phrasings of one value
  return builtinJudge(profileOf(agent), seed, queryId, task.prompt, a, b).verdict
}
