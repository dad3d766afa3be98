import { equalBytes } from '../hash.js'
import type { Bytes } from '../hash.js'
import {
  checkBlock, checkCommitCertificate, checkComparisonBody, checkPayload, checkRoundRecord,
  checkSyncRequest, checkSyncResponse, WireDecodeError, wireLimits
} from './limits.js'
import { Block, BlockHeader, CommitCertificate, ComparisonBody, LastCommit, Payload, RoundRecord, SignedEnvelope, SyncRequest, SyncResponse } from './messages.js'

/** The encode/decode pair protons generates for each message. */
interface MessageCodec<T> {
  encode: (value: T) => Uint8Array
  decode: (bytes: Uint8Array) => T
}

/**
 * Decode untrusted bytes: size limit first, then the protons decoder (with its compiled repeated
 * limits), then canonicity (re-encoding must give the same bytes, so one message has one id and
 * one signature), then the field checks. Anything wrong becomes a WireDecodeError.
 */
function decodeStrict<T> (name: string, codec: MessageCodec<T>, bytes: Uint8Array, maxBytes: number, check: (value: T) => void): T {
  if (!(bytes instanceof Uint8Array)) throw new WireDecodeError('MALFORMED', `${name}: not bytes`)
  if (bytes.length > maxBytes) throw new WireDecodeError('OVERSIZED', `${name}: ${bytes.length} bytes exceeds the limit of ${maxBytes}`)
  let value: T
  try {
    value = codec.decode(bytes)
  } catch (err) {
    if ((err as Error)?.name === 'MaxLengthError') throw new WireDecodeError('LIMIT', `${name}: ${(err as Error).message}`)
    throw new WireDecodeError('MALFORMED', `${name}: ${(err as Error)?.message ?? String(err)}`)
  }
  let reencoded: Uint8Array
  try {
    reencoded = codec.encode(value)
  } catch (err) {
    throw new WireDecodeError('MALFORMED', `${name}: ${(err as Error)?.message ?? String(err)}`)
  }
  if (!equalBytes(reencoded, bytes)) throw new WireDecodeError('NON_CANONICAL', `${name}: not in canonical encoding`)
  try {
    check(value)
  } catch (err) {
    if (err instanceof WireDecodeError) throw new WireDecodeError(err.code, `${name}: ${err.message}`)
    throw new WireDecodeError('MALFORMED', `${name}: ${(err as Error)?.message ?? String(err)}`)
  }
  return value
}

export function decodeEnvelope (bytes: Uint8Array): SignedEnvelope {
  return decodeStrict('SignedEnvelope', SignedEnvelope, bytes, wireLimits.maxEnvelopeBytes, e => {
    if (e.payload.length === 0) throw new WireDecodeError('LIMIT', 'payload is empty')
    if (e.signer.length === 0 || e.signer.length > wireLimits.maxSignerBytes) throw new WireDecodeError('LIMIT', 'bad signer length')
    if (e.signature.length === 0 || e.signature.length > wireLimits.maxSignatureBytes) throw new WireDecodeError('LIMIT', 'bad signature length')
  })
}

export function decodePayload (bytes: Uint8Array): Payload {
  return decodeStrict('Payload', Payload, bytes, wireLimits.maxEnvelopeBytes, checkPayload)
}

export function decodeComparisonBody (bytes: Uint8Array): ComparisonBody {
  return decodeStrict('ComparisonBody', ComparisonBody, bytes, wireLimits.maxEnvelopeBytes, checkComparisonBody)
}

export function decodeRoundRecord (bytes: Uint8Array): RoundRecord {
  return decodeStrict('RoundRecord', RoundRecord, bytes, wireLimits.maxSyncMessageBytes, checkRoundRecord)
}

export function decodeBlock (bytes: Uint8Array): Block {
  return decodeStrict('Block', Block, bytes, wireLimits.maxSyncMessageBytes, checkBlock)
}

export function decodeCommitCertificate (bytes: Uint8Array): CommitCertificate {
  return decodeStrict('CommitCertificate', CommitCertificate, bytes, wireLimits.maxSyncMessageBytes, checkCommitCertificate)
}

export function decodeSyncRequest (bytes: Uint8Array): SyncRequest {
  return decodeStrict('SyncRequest', SyncRequest, bytes, wireLimits.maxEnvelopeBytes, checkSyncRequest)
}

export function decodeSyncResponse (bytes: Uint8Array): SyncResponse {
  return decodeStrict('SyncResponse', SyncResponse, bytes, wireLimits.maxSyncMessageBytes, checkSyncResponse)
}

/** Every decoder of untrusted bytes, by message name (the fuzz tests run each one). */
export const wireDecoders: Record<string, (bytes: Uint8Array) => unknown> = {
  SignedEnvelope: decodeEnvelope,
  Payload: decodePayload,
  ComparisonBody: decodeComparisonBody,
  RoundRecord: decodeRoundRecord,
  Block: decodeBlock,
  CommitCertificate: decodeCommitCertificate,
  SyncRequest: decodeSyncRequest,
  SyncResponse: decodeSyncResponse
}

/** Canonical encodings (what gets hashed and signed). */
export const encodePayload = (p: Payload): Bytes => Payload.encode(p)
export const encodeEnvelope = (e: SignedEnvelope): Bytes => SignedEnvelope.encode(e)
export const encodeComparisonBody = (b: ComparisonBody): Bytes => ComparisonBody.encode(b)
export const encodeRoundRecord = (r: RoundRecord): Bytes => RoundRecord.encode(r)
export const encodeBlock = (b: Block): Bytes => Block.encode(b)
export const encodeLastCommit = (c: LastCommit): Bytes => LastCommit.encode(c)
export const encodeBlockHeader = (h: BlockHeader): Bytes => BlockHeader.encode(h)
export const encodeCommitCertificate = (c: CommitCertificate): Bytes => CommitCertificate.encode(c)
export const encodeSyncRequest = (r: SyncRequest): Bytes => SyncRequest.encode(r)
export const encodeSyncResponse = (r: SyncResponse): Bytes => SyncResponse.encode(r)
