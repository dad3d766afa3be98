import { equalBytes } from '../hash.js'
import { blockHash, ROUND_TTL_BLOCKS, stateRoot, toSnapshot } from '../ledger.js'
import type { LedgerSnapshot, LedgerState } from '../ledger.js'
import type { CommitCertificate } from '../wire/messages.js'
import { verifyCertificate } from './certificate.js'
import { advanceTrust, certifies, ledgerFromSnapshot, nextBoundary } from './light-client.js'
import type { LightErrorCode, LightTrust } from './light-client.js'

/**
 * State sync (DESIGN §8.10, issue 15): a node far behind starts from a peer's ledger at a height
 * `s` instead of replaying every block, trusting nothing but the genesis (or the ledger it has).
 * As CometBFT's state sync checks a snapshot against a light-client-verified header's app hash,
 * the node follows the validator set with the light client's sequential steps (the certified
 * header of each epoch boundary below `s`, with the validator set after it and the root of the
 * rest of that ledger: a few hundred bytes, not the ledger), then checks block `s`'s certificate
 * against the set so trusted, and the snapshot against what the header commits to: a header's
 * state root is the root of the ledger *after* its block (protocol/ledger.ts buildBlock), and the
 * last block hash, which the root leaves out, is that header's hash. The root covers every field
 * of the snapshot (tests/unit/state-sync.test.ts mutates each one), so a snapshot that passes is
 * the ledger every honest node holds after block `s`.
 */

/**
 * How far below its head a node offers its snapshot: the round window. A round can be recorded
 * up to ROUND_TTL_BLOCKS blocks after the block that ordered it, over the ledger after that block
 * (the round's reputation table). A node starting from the ledger at `s` replays the blocks after
 * `s` and holds the ledger after each, so it can check every round ordered from `s` on; with
 * `s` this far below the head, that is every round still open when it arrives.
 */
export const SNAPSHOT_DEPTH_BLOCKS = ROUND_TTL_BLOCKS

/**
 * The height a node offers its snapshot at: SNAPSHOT_DEPTH_BLOCKS below its head, but no lower
 * than `firstContiguous` (the lowest height from which it holds every block up to its head: a
 * pruning node or one that itself started from a snapshot holds fewer) nor than the ledger
 * history it keeps (`ledgerHistory` heights below the head); 0 (none) at the genesis.
 */
export function offeredSnapshotHeight (head: number, firstContiguous: number, ledgerHistory: number): number {
  if (head < 1) return 0
  return Math.min(head, Math.max(1, head - SNAPSHOT_DEPTH_BLOCKS, firstContiguous, head - ledgerHistory + 1))
}

/** Why a snapshot was refused: the light client's codes, and `not_canonical` for a ledger that hashes right but is not in its one canonical form. */
export type SnapshotErrorCode = LightErrorCode | 'not_canonical'

export interface SnapshotFailure { valid: false, code: SnapshotErrorCode, reason: string }

/** A step checked: the trust moved one epoch on, or (the snapshot itself) the ledger to start from. */
export type SnapshotStepResult =
  | { valid: true, done: false, trust: LightTrust }
  | { valid: true, done: true, state: LedgerState, certificate: CommitCertificate }
  | SnapshotFailure

/**
 * Checks the steps of one state sync in order, each before the next is read: the epoch
 * boundaries between the trusted height and `target`, then block `target` with the ledger after
 * it. Nothing a peer sends is taken on its word.
 */
export class SnapshotVerifier {
  private current: LightTrust

  constructor (trust: LightTrust, readonly target: number) {
    if (target <= trust.height) throw new RangeError(`a snapshot at height ${target} is no further than the trusted height ${trust.height}`)
    this.current = trust
  }

  get trust (): LightTrust {
    return this.current
  }

  /** The height of the step expected next: the next epoch boundary, or the target. */
  get expected (): number {
    return Math.min(nextBoundary(this.current.height, this.current.epochBlocks), this.target)
  }

  /**
   * Check only the next step's certificate (it is checked again by step()): for a ledger sent in
   * slices, before the rest is read. Undefined when it is the expected block, certified by the
   * set trusted now.
   */
  async checkCertificate (certificate: CommitCertificate): Promise<SnapshotFailure | undefined> {
    const height = certificate.header?.height
    if (height === undefined) return fail('malformed', 'a step has a certificate without a block header')
    if (height !== this.expected) return fail('gap', `expected block ${this.expected} next, got block ${height}`)
    const cert = await verifyCertificate(certificate, this.current.validators, this.current.networkId)
    return cert.valid ? undefined : fail('bad_certificate', `block ${height} is not certified by the validator set trusted after block ${this.current.height}: ${cert.reason}`)
  }

  /**
   * Check the next step: `ledgerJson` is the JSON light ledger after the certified block for an
   * epoch boundary (light-client.ts LightLedger), the whole JSON ledger for the snapshot.
   */
  async step (certificate: CommitCertificate, ledgerJson: Uint8Array): Promise<SnapshotStepResult> {
    const height = certificate.header?.height
    if (height === undefined) return fail('malformed', 'a step has a certificate without a block header')
    const expected = this.expected
    if (height !== expected) return fail('gap', `expected block ${expected} next (${expected === this.target ? 'the snapshot' : 'an epoch boundary, where the validator set may change'}), got block ${height}`)
    let doc: unknown
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(ledgerJson))
    } catch (err) {
      return fail('malformed', `the ${height < this.target ? 'light ledger' : 'ledger'} after block ${height} is not JSON (${(err as Error).message})`)
    }
    if (height < this.target) {
      // An epoch boundary: only its validator set is used, and advanceTrust checks it against the header.
      const moved = await advanceTrust(this.current, [{ certificate, light: doc }], this.target)
      if (!moved.valid) return moved
      this.current = moved.trust
      return { valid: true, done: false, trust: moved.trust }
    }
    // The snapshot: installed whole, so every field is checked, not only the validator set.
    if (!certifies(this.current, height)) return fail('gap', `block ${height} is not certified by the set trusted after block ${this.current.height}`)
    const cert = await verifyCertificate(certificate, this.current.validators, this.current.networkId)
    if (!cert.valid) return fail('bad_certificate', `block ${height} is not certified by the validator set trusted after block ${this.current.height}: ${cert.reason}`)
    const state = snapshotLedger(doc)
    if (typeof state === 'string') return fail('malformed', `the snapshot after block ${height}: ${state}`)
    const header = certificate.header!
    if (state.height !== height) return fail('state_root', `the snapshot given for block ${height} is the ledger after block ${state.height}`)
    if (!equalBytes(stateRoot(state), header.stateRoot)) return fail('state_root', `the snapshot after block ${height} does not hash to the state root its certified header commits to`)
    if (!equalBytes(state.lastBlockHash, blockHash(header))) return fail('state_root', `the snapshot after block ${height} names another last block`)
    if (JSON.stringify(toSnapshot(state)) !== JSON.stringify(doc)) return fail('not_canonical', `the snapshot after block ${height} is not in canonical form (fields out of order, unknown or missing)`)
    return { valid: true, done: true, state, certificate }
  }
}

function fail (code: SnapshotErrorCode, reason: string): SnapshotFailure {
  return { valid: false, code, reason }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024
const isHex32 = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)
const isPairs = (v: unknown, value: (x: unknown) => boolean): boolean =>
  Array.isArray(v) && v.every(p => Array.isArray(p) && p.length === 2 && isText(p[0]) && value(p[1]))

/**
 * Fields of a ledger snapshot whose values the state root hashes by their text or truth (an
 * id, a flag): a forged value of another JSON type with the same text (["id"] for "id") would
 * hash alike, so each gets its type checked here. Numbers need no such check (the root refuses
 * any that is not a safe non-negative integer). A field toSnapshot writes that is not listed
 * here fails a unit test, so a new field cannot skip the check.
 */
export const SNAPSHOT_FIELD_CHECKS: Record<string, (v: unknown) => boolean> = {
  height: isInt,
  lastBlockHash: isHex32,
  lastBlockTime: isInt,
  // ids, powers and flags: light-client.ts ledgerFromSnapshot
  reputations: Array.isArray,
  ordered: v => Array.isArray(v) && v.every(o => o !== null && typeof o === 'object' && isHex32(o.queryId) && isInt(o.height) && isInt(o.time) && isText(o.submitter) && typeof o.final === 'boolean' && (o.blockHash === undefined || isHex32(o.blockHash)) &&
    (o.messages === undefined || (Array.isArray(o.messages) && o.messages.every((m: unknown) => Array.isArray(m) && m.length === 2 && isHex32(m[0]) && isInt(m[1]))))),
  epochQueries: v => isPairs(v, isInt),
  jailing: v => {
    if (v === null || typeof v !== 'object') return false
    const j = v as Record<string, unknown>
    return isPairs(j.certifiers, isInt) && isPairs(j.jailed, isInt) && isPairs(j.offences, isInt) &&
      isPairs(j.watch, w => w !== null && typeof w === 'object' && isInt((w as { since?: unknown }).since) && Array.isArray((w as { missed?: unknown }).missed) && ((w as { missed: unknown[] }).missed).every(isInt))
  },
  lastEntryAt: isInt
}

/** The ledger state of an untrusted snapshot, with every field's type checked, or what is wrong with it. */
export function snapshotLedger (doc: unknown): LedgerState | string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'not a ledger snapshot'
  for (const [key, value] of Object.entries(doc)) {
    const check = SNAPSHOT_FIELD_CHECKS[key]
    if (check === undefined) return `unknown field ${key}`
    if (!check(value)) return `field ${key} has the wrong type or shape`
  }
  return ledgerFromSnapshot(doc)
}

/** The canonical JSON bytes of a ledger, as a node stores and serves it. */
export function snapshotJson (snapshot: LedgerSnapshot): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(snapshot))
}
