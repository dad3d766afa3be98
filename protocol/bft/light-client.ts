import { networkIdOf } from '../genesis.js'
import type { Genesis } from '../genesis.js'
import { compareBytes, equalBytes, fromHex, toHex, utf8 } from '../hash.js'
import { fromSnapshot, genesisState, stateRestRoot, stateRootOf, validatorSetRoot } from '../ledger.js'
import type { LedgerSnapshot, LedgerState } from '../ledger.js'
import { decodeCommitCertificate, encodeCommitCertificate } from '../wire/codec.js'
import type { CommitCertificate } from '../wire/messages.js'
import { verifyAnswer, verifyCertificate } from './certificate.js'
import type { AnswerCheck, AnswerProof } from './certificate.js'

/**
 * A light client (DESIGN §4.6): checks that a block is final while trusting nothing but the
 * genesis (or a height the user already trusts), as CometBFT's light client does with sequential
 * verification. The validator set changes only when an epoch-boundary block is applied (a height
 * that is a multiple of `epochBlocks`: protocol/ledger.ts applyBlock), and every header commits to
 * the state after its block, validator powers included. So to move trust from height T to block
 * H, the client takes, for each boundary b with T < b < H, the certified header of b — checked
 * against the set it already trusts — and the validator set after b with the root of the rest of
 * that ledger (a LightLedger): with the header's height and time they must hash to the header's
 * state root (protocol/ledger.ts stateRootOf). That set certifies the blocks up to the next
 * boundary. A node that lies about a set, the rest's root or a header fails one of those checks;
 * nothing it says is taken on its word.
 */

/** What a light client trusts: the ledger's validator set after block `height` (0: the genesis). */
export interface LightTrust {
  networkId: Uint8Array
  epochBlocks: number
  height: number
  /** voting power by node after block `height`: it certifies the blocks up to the next epoch boundary */
  validators: ReadonlyMap<string, number>
}

/** One step of a light proof: a certified epoch-boundary header and the light ledger after its block. */
export interface LightStep {
  certificate: CommitCertificate
  /** a LightLedger, untrusted until it hashes to the certified header's state root */
  light: unknown
}

/**
 * What a light step carries of the ledger after an epoch boundary: the validator set (in id
 * order, every power positive, as the ledger holds it) and the root of everything else the state
 * root covers (protocol/ledger.ts stateRestRoot, hex). A few hundred bytes for a small set,
 * whatever the size of the ledger.
 */
export interface LightLedger {
  validators: Array<{ peerId: string, power: number }>
  restRoot: string
}

/** The light ledger of a state: what a node serves for an epoch boundary. */
export function lightLedgerOf (state: LedgerState): LightLedger {
  return {
    validators: [...state.validators].map(([peerId, power]) => ({ peerId, id: utf8(peerId), power })).sort((a, b) => compareBytes(a.id, b.id)).map(({ peerId, power }) => ({ peerId, power })),
    restRoot: toHex(stateRestRoot(state))
  }
}

/** A validator set a light client accepts at most this many members of. */
export const MAX_LIGHT_VALIDATORS = 100_000

/**
 * The validator set and rest root of an untrusted light ledger, or what is wrong with it. Only
 * the one canonical form is taken (no other field, ids in strictly ascending UTF-8 byte order,
 * powers positive), so one state has one light ledger; whether it is the state a header commits
 * to is for the caller to compare.
 */
export function parseLightLedger (doc: unknown): { validators: Map<string, number>, restRoot: Uint8Array } | string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'not a light ledger (expected {"validators":[{"peerId","power"}],"restRoot"})'
  const unknown = Object.keys(doc).find(k => k !== 'validators' && k !== 'restRoot')
  if (unknown !== undefined) return `unknown field ${unknown}`
  const { validators: list, restRoot } = doc as Partial<LightLedger>
  if (typeof restRoot !== 'string' || !/^[0-9a-f]{64}$/.test(restRoot)) return 'restRoot is not 64 hex characters'
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LIGHT_VALIDATORS) return `validators is not a list of 1 to ${MAX_LIGHT_VALIDATORS} members`
  const validators = new Map<string, number>()
  let previous: Uint8Array | undefined
  for (const [i, v] of (list as unknown[]).entries()) {
    if (v === null || typeof v !== 'object' || Object.keys(v).length !== 2) return `validators[${i}] is not {"peerId","power"}`
    const { peerId, power } = v as Record<string, unknown>
    if (typeof peerId !== 'string' || peerId.length === 0 || peerId.length > 128) return `validators[${i}].peerId is not a peer id`
    if (!isInt(power, 1)) return `validators[${i}] (${peerId}) has a power that is not a positive integer`
    const id = utf8(peerId)
    if (previous !== undefined && compareBytes(previous, id) >= 0) return `validators[${i}] (${peerId}) is out of order or repeated (ids in ascending order, once each)`
    previous = id
    validators.set(peerId, power)
  }
  return { validators, restRoot: fromHex(restRoot) }
}

/**
 * GET /v1/light?from=T&to=H as JSON: the steps at every epoch boundary b with T < b < H, in
 * height order, at most one page of them; `next` (present when more remain) is the `from` of the
 * next page.
 */
export interface LightProofJson {
  networkId: string
  epochBlocks: number
  from: number
  to: number
  /** certificate: CommitCertificate protobuf, hex; light: the validator set after that block and the rest's root */
  steps: Array<{ certificate: string, light: LightLedger }>
  complete: boolean
  next?: number
}

/** Why a light proof or a trust file was refused. */
export type LightErrorCode =
  /** not the shape of a light proof, a checkpoint or a ledger snapshot */
  | 'malformed'
  /** made for another network (another genesis) */
  | 'wrong_network'
  /** an epoch boundary between the trusted height and the block is missing, or out of order */
  | 'gap'
  /** a boundary header without precommits from more than 2/3 of the trusted set */
  | 'bad_certificate'
  /** a ledger (or light ledger) whose state root is not the one its certified header commits to */
  | 'state_root'
  /** the block is older than the trusted height's epoch: its set is no longer known */
  | 'too_old'

export interface LightFailure { valid: false, code: LightErrorCode, reason: string }

export type LightCheck = { valid: true, trust: LightTrust, crossed: number } | LightFailure

/** Bounds on one GET /v1/light page. */
export interface LightProofLimits {
  /** Default 64 epoch boundaries: with the default 8-block epochs, 512 blocks per page. */
  maxSteps: number
  /** Default 4 MiB of JSON; the first step is always sent, however big its validator set. */
  maxBytes: number
}

export const defaultLightProofLimits: LightProofLimits = { maxSteps: 64, maxBytes: 4 * 1024 * 1024 }

/** A ledger a light client accepts at most this many members of (one per line of the snapshot). */
export const MAX_LIGHT_LEDGER_MEMBERS = 1_000_000

/** The first epoch boundary above `height`: the first block certified by a set other than the one after `height`. */
export function nextBoundary (height: number, epochBlocks: number): number {
  return (Math.floor(height / epochBlocks) + 1) * epochBlocks
}

/** The last epoch boundary at or below `height` (0 for the genesis epoch). */
export function lastBoundary (height: number, epochBlocks: number): number {
  return Math.floor(height / epochBlocks) * epochBlocks
}

/**
 * The epoch boundaries a client trusting the set after `trusted` must follow to check block
 * `target`: every multiple of `epochBlocks` in [trusted + 1, target − 1]. At most `max` of them.
 */
export function boundariesBetween (trusted: number, target: number, epochBlocks: number, max = Infinity): number[] {
  const out: number[] = []
  for (let b = nextBoundary(trusted, epochBlocks); b < target && out.length < max; b += epochBlocks) out.push(b)
  return out
}

/** Trust only the genesis: its validators certify blocks 1 … epochBlocks. */
export function trustGenesis (genesis: Genesis): LightTrust {
  return { networkId: networkIdOf(genesis), epochBlocks: genesis.params.bft.epochBlocks, height: 0, validators: genesisState(genesis).validators }
}

/** Whether `trust`'s set is the one that certifies block `height`. */
export function certifies (trust: LightTrust, height: number): boolean {
  return height > lastBoundary(trust.height, trust.epochBlocks) && height <= nextBoundary(trust.height, trust.epochBlocks)
}

/**
 * Move trust forward through light-proof steps toward block `target`. Steps at or below the
 * trusted height, or at or above the target, are not needed and are skipped; the others must be
 * exactly the next epoch boundaries, in order. Each is checked before the next is read. Stops
 * short of the target when the steps run out: `certifies(trust, target)` then says whether more
 * are needed.
 */
export async function advanceTrust (trust: LightTrust, steps: readonly LightStep[], target: number): Promise<LightCheck> {
  let current = trust
  let crossed = 0
  for (const [i, step] of steps.entries()) {
    const header = step.certificate.header
    if (header === undefined) return { valid: false, code: 'malformed', reason: `step ${i} has a certificate without a block header` }
    if (header.height <= current.height || header.height >= target) continue
    const expected = nextBoundary(current.height, current.epochBlocks)
    if (header.height !== expected) {
      return { valid: false, code: 'gap', reason: `the proof skips the epoch boundary at block ${expected}: the next step is block ${header.height}, and the validator set may change at ${expected}` }
    }
    const cert = await verifyCertificate(step.certificate, current.validators, current.networkId)
    if (!cert.valid) return { valid: false, code: 'bad_certificate', reason: `epoch boundary block ${expected} is not certified by the validator set trusted after block ${current.height}: ${cert.reason}` }
    const light = parseLightLedger(step.light)
    if (typeof light === 'string') return { valid: false, code: 'malformed', reason: `the light ledger after block ${expected}: ${light}` }
    // the state after block b has height b and b's time (applyBlock), so the header gives both
    if (!equalBytes(stateRootOf(header.height, header.time, validatorSetRoot(light.validators), light.restRoot), header.stateRoot)) {
      return { valid: false, code: 'state_root', reason: `the validator set and rest root given for block ${expected} do not hash to the state root its certified header commits to (a forged validator set or section root, or the ledger after another block)` }
    }
    current = { ...current, height: expected, validators: light.validators }
    crossed++
  }
  return { valid: true, trust: current, crossed }
}

/**
 * Check an answer's proof against what the client trusts: the trusted set must be the one that
 * certifies the answer's block (follow the boundaries first with advanceTrust).
 */
export async function verifyAnswerWithTrust (trust: LightTrust, proof: AnswerProof): Promise<AnswerCheck | LightFailure> {
  const height = proof.certificate.header?.height
  if (height === undefined) return { valid: false, code: 'malformed', reason: 'the certificate has no block header' }
  if (height <= lastBoundary(trust.height, trust.epochBlocks)) {
    return { valid: false, code: 'too_old', reason: `block ${height} is older than the trusted epoch (trust starts after block ${lastBoundary(trust.height, trust.epochBlocks)}); verify from the genesis or an older checkpoint` }
  }
  if (!certifies(trust, height)) {
    const missing = nextBoundary(trust.height, trust.epochBlocks)
    return { valid: false, code: 'gap', reason: `block ${height} is past the epoch boundary at block ${missing}; the proof does not carry the validator set after it` }
  }
  return await verifyAnswer(proof, trust.validators, trust.networkId)
}

/** A light-proof page (or several, in order) from JSON: the steps, checked for shape only. */
export function parseLightProof (doc: unknown, networkId: Uint8Array): { steps: LightStep[] } | LightFailure {
  const pages = Array.isArray(doc) ? doc : [doc]
  const steps: LightStep[] = []
  for (const [p, page] of pages.entries()) {
    const where = pages.length > 1 ? `page ${p}: ` : ''
    if (page === null || typeof page !== 'object' || Array.isArray(page)) return { valid: false, code: 'malformed', reason: `${where}not a light proof (expected {"networkId","epochBlocks","steps":[{"certificate","light"}]} from GET /v1/light)` }
    const { networkId: net, steps: raw } = page as Partial<LightProofJson>
    if (typeof net !== 'string' || !Array.isArray(raw)) return { valid: false, code: 'malformed', reason: `${where}not a light proof (expected {"networkId","epochBlocks","steps":[{"certificate","light"}]} from GET /v1/light)` }
    if (net !== toHex(networkId)) return { valid: false, code: 'wrong_network', reason: `${where}the proof is for network ${net.slice(0, 16)}…, the genesis defines network ${toHex(networkId).slice(0, 16)}…` }
    for (const [i, s] of raw.entries()) {
      if (s === null || typeof s !== 'object' || typeof s.certificate !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(s.certificate)) return { valid: false, code: 'malformed', reason: `${where}step ${i} has no certificate in hex` }
      let certificate: CommitCertificate
      try {
        certificate = decodeCommitCertificate(fromHex(s.certificate))
      } catch (err) {
        return { valid: false, code: 'malformed', reason: `${where}step ${i}: the certificate does not decode (${(err as Error).message})` }
      }
      steps.push({ certificate, light: s.light })
    }
  }
  return { steps }
}

const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max

/**
 * The ledger state of an untrusted snapshot, or what is wrong with it. Only its shape is checked
 * here: whether it is the state a header commits to is for the caller to compare (stateRoot).
 */
export function ledgerFromSnapshot (doc: unknown): LedgerState | string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'not a ledger snapshot'
  const s = doc as Partial<LedgerSnapshot>
  if (!isInt(s.height, 0)) return 'height is not a non-negative integer'
  if (!isInt(s.lastBlockTime, 0)) return 'lastBlockTime is not a non-negative integer'
  if (typeof s.lastBlockHash !== 'string' || !/^[0-9a-f]{64}$/.test(s.lastBlockHash)) return 'lastBlockHash is not 64 hex characters'
  if (!Array.isArray(s.reputations) || s.reputations.length > MAX_LIGHT_LEDGER_MEMBERS) return `reputations is not a list of at most ${MAX_LIGHT_LEDGER_MEMBERS} entries`
  const seen = new Set<string>()
  for (const [i, r] of (s.reputations as unknown[]).entries()) {
    if (r === null || typeof r !== 'object') return `reputations[${i}] is not an object`
    const e = r as Record<string, unknown>
    if (typeof e.peerId !== 'string' || e.peerId.length === 0 || e.peerId.length > 128) return `reputations[${i}].peerId is not a peer id`
    if (seen.has(e.peerId)) return `reputations[${i}] repeats ${e.peerId}`
    seen.add(e.peerId)
    if (!isInt(e.reputationPpm, 0) || !isInt(e.qualifiedRounds, 0) || !isInt(e.votingPower, 0) || typeof e.onProbation !== 'boolean') return `reputations[${i}] (${e.peerId}) has a field that is not a non-negative integer or a boolean`
  }
  try {
    return fromSnapshot(s as LedgerSnapshot)
  } catch (err) {
    return `does not load (${(err as Error).message})`
  }
}

/** A saved trust: `swarmrank verify --save-checkpoint FILE` writes it, `--checkpoint FILE` reads it. */
export interface LightCheckpointJson {
  networkId: string
  height: number
  validators: Array<{ peerId: string, power: number }>
}

export function checkpointOf (trust: LightTrust): LightCheckpointJson {
  return {
    networkId: toHex(trust.networkId),
    height: trust.height,
    validators: [...trust.validators].sort(([a], [b]) => (a < b ? -1 : 1)).map(([peerId, power]) => ({ peerId, power }))
  }
}

/** Trust read back from a checkpoint of this genesis's network. */
export function trustFromCheckpoint (doc: unknown, genesis: Genesis): LightTrust | LightFailure {
  const malformed: LightFailure = { valid: false, code: 'malformed', reason: 'not a checkpoint (expected {"networkId","height","validators":[{"peerId","power"}]} from swarmrank verify --save-checkpoint)' }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return malformed
  const c = doc as Partial<LightCheckpointJson>
  if (typeof c.networkId !== 'string' || !isInt(c.height, 0) || !Array.isArray(c.validators) || c.validators.length === 0) return malformed
  const networkId = networkIdOf(genesis)
  if (c.networkId !== toHex(networkId)) return { valid: false, code: 'wrong_network', reason: `the checkpoint is for network ${c.networkId.slice(0, 16)}…, the genesis defines network ${toHex(networkId).slice(0, 16)}…` }
  const validators = new Map<string, number>()
  for (const v of c.validators as unknown[]) {
    const e = v as Record<string, unknown> | null
    if (e === null || typeof e !== 'object' || typeof e.peerId !== 'string' || !isInt(e.power, 1) || validators.has(e.peerId)) return malformed
    validators.set(e.peerId, e.power)
  }
  return { networkId, epochBlocks: genesis.params.bft.epochBlocks, height: c.height, validators }
}

/** A node's source of light-proof steps: the certified block at a height and the light ledger after it. */
export interface LightProofSource {
  networkId: Uint8Array
  epochBlocks: number
  /** the node's committed height */
  head: number
  step: (height: number) => Promise<{ certificate: CommitCertificate, light: LightLedger } | undefined>
}

export type LightProofResult = { ok: true, proof: LightProofJson } | { ok: false, code: 'bad_request' | 'not_found', message: string }

/** One page of GET /v1/light?from=T&to=H, bounded by `limits`. */
export async function buildLightProof (from: number, to: number, source: LightProofSource, limits: LightProofLimits = defaultLightProofLimits): Promise<LightProofResult> {
  if (!isInt(from, 0)) return { ok: false, code: 'bad_request', message: 'from must be a non-negative integer (the height you trust; 0 for the genesis)' }
  if (!isInt(to, 1)) return { ok: false, code: 'bad_request', message: 'to must be a positive integer (the block to verify)' }
  if (to <= from) return { ok: false, code: 'bad_request', message: `to (${to}) must be above from (${from})` }
  if (to > source.head) return { ok: false, code: 'not_found', message: `block ${to} is not committed on this node yet (its height is ${source.head})` }
  const steps: LightProofJson['steps'] = []
  let bytes = 0
  let last = from
  const wanted = boundariesBetween(from, to, source.epochBlocks, limits.maxSteps + 1)
  for (const height of wanted.slice(0, limits.maxSteps)) {
    const found = await source.step(height)
    if (found === undefined) return { ok: false, code: 'not_found', message: `this node no longer holds block ${height} or the ledger after it` }
    const step = { certificate: toHex(encodeCommitCertificate(found.certificate)), light: found.light }
    const size = JSON.stringify(step).length
    if (steps.length > 0 && bytes + size > limits.maxBytes) break
    steps.push(step)
    bytes += size
    last = height
  }
  const complete = steps.length === wanted.length
  const proof: LightProofJson = { networkId: toHex(source.networkId), epochBlocks: source.epochBlocks, from, to, steps, complete }
  if (!complete) proof.next = last
  return { ok: true, proof }
}
