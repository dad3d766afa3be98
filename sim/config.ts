import type { ProtocolParams } from '../protocol/genesis.js'
import type { SimAgent } from './agents.js'
import type { NetworkParams } from './network.js'

/** The simulator's scenario (what runs) and its results (what happened). */

/** Virtual time 0 is this Unix time (ms), so createdAt and block times look like real ones. */
export const SIM_EPOCH_MS = 1_700_000_000_000

export interface SimNodeSpec {
  agent: SimAgent
  /** a genesis validator; the others start in the ledger on probation */
  founder: boolean
  /** label for reports (a profile name, "sybil", ...) */
  group: string
}

export interface ChurnSpec {
  /** share of the nodes leaving per minute (as many join); 0.1 = 10 %/min */
  perMinute: number
  /** crashed nodes come back after this long (the rest of the leavers are gone for good) */
  returnAfterMs: number
  /** share of leavers that crash and return (the others leave for good and are replaced by fresh identities) */
  returnShare: number
  /** the agent of fresh identities */
  freshAgent: () => SimAgent
}

export interface JoinWave {
  atMs: number
  count: number
  agent: SimAgent
  group: string
}

export interface PartitionSpec {
  atMs: number
  healAtMs: number
  /** share of the nodes cut off into the minority side */
  share: number
}

/** Validators leaving for good one at a time (issue 15): each departure is a single validator, well below 1/3 of the power. */
export interface DepartureSpec {
  startMs: number
  everyMs: number
  count: number
}

/** What flooders do (the `flooder` profile): extra queries per second each, on top of their share of the asked ones. */
export interface FloodSpec {
  perSecond: number
}

export interface SimConfig {
  seed: string
  nodes: SimNodeSpec[]
  params: ProtocolParams
  network: NetworkParams
  /** answers in free form (rarely identical strings) instead of bare values */
  freeForm: boolean
  queries: number
  queryIntervalMs: number
  /** median agent time to answer and to judge a round's pairs (log-normal, sigma 0.5) */
  answerMs: number
  judgeMs: number
  churn?: ChurnSpec
  joins?: JoinWave[]
  partitions?: PartitionSpec[]
  departures?: DepartureSpec
  /** how hard `flooder` nodes flood (default 5 queries per second each) */
  flood?: FloodSpec
  /** how often a node outside the ledger repeats its Join (the node's default: 5 s) */
  joinRetryMs?: number
  /** who submits the queries: a validator (default) or any ledger member, newcomers on probation included (the sybil experiment) */
  submitters?: 'validators' | 'members'
  /** give up on queries not final this long after the last one was asked */
  drainMs?: number
  onProgress?: (done: number, total: number, simMs: number) => void
}

/** What happened to one query. */
export interface QueryOutcome {
  index: number
  createdAtMs: number
  final: boolean
  /** virtual ms from the query to the first commit of a block holding its record */
  finalityMs?: number
  height?: number
  answers: number
  distinctAnswers: number
  consensusRight: boolean
  majorityRight: boolean
  unweightedRight: boolean
  bestSingleRight: boolean
  /** share of the query's committee seats held by each node group */
  seats: Record<string, number>
  /** the group of the node that submitted it */
  submitterGroup: string
  /**
   * A query its submitter ground (a `grinder`): the share of answer seats its group would have
   * held had committees been seeded by the query id (what grinding bought before DESIGN §8.2),
   * and the share it holds with committees seeded by the ordering block.
   */
  ground?: { queryIdSeedShare: number, actualShare: number }
  /** committee seats (answer and rank) per group whose holder has no message in the final record: charged as absent */
  absentSeats: Record<string, number>
  /** model calls the round cost each group's nodes (an answer is one, each pair judged is one) */
  modelCalls: Record<string, number>
}

/** The ledger after each block, summarised by node group. */
export interface BlockSample {
  height: number
  timeMs: number
  records: number
  admissions: number
  /** mean reputation (ppm) and share of validator power per group */
  reputation: Record<string, number>
  powerShare: Record<string, number>
  members: Record<string, number>
  /** members past probation per group */
  settled: Record<string, number>
  /** members jailed (protocol/jailing.ts) per group */
  jailed: Record<string, number>
  /** share of the validator power held by nodes online at the block */
  onlinePowerShare: number
  /** double votes this block carries as evidence */
  evidence: number
}

/** A validator jailed by the chain (and when it left, if it left for good). */
export interface Jailing {
  node: string
  group: string
  height: number
  atMs: number
  leftAtMs?: number
}

/** The `flooder` queries beyond the asked ones: how many the gossip door and the blocks let through, and what they cost. */
export interface FloodOutcome {
  submitted: number
  /** reached a block: ordered, with a round */
  ordered: number
  final: number
  /** model calls the ordered flood queries cost, per group of the node that made them */
  modelCalls: Record<string, number>
  /** the most the quota (params.submission) lets the flooders have ordered over the run: perSecond × seconds (+ burst) and perEpoch × epochs, each flooder */
  quotaBySecond: number
  quotaByEpoch: number
  flooders: number
}

export interface SimResult {
  seed: string
  nodes: number
  nodesAtEnd: number
  simMs: number
  queries: QueryOutcome[]
  blocks: BlockSample[]
  height: number
  stateRoot: string
  agreement: { decisions: number, violations: number, first?: string }
  /** per node per query asked: copies received and bytes in and out */
  traffic: { messagesPerNodePerQuery: number, bytesInPerNodePerQuery: number, bytesOutPerNodePerQuery: number, broadcasts: number }
  faults: { crashes: number, returns: number, leaves: number, freshJoins: number, partitions: number }
  equivocations: number
  /** vote catch-up requests made by stalled validators */
  votePulls: number
  /** double votes carried as evidence in blocks */
  evidence: number
  jailings: Jailing[]
  /** validators that left for good (departures and churn leaves), with when */
  departures: Array<{ node: string, atMs: number }>
  flood?: FloodOutcome
}

