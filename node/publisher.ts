import type { PrivateKey } from '@libp2p/interface'
import { signMessage } from '../protocol/wire/envelope.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { Payload } from '../protocol/wire/messages.js'
import type { SwarmHost } from './host.js'
import { topicsFor } from './host.js'
import type { Logger } from './logger.js'
import type { RecentMessages } from './recent-messages.js'
import type { NodeStore } from './store.js'

export type TopicName = 'query' | 'round' | 'consensus'

/** The topic a payload travels on (DESIGN §4.2). */
export function topicOf (payload: Payload): TopicName {
  if (payload.query !== undefined) return 'query'
  if (payload.vote !== undefined || payload.blockProposal !== undefined || payload.join !== undefined) return 'consensus'
  return 'round'
}

export interface PublisherComponents {
  host: SwarmHost
  privateKey: PrivateKey
  networkIdHex: string
  store: NodeStore
  logger: Logger
  /** decoded copies for block checks (node/recent-messages.ts) */
  recent?: RecentMessages
}

/** Signs this node's messages, keeps them, and gossips each on its topic. */
export class Publisher {
  private readonly c: PublisherComponents
  readonly topics: Record<TopicName, string>

  constructor (components: PublisherComponents) {
    this.c = components
    this.topics = topicsFor(components.networkIdHex)
  }

  async publish (payload: Payload): Promise<SignedMessage> {
    const msg = await signMessage(this.c.privateKey, payload)
    this.keep(msg)
    await this.c.host.services.pubsub.publish(this.topics[topicOf(payload)], msg.bytes)
    return msg
  }

  /** Gossip a message signed before (a resumed query); failures are only logged. */
  async republish (msg: SignedMessage): Promise<void> {
    await this.c.host.services.pubsub.publish(this.topics[topicOf(msg.payload)], msg.bytes).catch(err => this.c.logger.debug(`republishing ${msg.idHex.slice(0, 12)} failed: ${(err as Error).message}`))
  }

  /**
   * Store an accepted or published message. The store serves it from memory at once and writes
   * it with its next batch; gossip does not wait for the disk before forwarding.
   */
  keep (msg: SignedMessage): void {
    this.c.recent?.add(msg)
    this.c.store.putMessage(msg.idHex, msg.bytes).catch(err => this.c.logger.error(`storing message ${msg.idHex.slice(0, 12)} failed: ${(err as Error).message}`))
  }
}
