import type { Bytes } from './hash.js'
import type { RoundSetEffect } from './round-set.js'
import type { Payload } from './wire/messages.js'

/**
 * Byzantine behaviours for tests, fault-injection clusters and the simulator (DESIGN §5), as
 * filters on a round set's effects, on top of whatever the agent does: `withhold` commits and
 * never reveals; `equivocate` publishes a second, different commitment after each commit; `spam`
 * publishes junk round messages for made-up queries alongside each message. (A copycat is an
 * agent, not a filter: it answers with the first answer it sees revealed — too late to commit.)
 */
export type ByzantineBehaviour = 'withhold' | 'equivocate' | 'spam'

export const byzantineBehaviours: ByzantineBehaviour[] = ['withhold', 'equivocate', 'spam']

export interface Misbehaviour {
  /** carry the effect out as an honest node would */
  keep: boolean
  /** more payloads to sign and publish after it (not delivered back to ourselves) */
  extra: Payload[]
}

/** What a node with `behaviour` does instead of `effect`; `random32` gives fresh 32-byte values (seeded in the simulator). */
export function misbehave (behaviour: ByzantineBehaviour | undefined, effect: RoundSetEffect, random32: () => Bytes): Misbehaviour {
  if (behaviour === undefined || effect.type !== 'publish') return { keep: true, extra: [] }
  const p = effect.payload
  switch (behaviour) {
    case 'withhold':
      return { keep: p.answerReveal === undefined && p.comparisonReveal === undefined, extra: [] }
    case 'equivocate':
      if (p.answerCommit !== undefined) return { keep: true, extra: [{ ...p, answerCommit: { ...p.answerCommit, commitment: random32() } }] }
      if (p.comparisonCommit !== undefined) return { keep: true, extra: [{ ...p, comparisonCommit: { ...p.comparisonCommit, commitment: random32() } }] }
      return { keep: true, extra: [] }
    case 'spam':
      return { keep: true, extra: Array.from({ length: 5 }, () => ({ networkId: p.networkId, answerCommit: { queryId: random32(), commitment: random32() } })) }
  }
}
