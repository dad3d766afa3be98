import { describe, expect, it } from 'vitest'
import { admissibleJoins, defaultAdmissionParams, entryRoom, joinFault } from '../../protocol/admission.js'
import { checkProposedBlock } from '../../protocol/bft/block-check.js'
import { HeightDriver } from '../../protocol/bft/height-driver.js'
import { proposerFor } from '../../protocol/bft/proposer.js'
import { defaultBftParams, defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis, ProtocolParams } from '../../protocol/genesis.js'
import { applyBlock, buildBlock, genesisState, proposeBlock } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import { nodeIdBytes } from '../../protocol/record.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import type { Admission } from '../../protocol/wire/messages.js'
import { networkId, testKey } from '../helpers/wire-fixtures.js'

const T = 1_700_000_000_000
const params: ProtocolParams = { ...defaultProtocolParams, admission: defaultAdmissionParams }
const validators = ['val-a', 'val-b', 'val-c', 'val-d']
const genesis: Genesis = { network: 'adm', params, validators: validators.map(peerId => ({ peerId, reputationPpm: 500_000 })) }
const state = { ...genesisState(genesis), lastBlockTime: T }
const joinOf = async (n: number, createdAt: number): Promise<SignedMessage> => signMessage(await testKey(500 + n), { networkId, join: { createdAt } })
const admissionsOf = (joins: SignedMessage[]): Admission[] => joins.map(j => ({ node: nodeIdBytes(j.signerId), joinMessageId: j.id }) as Admission)
const ctxOf = (s: LedgerState, joins: SignedMessage[], p = params): Parameters<typeof checkProposedBlock>[1] => ({ state: s, params: p, validators: s.validators, messages: new Map(joins.map(j => [j.idHex, j])), tableAt: () => undefined, isFinalized: () => false })

describe('admissions (DESIGN §8.11)', () => {
  it('block validity bounds the admissions of a block, not only an honest proposer', async () => {
    const joins = await Promise.all(Array.from({ length: 17 }, async (_, i) => joinOf(i, T)))
    // what an honest proposer does: 16
    expect(proposeBlock(state, [], joins, 'val-a', T + 1, params)!.admissions).toHaveLength(16)
    // a proposer that puts 17 in is refused
    const greedy = buildBlock(state, [], 'val-a', T + 1, params, admissionsOf(joins))
    expect(checkProposedBlock(greedy, ctxOf(state, joins))).toMatchObject({ valid: false, code: 'too_many_admissions' })
    const fair = buildBlock(state, [], 'val-a', T + 1, params, admissionsOf(joins.slice(0, 16)))
    expect(checkProposedBlock(fair, ctxOf(state, joins))).toEqual({ valid: true })
    // the genesis can set it lower
    const strict = { ...params, admission: { ...defaultAdmissionParams, perBlock: 2 } }
    expect(checkProposedBlock(buildBlock(state, [], 'val-a', T + 1, strict, admissionsOf(joins.slice(0, 3))), ctxOf(state, joins, strict))).toMatchObject({ valid: false, code: 'too_many_admissions' })
  })

  it('a Join admits its node only while fresh: an expired or future-dated one is refused by the block check and left out by proposers', async () => {
    const old = await joinOf(1, T - defaultAdmissionParams.joinTtlMs - 1)
    const ahead = await joinOf(2, T + 10 + defaultAdmissionParams.maxJoinAheadMs + 1)
    const fresh = await joinOf(3, T - 1_000)
    expect(joinFault(state, old, T + 10, params)).toMatch(/older than/)
    expect(joinFault(state, ahead, T + 10, params)).toMatch(/ahead/)
    expect(joinFault(state, fresh, T + 10, params)).toBeUndefined()
    expect(admissibleJoins(state, [old, ahead, fresh], T + 10, params).map(j => j.signerId)).toEqual([fresh.signerId])
    for (const j of [old, ahead]) {
      expect(checkProposedBlock(buildBlock(state, [], 'val-a', T + 10, params, admissionsOf([j])), ctxOf(state, [j]))).toMatchObject({ valid: false, code: 'admission_member' })
    }
  })

  it('pending Joins expire in the height driver; a fresh Join from the same node replaces an expired one', async () => {
    const leader = proposerFor(state.validators, 1, 0)
    const other = validators.find(v => v !== leader)!
    const driver = new HeightDriver<string>({ self: other, params, state })
    const stale = await joinOf(4, T)
    expect(driver.handle({ type: 'join', message: stale }, T + 1).verdict).toMatchObject({ result: 'ACCEPT' })
    // later than its time to live: the driver calls it stale, and a fresh one from the node is taken instead
    const later = T + defaultAdmissionParams.joinTtlMs + 5_000
    expect(driver.handle({ type: 'join', message: stale }, later).verdict).toMatchObject({ result: 'IGNORE', code: 'join_stale' })
    const renewed = await joinOf(4, later)
    expect(driver.handle({ type: 'join', message: renewed }, later).verdict).toMatchObject({ result: 'ACCEPT' })
    expect(driver.handle({ type: 'join', message: renewed }, later + 1).verdict).toMatchObject({ result: 'IGNORE', code: 'join_pending' })
  })

  it('the power entering the set is capped per hour of block time too: blocks made fast do not make epochs come faster', () => {
    // one epoch allows 1/8 of the total; 6 minutes since the last entry allow a tenth of the hourly 1/8
    expect(entryRoom(2_000_000, 125_000, T + 360_000, T, params)).toBe(25_000)
    expect(entryRoom(2_000_000, 125_000, T + 7_200_000, T, params)).toBe(250_000)
    // without params.admission (older networks) only the epoch cap applies
    expect(entryRoom(2_000_000, 125_000, T + 360_000, T, defaultProtocolParams)).toBe(250_000)

    // A newcomer past probation at reputation 0.5 wants 500000 of power; epochs come every 4 blocks, 1 s apart.
    const fast = { ...params, bft: { ...defaultBftParams, epochBlocks: 4 } }
    let s: LedgerState = genesisState({ ...genesis, params: fast })
    s = { ...s, reputations: new Map([...s.reputations, ['newcomer', { reputationPpm: 500_000, qualifiedRounds: 5, onProbation: false }]]) }
    for (let h = 1; h <= 4 * 20; h++) s = applyBlock(s, buildBlock(s, [], 'val-a', T + h * 1_000, fast), fast)
    // 20 epochs in 80 seconds (79 since the first block): per epoch alone it would be at its full 500000 after two epochs
    const power = s.validators.get('newcomer') ?? 0
    expect(power).toBeGreaterThan(0)
    expect(power).toBeLessThanOrEqual(Math.ceil(2_000_000 * 125_000 / 1_000_000 * 79_000 / 3_600_000))
    const perEpochOnly = { ...fast, admission: undefined }
    let t: LedgerState = genesisState({ ...genesis, params: perEpochOnly })
    t = { ...t, reputations: new Map([...t.reputations, ['newcomer', { reputationPpm: 500_000, qualifiedRounds: 5, onProbation: false }]]) }
    for (let h = 1; h <= 8; h++) t = applyBlock(t, buildBlock(t, [], 'val-a', T + h * 1_000, perEpochOnly), perEpochOnly)
    expect(t.validators.get('newcomer')).toBe(500_000)
  })
})
