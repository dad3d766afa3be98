import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { asBytes, fromHex, toHex } from '../../protocol/hash.js'
import type { Bytes } from '../../protocol/hash.js'
import { decodeEnvelope, encodeEnvelope, encodePayload, wireDecoders } from '../../protocol/wire/codec.js'
import { decodeTrustedMessage, parseSignerKey, signingBytes, signMessage, verifySignature } from '../../protocol/wire/envelope.js'
import { WireDecodeError, wireLimits } from '../../protocol/wire/limits.js'
import { Block, CommitCertificate, ComparisonBody, RoundRecord, SyncRequest, SyncResponse, Verdict } from '../../protocol/wire/messages.js'
import type { Payload } from '../../protocol/wire/messages.js'
import { validateEnvelope } from '../../protocol/wire/validate.js'
import { id, networkId, otherNetworkId, samplePayloads, testKey } from '../helpers/wire-fixtures.js'

const now = 1_700_000_000_000
const ctx = { networkId, now }

async function signed (payload: Payload): Promise<Uint8Array> {
  return (await signMessage(await testKey(1), payload)).bytes
}

describe('hex', () => {
  it('round-trips any bytes and agrees with Node\'s own hex', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
      expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'))
      expect(fromHex(toHex(bytes))).toEqual(bytes)
    }))
    expect(() => fromHex('abc')).toThrow(RangeError)
    expect(() => fromHex('zz')).toThrow(RangeError)
  })
})

describe('signed envelopes', () => {
  it('signs through a cached node:crypto key, interchangeably with @libp2p/crypto', async () => {
    const key = await testKey(7)
    const msg = await signMessage(key, { networkId, query: samplePayloads().query!.query } as Payload)
    const envelope = decodeEnvelope(msg.bytes)
    const pub = parseSignerKey(envelope.signer)!
    const data = signingBytes(envelope.payload)
    expect(await pub.verify(data, envelope.signature)).toBe(true) // libp2p's own check agrees
    expect(verifySignature(pub, data, envelope.signature)).toBe(true)
    expect(toHex(asBytes(await key.sign(data)))).toBe(toHex(envelope.signature)) // Ed25519 is deterministic
    const flipped = envelope.signature.slice()
    flipped[5] ^= 1
    expect(verifySignature(pub, data, flipped)).toBe(false)
    expect(verifySignature(pub, data, flipped.subarray(0, 63))).toBe(false)
  })

  for (const [kind, payload] of Object.entries(samplePayloads())) {
    it(`round-trips a ${kind}`, async () => {
      const msg = await signMessage(await testKey(1), payload)
      const v = await validateEnvelope(msg.bytes, ctx)
      expect(v.result).toBe('ACCEPT')
      if (v.result !== 'ACCEPT') return
      expect(v.value.idHex).toBe(msg.idHex)
      expect(v.value.signerId).toBe(msg.signerId)
      expect(encodePayload(v.value.payload)).toEqual(encodePayload(payload))
    })
  }

  it('a message read from a larger buffer keeps only its own bytes alive, not the buffer', async () => {
    // as a stream frame or a LevelDB value: the message is a view into a buffer of 64 KB
    const msg = await signMessage(await testKey(1), samplePayloads().comparisonReveal!)
    const frame = new Uint8Array(64 * 1024)
    frame.set(msg.bytes, 1000)
    const view = frame.subarray(1000, 1000 + msg.bytes.length)
    for (const decoded of [await validateEnvelope(view, ctx).then(v => v.result === 'ACCEPT' ? v.value : undefined), decodeTrustedMessage(view)]) {
      expect(decoded?.idHex).toBe(msg.idHex)
      const fields = [decoded!.bytes, decoded!.signer, decoded!.payload.networkId, decoded!.payload.comparisonReveal!.queryId]
      for (const field of fields) expect(field.buffer.byteLength).toBe(msg.bytes.length)
    }
  })

  it('gives the same bytes and id for the same message on every call', async () => {
    const p = samplePayloads().comparisonReveal
    const [x, y] = await Promise.all([signMessage(await testKey(2), p), signMessage(await testKey(2), p)])
    expect(toHex(x.bytes)).toBe(toHex(y.bytes))
    expect(x.idHex).toBe(y.idHex)
  })

  it('rejects a tampered signature', async () => {
    const bytes = await signed(samplePayloads().answerReveal)
    const env = decodeEnvelope(bytes)
    env.signature[5] ^= 1
    const v = await validateEnvelope(encodeEnvelope(env), ctx)
    expect(v).toEqual({ result: 'REJECT', reason: 'bad signature', code: 'bad_signature' })
  })

  it('ignores a message the caller has no use for before paying for its signature check', async () => {
    const bytes = await signed(samplePayloads().answerReveal)
    const env = decodeEnvelope(bytes.slice()) // a copy: the decoded fields are views of the bytes
    env.signature[5] ^= 1
    const tampered = encodeEnvelope(env)
    const seen: Payload[] = []
    const uselessBecause = (p: Payload): string | undefined => { seen.push(p); return 'height 3 is already committed' }
    // not verified: a bad signature goes unnoticed, and nothing is relayed (IGNORE)
    expect(await validateEnvelope(tampered, { ...ctx, uselessBecause })).toEqual({ result: 'IGNORE', reason: 'height 3 is already committed', code: 'useless' })
    expect(seen[0].answerReveal?.answer).toBe(samplePayloads().answerReveal.answerReveal!.answer)
    // still useful: verified as always
    expect((await validateEnvelope(tampered, { ...ctx, uselessBecause: () => undefined })).result).toBe('REJECT')
    expect((await validateEnvelope(bytes, { ...ctx, uselessBecause: () => undefined })).result).toBe('ACCEPT')
    // a wrong network is rejected before the caller is asked
    expect((await validateEnvelope(bytes, { networkId: otherNetworkId, now, uselessBecause })).result).toBe('REJECT')
  })

  it('rejects a payload changed after signing', async () => {
    const bytes = await signed(samplePayloads().answerReveal)
    const env = decodeEnvelope(bytes)
    const other = await signed({ ...samplePayloads().answerReveal, answerReveal: { ...samplePayloads().answerReveal.answerReveal!, answer: '6' } })
    env.payload = decodeEnvelope(other).payload
    expect((await validateEnvelope(encodeEnvelope(env), ctx)).result).toBe('REJECT')
  })

  it('rejects a signer that is not an Ed25519 key', async () => {
    const env = decodeEnvelope(await signed(samplePayloads().vote))
    env.signer = id('not a key')
    const v = await validateEnvelope(encodeEnvelope(env), ctx)
    expect(v).toEqual({ result: 'REJECT', reason: 'signer is not an Ed25519 public key', code: 'bad_signer' })
  })

  it('rejects a message of another network', async () => {
    const bytes = await signed(samplePayloads(otherNetworkId).query)
    const v = await validateEnvelope(bytes, ctx)
    expect(v.result).toBe('REJECT')
    if (v.result === 'REJECT') expect(v.reason).toMatch(/^wrong network/)
  })

  it('ignores stale and future queries', async () => {
    const bytes = await signed(samplePayloads().query)
    expect(await validateEnvelope(bytes, { ...ctx, now: now + 11 * 60_000 })).toEqual({ result: 'IGNORE', reason: 'query is stale', code: 'query_stale' })
    expect(await validateEnvelope(bytes, { ...ctx, now: now - 60_000 })).toEqual({ result: 'IGNORE', reason: 'query is dated in the future', code: 'query_in_future' })
  })

  it('rejects a non-canonical encoding (an unknown field appended)', async () => {
    const bytes = await signed(samplePayloads().vote)
    const padded = new Uint8Array([...bytes, 0x78, 0x01]) // field 15, varint 1
    const v = await validateEnvelope(padded, ctx)
    expect(v.result).toBe('REJECT')
    if (v.result === 'REJECT') expect(v.reason).toMatch(/^non_canonical/)
  })
})

describe('decode limits', () => {
  const base = samplePayloads()
  const cases: Array<[string, Payload, RegExp]> = [
    ['a prompt over the limit', { networkId, query: { ...base.query.query!, prompt: 'x'.repeat(wireLimits.maxPromptBytes + 1) } }, /prompt/],
    ['an empty prompt', { networkId, query: { ...base.query.query!, prompt: '' } }, /prompt/],
    ['a multi-byte prompt over the byte limit', { networkId, query: { ...base.query.query!, prompt: 'é'.repeat(wireLimits.maxPromptBytes / 2 + 1) } }, /prompt/],
    ['an answer over the limit', { networkId, answerReveal: { ...base.answerReveal.answerReveal!, answer: 'y'.repeat(wireLimits.maxAnswerBytes + 1) } }, /answer/],
    ['a short salt', { networkId, answerReveal: { ...base.answerReveal.answerReveal!, salt: new Uint8Array(8) } }, /salt/],
    ['a long nonce', { networkId, query: { ...base.query.query!, nonce: new Uint8Array(33) } }, /nonce/],
    ['a short query id', { networkId, answerCommit: { queryId: new Uint8Array(31), commitment: id('c') } }, /32 bytes/],
    ['a short network id', { networkId: new Uint8Array(4), vote: base.vote.vote }, /networkId/],
    ['no body', { networkId }, /exactly one/],
    ['a reason over the limit', withComparison(c => ({ ...c, reason: 'r'.repeat(wireLimits.maxReasonBytes + 1) })), /reason/],
    ['an unordered pair', withComparison(c => ({ ...c, a: c.b, b: c.a })), /smaller id/],
    ['a missing verdict', withComparison(c => ({ ...c, verdict: 'VERDICT_UNSPECIFIED' as never })), /verdict/],
    ['unsorted candidates', { networkId, comparisonReveal: { ...base.comparisonReveal.comparisonReveal!, body: { answerIdsSeen: [...base.comparisonReveal.comparisonReveal!.body!.answerIdsSeen].reverse(), comparisons: [] } } }, /sorted/],
    ['too many candidates', { networkId, comparisonReveal: { ...base.comparisonReveal.comparisonReveal!, body: { answerIdsSeen: Array.from({ length: 65 }, (_, i) => id(`c${i}`)), comparisons: [] } } }, /limit|length/i],
    ['a nil-or-hash violation', { networkId, vote: { ...base.vote.vote!, blockHash: new Uint8Array(5) } }, /blockHash/],
    ['a zero height', { networkId, vote: { ...base.vote.vote!, height: 0 } }, /height/],
    ['a validRound not below round', { networkId, blockProposal: { ...base.blockProposal.blockProposal!, validRound: 1 } }, /validRound/]
  ]
  for (const [what, payload, reason] of cases) {
    it(`rejects ${what}`, async () => {
      const v = await validateEnvelope(await signed(payload), ctx)
      expect(v.result).toBe('REJECT')
      if (v.result === 'REJECT') expect(v.reason).toMatch(reason)
    })
  }

  it('rejects a payload carrying two bodies (crafted by hand; the encoder cannot produce one)', async () => {
    const key = await testKey(1)
    const vote = encodePayload({ networkId, vote: base.vote.vote })
    const commit = encodePayload({ networkId: new Uint8Array(0), answerCommit: base.answerCommit.answerCommit })
    const raw = new Uint8Array([...vote, ...commit])
    const signature = await key.sign(signingBytes(raw))
    const bytes = encodeEnvelope({ payload: raw, signer: asBytes(publicKeyToProtobuf(key.publicKey)), signature: asBytes(signature) })
    expect((await validateEnvelope(bytes, ctx)).result).toBe('REJECT')
  })

  it('rejects an oversized envelope before decoding it', async () => {
    const v = await validateEnvelope(new Uint8Array(wireLimits.maxEnvelopeBytes + 1), ctx)
    expect(v.result).toBe('REJECT')
    if (v.result === 'REJECT') expect(v.reason).toMatch(/^oversized/)
  })

  it('enforces the compiled repeated-field limits on every container message', () => {
    const many = Array.from({ length: 2000 }, (_, i) => id(`m${i}`)).sort(Buffer.compare)
    const over: Array<[string, Uint8Array]> = [
      ['RoundRecord', RoundRecord.encode({ queryId: id('q'), includedMessageIds: many, candidates: [], strengthsPpm: [], winner: new Uint8Array(0), deltas: [] })],
      ['ComparisonBody', ComparisonBody.encode({ answerIdsSeen: many.slice(0, 65), comparisons: [] })],
      ['SyncRequest', SyncRequest.encode({ messages: { ids: many.slice(0, 257) } })],
      ['SyncResponse', SyncResponse.encode({ messages: { envelopes: many.slice(0, 257) } })],
      ['CommitCertificate', CommitCertificate.encode({ header: samplePayloads().blockProposal.blockProposal!.block!.header, round: 0, precommits: many.slice(0, 1025) })],
      ['Block', Block.encode({ header: samplePayloads().blockProposal.blockProposal!.block!.header, records: Array.from({ length: 257 }, () => ({ queryId: id('q'), includedMessageIds: [], candidates: [], strengthsPpm: [], winner: new Uint8Array(0), deltas: [], participations: [] })) })]
    ]
    for (const [name, bytes] of over) {
      expect(() => wireDecoders[name](bytes), name).toThrow(WireDecodeError)
      try { wireDecoders[name](bytes) } catch (err) { expect((err as WireDecodeError).code, name).toBe('LIMIT') }
    }
  })

  it('rejects a ranker\'s pair repeated, out of order, or naming an answer it did not list as seen (DESIGN §8.1)', async () => {
    const ids = [id('x1'), id('x2'), id('x3')].sort((x, y) => Buffer.compare(x, y))
    const [x, y, z] = ids
    const reveal = (answerIdsSeen: Bytes[], pairs: Array<[Bytes, Bytes]>): Payload => ({
      networkId,
      comparisonReveal: { ...base.comparisonReveal.comparisonReveal!, body: { answerIdsSeen, comparisons: pairs.map(([a, b]) => ({ a, b, verdict: Verdict.A, reason: '' })) } }
    })
    expect((await validateEnvelope(await signed(reveal(ids, [[x, y], [x, z], [y, z]])), ctx)).result).toBe('ACCEPT')
    const bad: Array<[Payload, RegExp]> = [
      [reveal(ids, [[x, y], [x, y], [y, z]]), /repeats a pair/],
      [reveal(ids, [[x, z], [x, y], [y, z]]), /sorted by \(a, b\)/],
      [reveal([x, y], [[x, y], [x, z]]), /answerIdsSeen/]
    ]
    for (const [payload, reason] of bad) {
      const v = await validateEnvelope(await signed(payload), ctx)
      expect(v.result).toBe('REJECT')
      if (v.result === 'REJECT') expect(v.reason).toMatch(reason)
    }
  })

  function withComparison (change: (c: ComparisonBody['comparisons'][number]) => ComparisonBody['comparisons'][number]): Payload {
    const r = base.comparisonReveal.comparisonReveal!
    return { networkId, comparisonReveal: { ...r, body: { ...r.body!, comparisons: r.body!.comparisons.map(change) } } }
  }
})

describe('fuzzing every decoder', () => {
  const onlyTypedErrors = (decode: (b: Uint8Array) => unknown, bytes: Uint8Array): void => {
    try {
      decode(bytes)
    } catch (err) {
      if (!(err instanceof WireDecodeError)) throw new Error(`decoder threw ${(err as Error)?.name}: ${(err as Error)?.message}`)
    }
  }

  for (const [name, decode] of Object.entries(wireDecoders)) {
    it(`${name} throws nothing but WireDecodeError on random bytes`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), bytes => onlyTypedErrors(decode, bytes)), { numRuns: 1000 })
    })
  }

  it('a signer key in a non-canonical encoding is rejected: one signed message has one id (found by the fuzz test below)', async () => {
    const env = decodeEnvelope(await signed(samplePayloads().vote))
    const signer = new Uint8Array(env.signer)
    expect(signer[2]).toBe(0x12) // field 2 (the key bytes), length-delimited
    signer[2] = 0x10 // the same field as a varint: protobuf's parser still took it for the same key
    const v = await validateEnvelope(encodeEnvelope({ ...env, signer }), ctx)
    expect(v.result).toBe('REJECT')
    expect(parseSignerKey(signer)).toBeUndefined()
  })

  it('every decoder survives mutations of valid messages, and validation never throws or accepts a mutant', async () => {
    const seeds = await Promise.all(Object.values(samplePayloads()).map(signed))
    const inner = seeds.map(s => decodeEnvelope(s).payload)
    const mutant = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      inner: fc.boolean(),
      edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'insert', 'delete', 'truncate') }), { minLength: 1, maxLength: 4 })
    })
    await fc.assert(fc.asyncProperty(mutant, async ({ seed, inner: useInner, edits }) => {
      const original = useInner ? inner[seed] : seeds[seed]
      const bytes = [...original]
      for (const e of edits) {
        const at = bytes.length === 0 ? 0 : e.at % bytes.length
        if (e.op === 'set') bytes[at] = e.value
        else if (e.op === 'insert') bytes.splice(at, 0, e.value)
        else if (e.op === 'delete') bytes.splice(at, 1)
        else bytes.length = at
      }
      const mutated = new Uint8Array(bytes)
      for (const decode of Object.values(wireDecoders)) onlyTypedErrors(decode, mutated)
      if (!useInner) {
        const v = await validateEnvelope(mutated, ctx)
        if (toHex(mutated) !== toHex(original)) expect(v.result).not.toBe('ACCEPT')
      }
    }), { numRuns: 1500 })
  })
})
