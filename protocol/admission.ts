import type { ProtocolParams } from './genesis.js'
import { mayUnjail } from './jailing.js'
import type { LedgerState } from './ledger.js'
import { PPM } from './reputation.js'
import type { SignedMessage } from './wire/envelope.js'

/**
 * Who a block may admit (DESIGN §8.11: identities are not free power). A new identity enters the
 * ledger on probation through a signed Join that a block names; a jailed validator asks for its
 * power back the same way (protocol/jailing.ts). Block validity enforces all of it, not only
 * what an honest proposer does:
 *
 * - at most `perBlock` admissions a block;
 * - a Join counts only while fresh: signed at most `joinTtlMs` before the block's time and not
 *   more than `maxJoinAheadMs` after it, so a pending Join expires (a node still wanting in signs
 *   a new one: the node repeats its Join every 5 s);
 * - the power entering the validator set is capped per epoch (`bft.maxEntryPpm`) and, with this
 *   group, per time as well (`entryPerHourPpm`): blocks an attacker makes quickly do not make
 *   epochs come faster in time.
 */
export interface AdmissionParams {
  /** Admissions one block may carry. Default 16: a flood of fresh identities costs a block little. */
  perBlock: number
  /** How long a signed Join can admit its node (block time minus its createdAt). Default 2 min: a node repeats its Join every 5 s. */
  joinTtlMs: number
  /** How far a Join may be dated ahead of the block time. Default 30 s: clocks agree within a few seconds. */
  maxJoinAheadMs: number
  /** Power that may enter the validator set per hour of block time, as a share of its total. Default 1/8: one epoch's cap per hour however fast blocks come. */
  entryPerHourPpm: number
}

export const defaultAdmissionParams: AdmissionParams = {
  perBlock: 16,
  joinTtlMs: 2 * 60_000,
  maxJoinAheadMs: 30_000,
  entryPerHourPpm: 125_000
}

/** The admission rules in force: the genesis's `params.admission`, or the defaults. */
export const admissionParamsOf = (params: ProtocolParams): AdmissionParams => params.admission ?? defaultAdmissionParams

/** Why a Join cannot admit (or unjail) its signer in a block at `time` on top of `state`, if it cannot. */
export function joinFault (state: LedgerState, join: SignedMessage, time: number, params: ProtocolParams): string | undefined {
  const a = admissionParamsOf(params)
  const createdAt = join.payload.join?.createdAt
  if (createdAt === undefined) return 'not a Join'
  if (createdAt + a.joinTtlMs < time) return `its Join is older than ${a.joinTtlMs} ms`
  if (createdAt > time + a.maxJoinAheadMs) return 'its Join is dated ahead of the block'
  if (state.reputations.has(join.signerId) && !mayUnjail(state.jailing, join.signerId, createdAt, time)) return `${join.signerId} is already in the ledger${state.jailing?.jailed.has(join.signerId) === true ? ' (jailed: not yet released, or a Join signed before its jail ended)' : ''}`
  return undefined
}

/** The Joins an honest proposer puts in a block: admissible ones, in node-id order, up to the per-block cap. */
export function admissibleJoins (state: LedgerState, joins: Iterable<SignedMessage>, time: number, params: ProtocolParams): SignedMessage[] {
  const bySigner = new Map<string, SignedMessage>()
  for (const j of joins) if (joinFault(state, j, time, params) === undefined && !bySigner.has(j.signerId)) bySigner.set(j.signerId, j)
  return [...bySigner.values()].sort((a, b) => (a.signerId < b.signerId ? -1 : 1)).slice(0, admissionParamsOf(params).perBlock)
}

/**
 * Power that may enter at an epoch boundary at `time` given the last boundary that let power in
 * (`lastEntryAt`): the per-epoch room, and no more than `entryPerHourPpm` of the total per hour
 * since. Integer arithmetic only.
 */
export function entryRoom (total: number, maxEntryPpm: number, time: number, lastEntryAt: number | undefined, params: ProtocolParams): number {
  const perEpoch = Math.floor(total * maxEntryPpm / PPM)
  if (params.admission === undefined || lastEntryAt === undefined) return perEpoch
  const elapsed = Math.max(0, time - lastEntryAt)
  const perTime = Math.floor(Math.floor(total * params.admission.entryPerHourPpm / PPM) * Math.min(elapsed, 3_600_000) / 3_600_000)
  return Math.min(perEpoch, perTime)
}

/** Whether any node's power rose from `before` to `after` (power entered the set). */
export function powerEntered (before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): boolean {
  for (const [id, p] of after) if (p > (before.get(id) ?? 0)) return true
  return false
}
