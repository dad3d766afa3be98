import type { Task } from '../protocol/agents/tasks.js'
import type { ProtocolParams } from '../protocol/genesis.js'
import { toHex } from '../protocol/hash.js'
import { candidateId, computeRoundRecord, evidenceFromMessages } from '../protocol/record.js'
import { genesisValidator } from '../protocol/reputation.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { isRight, simAnswer } from './agents.js'
import type { SimAgent } from './agents.js'
import type { QueryOutcome } from './config.js'
import type { DecidedChain } from './decided-chain.js'
import { Prng } from './prng.js'

/** What the simulator knows of one query it asked. */
export interface QueryInfo {
  index: number
  task: Task
  query: SignedMessage
  /** the height of the block that ordered the query (its round's ledger); undefined until one does */
  anchor?: number
  /** drawn when a block orders the query (empty until then) */
  committees: { answerers: string[], rankers: string[] }
  /** nodes that run this round's reducer (known once the query is ordered) */
  participants: number[]
  createdAtMs: number
  finalAtMs?: number
  height?: number
  /** a ground query: its submitter's group, and that group's share of answer seats had the query id seeded the committees */
  ground?: { group: string, queryIdSeedShare: number }
  /** an easy query of a `farmer`'s: the nodes of this group know its answer */
  knownBy?: string
  /** a `flooder`'s query beyond the asked ones */
  flood?: boolean
  /** model calls the round cost, by group of the node making them (answers, pairs judged) */
  modelCalls: Record<string, number>
}

export interface GradingContext {
  seed: string
  params: ProtocolParams
  freeForm: boolean
  chain: DecidedChain
  messages: ReadonlyMap<string, SignedMessage>
  groupOf: (id: string) => string
  /** the honest node with the best answer skill (the "best single model" baseline) */
  bestSingle?: { id: string, agent: SimAgent }
}

/** Grade a query: the final record's winner, and the baselines on the same answers and verdicts. */
export function gradeQuery (info: QueryInfo, ctx: GradingContext): QueryOutcome {
  const seats: Record<string, number> = {}
  const members = [...info.committees.answerers, ...info.committees.rankers]
  for (const id of members) {
    const g = ctx.groupOf(id)
    seats[g] = (seats[g] ?? 0) + 1 / members.length
  }
  const ground = info.ground === undefined || info.committees.answerers.length === 0
    ? {}
    : { ground: { queryIdSeedShare: info.ground.queryIdSeedShare, actualShare: info.committees.answerers.filter(id => ctx.groupOf(id) === info.ground!.group).length / info.committees.answerers.length } }
  const base = { index: info.index, createdAtMs: info.createdAtMs, final: info.height !== undefined, seats, submitterGroup: ctx.groupOf(info.query.signerId), ...ground, modelCalls: { ...info.modelCalls } }
  const best = ctx.bestSingle === undefined ? undefined : simAnswer(ctx.bestSingle.agent, ctx.bestSingle.id, info.query.id, info.task, ctx.freeForm)
  const bestSingleRight = isRight(best, info.task)
  if (info.height === undefined) {
    return { ...base, absentSeats: {}, answers: 0, distinctAnswers: 0, consensusRight: false, majorityRight: false, unweightedRight: false, bestSingleRight }
  }
  const record = ctx.chain.blocks[info.height].records.find(r => toHex(r.queryId) === info.query.idHex)!
  const named = record.includedMessageIds.map(id => ctx.messages.get(toHex(id))!)
  // seats whose holder the record names no message of: the round charges them as absent
  const delivered = new Set(named.map(m => m.signerId))
  const absentSeats: Record<string, number> = {}
  for (const id of members) if (!delivered.has(id)) absentSeats[ctx.groupOf(id)] = (absentSeats[ctx.groupOf(id)] ?? 0) + 1
  const answers = named.filter(m => m.payload.answerReveal !== undefined).map(m => m.payload.answerReveal!.answer)
  const textOf = (id: Uint8Array): string | undefined => answers.find(a => candidateId(a) === toHex(id))
  const winner = record.winner.length === 0 ? undefined : textOf(record.winner)
  // Majority vote over exact answers; a tie is broken by a fair draw.
  const votes = new Map<string, number>()
  for (const a of answers) votes.set(a, (votes.get(a) ?? 0) + 1)
  const top = Math.max(0, ...votes.values())
  const leaders = [...votes].filter(([, c]) => c === top).map(([a]) => a).sort()
  const majority = leaders.length === 0 ? undefined : leaders[new Prng(`tie/${ctx.seed}/${info.index}`).int(leaders.length)]
  // Unweighted Bradley–Terry: the same evidence with every ranker's weight equal.
  const table = ctx.chain.states[info.anchor!].reputations
  const flat = new Map([...table].map(([id]) => [id, genesisValidator(500_000)]))
  const ev = evidenceFromMessages(info.query, named, info.committees)
  const unweighted = computeRoundRecord(ev, flat, ctx.params).winner?.answer
  return {
    ...base,
    absentSeats,
    finalityMs: Math.round(info.finalAtMs! - info.createdAtMs),
    height: info.height,
    answers: answers.length,
    distinctAnswers: votes.size,
    consensusRight: isRight(winner, info.task),
    majorityRight: isRight(majority, info.task),
    unweightedRight: isRight(unweighted, info.task),
    bestSingleRight
  }
}
