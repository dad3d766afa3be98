import { compareBytes } from '../hash.js'
import { Verdict, VoteType } from './messages.js'
import type { Block, BlockHeader, CommitCertificate, ComparisonBody, Payload, RoundRecord, SyncRequest, SyncResponse } from './messages.js'

/**
 * Hard limits on everything decoded from the network (DESIGN §4.2). Repeated-field counts are
 * also compiled into the codecs (`(protons.options).limit` in messages.proto); the checks here
 * cover byte and string lengths and the shapes protobuf itself cannot express.
 */
export const wireLimits = {
  /** A whole signed envelope; also gossipsub's max message size. 256 KiB fits a full answer set. */
  maxEnvelopeBytes: 256 * 1024,
  /** A block or sync response carries many records; 4 MiB bounds a sync batch. */
  maxSyncMessageBytes: 4 * 1024 * 1024,
  /** sha256 ids: query, message, answer (candidate), network, block and state hashes. */
  hashBytes: 32,
  /** A protobuf-encoded Ed25519 public key is 36 bytes; room for other key types. */
  maxSignerBytes: 64,
  /** Ed25519 signatures are 64 bytes. */
  maxSignatureBytes: 64,
  /** libp2p peer ids as bytes (an identity multihash of an Ed25519 key is 38 bytes). */
  maxNodeIdBytes: 64,
  /** A prompt a model can take in one go; longer input belongs in a document store. */
  maxPromptBytes: 8 * 1024,
  /** An answer; long enough for worked solutions. */
  maxAnswerBytes: 16 * 1024,
  /** A ranker's short reason for one verdict. */
  maxReasonBytes: 1024,
  /** Commit–reveal salts: at least 128 bits so commitments cannot be brute-forced. */
  minSaltBytes: 16,
  maxSaltBytes: 32,
  maxNonceBytes: 32,
  /** Distinct candidates a ranker may name (mirrors the proto limit). */
  maxCandidates: 64,
  maxComparisons: 256
} as const

/**
 * Bounds of the sync protocol (DESIGN §4.7; §8 property 10, bounded resources), one object for
 * the server that caps and the client that reads: a response never exceeds `maxResponseBytes`,
 * the client reads exactly that much, and the largest block a validator set can certify (with
 * its certificate) fits in it, so a server that always sends at least one block can serve any
 * legal block.
 */
export const syncLimits = {
  /**
   * A signed precommit at its largest: a Vote (type, height, round, 32-byte hash) with the
   * network id is under 100 bytes of payload, signer and signature at most 64 bytes each; the
   * envelope is ~222 bytes (the sync tests encode the largest one).
   */
  maxPrecommitBytes: 256,
  /** Precommits in a certificate (mirrors the proto limit). */
  maxPrecommits: 1024,
  /**
   * The largest certified block: a block travels as a proposal, so it fits in one envelope; the
   * certificate is a header and at most 1024 precommits. 256 + 256 + 1 KiB.
   */
  maxCertifiedBlockBytes: wireLimits.maxEnvelopeBytes + 1024 * 256 + 1024,
  /**
   * One encoded SyncResponse, and the client's read limit. 1 MiB: twice the largest certified
   * block (so any legal block is served alone or with others), 32 typical blocks many times over,
   * and half the 2 MiB a 10-byte request could draw before.
   */
  maxResponseBytes: 1024 * 1024,
  /** Envelopes in one MessagesResponse (mirrors the proto limit: a client refuses more). */
  maxEnvelopesPerResponse: 256,
  /**
   * Waiting queries a vote catch-up answer carries after the height's proposals and votes, the
   * longest-waiting first. Gossip does not resend old messages, so a query acknowledged by a node
   * cut off from the others reaches them only this way (docs/reliability.md, the quiet
   * partition); a stuck query is the oldest in its holder's pool, so a few dozen suffice. At most
   * 32 prompts of 8 KiB: a quarter of a response.
   */
  maxWaitingQueriesPerResponse: 32,
  /** One encoded SyncRequest: 256 message ids of 32 bytes with their framing is ~8.7 KiB. */
  maxRequestBytes: 16 * 1024,
  /**
   * Requests a peer may make per second, on average (a token bucket per remote peer id). Honest
   * nodes make ~11 sync requests per query across a 16-node cluster (docs/performance.md); 10/s
   * from one peer still lets a node far behind pull 320 blocks a second from it.
   */
  requestsPerSecond: 10,
  /** Requests a peer may make at once before its rate applies: a catch-up or a block check's fetches. */
  requestBurst: 40,
  /** Peers whose buckets are kept; past this, refilled buckets go first, then the oldest. */
  maxTrackedPeers: 1024,
  /**
   * Sync streams one connection may hold open at once (libp2p's default is 32, ours was 16): a
   * node asks a peer for a catch-up, a height's votes and a couple of fetches at a time.
   */
  maxInboundStreams: 8
} as const

export type WireErrorCode = 'OVERSIZED' | 'MALFORMED' | 'NON_CANONICAL' | 'LIMIT'

/** The only error a wire decoder throws: the input was oversized, malformed, non-canonical or over a limit. */
export class WireDecodeError extends Error {
  override name = 'WireDecodeError'
  readonly code: WireErrorCode

  constructor (code: WireErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

function limit (ok: boolean, what: string): void {
  if (!ok) throw new WireDecodeError('LIMIT', what)
}

/** UTF-8 length of a string without allocating. */
export function utf8Length (text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

const isHash = (b: Uint8Array): boolean => b.length === wireLimits.hashBytes
const isSafeUint = (n: number): boolean => Number.isSafeInteger(n) && n >= 0

function checkSalt (salt: Uint8Array, what: string): void {
  limit(salt.length >= wireLimits.minSaltBytes && salt.length <= wireLimits.maxSaltBytes,
    `${what}.salt must be ${wireLimits.minSaltBytes}–${wireLimits.maxSaltBytes} bytes, got ${salt.length}`)
}

function strictlyAscending (ids: Uint8Array[]): boolean {
  for (let i = 1; i < ids.length; i++) if (compareBytes(ids[i - 1], ids[i]) >= 0) return false
  return true
}

/** Checks a decoded Payload: network id, exactly one body, and each field's bounds. */
export function checkPayload (p: Payload): void {
  limit(isHash(p.networkId), 'networkId must be 32 bytes')
  const bodies = [p.query, p.answerCommit, p.answerReveal, p.comparisonCommit, p.comparisonReveal, p.blockProposal, p.vote, p.join]
  limit(bodies.filter(b => b !== undefined).length === 1, 'payload must carry exactly one message body')
  if (p.query !== undefined) {
    const q = p.query
    const promptBytes = utf8Length(q.prompt)
    limit(promptBytes > 0 && promptBytes <= wireLimits.maxPromptBytes, `query.prompt must be 1–${wireLimits.maxPromptBytes} bytes`)
    limit(isSafeUint(q.anchorHeight) && isSafeUint(q.createdAt), 'query heights and times must be safe integers')
    limit(q.nonce.length <= wireLimits.maxNonceBytes, 'query.nonce too long')
  }
  if (p.answerCommit !== undefined) {
    limit(isHash(p.answerCommit.queryId) && isHash(p.answerCommit.commitment), 'answerCommit ids must be 32 bytes')
  }
  if (p.answerReveal !== undefined) {
    const r = p.answerReveal
    limit(isHash(r.queryId), 'answerReveal.queryId must be 32 bytes')
    const answerBytes = utf8Length(r.answer)
    limit(answerBytes > 0 && answerBytes <= wireLimits.maxAnswerBytes, `answerReveal.answer must be 1–${wireLimits.maxAnswerBytes} bytes`)
    checkSalt(r.salt, 'answerReveal')
  }
  if (p.comparisonCommit !== undefined) {
    limit(isHash(p.comparisonCommit.queryId) && isHash(p.comparisonCommit.commitment), 'comparisonCommit ids must be 32 bytes')
  }
  if (p.comparisonReveal !== undefined) {
    const r = p.comparisonReveal
    limit(isHash(r.queryId), 'comparisonReveal.queryId must be 32 bytes')
    limit(r.body !== undefined, 'comparisonReveal.body is missing')
    checkComparisonBody(r.body as ComparisonBody)
    checkSalt(r.salt, 'comparisonReveal')
  }
  if (p.blockProposal !== undefined) {
    const bp = p.blockProposal
    limit(isSafeUint(bp.height) && bp.height > 0, 'blockProposal.height must be a positive safe integer')
    limit(bp.validRound >= -1 && bp.validRound < bp.round, 'blockProposal.validRound must be -1 or below round')
    limit(bp.block !== undefined, 'blockProposal.block is missing')
    checkBlock(bp.block as Block)
    limit((bp.block as Block).header?.height === bp.height, 'blockProposal.height differs from its block')
  }
  if (p.join !== undefined) limit(isSafeUint(p.join.createdAt), 'join.createdAt must be a safe integer')
  if (p.vote !== undefined) {
    const v = p.vote
    limit(v.type === VoteType.PREVOTE || v.type === VoteType.PRECOMMIT, 'vote.type must be PREVOTE or PRECOMMIT')
    limit(isSafeUint(v.height) && v.height > 0, 'vote.height must be a positive safe integer')
    limit(v.blockHash.length === 0 || isHash(v.blockHash), 'vote.blockHash must be empty (nil) or 32 bytes')
  }
}

/** Whether `id` is in `sorted` (strictly ascending ids), by binary search. */
function inSorted (sorted: Uint8Array[], id: Uint8Array): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const c = compareBytes(sorted[mid], id)
    if (c === 0) return true
    if (c < 0) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

/**
 * Candidates strictly ascending (canonical, no duplicates); each verdict on a canonical pair of
 * candidates the ranker lists as seen; pairs strictly ascending by (a, b), so no pair is judged
 * twice (DESIGN §8.1: one verdict per pair). Whether the pairs are the ranker's assignment needs
 * the round (its own answer) and is checked when the record is computed.
 */
export function checkComparisonBody (body: ComparisonBody): void {
  limit(body.answerIdsSeen.every(isHash), 'answerIdsSeen must be 32-byte ids')
  limit(strictlyAscending(body.answerIdsSeen), 'answerIdsSeen must be sorted and distinct')
  let previous: ComparisonBody['comparisons'][number] | undefined
  for (const c of body.comparisons) {
    limit(isHash(c.a) && isHash(c.b), 'comparison ids must be 32 bytes')
    limit(compareBytes(c.a, c.b) < 0, 'comparison must name the smaller id as a')
    limit(inSorted(body.answerIdsSeen, c.a) && inSorted(body.answerIdsSeen, c.b), 'comparison must name candidates listed in answerIdsSeen')
    if (previous !== undefined) {
      const order = compareBytes(previous.a, c.a) || compareBytes(previous.b, c.b)
      limit(order !== 0, 'comparison repeats a pair')
      limit(order < 0, 'comparisons must be sorted by (a, b)')
    }
    previous = c
    limit(c.verdict === Verdict.A || c.verdict === Verdict.B || c.verdict === Verdict.TIE, 'comparison.verdict must be A, B or TIE')
    limit(utf8Length(c.reason) <= wireLimits.maxReasonBytes, `comparison.reason over ${wireLimits.maxReasonBytes} bytes`)
  }
}

export function checkBlockHeader (h: BlockHeader | undefined): void {
  limit(h !== undefined, 'block header is missing')
  const header = h as BlockHeader
  limit(isSafeUint(header.height) && isSafeUint(header.time), 'header height and time must be safe integers')
  limit(isHash(header.prevHash) && isHash(header.recordsRoot) && isHash(header.stateRoot) && isHash(header.queriesRoot) && isHash(header.roundMessagesRoot), 'header hashes must be 32 bytes')
  limit(header.proposer.length > 0 && header.proposer.length <= wireLimits.maxNodeIdBytes, 'header.proposer must be a node id')
  limit((header.lastCommitHash.length === 0 || isHash(header.lastCommitHash)) && (header.evidenceHash.length === 0 || isHash(header.evidenceHash)), 'header lastCommitHash and evidenceHash must be empty or 32 bytes')
}

export function checkRoundRecord (r: RoundRecord): void {
  limit(isHash(r.queryId), 'record.queryId must be 32 bytes')
  limit(r.includedMessageIds.every(isHash) && strictlyAscending(r.includedMessageIds), 'record.includedMessageIds must be sorted distinct 32-byte ids')
  limit(r.candidates.every(isHash) && strictlyAscending(r.candidates), 'record.candidates must be sorted distinct 32-byte ids')
  limit(r.strengthsPpm.length === r.candidates.length, 'record.strengthsPpm must match candidates')
  limit(r.strengthsPpm.every(isSafeUint), 'record.strengthsPpm must be safe integers')
  limit(r.winner.length === 0 || isHash(r.winner), 'record.winner must be empty or 32 bytes')
  for (const d of r.deltas) {
    limit(d.node.length > 0 && d.node.length <= wireLimits.maxNodeIdBytes, 'delta.node must be a node id')
    limit(Number.isSafeInteger(d.deltaPpm), 'delta.deltaPpm must be a safe integer')
  }
  for (const p of r.participations) {
    limit(p.node.length > 0 && p.node.length <= wireLimits.maxNodeIdBytes, 'participation.node must be a node id')
    limit(Number.isSafeInteger(p.scorePpm) && p.scorePpm >= 0 && p.scorePpm <= 1_000_000, 'participation.scorePpm must be an integer from 0 to 1,000,000')
  }
}

export function checkBlock (b: Block): void {
  checkBlockHeader(b.header)
  for (const r of b.records) checkRoundRecord(r)
  for (const a of b.admissions) {
    limit(a.node.length > 0 && a.node.length <= wireLimits.maxNodeIdBytes, 'admission.node must be a node id')
    limit(isHash(a.joinMessageId), 'admission.joinMessageId must be 32 bytes')
  }
  for (const q of b.queries) {
    limit(isHash(q.messageId), 'queries[].messageId must be 32 bytes')
    limit(q.submitter.length > 0 && q.submitter.length <= wireLimits.maxNodeIdBytes, 'queries[].submitter must be a node id')
  }
  for (const m of b.roundMessages) limit(isHash(m.messageId) && isHash(m.queryId), 'roundMessages[] ids must be 32 bytes')
  // embedded signed votes (last commit, evidence) are small envelopes; their signatures are checked by block validity
  limit((b.lastCommit?.precommits ?? []).every(p => p.length > 0 && p.length <= syncLimits.maxPrecommitBytes), 'lastCommit precommit envelope too large')
  limit(b.evidence.every(e => e.first.length > 0 && e.first.length <= syncLimits.maxPrecommitBytes && e.second.length > 0 && e.second.length <= syncLimits.maxPrecommitBytes), 'evidence vote envelope too large')
}

export function checkCommitCertificate (c: CommitCertificate): void {
  checkBlockHeader(c.header)
  limit(c.precommits.every(p => p.length <= wireLimits.maxEnvelopeBytes), 'precommit envelope too large')
}

export function checkSyncRequest (r: SyncRequest): void {
  limit([r.status, r.blocks, r.messages, r.consensus, r.snapshot].filter(x => x !== undefined).length === 1, 'sync request must carry exactly one request')
  if (r.blocks !== undefined) limit(isSafeUint(r.blocks.fromHeight), 'blocks.fromHeight must be a safe integer')
  if (r.consensus !== undefined) limit(isSafeUint(r.consensus.height), 'consensus.height must be a safe integer')
  if (r.messages !== undefined) limit(r.messages.ids.every(isHash), 'message ids must be 32 bytes')
  if (r.snapshot !== undefined) {
    const s = r.snapshot
    limit(isSafeUint(s.from) && isSafeUint(s.to) && isSafeUint(s.offset), 'snapshot heights and offset must be safe integers')
    limit(s.to > s.from, 'snapshot.to must be above snapshot.from')
  }
}

export function checkSyncResponse (r: SyncResponse): void {
  limit([r.status, r.blocks, r.messages, r.error, r.snapshot].filter(x => x !== undefined).length === 1, 'sync response must carry exactly one response')
  if (r.status !== undefined) limit(isSafeUint(r.status.height) && isSafeUint(r.status.snapshotHeight) && r.status.snapshotHeight <= r.status.height && (r.status.headHash.length === 0 || isHash(r.status.headHash)), 'bad status response')
  if (r.snapshot !== undefined) {
    for (const step of r.snapshot.steps) {
      limit(step.certificate !== undefined, 'snapshot step needs a certificate')
      checkCommitCertificate(step.certificate as CommitCertificate)
      limit(isSafeUint(step.offset) && isSafeUint(step.ledgerBytes) && step.offset + step.ledger.length <= step.ledgerBytes, 'snapshot step slice must lie inside its ledger')
    }
  }
  if (r.blocks !== undefined) {
    for (const cb of r.blocks.blocks) {
      limit(cb.block !== undefined && cb.certificate !== undefined, 'certified block needs block and certificate')
      checkBlock(cb.block as Block)
      checkCommitCertificate(cb.certificate as CommitCertificate)
    }
  }
  if (r.messages !== undefined) limit(r.messages.envelopes.every(e => e.length <= wireLimits.maxEnvelopeBytes), 'envelope too large')
  if (r.error !== undefined) limit(utf8Length(r.error) <= wireLimits.maxReasonBytes, 'error text too long')
}
