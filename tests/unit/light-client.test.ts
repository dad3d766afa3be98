import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { makeCertificate, verifyAnswer } from '../../protocol/bft/certificate.js'
import type { AnswerProof } from '../../protocol/bft/certificate.js'
import { advanceTrust, boundariesBetween, buildLightProof, checkpointOf, lightLedgerOf, parseLightProof, trustFromCheckpoint, trustGenesis, verifyAnswerWithTrust } from '../../protocol/bft/light-client.js'
import type { LightLedger, LightProofJson, LightProofSource, LightStep, LightTrust } from '../../protocol/bft/light-client.js'
import { defaultBftParams, defaultProtocolParams, networkIdOf } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { fromHex, sha256, toHex, utf8 } from '../../protocol/hash.js'
import { applyBlock, blockHash, buildBlock, genesisState, recordHash, stateRoot, toSnapshot } from '../../protocol/ledger.js'
import type { LedgerSnapshot, LedgerState } from '../../protocol/ledger.js'
import { nodeIdBytes } from '../../protocol/record.js'
import { defaultReputationParams } from '../../protocol/reputation.js'
import { decodeCommitCertificate, encodeCommitCertificate, encodeRoundRecord } from '../../protocol/wire/codec.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import type { Block, CommitCertificate, RoundRecord } from '../../protocol/wire/messages.js'
import { main } from '../../node/cli/main.js'
import { testKey } from '../helpers/wire-fixtures.js'

/**
 * A chain of real signed certificates over several epochs (2 blocks each) whose validator set is
 * replaced entirely: the genesis validators v0–v3 leave (their reputation falls to zero) while
 * newcomers v4–v7 are admitted, qualify and take all the power. From block 5 on, no genesis
 * validator signs anything: only a client that follows the set can check those blocks.
 */
const E = 2

async function buildChain (network = 'light') {
  const keys = await Promise.all(Array.from({ length: 9 }, async (_, i) => testKey(700 + i)))
  const ids = keys.map(k => peerIdFromPrivateKey(k).toString())
  const keyOf = new Map<string, PrivateKey>(ids.map((id, i) => [id, keys[i]]))
  const genesis: Genesis = {
    network,
    params: {
      ...defaultProtocolParams,
      reputation: { ...defaultReputationParams, probationRounds: 1 },
      bft: { ...defaultBftParams, epochBlocks: E, maxEntryPpm: 1_000_000 }
    },
    validators: ids.slice(0, 4).map(peerId => ({ peerId, reputationPpm: 500_000 }))
  }
  const networkId = networkIdOf(genesis)
  const record = (n: number, deltas: Array<[number, number, boolean]>): RoundRecord => ({
    queryId: sha256(utf8(`query ${n}`)),
    includedMessageIds: [],
    candidates: [],
    strengthsPpm: [],
    winner: sha256(utf8(`answer ${n}`)),
    deltas: deltas.map(([i, deltaPpm, qualifies]) => ({ node: nodeIdBytes(ids[i]), deltaPpm, qualifies })),
    participations: [] // a record of the older form: the ledger applies its deltas
  })
  const admit = (...who: number[]) => who.map(i => ({ node: nodeIdBytes(ids[i]), joinMessageId: sha256(utf8(`join ${i}`)) }))
  const schedule: Array<{ records: RoundRecord[], admissions?: ReturnType<typeof admit> }> = [
    { records: [record(1, [])], admissions: admit(4, 5) },
    { records: [record(2, [[4, 0, true], [5, 0, true], [0, -500_000, false], [1, -500_000, false]])] },
    { records: [record(3, [])], admissions: admit(6, 7) },
    { records: [record(4, [[6, 0, true], [7, 0, true], [2, -500_000, false], [3, -500_000, false]])] },
    { records: [record(5, [])] },
    { records: [record(6, [[4, 10_000, true]])] },
    { records: [record(7, [])] }
  ]
  const sign = async (header: Block['header'] & {}, signers: string[], net = networkId): Promise<CommitCertificate> => {
    const hash = blockHash(header)
    const precommits = await Promise.all(signers.map(async id => signMessage(keyOf.get(id)!, { networkId: net, vote: { type: VoteType.PRECOMMIT, height: header.height, round: 0, blockHash: hash } })))
    return makeCertificate(header, 0, precommits)
  }
  const states: LedgerState[] = [genesisState(genesis)]
  const blocks: Block[] = [undefined as unknown as Block]
  const certs: CommitCertificate[] = [undefined as unknown as CommitCertificate]
  for (const [i, b] of schedule.entries()) {
    const prev = states[i]
    const block = buildBlock(prev, b.records, ids[0], 1_700_000_000_000 + i * 1000, genesis.params, b.admissions ?? [])
    blocks.push(block)
    certs.push(await sign(block.header!, [...prev.validators.keys()]))
    states.push(applyBlock(prev, block, genesis.params))
  }
  const source: LightProofSource = {
    networkId,
    epochBlocks: E,
    head: states.length - 1,
    step: async h => (h >= 1 && h < states.length ? { certificate: certs[h], light: lightLedgerOf(states[h]) } : undefined)
  }
  const answerProof = (h: number): AnswerProof => {
    const r = blocks[h].records[0]
    return { certificate: certs[h], record: encodeRoundRecord(r), recordHashes: blocks[h].records.map(recordHash), answer: `answer ${h}` }
  }
  /** the page GET /v1/light would serve, through JSON as over HTTP */
  const page = async (from: number, to: number): Promise<LightProofJson> => {
    const built = await buildLightProof(from, to, source)
    if (!built.ok) throw new Error(built.message)
    return JSON.parse(JSON.stringify(built.proof))
  }
  const stepsOf = (doc: unknown): LightStep[] => {
    const parsed = parseLightProof(doc, networkId)
    if ('valid' in parsed) throw new Error(parsed.reason)
    return parsed.steps
  }
  return { keys, ids, keyOf, genesis, networkId, states, blocks, certs, sign, source, answerProof, page, stepsOf }
}

type Chain = Awaited<ReturnType<typeof buildChain>>

/** The heights of a light proof's steps, from their certified headers. */
const heightsOf = (proof: LightProofJson): number[] => proof.steps.map(s => decodeCommitCertificate(fromHex(s.certificate)).header!.height)

async function follow (chain: Chain, steps: LightStep[], target: number, from: LightTrust = trustGenesis(chain.genesis)) {
  return advanceTrust(from, steps, target)
}

describe('light client: verification that trusts only the genesis (DESIGN §4.6)', async () => {
  const chain = await buildChain()
  const { ids, genesis, states, certs, answerProof, page, stepsOf, networkId } = chain

  it('the chain replaces the genesis validators entirely by block 5', () => {
    expect([...states[0].validators.keys()].sort()).toEqual(ids.slice(0, 4).sort())
    expect([...states[2].validators.keys()].sort()).toEqual(ids.slice(2, 6).sort())
    expect([...states[4].validators.keys()].sort()).toEqual(ids.slice(4, 8).sort())
  })

  it('follows the validator set from the genesis through every epoch boundary and verifies an answer no genesis validator signed', async () => {
    const proof = answerProof(5)
    expect(await verifyAnswer(proof, states[0].validators, networkId)).toMatchObject({ valid: false, reason: expect.stringMatching(/not a validator at this height/) })
    const light = await page(0, 5)
    expect(heightsOf(light)).toEqual([2, 4])
    // a step is the header and the validator set with one root, not the ledger
    for (const step of light.steps) expect(JSON.stringify(step.light).length).toBeLessThan(600)
    expect(light).toMatchObject({ networkId: toHex(networkId), epochBlocks: E, from: 0, to: 5, complete: true })
    const moved = await follow(chain, stepsOf(light), 5)
    expect(moved).toMatchObject({ valid: true, crossed: 2 })
    if (!moved.valid) return
    expect(await verifyAnswerWithTrust(moved.trust, proof)).toEqual({ valid: true, height: 5, power: 2_000_000, total: 2_000_000, queryId: toHex(sha256(utf8('query 5'))) })
    // a boundary where the set moves only a little (block 6), then block 7
    const to7 = await follow(chain, stepsOf(await page(0, 7)), 7)
    expect(to7).toMatchObject({ valid: true, crossed: 3 })
    if (to7.valid) expect(await verifyAnswerWithTrust(to7.trust, answerProof(7))).toMatchObject({ valid: true, height: 7 })
  })

  it('needs no proof inside the first epoch, a boundary block included (the genesis set certifies it)', async () => {
    expect(boundariesBetween(0, 2, E)).toEqual([])
    expect((await page(0, 2)).steps).toEqual([])
    expect(await verifyAnswerWithTrust(trustGenesis(genesis), answerProof(2))).toMatchObject({ valid: true, height: 2 })
  })

  it('trusts, for every block, the set the ledger certifies that block with (applyBlock\'s epoch rule)', async () => {
    for (let h = 1; h < states.length; h++) {
      const moved = await follow(chain, stepsOf(await page(0, h)), h)
      expect(moved.valid).toBe(true)
      if (moved.valid) expect(new Map(moved.trust.validators)).toEqual(states[h - 1].validators)
    }
  })

  describe('a lying node', () => {
    const attacker = async () => {
      const key = chain.keys[8]
      return { key, id: chain.ids[8] }
    }

    it('serves a forged validator set or rest root for a real boundary header: the state root gives it away', async () => {
      const light = await page(0, 5)
      const { id } = await attacker()
      const forged = structuredClone(light)
      forged.steps[0].light.validators.push({ peerId: id, power: 1_000_000_000 })
      forged.steps[0].light.validators.sort((a, b) => (a.peerId < b.peerId ? -1 : 1))
      expect(await follow(chain, stepsOf(forged), 5)).toMatchObject({ valid: false, code: 'state_root', reason: expect.stringMatching(/do not hash to the state root/) })
      const raised = structuredClone(light)
      raised.steps[1].light.validators.find(v => v.peerId === chain.ids[4])!.power = 5_000_000
      expect(await follow(chain, stepsOf(raised), 5)).toMatchObject({ valid: false, code: 'state_root' })
      // the honest set with the rest root of another ledger, or one bit of the rest root flipped
      const otherRest = structuredClone(light)
      otherRest.steps[1].light.restRoot = lightLedgerOf(states[3]).restRoot
      expect(await follow(chain, stepsOf(otherRest), 5)).toMatchObject({ valid: false, code: 'state_root', reason: expect.stringMatching(/block 4/) })
      const flipped = structuredClone(light)
      const r = flipped.steps[0].light.restRoot
      flipped.steps[0].light.restRoot = (r[0] === '0' ? '1' : '0') + r.slice(1)
      expect(await follow(chain, stepsOf(flipped), 5)).toMatchObject({ valid: false, code: 'state_root', reason: expect.stringMatching(/block 2/) })
      // a whole ledger where the light ledger belongs: refused for its shape, never hashed
      const whole = structuredClone(light) as unknown as { steps: Array<{ light: unknown }> }
      whole.steps[0].light = toSnapshot(states[2])
      expect(await follow(chain, stepsOf(whole), 5)).toMatchObject({ valid: false, code: 'malformed', reason: expect.stringMatching(/unknown field height/) })
    })

    it('forges a header that commits to its forged set: the trusted validators never signed it', async () => {
      const { id } = await attacker()
      // The attacker's story: after block 2 it alone holds all the power, and it certified block 5.
      const fake: LedgerState = { ...states[2], validators: new Map([[id, 1_000_000]]), reputations: new Map([...states[2].reputations, [id, { reputationPpm: 1_000_000, qualifiedRounds: 0, onProbation: false }]]) }
      const header = { ...certs[2].header!, stateRoot: stateRoot(fake) }
      const fakeLedger = lightLedgerOf(fake)
      const reuse = makeCertificate(header, 0, [])
      reuse.precommits = certs[2].precommits // the genuine precommits are for the genuine header
      const selfSigned = await chain.sign(header, [id])
      const leavers = await chain.sign(header, [ids[0], ids[1]]) // half the genesis power, on their way out
      for (const [certificate, reason] of [[reuse, /for another block/], [selfSigned, /not a validator/], [leavers, /more than 2\/3/]] as const) {
        const doc = { networkId: toHex(networkId), epochBlocks: E, from: 0, to: 5, complete: true, steps: [{ certificate: toHex(encodeCommitCertificate(certificate)), light: fakeLedger }] }
        expect(await follow(chain, stepsOf(doc), 5)).toMatchObject({ valid: false, code: 'bad_certificate', reason: expect.stringMatching(reason) })
      }
      // and with no boundary proof at all, its certificate for block 5 is checked against the genesis set
      const forgedAnswer = { ...answerProof(5), certificate: await chain.sign(certs[5].header!, [id]) }
      expect(await verifyAnswerWithTrust(trustGenesis(genesis), forgedAnswer)).toMatchObject({ valid: false, code: 'gap' })
    })

    it('leaves out a boundary, or sends them out of order: a gap', async () => {
      const [two, four] = stepsOf(await page(0, 5))
      expect(await follow(chain, [four], 5)).toMatchObject({ valid: false, code: 'gap', reason: expect.stringMatching(/skips the epoch boundary at block 2/) })
      expect(await follow(chain, [four, two], 5)).toMatchObject({ valid: false, code: 'gap' })
      const partial = await follow(chain, [two], 5)
      expect(partial).toMatchObject({ valid: true, crossed: 1 })
      if (partial.valid) expect(await verifyAnswerWithTrust(partial.trust, answerProof(5))).toMatchObject({ valid: false, code: 'gap', reason: expect.stringMatching(/past the epoch boundary at block 4/) })
      // steps it does not need (already trusted, or at and past the block) are skipped
      expect(await follow(chain, stepsOf(await page(0, 7)), 5)).toMatchObject({ valid: true, crossed: 2 })
    })

    it('sends a malformed light ledger: refused before anything is hashed', async () => {
      const light = await page(0, 3)
      const cases: Array<[(l: LightLedger) => void, RegExp]> = [
        [l => { l.validators.push({ ...l.validators[0] }) }, /out of order or repeated/],
        [l => { l.validators.reverse() }, /out of order or repeated/],
        [l => { (l.validators[0] as unknown as { power: string }).power = '500000' }, /not a positive integer/],
        [l => { l.validators[0].power = 0 }, /not a positive integer/],
        [l => { (l.validators[0] as unknown as { note: string }).note = 'x' }, /not \{"peerId","power"\}/],
        [l => { l.validators = [] }, /validators is not a list of 1 to/],
        [l => { (l as unknown as { validators: null }).validators = null }, /validators is not a list/],
        [l => { l.restRoot = 'xyz' }, /restRoot is not 64 hex/],
        [l => { l.restRoot = l.restRoot.toUpperCase() }, /restRoot is not 64 hex/],
        [l => { (l as unknown as { height: number }).height = 2 }, /unknown field height/]
      ]
      for (const [spoil, reason] of cases) {
        const bad = structuredClone(light)
        spoil(bad.steps[0].light)
        expect(await follow(chain, stepsOf(bad), 3)).toMatchObject({ valid: false, code: 'malformed', reason: expect.stringMatching(reason) })
      }
      // the light ledger after another block, under block 2's header
      const ledgerOf4 = structuredClone(light)
      ledgerOf4.steps[0].light = lightLedgerOf(states[4])
      expect(await follow(chain, stepsOf(ledgerOf4), 3)).toMatchObject({ valid: false, code: 'state_root', reason: expect.stringMatching(/given for block 2/) })
    })

    it('serves another network\'s proof', async () => {
      const other = await buildChain('another')
      const light = await other.page(0, 5)
      expect(parseLightProof(light, networkId)).toMatchObject({ valid: false, code: 'wrong_network' })
      // relabelled as ours, its precommits still name the other network
      const relabelled = { ...light, networkId: toHex(networkId) }
      expect(await follow(chain, stepsOf(relabelled), 5)).toMatchObject({ valid: false, code: 'bad_certificate', reason: expect.stringMatching(/network/) })
    })
  })

  it('starts from a checkpoint the user trusts, and refuses blocks before its epoch', async () => {
    const moved = await follow(chain, stepsOf(await page(0, 5)), 5)
    if (!moved.valid) throw new Error(moved.reason)
    const saved = JSON.parse(JSON.stringify(checkpointOf(moved.trust)))
    expect(saved).toMatchObject({ networkId: toHex(networkId), height: 4 })
    const trust = trustFromCheckpoint(saved, genesis)
    if ('valid' in trust) throw new Error(trust.reason)
    expect(await verifyAnswerWithTrust(trust, answerProof(5))).toMatchObject({ valid: true })
    expect(await verifyAnswerWithTrust(trust, answerProof(3))).toMatchObject({ valid: false, code: 'too_old' })
    const to7 = await follow(chain, stepsOf(await page(4, 7)), 7, trust)
    expect(to7).toMatchObject({ valid: true, crossed: 1 })
    expect(trustFromCheckpoint(saved, (await buildChain('another')).genesis)).toMatchObject({ valid: false, code: 'wrong_network' })
    expect(trustFromCheckpoint({ height: 4 }, genesis)).toMatchObject({ valid: false, code: 'malformed' })
  })

  it('serves proofs in bounded pages and answers bad ranges clearly', async () => {
    const first = await buildLightProof(0, 7, chain.source, { maxSteps: 2, maxBytes: 1 << 20 })
    expect(first).toMatchObject({ ok: true, proof: { complete: false, next: 4 } })
    if (first.ok) expect(heightsOf(first.proof)).toEqual([2, 4])
    const second = await buildLightProof(4, 7, chain.source, { maxSteps: 2, maxBytes: 1 << 20 })
    expect(second).toMatchObject({ ok: true, proof: { complete: true } })
    const tiny = await buildLightProof(0, 7, chain.source, { maxSteps: 64, maxBytes: 10 })
    expect(tiny).toMatchObject({ ok: true, proof: { complete: false, next: 2 } }) // always one step, however big
    expect(await buildLightProof(-1, 5, chain.source)).toMatchObject({ ok: false, code: 'bad_request' })
    expect(await buildLightProof(0, 0, chain.source)).toMatchObject({ ok: false, code: 'bad_request' })
    expect(await buildLightProof(5, 5, chain.source)).toMatchObject({ ok: false, code: 'bad_request', message: expect.stringMatching(/above from/) })
    expect(await buildLightProof(0, 99, chain.source)).toMatchObject({ ok: false, code: 'not_found', message: expect.stringMatching(/not committed on this node yet/) })
    expect(await buildLightProof(0, 5, { ...chain.source, step: async () => undefined })).toMatchObject({ ok: false, code: 'not_found', message: expect.stringMatching(/no longer holds block 2/) })
  })

  describe('swarmrank verify --genesis', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-light-'))
    const file = (name: string, doc: unknown): string => {
      const path = join(dir, name)
      writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc))
      return path
    }
    const queryView = (h: number, answer = `answer ${h}`) => {
      const p = answerProof(h)
      return { id: toHex(sha256(utf8(`query ${h}`))), status: 'final', answer, block: { height: h, certificate: toHex(encodeCommitCertificate(p.certificate)), record: toHex(p.record), recordHashes: p.recordHashes.map(toHex) } }
    }
    const run = async (...args: string[]): Promise<{ code: number, out: string }> => {
      const lines: string[] = []
      const code = await main(['verify', ...args], { out: l => lines.push(l), err: l => lines.push(l) })
      return { code, out: lines.join('\n') }
    }
    const g = file('genesis.json', genesis)

    it('verifies from the genesis and a proof file, and saves a checkpoint', async () => {
      const ok = await run('--genesis', g, '--proof', file('light.json', await page(0, 5)), '--save-checkpoint', join(dir, 'cp.json'), file('q5.json', queryView(5)))
      expect(ok.out).toMatch(/^valid: query [0-9a-f]{16}… is final in block 5, certified by 2000000 of 2000000 voting power; answer "answer 5"; validator set followed from the genesis through 2 epoch boundaries\nsaved the trusted validator set after block 4/)
      expect(ok.code).toBe(0)
      const fromCheckpoint = await run('--genesis', g, '--checkpoint', join(dir, 'cp.json'), '--proof', file('light47.json', await page(4, 7)), file('q7.json', queryView(7)))
      expect(fromCheckpoint).toMatchObject({ code: 0, out: expect.stringMatching(/final in block 7.*from the checkpoint at block 4 through 1 epoch boundary$/) })
      // pages as a list
      const first = await buildLightProof(0, 7, chain.source, { maxSteps: 1, maxBytes: 1 << 20 })
      const rest = await buildLightProof(2, 7, chain.source)
      if (!first.ok || !rest.ok) throw new Error('no proof')
      const pages = [first.proof, rest.proof]
      expect(await run('--genesis', g, '--proof', file('pages.json', pages), join(dir, 'q7.json'))).toMatchObject({ code: 0 })
    })

    it('says invalid for a forged set, a forged answer and a missing boundary', async () => {
      const light = await page(0, 5)
      const forged = structuredClone(light)
      forged.steps[1].light.validators.find(v => v.peerId === ids[4])!.power = 5_000_000
      expect(await run('--genesis', g, '--proof', file('forged.json', forged), join(dir, 'q5.json'))).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: .*do not hash to the state root/) })
      expect(await run('--genesis', g, '--proof', file('light.json', light), file('lie.json', queryView(5, 'answer 6')))).toEqual({ code: 1, out: "invalid: the answer is not the record's winner" })
      const gap = { ...light, steps: light.steps.slice(0, 1) }
      expect(await run('--genesis', g, '--proof', file('gap.json', gap), join(dir, 'q5.json'))).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: block 5 is past the epoch boundary at block 4/) })
    })

    it('explains bad input: bad genesis, wrong network, no proof, conflicting flags', async () => {
      const q5 = join(dir, 'q5.json')
      const light = join(dir, 'light.json')
      expect(await run('--genesis', file('bad.json', '{"network": '), '--proof', light, q5)).toMatchObject({ code: 2, out: expect.stringMatching(/--genesis .*bad\.json: genesis is not valid JSON/) })
      expect(await run('--genesis', file('bad2.json', { ...genesis, validators: [] }), q5)).toMatchObject({ code: 2, out: expect.stringMatching(/genesis validators must be a list/) })
      expect(await run('--genesis', join(dir, 'missing.json'), q5)).toMatchObject({ code: 2, out: expect.stringMatching(/cannot read --genesis .*no such file/) })
      const other = file('other.json', { ...genesis, network: 'another' })
      expect(await run('--genesis', other, '--proof', light, q5)).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: the proof is for network [0-9a-f]{16}…, the genesis defines network/) })
      expect(await run('--genesis', g, q5)).toMatchObject({ code: 2, out: expect.stringMatching(/past the epoch boundary at block 2.*pass --api URL .* or --proof FILE/) })
      expect(await run('--genesis', g, '--validators', light, q5)).toMatchObject({ code: 2, out: expect.stringMatching(/not both/) })
      expect(await run(q5)).toMatchObject({ code: 2, out: expect.stringMatching(/needs --genesis FILE/) })
      expect(await run('--genesis', g, '--proof', file('notproof.json', { hello: 1 }), q5)).toMatchObject({ code: 1, out: expect.stringMatching(/not a light proof/) })
    })

    it('with --validators still takes the set as given, and says so', async () => {
      const set = { networkId: toHex(networkId), height: 5, validators: [...states[4].validators].map(([peerId, power]) => ({ peerId, power })) }
      expect(await run('--validators', file('v.json', set), join(dir, 'q5.json'))).toMatchObject({ code: 0, out: expect.stringMatching(/final in block 5.*taken as given\)$/) })
    })
  })
})
