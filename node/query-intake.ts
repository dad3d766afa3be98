import { randomBytes } from 'node:crypto'
import type { PrivateKey } from '@libp2p/interface'
import { asBytes } from '../protocol/hash.js'
import { signMessage } from '../protocol/wire/envelope.js'
import { wireLimits } from '../protocol/wire/limits.js'
import type { Payload } from '../protocol/wire/messages.js'
import type { SubmissionMeter } from '../protocol/submission.js'
import type { Chain } from './chain.js'
import type { Logger } from './logger.js'
import type { MessageFetcher } from './message-fetcher.js'
import type { Publisher } from './publisher.js'
import type { QueryViews } from './query-views.js'
import type { ConsensusRunner } from './consensus.js'
import type { NodeStore } from './store.js'

/** A client's mistake in a query (empty, too long): the API answers 4xx with the message. */
export class QueryInputError extends Error {
  override name = 'QueryInputError'
  readonly status: number

  constructor (message: string, status = 400) {
    super(message)
    this.status = status
  }
}

export interface QueryIntakeComponents {
  self: string
  privateKey: PrivateKey
  networkId: Uint8Array
  chain: Chain
  store: NodeStore
  consensus: ConsensusRunner
  views: QueryViews
  fetcher: MessageFetcher
  publisher: Publisher
  meter: SubmissionMeter
  /** the network's submission rate per identity (for the error message) */
  perSecond: number
  logger: Logger
  now: () => number
}

/**
 * Queries this node's clients ask: checked, signed, stored durably before they are acknowledged,
 * started here and gossiped; after a crash, the acknowledged ones no block finalized are
 * announced again.
 */
export class QueryIntake {
  private readonly c: QueryIntakeComponents

  constructor (components: QueryIntakeComponents) {
    this.c = components
  }

  /** Submit a prompt to the swarm; resolves with the query id once it is stored and published. */
  async submit (prompt: unknown): Promise<{ id: string }> {
    if (typeof prompt !== 'string') throw new QueryInputError('"prompt" must be a string')
    if (prompt.trim() === '') throw new QueryInputError('"prompt" must not be empty')
    const bytes = Buffer.byteLength(prompt, 'utf8')
    if (bytes > wireLimits.maxPromptBytes) throw new QueryInputError(`"prompt" is ${bytes} bytes; the limit is ${wireLimits.maxPromptBytes}`, 413)
    // Only ledger members submit (DESIGN §8.5): peers would reject the query.
    if (!this.c.chain.current.reputations.has(this.c.self)) throw new QueryInputError('this node is not a ledger member yet (it has asked to join); try again once a block admits it', 503)
    // This node's clients share its submission rate.
    if (!this.c.meter.take(this.c.self, this.c.now())) throw new QueryInputError(`this node's submission rate (${this.c.perSecond} queries per second) is spent; try again shortly`, 429)
    const payload: Payload = {
      networkId: asBytes(this.c.networkId),
      query: { prompt, anchorHeight: this.c.chain.height, createdAt: this.c.now(), nonce: asBytes(randomBytes(16)) }
    }
    const msg = await signMessage(this.c.privateKey, payload)
    await this.c.store.putPending(msg.idHex, msg.bytes)
    this.c.views.pending(msg)
    this.c.publisher.keep(msg)
    this.c.consensus.onQuery(msg)
    await this.c.publisher.republish(msg)
    return { id: msg.idHex }
  }

  /**
   * Queries this node acknowledged before a crash and that no block has finalized: announce them
   * again. A round whose deadlines have passed closes at once with what arrived (possibly
   * nothing), so an acknowledged query always ends final rather than lost.
   */
  async resumePending (): Promise<void> {
    for (const bytes of await this.c.store.listPending()) {
      const v = await this.c.fetcher.validateTimeless(bytes)
      if (v.result !== 'ACCEPT' || await this.c.chain.isFinal(v.value.idHex)) continue
      this.c.views.pending(v.value)
      // Ordered already: its round started from the chain. Else it waits for a block again.
      if (!this.c.chain.current.ordered.has(v.value.idHex)) this.c.consensus.onQuery(v.value)
      await this.c.publisher.republish(v.value)
      this.c.logger.info(`resumed acknowledged query ${v.value.idHex.slice(0, 12)}`)
    }
  }
}
