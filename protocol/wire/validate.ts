import { asBytes, equalBytes, toHex } from '../hash.js'
import { decodeEnvelope, decodePayload } from './codec.js'
import { messageId, nodeIdOf, ownBytes, parseSignerKey, signingBytes, verifySignature } from './envelope.js'
import { WireDecodeError, wireLimits } from './limits.js'
import type { SignedMessage } from './envelope.js'
import type { Payload } from './messages.js'

/**
 * The verdict on one untrusted input (CONVENTIONS §3):
 * ACCEPT — valid, process and relay; IGNORE — harmless but useless (stale, duplicate, unknown
 * round), drop without penalty; REJECT — provably bad (malformed, over a limit, bad signature,
 * wrong network, equivocation), drop and score the sender down.
 */
export type Validation<T> =
  | { result: 'ACCEPT', value: T }
  | { result: 'IGNORE', reason: string, code: ValidationCode }
  | { result: 'REJECT', reason: string, code: ValidationCode }

/**
 * What a verdict was about, one code per rule, so metrics are labelled by rule and not by free
 * text (Lodestar's error codes). The reason carries the details (ids, heights).
 */
export type ValidationCode =
  // envelope (any topic)
  | 'malformed' | 'wrong_network' | 'bad_signer' | 'bad_signature' | 'query_in_future' | 'query_stale' | 'useless'
  // topic routing
  | 'wrong_topic'
  // consensus
  | 'height_committed' | 'height_ahead' | 'not_validator' | 'not_proposer' | 'join_member' | 'join_pending' | 'joins_full' | 'join_stale' | 'late_precommit'
  // queries and rounds
  | 'not_member' | 'over_quota' | 'duplicate' | 'query_final' | 'anchor_unavailable' | 'round_closed' | 'round_unknown' | 'not_on_committee'
  | 'late' | 'equivocation' | 'bad_opening' | 'reveal_pending' | 'bad_reveal' | 'mempool_full'
  // the node itself
  | 'stopping'

export const accept = <T>(value: T): Validation<T> => ({ result: 'ACCEPT', value })
export const ignore = <T>(reason: string, code: ValidationCode): Validation<T> => ({ result: 'IGNORE', reason, code })
export const reject = <T>(reason: string, code: ValidationCode): Validation<T> => ({ result: 'REJECT', reason, code })

export interface EnvelopeValidationContext {
  /** This node's network id: sha256 of the canonical genesis. */
  networkId: Uint8Array
  /** The validator's clock in ms since the epoch (protocol code never reads a clock itself). */
  now: number
  /** Queries older than this are stale. Default 10 minutes: longer than any round's deadlines. */
  maxQueryAgeMs?: number
  /** Queries dated further ahead than this are from a bad clock. Default 30 s of skew. */
  maxClockSkewMs?: number
  /**
   * The caller's cheap check that the message can still matter to it (a vote for a height it has
   * decided cannot), run before the signature check, the costliest step: a reason here is an
   * IGNORE without verifying.
   */
  uselessBecause?: (payload: Payload) => string | undefined
}

export const defaultEnvelopeValidation = { maxQueryAgeMs: 10 * 60_000, maxClockSkewMs: 30_000 }

/**
 * Stateless validation of one envelope from the network: everything that can be checked without
 * knowing the round or the ledger. Never throws; the order puts cheap checks first.
 */
export async function validateEnvelope (received: Uint8Array, ctx: EnvelopeValidationContext): Promise<Validation<SignedMessage>> {
  const opts = { ...defaultEnvelopeValidation, ...ctx }
  try {
    // [REJECT] oversized, malformed, non-canonical or over a field limit (an oversized one is not copied first)
    const bytes = received.length > wireLimits.maxEnvelopeBytes ? received : ownBytes(received)
    const envelope = decodeEnvelope(bytes)
    const payload = decodePayload(envelope.payload)
    // [REJECT] the message belongs to another network
    if (!equalBytes(payload.networkId, opts.networkId)) {
      return reject(`wrong network: ${toHex(payload.networkId).slice(0, 16)}… is not ${toHex(opts.networkId).slice(0, 16)}…`, 'wrong_network')
    }
    // [IGNORE] of no use to this node any more (checked before paying for the signature)
    const useless = opts.uselessBecause?.(payload)
    if (useless !== undefined) return ignore(useless, 'useless')
    // [REJECT] the signer is not an Ed25519 key, or the signature does not verify
    const key = parseSignerKey(envelope.signer)
    if (key === undefined) return reject('signer is not an Ed25519 public key', 'bad_signer')
    const valid = verifySignature(key, signingBytes(envelope.payload), envelope.signature)
    if (!valid) return reject('bad signature', 'bad_signature')
    // [IGNORE] a query from too far in the past or the future
    if (payload.query !== undefined) {
      if (payload.query.createdAt > opts.now + opts.maxClockSkewMs) return ignore('query is dated in the future', 'query_in_future')
      if (payload.query.createdAt + opts.maxQueryAgeMs < opts.now) return ignore('query is stale', 'query_stale')
    }
    const id = messageId(bytes)
    return accept({ id, idHex: toHex(id), bytes: asBytes(bytes), signerId: nodeIdOf(key), signer: envelope.signer, payload })
  } catch (err) {
    if (err instanceof WireDecodeError) return reject(`${err.code.toLowerCase()}: ${err.message}`, 'malformed')
    return reject(`invalid: ${(err as Error)?.message ?? String(err)}`, 'malformed')
  }
}
