import { equalBytes, sha256, toHex, utf8 } from '../hash.js'
import { blockHash, recordsRootFromHashes } from '../ledger.js'
import { decodeRoundRecord } from '../wire/codec.js'
import type { SignedMessage } from '../wire/envelope.js'
import { VoteType } from '../wire/messages.js'
import type { BlockHeader, CommitCertificate } from '../wire/messages.js'
import { validateEnvelope } from '../wire/validate.js'

/**
 * Commit certificates (DESIGN §4.6): a block header plus signed precommits for it from more than
 * 2/3 of the voting power. Anyone holding the validator set of that height can check one offline.
 */
export function makeCertificate (header: BlockHeader, round: number, precommits: readonly SignedMessage[]): CommitCertificate {
  const unique = new Map(precommits.map(p => [p.signerId, p]))
  return { header, round, precommits: [...unique.values()].sort((a, b) => (a.signerId < b.signerId ? -1 : 1)).map(p => p.bytes) }
}

export type CertificateCheck = { valid: true, power: number, total: number } | { valid: false, reason: string }

export async function verifyCertificate (cert: CommitCertificate, validators: ReadonlyMap<string, number>, networkId: Uint8Array): Promise<CertificateCheck> {
  const header = cert.header
  if (header === undefined) return { valid: false, reason: 'the certificate has no block header' }
  const hash = blockHash(header)
  const total = [...validators.values()].reduce((s, p) => s + p, 0)
  const signers = new Set<string>()
  let power = 0
  for (const [i, bytes] of cert.precommits.entries()) {
    // Time plays no part in a vote's validity: pass a fixed clock.
    const v = await validateEnvelope(bytes, { networkId, now: 0 })
    if (v.result !== 'ACCEPT') return { valid: false, reason: `precommit ${i}: ${v.reason}` }
    const vote = v.value.payload.vote
    if (vote === undefined || vote.type !== VoteType.PRECOMMIT) return { valid: false, reason: `precommit ${i} is not a precommit` }
    if (vote.height !== header.height || vote.round !== cert.round) return { valid: false, reason: `precommit ${i} is for height ${vote.height} round ${vote.round}, not ${header.height}/${cert.round}` }
    if (!equalBytes(vote.blockHash, hash)) return { valid: false, reason: `precommit ${i} is for another block` }
    const signer = v.value.signerId
    const p = validators.get(signer)
    if (p === undefined) return { valid: false, reason: `precommit ${i} is signed by ${signer}, not a validator at this height` }
    if (signers.has(signer)) return { valid: false, reason: `${signer} signed twice` }
    signers.add(signer)
    power += p
  }
  if (power * 3 <= total * 2) return { valid: false, reason: `precommits carry ${power} of ${total} voting power; more than 2/3 is needed` }
  return { valid: true, power, total }
}

export const certificateBlockHashHex = (cert: CommitCertificate): string => toHex(blockHash(cert.header!))

/** What a client holds to prove an answer: the certificate, the record and the block's record hashes. */
export interface AnswerProof {
  certificate: CommitCertificate
  /** RoundRecord bytes */
  record: Uint8Array
  /** sha256 of every record of the block, in block order */
  recordHashes: Uint8Array[]
  /** the answer text claimed to have won */
  answer?: string
}

export type AnswerCheck = { valid: true, height: number, power: number, total: number, queryId: string } | { valid: false, reason: string }

/**
 * Check offline that `answer` is the certified winner of a query: the certificate is valid for
 * the validator set, the record is one of the block's records (its hash is listed and the list
 * hashes to the header's records root), and the answer hashes to the record's winner.
 */
export async function verifyAnswer (proof: AnswerProof, validators: ReadonlyMap<string, number>, networkId: Uint8Array): Promise<AnswerCheck> {
  const cert = await verifyCertificate(proof.certificate, validators, networkId)
  if (!cert.valid) return cert
  const header = proof.certificate.header!
  if (!equalBytes(recordsRootFromHashes(proof.recordHashes), header.recordsRoot)) return { valid: false, reason: 'the record hashes do not match the block\'s records root' }
  const hash = sha256(proof.record)
  if (!proof.recordHashes.some(h => equalBytes(h, hash))) return { valid: false, reason: 'the record is not in the certified block' }
  let queryId: string
  try {
    const record = decodeRoundRecord(proof.record)
    queryId = toHex(record.queryId)
    if (proof.answer !== undefined && !equalBytes(sha256(utf8(proof.answer)), record.winner)) return { valid: false, reason: 'the answer is not the record\'s winner' }
  } catch (err) {
    return { valid: false, reason: `the record does not decode: ${(err as Error).message}` }
  }
  return { valid: true, height: header.height, power: cert.power, total: cert.total, queryId }
}
