import type { PrivateKey } from '@libp2p/interface'
import type { HeightDriver } from '../protocol/bft/height-driver.js'
import type { ConsensusMemory } from '../protocol/bft/height-io.js'
import type { LastCommitCollector } from '../protocol/bft/last-commit.js'
import type { Bytes } from '../protocol/hash.js'
import type { HashStream } from '../protocol/random.js'
import type { RoundSet } from '../protocol/round-set.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Payload } from '../protocol/wire/messages.js'
import type { SimAgent } from './agents.js'
import type { SimConfig } from './config.js'
import type { SimConsensus } from './consensus-shell.js'
import type { DecidedChain } from './decided-chain.js'
import type { EventQueue } from './event-queue.js'
import type { QueryInfo } from './grading.js'
import type { SimNetwork } from './network.js'
import type { Prng } from './prng.js'
import type { SimRounds } from './round-shell.js'
import type { ScenarioNode } from './scenario.js'

/**
 * What the simulator's consensus messages carry: votes are signed envelopes (a block's LastCommit
 * and double-vote evidence embed them, protocol/jailing.ts); proposals travel unsigned (null).
 */
export type SimCarrier = SignedMessage | null

/** One simulated node: its identity and agent, and the node's own drivers. */
export interface SimNode extends ScenarioNode {
  key: PrivateKey
  agent: SimAgent
  group: string
  /** bumped on every crash: events scheduled before it are void */
  gen: number
  driver: HeightDriver<SimCarrier>
  /** the last block's precommits, growing after the commit: the next block's LastCommit (as the node's consensus shell keeps it) */
  lastCommit: LastCommitCollector
  rounds: RoundSet
  /** the last-sign state the driver asked to persist (survives a crash, as the node's file does) */
  signState?: ConsensusMemory
  /** message ids this node holds (for block checks) */
  have: Set<string>
  syncing: boolean
  /** the earliest tick the driver asked for and the simulator scheduled */
  wakeAt: number
}

/** What the simulator's shells share: the simulated world (SwarmSim is it). */
export interface SimWorld {
  readonly cfg: SimConfig
  readonly clock: EventQueue
  readonly net: SimNetwork
  readonly chain: DecidedChain
  readonly nodes: SimNode[]
  readonly byId: ReadonlyMap<string, SimNode>
  readonly messages: Map<string, SignedMessage>
  readonly queries: QueryInfo[]
  readonly floodQueries: QueryInfo[]
  readonly queryByHex: Map<string, QueryInfo>
  readonly rng: Prng
  readonly taskRng: HashStream
  readonly networkId: Bytes
  /** a signed vote envelope's size on the wire (measured from a real one at start-up) */
  readonly voteBytes: number
  readonly stats: { equivocations: number, votePulls: number, finals: number, floodSubmitted: number }
  readonly consensus: SimConsensus
  readonly rounds: SimRounds
  nowMs: () => number
  /** the ledger height a node has applied */
  heightOf: (node: SimNode) => number
  sign: (node: SimNode, body: Omit<Payload, 'networkId'>) => SignedMessage
  /** the decided chain grew to height h (after its sample) */
  onExtended: (h: number) => void
}
