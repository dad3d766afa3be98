import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { canonicalJson, defaultProtocolParams, GenesisError, networkIdHex, parseGenesis, parseGenesisText } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { sha256, utf8 } from '../../protocol/hash.js'

const peer = async (n: number): Promise<string> => peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', sha256(utf8(`g${n}`)))).toString()

describe('genesis', async () => {
  const good: Genesis = { network: 'testnet', params: defaultProtocolParams, validators: [{ peerId: await peer(1), reputationPpm: 500_000 }] }

  it('round-trips and has a network id that ignores key order and whitespace', () => {
    const parsed = parseGenesis(JSON.parse(JSON.stringify(good)))
    expect(parsed).toEqual(good)
    const reordered = JSON.parse(JSON.stringify({ validators: good.validators, params: good.params, network: good.network }))
    expect(networkIdHex(parseGenesis(reordered))).toBe(networkIdHex(good))
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}')
  })

  it('a different parameter is a different network', () => {
    expect(networkIdHex({ ...good, params: { ...good.params, answerers: 4 } })).not.toBe(networkIdHex(good))
  })

  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', [], /must be an object/],
    ['an unknown field', { ...good, extra: 1 }, /unknown field extra/],
    ['a bad network name', { ...good, network: 'Bad Name!' }, /genesis network must be/],
    ['a missing parameter', { ...good, params: { ...good.params, answerers: undefined } }, /params is missing answerers/],
    ['a committee of 0', { ...good, params: { ...good.params, answerers: 0 } }, /params.answerers must be an integer from 1 to 64/],
    ['a fractional deadline', { ...good, params: { ...good.params, answerCommitMs: 1.5 } }, /answerCommitMs must be an integer/],
    ['a reputation out of range', { ...good, params: { ...good.params, reputation: { ...good.params.reputation, gainPpm: 2_000_000 } } }, /gainPpm must be an integer from 0 to 1000000/],
    ['no validators', { ...good, validators: [] }, /list of 1 to 1024 validators/],
    ['a bad peer id', { ...good, validators: [{ peerId: 'QmNotAPeer', reputationPpm: 1 }] }, /is not a valid peer id/],
    ['a repeated validator', { ...good, validators: [good.validators[0], good.validators[0]] }, /repeats/],
    ['a zero starting reputation', { ...good, validators: [{ ...good.validators[0], reputationPpm: 0 }] }, /reputationPpm must be an integer from 1/],
    ['an unknown jailing field', { ...good, params: { ...good.params, jailing: { window: 10 } } }, /params.jailing has unknown field window/],
    ['a jailing threshold a Byzantine proposer could reach', { ...good, params: { ...good.params, jailing: { maxMissedPpm: 700_000 } } }, /params.jailing.maxMissedPpm must be an integer from 0 to 666666/],
    ['an empty jailing window', { ...good, params: { ...good.params, jailing: { windowBlocks: 0 } } }, /windowBlocks must be an integer from 1/],
    ['too many admissions per block', { ...good, params: { ...good.params, admission: { perBlock: 65 } } }, /params.admission.perBlock must be an integer from 1 to 64/],
    ['a member that is also a validator', { ...good, members: [{ peerId: good.validators[0].peerId, reputationPpm: 1, qualifiedRounds: 0, onProbation: false }] }, /members\[0\].peerId repeats/],
    ['a bad recoveredFrom', { ...good, recoveredFrom: { network: 'x', networkId: 'zz', height: 1, blockHash: 'a'.repeat(64), stateRoot: 'a'.repeat(64) } }, /recoveredFrom.networkId must be 64 hex digits/]
  ]
  for (const [what, doc, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseGenesis(JSON.parse(JSON.stringify(doc)))).toThrow(GenesisError)
      expect(() => parseGenesis(JSON.parse(JSON.stringify(doc)))).toThrow(message)
    })
  }

  it('params.jailing and params.admission are optional: absent, the network id is unchanged; {} means every default', async () => {
    const { defaultJailingParams } = await import('../../protocol/jailing.js')
    const { defaultAdmissionParams } = await import('../../protocol/admission.js')
    expect(parseGenesis(JSON.parse(JSON.stringify(good))).params.jailing).toBeUndefined()
    const withGroups = parseGenesis(JSON.parse(JSON.stringify({ ...good, params: { ...good.params, jailing: {}, admission: { perBlock: 4 } } })))
    expect(withGroups.params.jailing).toEqual(defaultJailingParams)
    expect(withGroups.params.admission).toEqual({ ...defaultAdmissionParams, perBlock: 4 })
    expect(networkIdHex(withGroups)).not.toBe(networkIdHex(good))
  })

  it('rejects text that is not JSON', () => {
    expect(() => parseGenesisText('{')).toThrow(/not valid JSON/)
  })
})
