import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { ConsensusMetrics, RoundMetrics } from '../protocol/bft/metrics.js'
import type { Validation } from '../protocol/wire/validate.js'

/** What a scrape reads off the node at that moment. */
export interface NodeGauges {
  height: () => number
  peers: () => number
  reputationPpm: () => number | undefined
  votingPower: () => number
  roundsByPhase: () => Record<string, number>
  roundsAwaitingFinality: () => number
}

/**
 * The node's Prometheus metrics (issue 6): one registry per node, so several nodes in one
 * process (tests, in-process swarms) do not collide. libp2p registers its own metrics in the
 * same registry (`@libp2p/prometheus-metrics`), and GET /metrics serves them all. Names carry
 * their unit suffixes (Prometheus naming conventions).
 */
export class NodeMetrics {
  readonly registry = new Registry()
  readonly gossip: Counter<'topic' | 'verdict' | 'reason'>
  readonly roundsFinished: Counter<'outcome'>
  readonly queriesFinal: Counter
  readonly finalityLatency: Histogram
  readonly dbWrite: Histogram<'kind'>
  readonly signStateWrite: Histogram
  /** what the height driver reports (protocol/bft/metrics.ts) */
  readonly consensus: ConsensusMetrics
  /** what the round set reports */
  readonly rounds: RoundMetrics

  constructor (gauges: NodeGauges) {
    const registers = [this.registry]
    this.gossip = new Counter({ name: 'swarmrank_gossip_messages_total', help: 'Gossip messages validated, by topic, verdict (accept, ignore, reject) and reason code (ValidationCode in protocol/wire/validate.ts)', labelNames: ['topic', 'verdict', 'reason'], registers })
    this.roundsFinished = new Counter({ name: 'swarmrank_rounds_finished_total', help: 'Rounds closed here (before any block), by outcome (winner, no_answer)', labelNames: ['outcome'], registers })
    this.queriesFinal = new Counter({ name: 'swarmrank_queries_final_total', help: 'Queries whose record this node committed in a block', registers })
    this.finalityLatency = new Histogram({
      name: 'swarmrank_finality_latency_seconds',
      help: 'From a query\'s createdAt to the commit of the block holding its record, on this node',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers
    })
    this.dbWrite = new Histogram({ name: 'swarmrank_leveldb_write_seconds', help: 'LevelDB write latency by kind (block: the synced commit batch, pending: an acknowledged query, message: the messages accepted in one event-loop turn)', labelNames: ['kind'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers })
    this.signStateWrite = new Histogram({ name: 'swarmrank_sign_state_write_seconds', help: 'Time to append and flush the last-sign state before a vote (synchronous: the event loop waits)', buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1], registers })
    const heightSeconds = new Histogram({ name: 'swarmrank_height_duration_seconds', help: 'A height from its start here to its commit', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers })
    const heightRounds = new Counter({ name: 'swarmrank_heights_decided_total', help: 'Heights decided here, by the Tendermint round that decided them (0, 1, 2, 3+)', labelNames: ['round'], registers })
    const stepSeconds = new Histogram({ name: 'swarmrank_consensus_step_duration_seconds', help: 'Time spent in a Tendermint step before moving on, by step', labelNames: ['step'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers })
    const equivocations = new Counter({ name: 'swarmrank_equivocations_total', help: 'Double votes seen from validators', registers })
    const blockCheck = new Histogram({ name: 'swarmrank_block_check_seconds', help: 'Checking a proposed block (fetching what it names and recomputing it), by outcome code', labelNames: ['code'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers })
    this.consensus = {
      heightDuration: (seconds, round) => { heightSeconds.observe(seconds); heightRounds.inc({ round: round >= 3 ? '3+' : String(round) }) },
      stepDuration: (step, seconds) => stepSeconds.observe({ step }, seconds),
      equivocation: () => equivocations.inc(),
      blockCheck: (seconds, code) => blockCheck.observe({ code }, seconds)
    }
    const roundSeconds = new Histogram({ name: 'swarmrank_round_duration_seconds', help: 'A round from its start here until it closed here', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers })
    const late = new Counter({ name: 'swarmrank_round_late_messages_total', help: 'Commits that arrived after their phase closed here, by kind', labelNames: ['kind'], registers })
    this.rounds = {
      roundClosed: (seconds, outcome) => { roundSeconds.observe(seconds); this.roundsFinished.inc({ outcome }) },
      lateMessage: kind => late.inc({ kind })
    }
    // Gauges read the node when scraped.
    new Gauge({ name: 'swarmrank_height', help: 'Height of the last committed block', registers, collect () { this.set(gauges.height()) } })
    new Gauge({ name: 'swarmrank_peers', help: 'Connected libp2p peers', registers, collect () { this.set(gauges.peers()) } })
    new Gauge({ name: 'swarmrank_reputation_ppm', help: 'This node\'s reputation in the ledger, parts per million (absent before admission)', registers, collect () { const r = gauges.reputationPpm(); if (r === undefined) this.reset(); else this.set(r) } })
    new Gauge({ name: 'swarmrank_voting_power_ppm', help: 'This node\'s voting power in the current validator set, parts per million', registers, collect () { this.set(gauges.votingPower()) } })
    new Gauge({ name: 'swarmrank_rounds_awaiting_finality', help: 'Rounds finished here and waiting for a block', registers, collect () { this.set(gauges.roundsAwaitingFinality()) } })
    new Gauge({
      name: 'swarmrank_rounds_in_flight',
      help: 'Rounds in progress on this node, by phase',
      labelNames: ['phase'],
      registers,
      collect () {
        this.reset()
        for (const [phase, n] of Object.entries(gauges.roundsByPhase())) this.set({ phase }, n)
      }
    })
  }

  /** Count a gossip verdict, labelled by its code (one per rule: the label set stays small). */
  countGossip (topic: string, verdict: Validation<unknown>): void {
    this.gossip.inc({ topic, verdict: verdict.result.toLowerCase(), reason: verdict.result === 'ACCEPT' ? '' : verdict.code })
  }

  async text (): Promise<string> {
    return this.registry.metrics()
  }
}
