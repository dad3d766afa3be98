import { compareBytes, toHex } from './hash.js'
import type { Bytes } from './hash.js'
import { candidateId, comparisonCommitment } from './record.js'
import type { OwnWork } from './round.js'
import type { RoundSetEffect } from './round-set.js'
import { Verdict } from './wire/messages.js'
import type { ComparisonBody, Payload } from './wire/messages.js'
import type { SignedMessage } from './wire/envelope.js'

/**
 * Byzantine behaviours for tests, fault-injection clusters and the simulator (DESIGN §5), as
 * filters on a round set's effects, on top of whatever the agent does: `withhold` commits and
 * never reveals; `equivocate` publishes a second, different commitment after each commit; `spam`
 * publishes junk round messages for made-up queries alongside each message; `forge` commits to and
 * reveals forged verdicts instead of its agent's — a made-up id among the answers it saw and the
 * same pair repeated, "X beats each rival", to make X the winner (DESIGN §8.1); `censor`, as a
 * proposer, leaves every rival's answer commits and reveals out of its blocks, to make its own
 * answer the only candidate (DESIGN §8.6; `censoredBy`). (A copycat is an agent, not a filter: it
 * answers with the first answer it sees revealed — too late to commit.)
 */
export type ByzantineBehaviour = 'withhold' | 'equivocate' | 'spam' | 'forge' | 'censor'

export const byzantineBehaviours: ByzantineBehaviour[] = ['withhold', 'equivocate', 'spam', 'forge', 'censor']

/** What a `censor` proposer leaves out of its blocks: every other answerer's answer commits and reveals. */
export function censoredBy (self: string): (message: SignedMessage) => boolean {
  return m => m.signerId !== self && (m.payload.answerCommit !== undefined || m.payload.answerReveal !== undefined)
}

/** Forged verdicts and their salt, kept by the shell from the commitment to the reveal. */
export interface ForgedComparison { body: ComparisonBody, salt: Bytes }

export interface Misbehaviour {
  /** carry the effect out as an honest node would (with `replace`, publishing that payload instead) */
  keep: boolean
  /** the payload to publish (and deliver to ourselves) in place of the effect's */
  replace?: Payload
  /** more payloads to sign and publish after it (not delivered back to ourselves) */
  extra: Payload[]
  /** `forge`: the verdicts it committed to, for the shell to hand back at the reveal */
  forged?: ForgedComparison
}

/** What a stateful misbehaviour needs from the shell: this node's work in the round, and what it forged. */
export interface MisbehaviourContext {
  own?: OwnWork
  forged?: ForgedComparison
}

/** What a node with `behaviour` does instead of `effect`; `random32` gives fresh 32-byte values (seeded in the simulator). */
export function misbehave (behaviour: ByzantineBehaviour | undefined, effect: RoundSetEffect, random32: () => Bytes, context: MisbehaviourContext = {}): Misbehaviour {
  if (behaviour === undefined || effect.type !== 'publish') return { keep: true, extra: [] }
  const p = effect.payload
  switch (behaviour) {
    case 'withhold':
      return { keep: p.answerReveal === undefined && p.comparisonReveal === undefined, extra: [] }
    case 'censor': // a proposer's misbehaviour (censoredBy): its round messages are honest
      return { keep: true, extra: [] }
    case 'equivocate':
      if (p.answerCommit !== undefined) return { keep: true, extra: [{ ...p, answerCommit: { ...p.answerCommit, commitment: random32() } }] }
      if (p.comparisonCommit !== undefined) return { keep: true, extra: [{ ...p, comparisonCommit: { ...p.comparisonCommit, commitment: random32() } }] }
      return { keep: true, extra: [] }
    case 'spam':
      return { keep: true, extra: Array.from({ length: 5 }, () => ({ networkId: p.networkId, answerCommit: { queryId: random32(), commitment: random32() } })) }
    case 'forge': {
      if (p.comparisonCommit !== undefined && context.own?.comparison !== undefined) {
        const body = forgeVerdicts(context.own.comparison.body, context.own.answer?.text, random32)
        if (body === undefined) return { keep: true, extra: [] }
        const forged = { body, salt: random32().slice(0, 16) }
        return { keep: true, replace: { ...p, comparisonCommit: { ...p.comparisonCommit, commitment: comparisonCommitment(body, forged.salt) } }, extra: [], forged }
      }
      if (p.comparisonReveal !== undefined && context.forged !== undefined) {
        return { keep: true, replace: { ...p, comparisonReveal: { ...p.comparisonReveal, body: context.forged.body, salt: context.forged.salt } }, extra: [] }
      }
      return { keep: true, extra: [] }
    }
  }
}

/** A made-up id among the answers seen, and "X beats each rival" repeated to fill the verdict list. */
function forgeVerdicts (honest: ComparisonBody, ownAnswer: string | undefined, random32: () => Bytes): ComparisonBody | undefined {
  const own = ownAnswer === undefined ? undefined : candidateId(ownAnswer)
  const real = honest.answerIdsSeen.filter(id => toHex(id) !== own)
  if (real.length < 2) return undefined
  const [x, ...rivals] = real
  const comparisons: ComparisonBody['comparisons'] = []
  // each pair named the canonical way round (the smaller id as a), the verdict always for X
  const pair = (y: Bytes): ComparisonBody['comparisons'][number] => compareBytes(x, y) < 0 ? { a: x, b: y, verdict: Verdict.A, reason: 'forged' } : { a: y, b: x, verdict: Verdict.B, reason: 'forged' }
  for (let k = 0; k < Math.floor(240 / rivals.length); k++) for (const y of rivals) comparisons.push(pair(y))
  return { answerIdsSeen: [...honest.answerIdsSeen, random32()].sort(compareBytes), comparisons }
}
