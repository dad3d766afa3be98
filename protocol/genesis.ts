import { peerIdFromString } from '@libp2p/peer-id'
import { sha256, toHex, utf8 } from './hash.js'
import type { Bytes } from './hash.js'
import { defaultReputationParams } from './reputation.js'
import type { ReputationParams } from './reputation.js'
import { defaultAdmissionParams } from './admission.js'
import type { AdmissionParams } from './admission.js'
import { defaultJailingParams } from './jailing.js'
import type { JailingParams } from './jailing.js'
import { defaultSubmissionParams } from './submission.js'
import type { SubmissionParams } from './submission.js'

/**
 * A network is defined by its genesis (DESIGN §4.1): name, protocol parameters and the initial
 * validators. networkId = sha256(canonical genesis JSON) goes into every topic and protocol id,
 * so nodes of different networks never mix.
 */
export interface ProtocolParams {
  /** Answer committee size m. Default 5: enough distinct answers to rank, few enough to be cheap. */
  answerers: number
  /** Ranking committee size. Default 5. */
  rankers: number
  /** Deadline for answer commits, from the query's createdAt. Default 30 s: a local model's answer. */
  answerCommitMs: number
  /** Further time for reveals after that. Default 5 s: reveals need no model call. */
  answerRevealMs: number
  /** Further time for comparison commits. Default 30 s: several pairwise judgements. */
  compareCommitMs: number
  /** Further time for comparison reveals. Default 5 s. */
  compareRevealMs: number
  /** Bradley–Terry prior α. Default 1: a verdict of full weight counts as much as the prior. */
  btPrior: number
  reputation: ReputationParams
  bft: BftParams
  /** Who may submit queries, and how many (protocol/submission.ts). */
  submission: SubmissionParams
  /**
   * Accountability (protocol/jailing.ts, DESIGN §8.8–8.9): blocks carry their parent's commit
   * and double-vote evidence; absent validators are jailed. Optional: a genesis without it keeps
   * the rules (and block format) it was started with; `swarmrank init` and clusters write it.
   */
  jailing?: JailingParams
  /** Admission rules (protocol/admission.ts): Joins per block, their expiry, the entry cap per hour. Optional: absent, the defaults apply, except the per-hour cap. */
  admission?: AdmissionParams
}

/** Finality (DESIGN §4.6): Tendermint timeouts and validator-set rules. */
export interface BftParams {
  /** Tendermint base timeouts; each grows by timeoutDeltaMs per round. Defaults suit loopback and LANs. */
  timeoutProposeMs: number
  timeoutPrevoteMs: number
  timeoutPrecommitMs: number
  timeoutDeltaMs: number
  /** The validator set changes only every epochBlocks blocks. Default 8. */
  epochBlocks: number
  /** Power newcomers may add to the validator set per epoch, as a share of its total. Default 1/8: a third takes 3+ epochs. */
  maxEntryPpm: number
  /** Round records per block. Default 64: bounds a block well under the sync message limit. */
  maxRecordsPerBlock: number
}

export const defaultBftParams: BftParams = {
  timeoutProposeMs: 1_000,
  timeoutPrevoteMs: 500,
  timeoutPrecommitMs: 500,
  timeoutDeltaMs: 500,
  epochBlocks: 8,
  maxEntryPpm: 125_000,
  maxRecordsPerBlock: 64
}

export interface GenesisValidator {
  /** libp2p peer id (Ed25519) */
  peerId: string
  /** starting reputation, parts per million */
  reputationPpm: number
}

/** A ledger member carried over by a recovered genesis (protocol/recovery.ts), with no voting power at the start. */
export interface GenesisMember {
  peerId: string
  reputationPpm: number
  qualifiedRounds: number
  onProbation: boolean
}

/** Where a recovered genesis comes from: the last committed state of a halted network. */
export interface RecoveredFrom {
  network: string
  /** the halted network's id (hex) */
  networkId: string
  /** the committed height whose ledger this genesis starts from, and that block's hash (hex) */
  height: number
  blockHash: string
  /** that ledger's state root (hex) */
  stateRoot: string
}

export interface Genesis {
  network: string
  params: ProtocolParams
  validators: GenesisValidator[]
  /** other ledger members, carried over by `swarmrank recover` (they start with no voting power) */
  members?: GenesisMember[]
  recoveredFrom?: RecoveredFrom
}

export const defaultProtocolParams: ProtocolParams = {
  answerers: 5,
  rankers: 5,
  answerCommitMs: 30_000,
  answerRevealMs: 5_000,
  compareCommitMs: 30_000,
  compareRevealMs: 5_000,
  btPrior: 1,
  reputation: defaultReputationParams,
  bft: defaultBftParams,
  submission: defaultSubmissionParams
}

/** A genesis file that is not valid; the message names the field and what it must be. */
export class GenesisError extends Error {
  override name = 'GenesisError'
}

/** JSON with object keys sorted at every level and no whitespace: one genesis, one byte string. */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export function networkIdOf (genesis: Genesis): Bytes {
  return sha256(utf8(canonicalJson(genesis)))
}

export const networkIdHex = (genesis: Genesis): string => toHex(networkIdOf(genesis))

function fail (path: string, wants: string): never {
  throw new GenesisError(`genesis ${path} ${wants}`)
}

function expectObject (value: unknown, path: string, keys: string[], optional: string[] = []): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object')
  const extra = Object.keys(value as object).filter(k => !keys.includes(k) && !optional.includes(k))
  if (extra.length > 0) fail(path, `has unknown field${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`)
  const missing = keys.filter(k => !(k in (value as object)))
  if (missing.length > 0) fail(path, `is missing ${missing.join(', ')}`)
  return value as Record<string, unknown>
}

function int (value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) fail(path, `must be an integer from ${min} to ${max}`)
  return value
}

function num (value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(path, `must be a number from ${min} to ${max}`)
  return value
}

/** Parse and check a genesis document (already JSON-decoded). Strict: unknown fields are errors. */
export function parseGenesis (doc: unknown): Genesis {
  const g = expectObject(doc, '(top level)', ['network', 'params', 'validators'], ['members', 'recoveredFrom'])
  if (typeof g.network !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(g.network)) fail('network', 'must be 1–64 characters of a-z, 0-9, ".", "_" or "-"')
  const p = expectObject(g.params, 'params', Object.keys(defaultProtocolParams).filter(k => k !== 'jailing' && k !== 'admission'), ['jailing', 'admission'])
  const r = expectObject(p.reputation, 'params.reputation', Object.keys(defaultReputationParams))
  const b = expectObject(p.bft, 'params.bft', Object.keys(defaultBftParams))
  const bft: BftParams = {
    timeoutProposeMs: int(b.timeoutProposeMs, 'params.bft.timeoutProposeMs', 10, 600_000),
    timeoutPrevoteMs: int(b.timeoutPrevoteMs, 'params.bft.timeoutPrevoteMs', 10, 600_000),
    timeoutPrecommitMs: int(b.timeoutPrecommitMs, 'params.bft.timeoutPrecommitMs', 10, 600_000),
    timeoutDeltaMs: int(b.timeoutDeltaMs, 'params.bft.timeoutDeltaMs', 0, 600_000),
    epochBlocks: int(b.epochBlocks, 'params.bft.epochBlocks', 1, 1_000_000),
    maxEntryPpm: int(b.maxEntryPpm, 'params.bft.maxEntryPpm', 0, 1_000_000),
    maxRecordsPerBlock: int(b.maxRecordsPerBlock, 'params.bft.maxRecordsPerBlock', 1, 256)
  }
  const ppm = (key: string): number => int(r[key], `params.reputation.${key}`, 0, 1_000_000)
  const reputation: ReputationParams = {
    initialPpm: ppm('initialPpm'),
    gainPpm: ppm('gainPpm'),
    lossFactor: int(r.lossFactor, 'params.reputation.lossFactor', 1, 100),
    absenceDecayPpm: ppm('absenceDecayPpm'),
    withholdPenaltyPpm: ppm('withholdPenaltyPpm'),
    invalidPenaltyPpm: ppm('invalidPenaltyPpm'),
    probationRounds: int(r.probationRounds, 'params.reputation.probationRounds', 0, 10_000),
    probationScorePpm: ppm('probationScorePpm')
  }
  // perEpoch came later: a genesis written before it gets the default
  const subDoc = (p.submission !== null && typeof p.submission === 'object' && !('perEpoch' in p.submission)) ? { ...p.submission, perEpoch: defaultSubmissionParams.perEpoch } : p.submission
  const sub = expectObject(subDoc, 'params.submission', Object.keys(defaultSubmissionParams))
  const submission: SubmissionParams = {
    perBlock: int(sub.perBlock, 'params.submission.perBlock', 1, 256),
    perSecond: int(sub.perSecond, 'params.submission.perSecond', 1, 100_000),
    perEpoch: int(sub.perEpoch, 'params.submission.perEpoch', 1, 1_000_000)
  }
  const ms = (key: string): number => int(p[key], `params.${key}`, 10, 3_600_000)
  const params: ProtocolParams = {
    answerers: int(p.answerers, 'params.answerers', 1, 64),
    rankers: int(p.rankers, 'params.rankers', 1, 256),
    answerCommitMs: ms('answerCommitMs'),
    answerRevealMs: ms('answerRevealMs'),
    compareCommitMs: ms('compareCommitMs'),
    compareRevealMs: ms('compareRevealMs'),
    btPrior: num(p.btPrior, 'params.btPrior', 0.001, 1000),
    reputation,
    bft,
    submission,
    ...(p.jailing === undefined ? {} : { jailing: parseJailing(p.jailing) }),
    ...(p.admission === undefined ? {} : { admission: parseAdmission(p.admission) })
  }
  if (!Array.isArray(g.validators) || g.validators.length === 0 || g.validators.length > 1024) fail('validators', 'must be a list of 1 to 1024 validators')
  const seen = new Set<string>()
  const validators = (g.validators as unknown[]).map((v, i) => {
    const entry = expectObject(v, `validators[${i}]`, ['peerId', 'reputationPpm'])
    if (typeof entry.peerId !== 'string') fail(`validators[${i}].peerId`, 'must be a peer id string')
    try {
      const id = peerIdFromString(entry.peerId)
      if (id.type !== 'Ed25519') fail(`validators[${i}].peerId`, 'must be an Ed25519 peer id')
    } catch (err) {
      if (err instanceof GenesisError) throw err
      fail(`validators[${i}].peerId`, `is not a valid peer id ("${entry.peerId}")`)
    }
    if (seen.has(entry.peerId)) fail(`validators[${i}].peerId`, `repeats ${entry.peerId}`)
    seen.add(entry.peerId)
    return { peerId: entry.peerId, reputationPpm: int(entry.reputationPpm, `validators[${i}].reputationPpm`, 1, 1_000_000) }
  })
  const members = g.members === undefined ? undefined : parseMembers(g.members, seen)
  const recoveredFrom = g.recoveredFrom === undefined ? undefined : parseRecoveredFrom(g.recoveredFrom)
  return { network: g.network, params, validators, ...(members === undefined ? {} : { members }), ...(recoveredFrom === undefined ? {} : { recoveredFrom }) }
}

function checkPeerId (value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a peer id string')
  try {
    if (peerIdFromString(value).type !== 'Ed25519') fail(path, 'must be an Ed25519 peer id')
  } catch (err) {
    if (err instanceof GenesisError) throw err
    fail(path, `is not a valid peer id ("${value}")`)
  }
  return value
}

function parseMembers (value: unknown, seen: Set<string>): GenesisMember[] {
  if (!Array.isArray(value) || value.length > 100_000) fail('members', 'must be a list of at most 100000 members')
  return (value as unknown[]).map((v, i) => {
    const m = expectObject(v, `members[${i}]`, ['peerId', 'reputationPpm', 'qualifiedRounds', 'onProbation'])
    const peerId = checkPeerId(m.peerId, `members[${i}].peerId`)
    if (seen.has(peerId)) fail(`members[${i}].peerId`, `repeats ${peerId} (a validator or another member)`)
    seen.add(peerId)
    if (typeof m.onProbation !== 'boolean') fail(`members[${i}].onProbation`, 'must be true or false')
    return { peerId, reputationPpm: int(m.reputationPpm, `members[${i}].reputationPpm`, 0, 1_000_000), qualifiedRounds: int(m.qualifiedRounds, `members[${i}].qualifiedRounds`, 0, 1_000_000_000), onProbation: m.onProbation }
  })
}

function parseRecoveredFrom (value: unknown): RecoveredFrom {
  const r = expectObject(value, 'recoveredFrom', ['network', 'networkId', 'height', 'blockHash', 'stateRoot'])
  const hex = (key: string): string => {
    if (typeof r[key] !== 'string' || !/^[0-9a-f]{64}$/.test(r[key] as string)) fail(`recoveredFrom.${key}`, 'must be 64 hex digits')
    return r[key] as string
  }
  if (typeof r.network !== 'string') fail('recoveredFrom.network', 'must be a string')
  return { network: r.network, networkId: hex('networkId'), height: int(r.height, 'recoveredFrom.height', 0, Number.MAX_SAFE_INTEGER), blockHash: hex('blockHash'), stateRoot: hex('stateRoot') }
}

/** `params.jailing`: every field optional, defaults from defaultJailingParams (`{}` is all defaults). */
function parseJailing (value: unknown): JailingParams {
  const j = expectObject(value, 'params.jailing', [], Object.keys(defaultJailingParams))
  const field = (key: keyof JailingParams, min: number, max: number): number => j[key] === undefined ? defaultJailingParams[key] : int(j[key], `params.jailing.${key}`, min, max)
  return {
    windowBlocks: field('windowBlocks', 1, 100_000),
    // at most 1 - 1/3: a validator signing a third of the commits (what Byzantine proposers cannot take from it) is never jailed
    maxMissedPpm: field('maxMissedPpm', 0, 666_666),
    jailMs: field('jailMs', 0, 365 * 24 * 3_600_000),
    doubleVoteSlashPpm: field('doubleVoteSlashPpm', 0, 1_000_000),
    doubleVoteJailMs: field('doubleVoteJailMs', 0, 10 * 365 * 24 * 3_600_000),
    maxEvidenceAgeBlocks: field('maxEvidenceAgeBlocks', 1, 100_000)
  }
}

/** `params.admission`: every field optional, defaults from defaultAdmissionParams. */
function parseAdmission (value: unknown): AdmissionParams {
  const j = expectObject(value, 'params.admission', [], Object.keys(defaultAdmissionParams))
  const field = (key: keyof AdmissionParams, min: number, max: number): number => j[key] === undefined ? defaultAdmissionParams[key] : int(j[key], `params.admission.${key}`, min, max)
  return {
    perBlock: field('perBlock', 1, 64),
    joinTtlMs: field('joinTtlMs', 1_000, 24 * 3_600_000),
    maxJoinAheadMs: field('maxJoinAheadMs', 0, 3_600_000),
    entryPerHourPpm: field('entryPerHourPpm', 0, 1_000_000)
  }
}

/** Parse genesis text (a file's contents); JSON syntax errors become GenesisErrors too. */
export function parseGenesisText (text: string): Genesis {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new GenesisError(`genesis is not valid JSON: ${(err as Error).message}`)
  }
  return parseGenesis(doc)
}
