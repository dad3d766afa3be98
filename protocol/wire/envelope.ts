import { createPrivateKey, createPublicKey, sign as signWithKeyObject, verify as verifyWithKeyObject } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { asBytes, sha256, toHex, utf8 } from '../hash.js'
import type { Bytes } from '../hash.js'
import { decodeEnvelope, decodePayload, encodeEnvelope, encodePayload } from './codec.js'
import type { Payload } from './messages.js'

/**
 * Domain separation for envelope signatures: a signature made for swarmrank can never be
 * replayed as a signature over some other protocol's bytes, and vice versa. The network id
 * travels inside the signed payload, so a signature is also bound to one network.
 */
const ENVELOPE_DOMAIN = utf8('swarmrank/envelope/1\n')

/** A protocol message whose envelope decoded, is canonical and carries a valid signature. */
export interface SignedMessage {
  /** messageId = sha256(envelope bytes) */
  id: Bytes
  idHex: string
  /** The envelope bytes exactly as signed and gossiped. */
  bytes: Bytes
  /** The signer's libp2p peer id (base58), the node's name in the ledger. */
  signerId: string
  /** protobuf-encoded public key of the signer */
  signer: Bytes
  payload: Payload
}

/** The bytes an envelope signature covers. */
export function signingBytes (payloadBytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(ENVELOPE_DOMAIN.length + payloadBytes.length)
  out.set(ENVELOPE_DOMAIN, 0)
  out.set(payloadBytes, ENVELOPE_DOMAIN.length)
  return out
}

export function messageId (envelopeBytes: Uint8Array): Bytes {
  return sha256(envelopeBytes)
}

/**
 * Ed25519 through node:crypto with the key objects kept: @libp2p/crypto builds a KeyObject from
 * JWK on every sign and every verify (base64url, a JSON key parse). Signing with a kept key is
 * about 2× faster (`npm run bench:crypto`); a verify saves the key import (~8 %, and the
 * import's garbage), and a node verifies every message of every round.
 */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const privateKeyObjects = new WeakMap<PrivateKey, KeyObject>()
const nodeIds = new WeakMap<PublicKey, string>()
/** Verifying keys by their raw bytes (hex), oldest out first; the signers a node hears from are few. */
const publicKeyObjects = new Map<string, KeyObject>()
const MAX_PUBLIC_KEY_OBJECTS = 4096

function publicKeyObject (raw: Uint8Array): KeyObject {
  const name = toHex(raw)
  let ko = publicKeyObjects.get(name)
  if (ko === undefined) {
    ko = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' })
    if (publicKeyObjects.size >= MAX_PUBLIC_KEY_OBJECTS) publicKeyObjects.delete(publicKeyObjects.keys().next().value as string)
    publicKeyObjects.set(name, ko)
  }
  return ko
}

/** Check an Ed25519 signature (64 bytes) over `data`; false for any other key type or length. */
export function verifySignature (key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  if (key.type !== 'Ed25519' || signature.length !== 64 || key.raw.length !== 32) return false
  return verifyWithKeyObject(null, data, publicKeyObject(key.raw), signature)
}

function signBytes (key: PrivateKey, data: Uint8Array): Bytes {
  if (key.type !== 'Ed25519') throw new Error('swarmrank identities are Ed25519 keys')
  let ko = privateKeyObjects.get(key)
  if (ko === undefined) {
    // raw is the 32-byte seed followed by the public key
    ko = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, key.raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' })
    privateKeyObjects.set(key, ko)
  }
  return asBytes(signWithKeyObject(null, data, ko))
}

/** Sign a payload with a node's Ed25519 key and wrap it in a canonical envelope. */
export async function signMessage (key: PrivateKey, payload: Payload): Promise<SignedMessage> {
  return signMessageSync(key, payload)
}

/** signMessage without a promise: the simulator runs thousands of nodes on one event loop. */
export function signMessageSync (key: PrivateKey, payload: Payload): SignedMessage {
  const payloadBytes = encodePayload(payload)
  return wrapSigned(key, payload, payloadBytes, signBytes(key, signingBytes(payloadBytes)))
}

function wrapSigned (key: PrivateKey, payload: Payload, payloadBytes: Bytes, signature: Bytes): SignedMessage {
  const signer = asBytes(publicKeyToProtobuf(key.publicKey))
  const bytes = encodeEnvelope({ payload: payloadBytes, signer, signature })
  const id = messageId(bytes)
  return { id, idHex: toHex(id), bytes, signerId: nodeIdOf(key.publicKey), signer, payload }
}

/**
 * The signer's public key, or undefined when the bytes are not the canonical encoding of an Ed25519 key. Parsed keys are
 * memoised (a bounded cache: a swarm has few signers and each signs many messages), which also
 * lets the crypto library reuse its prepared key object.
 */
export function parseSignerKey (signer: Uint8Array): PublicKey | undefined {
  const cacheKey = toHex(signer)
  const cached = keyCache.get(cacheKey)
  if (cached !== undefined) return cached
  let key: PublicKey | undefined
  try {
    const parsed = publicKeyFromProtobuf(signer)
    // Only the canonical encoding: the protobuf parser also takes other bytes for the same key
    // (found by the envelope fuzz test), which would give one signed message several ids.
    key = parsed.type === 'Ed25519' && toHex(publicKeyToProtobuf(parsed)) === cacheKey ? parsed : undefined
  } catch {
    key = undefined
  }
  if (key !== undefined) {
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string)
    keyCache.set(cacheKey, key)
  }
  return key
}

const KEY_CACHE_SIZE = 4096
const keyCache = new Map<string, PublicKey>()

/** Node id (peer id string) for a protobuf-encoded public key. */
export function nodeIdOf (key: PublicKey): string {
  let id = nodeIds.get(key)
  if (id === undefined) {
    id = peerIdFromPublicKey(key).toString()
    nodeIds.set(key, id)
  }
  return id
}

/**
 * Decode an envelope this node validated itself before storing it (its own LevelDB): decode
 * with all limits, but skip the signature check, which already passed. Never use it for bytes
 * from the network.
 */
export function decodeTrustedMessage (stored: Uint8Array): SignedMessage | undefined {
  try {
    const bytes = ownBytes(stored)
    const envelope = decodeEnvelope(bytes)
    const payload = decodePayload(envelope.payload)
    const key = parseSignerKey(envelope.signer)
    if (key === undefined) return undefined
    const id = messageId(bytes)
    return { id, idHex: toHex(id), bytes, signerId: nodeIdOf(key), signer: envelope.signer, payload }
  } catch {
    return undefined
  }
}

/**
 * The bytes of one message in a buffer of their own, unless they already are. A message read from
 * a stream or a LevelDB value is a view into the 8–64 KB buffer its frame was read into, and every
 * field decoded from it is a view into that buffer too: a decoded message kept for a while (the
 * node's cache of recent messages, the round state) kept the whole buffer alive. In a 10,000-query
 * soak a node's recent messages pinned ~28 MB of such buffers for ~0.3 MB of messages.
 */
export function ownBytes (bytes: Uint8Array): Bytes {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes as Bytes : new Uint8Array(bytes)
}
