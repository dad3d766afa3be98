/**
 * Ed25519 signing: @libp2p/crypto (builds a node:crypto KeyObject from JWK on every call) against
 * protocol/wire/envelope.ts (keeps the KeyObject per key, and builds the whole envelope), in the
 * same run; verification (@libp2p/crypto in both) for scale. Prints the median of 5 batches of
 * 5,000 calls each, in µs per call.
 *
 *   npm run bench:crypto
 */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { sha256, utf8 } from '../protocol/hash.js'
import { signMessageSync, signingBytes, verifySignature } from '../protocol/wire/envelope.js'
import { decodeEnvelope } from '../protocol/wire/codec.js'

const N = 5_000
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function perCall (fn: () => unknown): Promise<number> {
  const runs: number[] = []
  for (let r = 0; r < 5; r++) {
    const t = performance.now()
    for (let i = 0; i < N; i++) await fn()
    runs.push((performance.now() - t) * 1000 / N)
  }
  return median(runs)
}

const key = await generateKeyPairFromSeed('Ed25519', sha256(utf8('bench-crypto')))
const msg = signMessageSync(key, { networkId: sha256(utf8('net')), query: { prompt: 'Compute 17 + 4 × 6.', anchorHeight: 0, createdAt: 1_700_000_000_000, nonce: new Uint8Array(16) } })
const envelope = decodeEnvelope(msg.bytes)
const data = signingBytes(envelope.payload)

const libSign = await perCall(async () => key.sign(data))
const ourSign = await perCall(() => signMessageSync(key, msg.payload))
const verify = await perCall(() => verifySignature(key.publicKey, data, envelope.signature))

console.log(`Ed25519, Node ${process.versions.node}, median of 5 × ${N} calls (µs per call)`)
console.log(`sign    @libp2p/crypto ${libSign.toFixed(1)}   cached key (whole envelope) ${ourSign.toFixed(1)}   ratio ${(libSign / ourSign).toFixed(2)}×`)
console.log(`verify  ${verify.toFixed(1)}`)
