import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import { queryIdHexOf } from '../protocol/round.js'
import type { SubmissionMeter } from '../protocol/submission.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Payload } from '../protocol/wire/messages.js'
import { ignore, reject, validateEnvelope } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { Chain } from './chain.js'
import type { ConsensusRunner } from './consensus.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import type { NodeMetrics } from './metrics.js'
import type { Publisher, TopicName } from './publisher.js'
import type { QueryViews } from './query-views.js'
import type { RoundRunner } from './round-runner.js'

export interface GossipComponents {
  host: SwarmHost
  networkId: Uint8Array
  chain: Chain
  consensus: ConsensusRunner
  rounds: RoundRunner
  views: QueryViews
  publisher: Publisher
  /** queries per identity (protocol/submission.ts) */
  meter: SubmissionMeter
  logger: Logger
  now: () => number
  metrics?: NodeMetrics
}

/**
 * Gossip in (DESIGN §4.2), in the manner of Lodestar's gossip validator functions: one validator
 * per topic runs the stateless envelope checks, then hands the message to whoever owns its
 * topic — consensus (proposals, votes, Joins, queries to order), the round runner (commits, reveals) —
 * whose verdict (ACCEPT, IGNORE, REJECT) goes back to gossipsub, which relays, drops, or scores
 * the sender down. Accepted messages are stored.
 */
export class Gossip {
  private readonly c: GossipComponents
  /** asked before a consensus message's signature is checked (one function, not one per message) */
  private readonly consensusUseless: (p: Payload) => string | undefined
  /** messages this node rejected (bad input from the network) since it started */
  rejected = 0

  constructor (components: GossipComponents) {
    this.c = components
    this.consensusUseless = p => components.consensus.uselessBecause(p)
  }

  /** Install the topic validators and subscribe. */
  start (): void {
    const pubsub = this.c.host.services.pubsub
    const topics = this.c.publisher.topics
    for (const name of ['query', 'round', 'consensus'] as const) {
      pubsub.topicValidators.set(topics[name], async (_peer, msg) => this.verdict(name, msg))
      pubsub.subscribe(topics[name])
    }
  }

  private async verdict (topic: TopicName, msg: Message): Promise<TopicValidatorResult> {
    let verdict: Validation<unknown>
    try {
      verdict = await this.validate(topic, msg.data)
    } catch (err) {
      this.c.logger.error(`validating a ${topic} message failed: ${(err as Error).stack ?? String(err)}`)
      return TopicValidatorResult.Ignore
    }
    this.c.metrics?.countGossip(topic, verdict)
    if (verdict.result === 'REJECT') {
      this.rejected++
      this.c.logger.debug(`rejected a ${topic} message: ${verdict.reason}`)
      return TopicValidatorResult.Reject
    }
    if (verdict.result === 'IGNORE') {
      this.c.logger.debug(`ignored a ${topic} message: ${verdict.reason}`)
      return TopicValidatorResult.Ignore
    }
    return TopicValidatorResult.Accept
  }

  private async validate (topic: TopicName, data: Uint8Array): Promise<Validation<unknown>> {
    const v = await validateEnvelope(data, { networkId: this.c.networkId, now: this.c.now(), uselessBecause: topic === 'consensus' ? this.consensusUseless : undefined })
    if (v.result !== 'ACCEPT') return v
    const msg = v.value
    let verdict: Validation<void>
    if (topic === 'consensus') {
      verdict = msg.payload.join !== undefined ? this.c.consensus.onJoin(msg) : this.c.consensus.onMessage(msg)
      // Votes and proposals are served from consensus memory; only Joins are named by blocks.
      if (verdict.result === 'ACCEPT' && msg.payload.join !== undefined) this.c.publisher.keep(msg)
      return verdict
    }
    if (topic === 'query') {
      verdict = await this.admitQuery(msg)
    } else {
      const queryId = queryIdHexOf(msg.payload)
      // [REJECT] only commits and reveals travel on the round topic
      if (queryId === undefined) return reject('not a round message on the round topic', 'wrong_topic')
      // [IGNORE] a stranger's: committees are drawn from members (a newcomer this node has not seen admitted yet is only missed here)
      if (!this.c.chain.current.reputations.has(msg.signerId)) return ignore('the signer is not a ledger member', 'not_member')
      // Every round message waits for a block to order it (DESIGN §8.6); the pool keeps only its
      // committees' messages. First, so that a round closing here on this very message finds
      // it there when the block that records it is built.
      this.c.consensus.onRoundMessage(msg)
      // known: whether the query waits here or a block ordered it, for the early buffers (protocol/early-messages.ts)
      verdict = this.c.rounds.onRoundMessage(queryId, msg, this.c.consensus.knowsQuery(queryId))
    }
    if (verdict.result === 'ACCEPT') this.c.publisher.keep(msg)
    return verdict
  }

  /** A query (its envelope checked) from the query topic or a peer's pool: it waits for a block to order it. */
  private async admitQuery (msg: SignedMessage): Promise<Validation<void>> {
    // [REJECT] only queries travel on the query topic
    if (msg.payload.query === undefined) return reject('not a query on the query topic', 'wrong_topic')
    // [REJECT] only ledger members submit (DESIGN §8.5): a stranger's query starts no round
    if (!this.c.chain.current.reputations.has(msg.signerId)) return reject('the submitter is not a ledger member', 'not_member')
    // [IGNORE] a query a block already finalized: a replay, or gossip reaching a node that
    // restarted after the block (running its round again would hide the final answer)
    if (await this.c.chain.isFinal(msg.idHex)) return ignore('query already final', 'query_final')
    // [IGNORE] over the submitter's rate (each node meters by its own clock)
    if (!this.c.rounds.has(msg.idHex) && !this.c.meter.take(msg.signerId, this.c.now())) return ignore('the submitter is over its rate', 'over_quota')
    // It waits for a block to order it; its round starts then (DESIGN §8.2).
    const verdict = this.c.consensus.onQuery(msg)
    if (verdict.result === 'ACCEPT') this.c.views.pending(msg)
    return verdict
  }

  /**
   * Queries a peer was waiting to have ordered, brought by a vote catch-up (node/chain-sync.ts,
   * envelopes checked there with the live clock): taken as gossip is, and the new ones gossiped
   * on. They reached us because gossip never did — a partition healed while nobody sent anything
   * (docs/reliability.md) — so the peers that missed them with us get them from this node; those
   * that have them drop the copy by its id.
   */
  async takeQueries (queries: SignedMessage[]): Promise<void> {
    for (const msg of queries) {
      const verdict = await this.admitQuery(msg)
      if (verdict.result !== 'ACCEPT') continue
      this.c.publisher.keep(msg)
      this.c.logger.info(`took query ${msg.idHex.slice(0, 12)} from a peer's pool (it never reached us by gossip)`)
      await this.c.publisher.republish(msg)
    }
  }
}
