import { describe, expect, it, vi } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { checkProposedBlock } from '../../protocol/bft/block-check.js'
import { makeCertificate, verifyAnswer, verifyCertificate } from '../../protocol/bft/certificate.js'
import { defaultBftParams, defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import type { Bytes } from '../../protocol/hash.js'
import { applyBlock, blockHash, buildBlock, genesisState, nextValidatorSet, recordHash, roundSeed, stateRoot } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import { HashStream } from '../../protocol/random.js'
import { newcomer } from '../../protocol/reputation.js'
import { encodeRoundRecord } from '../../protocol/wire/codec.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import { RoundHarness } from '../helpers/round-harness.js'
import { networkId } from '../helpers/wire-fixtures.js'

/** A round run to its end on a query that block 1 ordered; `state` is the ledger after block 1. */
async function finishedRound (): Promise<{ h: RoundHarness, genesis: Genesis, messages: Map<string, SignedMessage>, state: LedgerState }> {
  const h = await RoundHarness.create(['ada', 'bo', 'cy', 'dee', 'eli', 'fox', 'gia'], { answerers: 3, rankers: 4 })
  const genesis: Genesis = { network: 'unit', params: h.params, validators: h.nodes.map(n => ({ peerId: n.id, reputationPpm: 500_000 })) }
  let state = genesisState(genesis)
  h.ordering = (query, now) => {
    const ordering = buildBlock(state, [], h.nodes[1].id, now, genesis.params, [], [{ messageId: query.id, submitter: utf8(query.signerId) }])
    state = applyBlock(state, ordering, genesis.params)
    return { seed: roundSeed(state, query.idHex)!, time: ordering.header!.time }
  }
  await h.run(drawTask(new HashStream(sha256(utf8('blocks')))).prompt)
  const s = h.nodes[0].state!
  const messages = new Map<string, SignedMessage>([[s.queryIdHex, s.init.query]])
  for (const m of [...s.answerCommits.values(), ...s.answerReveals.values(), ...s.comparisonCommits.values(), ...s.comparisonReveals.values()]) messages.set(m.idHex, m)
  return { h, genesis, messages, state }
}

describe('blocks', async () => {
  const { h, genesis, messages, state } = await finishedRound()
  const record = h.nodes[0].state!.outcome!.record
  const proposer = h.nodes[2].id
  // The block orders the round's messages (commits before reveals) and holds the record they give (DESIGN §8.6).
  const s = h.nodes[0].state!
  const roundMessages = [...s.answerCommits.values(), ...s.answerReveals.values(), ...s.comparisonCommits.values(), ...s.comparisonReveals.values()].map(m => ({ messageId: m.id, queryId: s.queryId }))
  const block = buildBlock(state, [record], proposer, 1_700_000_000_500, genesis.params, [], [], { roundMessages })
  const ctx = { state, params: genesis.params, validators: state.validators, messages, tableAt: (height: number) => (height === 1 ? state.reputations : undefined), isFinalized: () => false }

  it('a block built from a finished round checks out, and commits to the state after it', () => {
    expect(checkProposedBlock(block, ctx)).toEqual({ valid: true })
    const next = applyBlock(state, block, genesis.params)
    expect(next.height).toBe(2)
    expect(next.ordered.get(h.nodes[0].state!.queryIdHex)?.final).toBe(true)
    expect(toHex(block.header!.stateRoot)).toBe(toHex(stateRoot(next)))
  })

  it('rejects a record that differs from its round on the chain, a missing message, a wrong parent, a finalized query and a bad state root', () => {
    const tampered = { ...record, strengthsPpm: record.strengthsPpm.map((s, i) => (i === 0 ? s + 1 : s)) }
    expect(checkProposedBlock(buildBlock(state, [tampered], proposer, 1, genesis.params, [], [], { roundMessages }), ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/differs from its round on the chain/) })
    const fewer = new Map(messages)
    fewer.delete(toHex(roundMessages[1].messageId))
    expect(checkProposedBlock(block, { ...ctx, messages: fewer })).toMatchObject({ valid: false, reason: expect.stringMatching(/missing/) })
    expect(checkProposedBlock({ ...block, header: { ...block.header!, prevHash: sha256(utf8('x')) } }, ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/does not extend/) })
    expect(checkProposedBlock(block, { ...ctx, isFinalized: () => true })).toMatchObject({ valid: false, reason: expect.stringMatching(/already has a record/) })
    expect(checkProposedBlock({ ...block, header: { ...block.header!, stateRoot: sha256(utf8('y')) } }, ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/state root/) })
    expect(checkProposedBlock({ ...block, header: { ...block.header!, proposer: utf8('stranger') } }, ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/not a validator/) })
    expect(checkProposedBlock(buildBlock(state, [], proposer, 1, genesis.params), ctx)).toMatchObject({ valid: false, reason: 'empty block' })
  })

  it('bounds the records of one submitter\'s queries per block (DESIGN §8.5)', () => {
    const strict = { ...genesis.params, submission: { ...genesis.params.submission, perBlock: 0 } }
    expect(checkProposedBlock(block, { ...ctx, params: strict })).toMatchObject({ valid: false, code: 'submitter_quota' })
    expect(checkProposedBlock(block, ctx)).toEqual({ valid: true })
  })

  it('admits a new identity on probation only with its signed Join', async () => {
    const newcomerKey = await (await import('../helpers/wire-fixtures.js')).testKey(999)
    const join = await signMessage(newcomerKey, { networkId, join: { createdAt: state.lastBlockTime } })
    const admission = { node: utf8(join.signerId), joinMessageId: join.id }
    const admitting = buildBlock(state, [], proposer, 1, genesis.params, [admission])
    expect(checkProposedBlock(admitting, ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/no Join signed by/) })
    const withJoin = { ...ctx, messages: new Map([...messages, [join.idHex, join]]) }
    expect(checkProposedBlock(admitting, withJoin)).toEqual({ valid: true })
    const next = applyBlock(state, admitting, genesis.params)
    expect(next.reputations.get(join.signerId)).toEqual({ reputationPpm: 500_000, qualifiedRounds: 0, onProbation: true })
    expect(next.validators.has(join.signerId)).toBe(false)
    const forged = { ...admission, node: utf8(h.nodes[1].id) }
    expect(checkProposedBlock(buildBlock(state, [], proposer, 1, genesis.params, [forged]), withJoin)).toMatchObject({ valid: false, reason: expect.stringMatching(/no Join signed by/) })
    const memberJoin = await signMessage(h.nodes[1].key, { networkId, join: { createdAt: state.lastBlockTime } })
    const member = { ...ctx, messages: new Map([...messages, [memberJoin.idHex, memberJoin]]) }
    expect(checkProposedBlock(buildBlock(state, [], proposer, 1, genesis.params, [{ node: utf8(memberJoin.signerId), joinMessageId: memberJoin.id }]), member)).toMatchObject({ valid: false, reason: expect.stringMatching(/already in the ledger/) })
  })

  it('commit certificates verify with more than 2/3 of the power, and not otherwise', async () => {
    const hash = blockHash(block.header!)
    const precommit = async (i: number, blockHash = hash, type = VoteType.PRECOMMIT): Promise<SignedMessage> =>
      signMessage(h.nodes[i].key, { networkId, vote: { type, height: 2, round: 0, blockHash } })
    const five = await Promise.all([0, 1, 2, 3, 4].map(async i => precommit(i)))
    expect(await verifyCertificate(makeCertificate(block.header!, 0, five), state.validators, networkId)).toEqual({ valid: true, power: 2_500_000, total: 3_500_000 })
    expect(await verifyCertificate(makeCertificate(block.header!, 0, five.slice(0, 4)), state.validators, networkId)).toMatchObject({ valid: false, reason: expect.stringMatching(/more than 2\/3/) })
    const wrong = await precommit(4, sha256(utf8('other block')))
    expect(await verifyCertificate(makeCertificate(block.header!, 0, [...five.slice(0, 4), wrong]), state.validators, networkId)).toMatchObject({ valid: false, reason: expect.stringMatching(/another block/) })
    const prevote = await precommit(4, hash, VoteType.PREVOTE)
    expect(await verifyCertificate(makeCertificate(block.header!, 0, [...five.slice(0, 4), prevote]), state.validators, networkId)).toMatchObject({ valid: false, reason: expect.stringMatching(/not a precommit/) })
    const cert = makeCertificate(block.header!, 0, five)
    const winner = h.nodes[0].state!.outcome!.winner!.answer
    const proof = { certificate: cert, record: encodeRoundRecord(record), recordHashes: [recordHash(record)], answer: winner }
    expect(await verifyAnswer(proof, state.validators, networkId)).toMatchObject({ valid: true, height: 2 })
    expect(await verifyAnswer({ ...proof, answer: winner + '0' }, state.validators, networkId)).toMatchObject({ valid: false })
    expect(await verifyAnswer({ ...proof, recordHashes: [sha256(utf8('z'))] }, state.validators, networkId)).toMatchObject({ valid: false })
  })
})

describe('the validator set', () => {
  it('newcomers and growing members together gain at most maxEntryPpm of the power per epoch', () => {
    const validators = Array.from({ length: 8 }, (_, i) => ({ peerId: `12D3KooWvalidator${i}`, reputationPpm: 500_000 }))
    const state = genesisState({ network: 'x', params: defaultProtocolParams, validators })
    // 1,000 fresh identities that somehow passed probation with full reputation
    for (let i = 0; i < 1000; i++) state.reputations.set(`12D3KooWsybil${String(i).padStart(4, '0')}`, { reputationPpm: 1_000_000, qualifiedRounds: 5, onProbation: false })
    state.reputations.set('12D3KooWnewbie', newcomer())
    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, p) => a + p, 0)
    const sybilPower = (m: Map<string, number>): number => [...m].filter(([id]) => id.includes('sybil')).reduce((a, [, p]) => a + p, 0)
    let set = state.validators
    let epochs = 0
    while (sybilPower(set) * 3 < total(set) && epochs < 100) {
      const next = nextValidatorSet({ ...state, validators: set }, defaultBftParams)
      expect(total(next) - total(set)).toBeLessThanOrEqual(Math.floor(total(set) * defaultBftParams.maxEntryPpm / 1_000_000))
      expect(next.has('12D3KooWnewbie')).toBe(false) // on probation: no power at all
      for (const v of validators) expect(next.get(v.peerId)).toBe(500_000)
      set = next
      epochs++
    }
    expect(epochs).toBeGreaterThanOrEqual(3) // a third of the power takes several epochs
    expect(epochs).toBeLessThan(100)
  })

  it('changes only at epoch boundaries', () => {
    const genesis: Genesis = { network: 'x', params: { ...defaultProtocolParams, bft: { ...defaultBftParams, epochBlocks: 4 } }, validators: [{ peerId: '12D3KooWa', reputationPpm: 500_000 }] }
    let state = genesisState(genesis)
    state.reputations.set('12D3KooWb', { reputationPpm: 400_000, qualifiedRounds: 5, onProbation: false })
    for (let h = 1; h <= 4; h++) {
      const block = { header: { height: h, prevHash: state.lastBlockHash, recordsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), time: h, proposer: utf8('12D3KooWa'), queriesRoot: new Uint8Array(32), roundMessagesRoot: new Uint8Array(32), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }
      state = applyBlock(state, block, genesis.params)
      expect(state.validators.has('12D3KooWb')).toBe(h === 4)
    }
  })

  it('the state root kept per ordered query equals the root computed afresh, block after block', async () => {
    // Every entry's bytes are kept per entry object (protocol/state-root.ts): a block that marks a
    // round final, fills in the ordering block's hash or orders a round message must change the root.
    const genesis: Genesis = { network: 'x', params: { ...defaultProtocolParams, bft: { ...defaultBftParams, epochBlocks: 4 } }, validators: [{ peerId: '12D3KooWa', reputationPpm: 500_000 }] }
    let state = genesisState(genesis)
    const roots = new Set<string>()
    const qid = (n: number): Bytes => sha256(utf8(`query ${n}`))
    for (let h = 1; h <= 12; h++) {
      const queries = [{ messageId: qid(2 * h), submitter: utf8('12D3KooWa') }, { messageId: qid(2 * h + 1), submitter: utf8('12D3KooWb') }]
      // a round message for each query the last block ordered
      const roundMessages = h === 1 ? [] : [{ messageId: sha256(utf8(`message ${h}`)), queryId: qid(2 * h - 2) }, { messageId: sha256(utf8(`message ${h}'`)), queryId: qid(2 * h - 1) }]
      const block = { header: { height: h, prevHash: state.lastBlockHash, recordsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), time: 1_000 * h, proposer: utf8('12D3KooWa'), queriesRoot: new Uint8Array(32), roundMessagesRoot: new Uint8Array(32), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }, records: [], admissions: [], queries, roundMessages, evidence: [] }
      const before = toHex(stateRoot(state))
      state = applyBlock(state, block, genesis.params)
      const kept = toHex(stateRoot(state))
      // afresh: a new instance of the module, whose kept bytes are empty
      vi.resetModules()
      const fresh = await import('../../protocol/state-root.js')
      expect(kept, `height ${h}`).toBe(toHex(fresh.stateRoot(state)))
      expect(kept).not.toBe(before)
      roots.add(kept)
    }
    expect(roots.size).toBe(12)
    expect(state.ordered.size).toBe(24)
    expect([...state.ordered.values()].filter(e => e.messages.length > 0).length).toBeGreaterThan(0)
  })
})
