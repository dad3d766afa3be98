import { defaultAdmissionParams } from '../../protocol/admission.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { defaultJailingParams } from '../../protocol/jailing.js'
import type { ProtocolParams } from '../../protocol/genesis.js'
import type { SimAgent, SimBehaviour } from '../agents.js'
import { defaultNetworkParams } from '../network.js'
import { Prng } from '../prng.js'
import { SwarmSim } from '../swarm.js'
import type { QueryOutcome, SimConfig, SimNodeSpec, SimResult } from '../swarm.js'

/** What every experiment gets from the runner. */
export interface ExperimentContext {
  seed: string
  /** override of the experiment's node count (for scale: run only this N) */
  nodes?: number
  /** the small version the test suite runs */
  quick: boolean
  /** adversaries: only these profiles (default: all; quick: a few) */
  profiles?: SimBehaviour[]
  /** adversaries: only these Byzantine shares, besides the run with none (default 10–45 %) */
  shares?: number[]
  /** share of the experiment done, and what it is doing */
  progress: (fraction: number, label: string) => void
}

export interface ExperimentReport {
  name: string
  /** deterministic: the same seed gives the same bytes */
  report: Record<string, unknown>
  /** file name → SVG text */
  plots: Record<string, string>
  /** lines for a person */
  summary: string[]
  /** wall-clock figures: kept out of `report` so that it stays byte-for-byte reproducible */
  timing?: Record<string, unknown>
}

/**
 * Round timings for simulated agents that answer in ~1.5 s and judge in ~1 s: long enough that
 * a slow agent still makes its deadline, short enough for many rounds per simulated hour.
 * Accountability as a new network's genesis has it (`swarmrank init`, clusters): commits and
 * double-vote evidence in blocks, jailing (protocol/jailing.ts). Admission keeps its defaults
 * without the per-hour entry cap (see simProtocolParamsWithHourlyEntryCap). The submission quota
 * is scaled to the simulated load (one question every 3 s in all): one query per 2 s per
 * identity at the gossip door (a burst of 1), 2 a block, 4 an epoch — over 40 times what an
 * honest node asks here, as the node's defaults (200 per second) are for its HTTP clients.
 */
export const simProtocolParams: ProtocolParams = {
  ...defaultProtocolParams,
  answerers: 7,
  rankers: 7,
  answerCommitMs: 8_000,
  answerRevealMs: 2_000,
  compareCommitMs: 8_000,
  compareRevealMs: 2_000,
  submission: { perSecond: 0.5, perBlock: 2, perEpoch: 4 },
  jailing: defaultJailingParams
}

/**
 * simProtocolParams with the admission rules of a new genesis as well (`swarmrank init`): their
 * per-hour cap on power entering the set also caps members' power rising back after a fall, so
 * at the simulator's round rates power only falls within a run (docs/experiments.md, Adversaries).
 */
export const simProtocolParamsWithHourlyEntryCap: ProtocolParams = { ...simProtocolParams, admission: defaultAdmissionParams }

/**
 * Honest skill profiles.
 * - calibrated: judging is easier than answering, as the Fortytwo paper argues (answers right
 *   20–65 % of the time, judges pick the right one of a pair 80–95 % of the time);
 * - hard-judging: judging barely easier than answering (judges 55–78 %).
 */
export type SkillProfile = 'calibrated' | 'hard-judging'

export function honestAgent (rng: Prng, profile: SkillProfile): SimAgent {
  const answerSkill = 0.2 + 0.45 * rng.next()
  const judgeSkill = profile === 'calibrated' ? 0.8 + 0.15 * rng.next() : 0.45 + 0.5 * answerSkill
  return { behaviour: 'honest', answerSkill, judgeSkill, tieRate: 0.05 }
}

export function byzantineAgent (behaviour: SimBehaviour, rng: Prng): SimAgent {
  switch (behaviour) {
    case 'wrong': return { behaviour, answerSkill: 0, judgeSkill: 0.9, tieRate: 0.05 }
    case 'random-ranker': return { behaviour, answerSkill: 0.2 + 0.45 * rng.next(), judgeSkill: 0.5, tieRate: 0.3 }
    case 'colluder':
    case 'grinder': return { behaviour, answerSkill: 0, judgeSkill: 0, tieRate: 0 }
    default: return { behaviour, answerSkill: 0.2 + 0.45 * rng.next(), judgeSkill: 0.8 + 0.15 * rng.next(), tieRate: 0.05 }
  }
}

/** n founding nodes, the first ⌊n·fraction⌋ Byzantine (identities are shuffled by their keys anyway). */
export function swarm (n: number, seed: string, profile: SkillProfile, byzantine?: { behaviour: SimBehaviour, fraction: number }): SimNodeSpec[] {
  const rng = new Prng(`swarm/${seed}/${profile}`)
  const bad = byzantine === undefined ? 0 : Math.floor(n * byzantine.fraction + 1e-9)
  return Array.from({ length: n }, (_, i) => i < bad
    ? { agent: byzantineAgent(byzantine!.behaviour, rng), founder: true, group: 'byzantine' }
    : { agent: honestAgent(rng, profile), founder: true, group: 'honest' })
}

export function baseConfig (seed: string, nodes: SimNodeSpec[], queries: number, extra: Partial<SimConfig> = {}): SimConfig {
  return {
    seed,
    nodes,
    params: simProtocolParams,
    network: defaultNetworkParams,
    freeForm: false,
    queries,
    queryIntervalMs: 3_000,
    answerMs: 1_500,
    judgeMs: 1_000,
    ...extra
  }
}

export async function simulate (cfg: SimConfig, onQueries?: (done: number, total: number) => void): Promise<SimResult> {
  const sim = await SwarmSim.create({ ...cfg, onProgress: onQueries === undefined ? undefined : (done, total) => onQueries(done, total) })
  return sim.run()
}

export type Method = 'consensusRight' | 'unweightedRight' | 'majorityRight' | 'bestSingleRight'

/** Share of queries (from index `from` on) a method got right; queries never final count as wrong. */
export function accuracy (queries: readonly QueryOutcome[], method: Method, from = 0): number {
  const qs = queries.filter(q => q.index >= from)
  return qs.length === 0 ? 0 : qs.filter(q => q[method]).length / qs.length
}

export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

export function finality (queries: readonly QueryOutcome[]): { final: number, p50Ms: number, p99Ms: number } {
  const ms = queries.filter(q => q.final).map(q => q.finalityMs!)
  return { final: ms.length / Math.max(1, queries.length), p50Ms: percentile(ms, 0.5), p99Ms: percentile(ms, 0.99) }
}

export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`
export const round3 = (x: number): number => Math.round(x * 1000) / 1000
