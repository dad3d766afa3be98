import type { ProtocolParams } from './genesis.js'
import { compareBytes, equalBytes, sha256, toHex, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import type { LedgerState } from './ledger.js'
import { nodeIdFromBytes } from './record.js'
import { PPM } from './reputation.js'
import { encodeLastCommit } from './wire/codec.js'
import { decodeTrustedMessage } from './wire/envelope.js'
import type { SignedMessage } from './wire/envelope.js'
import { VoteType } from './wire/messages.js'
import type { Block, DoubleVote, LastCommit } from './wire/messages.js'

/**
 * Accountability (DESIGN §8.8, §8.9): who signed each block's commit is recorded in the chain,
 * validators missing from the commits of most of a long window of blocks are jailed (no voting
 * power from the next epoch boundary), and double votes go into blocks as evidence that costs
 * the offender reputation and jails it. Pure: every node applying the same blocks reaches the
 * same jail.
 *
 * How the chain knows who signed: block h+1 carries the commit of block h (CometBFT's
 * LastCommit): precommits for h's hash in one round, from validators holding more than 2/3 of
 * the power that decided h. Block validity checks it. Its proposer picks which precommits to
 * include beyond the 2/3, so a Byzantine proposer can leave honest signers out of its own blocks;
 * it builds under 1/3 of the blocks (proposer rotation is weighted by power), so a validator is
 * jailed only when it missed more than `maxMissedPpm` (default 2/3) of a full window of
 * `windowBlocks` (default 100) commits: an honest validator left out of every Byzantine block
 * stays far below that (binomially, P(> 66 of 100 | p = 1/3) ≈ 1e-11). Honest proposers include
 * every precommit they hold, late ones too (the node keeps collecting precommits for the last
 * block after committing it).
 *
 * A jailed validator keeps its reputation and membership (it is still drawn into committees);
 * it gets its power back, through the usual entry cap, after its jail time once it asks with a
 * fresh Join (an "unjail": signed after it was jailed, so only the node itself can ask, and a
 * replayed old Join cannot put a dead validator back in the set).
 */
export interface JailingParams {
  /** Commits over which each validator's presence is counted. Default 100 (CometBFT's signed-blocks window): long enough that Byzantine proposers, under 1/3 of the blocks, cannot push an honest validator over the threshold. */
  windowBlocks: number
  /** Jailed at the next epoch boundary once missing from more than this share of a full window. Default 2/3: above the share of blocks Byzantine proposers build. */
  maxMissedPpm: number
  /** Least time (block time) a validator jailed for absence stays out. Default 10 min (CometBFT's downtime jail): a crash-and-restart does not flap in and out. */
  jailMs: number
  /** Share of its reputation a double vote costs. Default 1/2: far more than a round of honest work earns. */
  doubleVoteSlashPpm: number
  /** Least time a validator jailed for a double vote stays out. Default 7 days: a signer that equivocates is not trusted soon. */
  doubleVoteJailMs: number
  /** Evidence about votes older than this many blocks is refused; offences are remembered this long, so each is punished once. Default 256. */
  maxEvidenceAgeBlocks: number
}

export const defaultJailingParams: JailingParams = {
  windowBlocks: 100,
  maxMissedPpm: 666_666,
  jailMs: 10 * 60_000,
  doubleVoteSlashPpm: 500_000,
  doubleVoteJailMs: 7 * 24 * 3_600_000,
  maxEvidenceAgeBlocks: 256
}

/** Double votes one block may carry (mirrors the proto limit). */
export const MAX_EVIDENCE_PER_BLOCK = 16

export interface WatchEntry {
  /** the first height whose commit this validator was expected in (since it last entered the set) */
  since: number
  /** heights within the window whose commit it was missing from, ascending */
  missed: readonly number[]
}

export interface JailingState {
  /** the validator set that decided the last block: the next block's last commit is checked against it */
  certifiers: ReadonlyMap<string, number>
  /** validators being watched, by node id */
  watch: ReadonlyMap<string, WatchEntry>
  /** jailed nodes and the block time their jail ends */
  jailed: ReadonlyMap<string, number>
  /** offences already punished ("signer/height/round/kind") and their height, kept for maxEvidenceAgeBlocks */
  offences: ReadonlyMap<string, number>
}

export function emptyJailing (): JailingState {
  return { certifiers: new Map(), watch: new Map(), jailed: new Map(), offences: new Map() }
}

export function isJailed (jailing: JailingState | undefined, node: string): boolean {
  return jailing?.jailed.has(node) === true
}

/**
 * Whether a jailed node's Join signed at `joinCreatedAt` unjails it in a block of time `time`:
 * its jail is over and the Join was signed after that (a replayed old Join unjails nobody).
 */
export function mayUnjail (jailing: JailingState | undefined, node: string, joinCreatedAt: number, time: number): boolean {
  const until = jailing?.jailed.get(node)
  return until !== undefined && time >= until && joinCreatedAt >= until
}

export const offenceKey = (signer: string, height: number, round: number, type: VoteType): string => `${signer}/${height}/${round}/${type === VoteType.PREVOTE ? 'prevote' : 'precommit'}`

export function lastCommitHash (lc: LastCommit | undefined): Bytes {
  return lc === undefined ? new Uint8Array(0) : sha256(utf8('swarmrank/last-commit/1'), encodeLastCommit(lc))
}

export function evidenceHash (evidence: readonly DoubleVote[]): Bytes {
  return evidence.length === 0 ? new Uint8Array(0) : sha256(utf8('swarmrank/evidence/1'), ...evidence.flatMap(e => [sha256(e.first), sha256(e.second)]))
}

/** A last commit in canonical form: the precommits ordered by signer id, one each. */
export function makeLastCommit (round: number, precommits: Iterable<SignedMessage>): LastCommit {
  const bySigner = new Map<string, SignedMessage>()
  for (const p of precommits) if (!bySigner.has(p.signerId)) bySigner.set(p.signerId, p)
  return { round, precommits: [...bySigner.values()].sort((a, b) => (a.signerId < b.signerId ? -1 : 1)).map(p => p.bytes) }
}

/** Evidence in canonical form from two conflicting votes (the smaller message id first). */
export function makeDoubleVote (a: SignedMessage, b: SignedMessage): DoubleVote {
  return compareBytes(a.id, b.id) < 0 ? { first: a.bytes, second: b.bytes } : { first: b.bytes, second: a.bytes }
}

/** The envelopes a block embeds (last-commit precommits, evidence votes): the shell verifies their signatures before the block check. */
export function embeddedEnvelopes (block: Block): Uint8Array[] {
  return [...(block.lastCommit?.precommits ?? []), ...block.evidence.flatMap(e => [e.first, e.second])]
}

/** Signers of a last commit already found valid (a committed block's): decoded without re-checking signatures. */
function commitSigners (lc: LastCommit | undefined): Set<string> {
  const signers = new Set<string>()
  for (const bytes of lc?.precommits ?? []) {
    const m = decodeTrustedMessage(bytes)
    if (m !== undefined) signers.add(m.signerId)
  }
  return signers
}

export interface Offence { offender: string, key: string, height: number }

/** What a double vote (already checked valid) says: who, and which offence. */
export function offenceOf (ev: DoubleVote): Offence | undefined {
  const m = decodeTrustedMessage(ev.first)
  const v = m?.payload.vote
  if (m === undefined || v === undefined) return undefined
  return { offender: m.signerId, key: offenceKey(m.signerId, v.height, v.round, v.type), height: v.height }
}

/** Why a block's last commit or evidence is invalid, if it is (block-check.ts turns this into a BlockCheck). */
export interface AccountabilityContext {
  /** the ledger the block extends */
  height: number
  lastBlockHash: Bytes
  jailing: JailingState | undefined
  members: ReadonlySet<string> | ReadonlyMap<string, unknown>
  params: JailingParams | undefined
  /** signed messages the shell verified, by message id (hex) */
  messages: ReadonlyMap<string, SignedMessage>
}

export type AccountabilityFault = { code: 'last_commit' | 'evidence', reason: string }

const fault = (code: AccountabilityFault['code'], reason: string): AccountabilityFault => ({ code, reason })

/**
 * valid(v) for a block's accountability parts. A network whose genesis has no `params.jailing`
 * carries neither (its blocks keep the format they had). Otherwise every block after the first
 * carries its parent's commit: precommits for the parent's hash in one round, ordered by signer,
 * each verified, each from a validator that decided the parent, together more than 2/3 of that
 * set's power. Evidence: at most MAX_EVIDENCE_PER_BLOCK double votes, each two verified votes by
 * one ledger member, of one kind, height and round, for different blocks, not older than
 * maxEvidenceAgeBlocks, an offence not punished before nor twice in the block.
 */
export function checkAccountability (block: Block, ctx: AccountabilityContext): AccountabilityFault | undefined {
  const h = block.header!
  const p = ctx.params
  if (p === undefined || ctx.jailing === undefined) {
    if (block.lastCommit !== undefined || block.evidence.length > 0 || h.lastCommitHash.length > 0 || h.evidenceHash.length > 0) return fault('last_commit', 'this network records no commits or evidence in blocks')
    return undefined
  }
  // [DESIGN §8.8] the parent's commit, so the chain knows who signed
  if (!equalBytes(h.lastCommitHash, lastCommitHash(block.lastCommit))) return fault('last_commit', 'header lastCommitHash does not match the last commit')
  if (ctx.height === 0) {
    if (block.lastCommit !== undefined) return fault('last_commit', 'the first block has no parent commit to carry')
  } else {
    const lc = block.lastCommit
    if (lc === undefined) return fault('last_commit', `no commit of block ${ctx.height}`)
    const certifiers = ctx.jailing.certifiers
    let power = 0
    let previous = ''
    for (const [i, bytes] of lc.precommits.entries()) {
      const m = ctx.messages.get(toHex(sha256(bytes)))
      if (m === undefined) return fault('last_commit', `precommit ${i} is not validly signed`)
      const v = m.payload.vote
      if (v === undefined || v.type !== VoteType.PRECOMMIT) return fault('last_commit', `precommit ${i} is not a precommit`)
      if (v.height !== ctx.height || v.round !== lc.round || !equalBytes(v.blockHash, ctx.lastBlockHash)) return fault('last_commit', `precommit ${i} is not for block ${ctx.height} in round ${lc.round}`)
      if (m.signerId <= previous) return fault('last_commit', 'precommits must be ordered by signer, one each')
      previous = m.signerId
      const weight = certifiers.get(m.signerId)
      if (weight === undefined) return fault('last_commit', `precommit ${i} is by ${m.signerId}, who did not decide block ${ctx.height}`)
      power += weight
    }
    const total = [...certifiers.values()].reduce((s, x) => s + x, 0)
    if (power * 3 <= total * 2) return fault('last_commit', `the last commit carries ${power} of ${total} power; more than 2/3 is needed`)
  }
  // [DESIGN §8.9] double votes
  if (block.evidence.length > MAX_EVIDENCE_PER_BLOCK) return fault('evidence', `more than ${MAX_EVIDENCE_PER_BLOCK} double votes`)
  if (!equalBytes(h.evidenceHash, evidenceHash(block.evidence))) return fault('evidence', 'header evidenceHash does not match the evidence')
  const seen = new Set<string>()
  for (const [i, ev] of block.evidence.entries()) {
    const a = ctx.messages.get(toHex(sha256(ev.first)))
    const b = ctx.messages.get(toHex(sha256(ev.second)))
    if (a === undefined || b === undefined) return fault('evidence', `evidence ${i}: a vote is not validly signed`)
    if (compareBytes(a.id, b.id) >= 0) return fault('evidence', `evidence ${i}: votes must be two, the smaller id first`)
    const va = a.payload.vote
    const vb = b.payload.vote
    if (va === undefined || vb === undefined) return fault('evidence', `evidence ${i}: not two votes`)
    if (a.signerId !== b.signerId) return fault('evidence', `evidence ${i}: votes by different signers`)
    if (va.type !== vb.type || va.height !== vb.height || va.round !== vb.round) return fault('evidence', `evidence ${i}: votes for different steps`)
    if (equalBytes(va.blockHash, vb.blockHash)) return fault('evidence', `evidence ${i}: both votes are for the same block`)
    if (va.height > h.height || va.height + p.maxEvidenceAgeBlocks < h.height) return fault('evidence', `evidence ${i}: votes at height ${va.height} are outside the evidence window`)
    if (!ctx.members.has(a.signerId)) return fault('evidence', `evidence ${i}: ${a.signerId} is not in the ledger`)
    const key = offenceKey(a.signerId, va.height, va.round, va.type)
    if (seen.has(key) || ctx.jailing.offences.has(key)) return fault('evidence', `evidence ${i}: offence ${key} is already punished`)
    seen.add(key)
  }
  return undefined
}

export interface AccountabilityInput {
  /** the block's height and time */
  height: number
  time: number
  /** whether this block ends an epoch (the jail rule runs then) */
  epochEnd: boolean
  /** the validators that decided this block (the state before it): the next block's certifiers */
  deciders: ReadonlyMap<string, number>
  /** nodes the block admits or unjails (their Joins) */
  unjailed: readonly string[]
}

/**
 * Apply a committed block's accountability to the jail state (pure): count who was missing from
 * the parent's commit, punish each double vote once (a reputation cut through `slash`), release
 * unjailed nodes, and at an epoch's end jail validators that missed too much of a full window.
 * Returns the new state and the reputation cuts to apply.
 */
export function applyAccountability (jailing: JailingState, block: Block, input: AccountabilityInput, p: JailingParams): { jailing: JailingState, slashed: string[] } {
  const watch = new Map(jailing.watch)
  const jailed = new Map(jailing.jailed)
  const offences = new Map(jailing.offences)
  const parent = input.height - 1
  if (parent >= 1) {
    const signers = commitSigners(block.lastCommit)
    const from = parent - p.windowBlocks + 1
    for (const id of jailing.certifiers.keys()) {
      const before = watch.get(id) ?? { since: parent, missed: [] }
      const signed = signers.has(id)
      const expired = before.missed.length > 0 && before.missed[0] < from
      if (signed && !expired && watch.has(id)) continue // nothing changes: no copy
      const missed = before.missed.filter(x => x >= from)
      if (!signed) missed.push(parent)
      watch.set(id, { since: before.since, missed })
    }
  }
  // Only the deciders of this block are watched from here on.
  for (const id of watch.keys()) if (!input.deciders.has(id)) watch.delete(id)
  const slashed: string[] = []
  for (const ev of block.evidence) {
    const o = offenceOf(ev)
    if (o === undefined) continue
    offences.set(o.key, o.height)
    slashed.push(o.offender)
    jailed.set(o.offender, Math.max(jailed.get(o.offender) ?? 0, input.time + p.doubleVoteJailMs))
    watch.delete(o.offender)
  }
  for (const [key, height] of offences) if (height + p.maxEvidenceAgeBlocks < input.height) offences.delete(key)
  for (const id of input.unjailed) jailed.delete(id)
  if (input.epochEnd) {
    for (const [id, w] of [...watch].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const watched = parent - w.since + 1
      if (watched >= p.windowBlocks && w.missed.length * PPM > p.maxMissedPpm * p.windowBlocks) {
        jailed.set(id, Math.max(jailed.get(id) ?? 0, input.time + p.jailMs))
        watch.delete(id)
      }
    }
  }
  return { jailing: { certifiers: input.deciders, watch, jailed, offences }, slashed }
}

/** The jail state's bytes for the state root, in a fixed order. */
export function jailingRootParts (j: JailingState, u64: (n: number) => Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [utf8('jailing/1')]
  const ids = (m: ReadonlyMap<string, unknown>): string[] => [...m.keys()].sort()
  const str = (s: string): Uint8Array[] => { const b = utf8(s); return [u64(b.length), b] }
  parts.push(u64(j.certifiers.size))
  for (const id of ids(j.certifiers)) parts.push(...str(id), u64(j.certifiers.get(id)!))
  parts.push(u64(j.watch.size))
  for (const id of ids(j.watch)) {
    const w = j.watch.get(id)!
    parts.push(...str(id), u64(w.since), u64(w.missed.length), ...w.missed.map(u64))
  }
  parts.push(u64(j.jailed.size))
  for (const id of ids(j.jailed)) parts.push(...str(id), u64(j.jailed.get(id)!))
  parts.push(u64(j.offences.size))
  for (const key of ids(j.offences)) parts.push(...str(key), u64(j.offences.get(key)!))
  return parts
}

/** JSON-safe form (ledger snapshots). */
export interface JailingSnapshot {
  certifiers: Array<[string, number]>
  watch: Array<[string, WatchEntry]>
  jailed: Array<[string, number]>
  offences: Array<[string, number]>
}

const sorted = <V>(m: ReadonlyMap<string, V>): Array<[string, V]> => [...m].sort(([a], [b]) => (a < b ? -1 : 1))

export function jailingToSnapshot (j: JailingState): JailingSnapshot {
  return { certifiers: sorted(j.certifiers), watch: sorted(j.watch).map(([id, w]) => [id, { since: w.since, missed: [...w.missed] }]), jailed: sorted(j.jailed), offences: sorted(j.offences) }
}

export function jailingFromSnapshot (s: JailingSnapshot): JailingState {
  return { certifiers: new Map(s.certifiers), watch: new Map(s.watch), jailed: new Map(s.jailed), offences: new Map(s.offences) }
}

/**
 * The ledger's hook (applyBlock): apply a block's accountability to `next` (the state after its
 * records and admissions); `before` is the state the block extends. A no-op on networks without
 * `params.jailing`.
 */
export function accountBlock (before: LedgerState, next: LedgerState, block: Block, params: ProtocolParams): LedgerState {
  const p = params.jailing
  if (p === undefined || next.jailing === undefined) return next
  const header = block.header!
  const unjailed = block.admissions.map(a => nodeIdFromBytes(a.node)).filter(id => before.jailing?.jailed.has(id) === true)
  const { jailing, slashed } = applyAccountability(next.jailing, block, {
    height: header.height,
    time: header.time,
    epochEnd: header.height % params.bft.epochBlocks === 0,
    deciders: before.validators,
    unjailed
  }, p)
  if (slashed.length === 0) return { ...next, jailing }
  const reputations = new Map(next.reputations)
  for (const id of slashed) {
    const e = reputations.get(id)
    if (e !== undefined) reputations.set(id, { ...e, reputationPpm: e.reputationPpm - Math.floor(e.reputationPpm * p.doubleVoteSlashPpm / PPM) })
  }
  return { ...next, reputations, jailing }
}
