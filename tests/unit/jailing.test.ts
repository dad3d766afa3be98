import type { PrivateKey } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { defaultAdmissionParams } from '../../protocol/admission.js'
import { checkProposedBlock } from '../../protocol/bft/block-check.js'
import type { BlockCheckContext } from '../../protocol/bft/block-check.js'
import { defaultBftParams, defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis, ProtocolParams } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { defaultJailingParams, embeddedEnvelopes, makeDoubleVote, makeLastCommit } from '../../protocol/jailing.js'
import { applyBlock, buildBlock, fromSnapshot, genesisState, stateRoot, toSnapshot } from '../../protocol/ledger.js'
import type { BlockExtras, LedgerState } from '../../protocol/ledger.js'
import { nodeIdBytes } from '../../protocol/record.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import type { Admission, Block } from '../../protocol/wire/messages.js'
import { networkId, testKey } from '../helpers/wire-fixtures.js'

/** Seven validators of equal reputation; epochs of 4 blocks; a window of 12 commits. */
const params: ProtocolParams = {
  ...defaultProtocolParams,
  bft: { ...defaultBftParams, epochBlocks: 4 },
  jailing: { ...defaultJailingParams, windowBlocks: 12, jailMs: 60_000 },
  admission: defaultAdmissionParams
}

const keys: PrivateKey[] = await Promise.all(Array.from({ length: 8 }, async (_, i) => testKey(100 + i)))
const ids = await Promise.all(keys.map(async k => (await signMessage(k, { networkId, join: { createdAt: 0 } })).signerId))
const genesis: Genesis = { network: 'jail', params, validators: ids.slice(0, 7).map(peerId => ({ peerId, reputationPpm: 500_000 })) }
const T = 1_700_000_000_000
const timeOf = (height: number): number => T + height * 1_000

/** What a validator signs: precommits and prevotes. */
async function vote (i: number, height: number, round: number, blockHash: Uint8Array<ArrayBuffer>, type = VoteType.PRECOMMIT): Promise<SignedMessage> {
  return signMessage(keys[i], { networkId, vote: { type, height, round, blockHash } })
}

/** The commit of the last block in `state`, signed by validators `signers`. */
async function commitOf (state: LedgerState, signers: number[], round = 0): Promise<{ extras: BlockExtras, messages: SignedMessage[] }> {
  const messages = await Promise.all(signers.map(async i => vote(i, state.height, round, state.lastBlockHash)))
  return { extras: { lastCommit: makeLastCommit(round, messages) }, messages }
}

/** A block on `state` carrying a Join (blocks are never empty) and `extras`, with the context a validator checks it in. */
async function blockOn (state: LedgerState, extras: BlockExtras, verified: SignedMessage[], admissions: Admission[] = [], joins: SignedMessage[] = []): Promise<{ block: Block, ctx: BlockCheckContext }> {
  let adm = admissions
  let js = joins
  if (adm.length === 0) {
    const fresh = await signMessage(await testKey(10_000 + state.height), { networkId, join: { createdAt: timeOf(state.height + 1) } })
    adm = [{ node: nodeIdBytes(fresh.signerId), joinMessageId: fresh.id }]
    js = [fresh]
  }
  const proposer = [...state.validators.keys()][0]
  const block = buildBlock(state, [], proposer, timeOf(state.height + 1), params, adm, [], extras)
  const messages = new Map([...verified, ...js].map(m => [m.idHex, m]))
  return { block, ctx: { state, params, validators: state.validators, messages, tableAt: () => undefined, isFinalized: () => false } }
}

/** Apply `n` blocks whose commits are signed by `signersAt(height)`. */
async function run (state: LedgerState, n: number, signersAt: (parent: number) => number[]): Promise<LedgerState> {
  let s = state
  for (let k = 0; k < n; k++) {
    const extras = s.height === 0 ? {} : (await commitOf(s, signersAt(s.height))).extras
    s = applyBlock(s, buildBlock(s, [], [...s.validators.keys()][0], timeOf(s.height + 1), params, [], [], extras), params)
  }
  return s
}

const all = [0, 1, 2, 3, 4, 5, 6]

describe('the last commit in blocks (DESIGN §8.8)', async () => {
  const s1 = await run(genesisState(genesis), 1, () => all)

  it('a block after the first carries its parent\'s commit with more than 2/3 of the power, each precommit verified', async () => {
    const { extras, messages } = await commitOf(s1, [0, 1, 2, 3, 4])
    const { block, ctx } = await blockOn(s1, extras, messages)
    expect(checkProposedBlock(block, ctx)).toEqual({ valid: true })
    expect(embeddedEnvelopes(block)).toHaveLength(5)

    const none = await blockOn(s1, {}, [])
    expect(checkProposedBlock(none.block, none.ctx)).toMatchObject({ valid: false, code: 'last_commit', reason: expect.stringMatching(/no commit of block 1/) })
    const few = await commitOf(s1, [0, 1, 2, 3])
    const short = await blockOn(s1, few.extras, few.messages)
    expect(checkProposedBlock(short.block, short.ctx)).toMatchObject({ valid: false, code: 'last_commit', reason: expect.stringMatching(/more than 2\/3/) })
    // the shell did not verify one of them (a bad signature)
    const unverified = await blockOn(s1, extras, messages.slice(1))
    expect(checkProposedBlock(unverified.block, unverified.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/not validly signed/) })
    // a precommit for another block, another height, or by a stranger
    const other = await vote(5, 1, 0, sha256(utf8('another block')))
    const wrong = await blockOn(s1, { lastCommit: makeLastCommit(0, [...messages, other]) }, [...messages, other])
    expect(checkProposedBlock(wrong.block, wrong.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/not for block 1/) })
    const stranger = await vote(7, 1, 0, s1.lastBlockHash)
    const outsider = await blockOn(s1, { lastCommit: makeLastCommit(0, [...messages, stranger]) }, [...messages, stranger])
    expect(checkProposedBlock(outsider.block, outsider.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/did not decide block 1/) })
    // unordered or repeated signers: one encoding per commit
    const reordered = { round: 0, precommits: [...extras.lastCommit!.precommits].reverse() }
    const unordered = await blockOn(s1, { lastCommit: reordered }, messages)
    expect(checkProposedBlock(unordered.block, unordered.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/ordered by signer/) })
    // a header that commits to other precommits than the block carries
    const swapped = { ...block, lastCommit: few.extras.lastCommit }
    expect(checkProposedBlock(swapped, { ...ctx, messages: new Map([...ctx.messages, ...few.messages.map(m => [m.idHex, m] as const)]) })).toMatchObject({ valid: false, reason: expect.stringMatching(/lastCommitHash/) })
  })

  it('the first block carries none, and a network without params.jailing carries none at all', async () => {
    const g0 = genesisState(genesis)
    const { extras, messages } = await commitOf(s1, all)
    const first = await blockOn(g0, extras, messages)
    expect(checkProposedBlock(first.block, first.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/first block/) })
    const legacy = { ...params, jailing: undefined }
    const legacyState = genesisState({ ...genesis, params: legacy })
    expect(legacyState.jailing).toBeUndefined()
    const b = await blockOn(s1, extras, messages)
    expect(checkProposedBlock(b.block, { ...b.ctx, state: { ...s1, jailing: undefined }, params: legacy })).toMatchObject({ valid: false, reason: expect.stringMatching(/records no commits/) })
  })
})

describe('jailing (DESIGN §8.8)', async () => {
  it('a validator missing from most of a full window is jailed at the epoch end, loses its power, and the state root covers it', async () => {
    const start = await run(genesisState(genesis), 4, () => all)
    // validator 6 leaves after block 4
    let s = start
    let jailedAt: number | undefined
    while (jailedAt === undefined && s.height < 40) {
      s = await run(s, 1, () => [0, 1, 2, 3, 4, 5])
      if (s.jailing!.jailed.has(ids[6])) jailedAt = s.height
    }
    // watched since block 1; > 2/3 of 12 commits missed (9) after leaving at 4: commits 4…12 → block 13; epoch end → 16
    expect(jailedAt).toBe(16)
    expect(s.validators.has(ids[6])).toBe(false)
    expect(s.reputations.get(ids[6])?.reputationPpm).toBe(500_000) // still a member, reputation kept
    expect(s.jailing!.jailed.get(ids[6])).toBe(timeOf(16) + 60_000)
    // snapshots carry the jail, and the root commits to it
    expect(stateRoot(fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(s)))))).toEqual(stateRoot(s))
    expect(stateRoot({ ...s, jailing: { ...s.jailing!, jailed: new Map() } })).not.toEqual(stateRoot(s))
  })

  it('Byzantine proposers leaving an honest validator out of every block they build (a third of them) never get it jailed', async () => {
    // validator 0 is left out of every third commit, forever
    const s = await run(genesisState(genesis), 80, parent => (parent % 3 === 0 ? [1, 2, 3, 4, 5, 6] : all))
    expect(s.jailing!.jailed.size).toBe(0)
    expect(s.validators.get(ids[0])).toBe(500_000)
    expect(s.jailing!.watch.get(ids[0])!.missed.length).toBe(4) // 4 of the last 12: a third
  })

  it('a jailed validator comes back only with a Join signed after its jail, then re-enters at an epoch end', async () => {
    let s = await run(genesisState(genesis), 4, () => all)
    s = await run(s, 12, () => [0, 1, 2, 3, 4, 5])
    expect(s.jailing!.jailed.has(ids[6])).toBe(true)
    const until = s.jailing!.jailed.get(ids[6])!
    const joinAt = async (createdAt: number): Promise<SignedMessage> => signMessage(keys[6], { networkId, join: { createdAt } })
    const admit = (j: SignedMessage): Admission[] => [{ node: nodeIdBytes(j.signerId), joinMessageId: j.id }]
    // too early: the jail is not over (blocks are ~1 s apart; the jail is 60 s)
    const early = await joinAt(timeOf(s.height + 1))
    const c = await commitOf(s, [0, 1, 2, 3, 4, 5])
    const e = await blockOn(s, c.extras, c.messages, admit(early), [early])
    expect(checkProposedBlock(e.block, e.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/jailed/) })
    // later, blocks keep coming without it
    while (timeOf(s.height + 1) < until) s = await run(s, 1, () => [0, 1, 2, 3, 4, 5])
    // a Join signed before the jail ended (replayed by anyone) does not release it
    const replayed = await joinAt(until - 1)
    const c2 = await commitOf(s, [0, 1, 2, 3, 4, 5])
    const r = await blockOn(s, c2.extras, c2.messages, admit(replayed), [replayed])
    expect(checkProposedBlock(r.block, r.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/signed before its jail ended/) })
    // a fresh one does
    const fresh = await joinAt(timeOf(s.height + 1))
    const f = await blockOn(s, c2.extras, c2.messages, admit(fresh), [fresh])
    expect(checkProposedBlock(f.block, f.ctx)).toEqual({ valid: true })
    s = applyBlock(s, f.block, params)
    expect(s.jailing!.jailed.has(ids[6])).toBe(false)
    s = await run(s, 4, () => all)
    expect(s.validators.get(ids[6])).toBeGreaterThan(0)
  })
})

describe('double-vote evidence (DESIGN §8.9)', async () => {
  const s2 = await run(genesisState(genesis), 2, () => all)
  const hashA = sha256(utf8('block a'))
  const hashB = sha256(utf8('block b'))

  it('two votes of one kind, height and round by one validator cost it half its reputation and jail it, once', async () => {
    const a = await vote(3, 3, 0, hashA, VoteType.PREVOTE)
    const b = await vote(3, 3, 0, new Uint8Array(0), VoteType.PREVOTE) // nil counts as a different value
    const c = await commitOf(s2, all)
    const evidence = [makeDoubleVote(a, b)]
    const { block, ctx } = await blockOn(s2, { ...c.extras, evidence }, [...c.messages, a, b])
    expect(checkProposedBlock(block, ctx)).toEqual({ valid: true })
    const s3 = applyBlock(s2, block, params)
    expect(s3.reputations.get(ids[3])!.reputationPpm).toBe(250_000)
    expect(s3.jailing!.jailed.get(ids[3])).toBe(timeOf(3) + defaultJailingParams.doubleVoteJailMs)
    const s4 = await run(s3, 1, () => all) // epoch end at 4
    expect(s4.validators.has(ids[3])).toBe(false)

    // replayed evidence, or another pair for the same offence (a third vote), is refused
    const third = await vote(3, 3, 0, hashB, VoteType.PREVOTE)
    const c3 = await commitOf(s3, all)
    for (const ev of [makeDoubleVote(a, b), makeDoubleVote(a, third)]) {
      const again = await blockOn(s3, { ...c3.extras, evidence: [ev] }, [...c3.messages, a, b, third])
      expect(checkProposedBlock(again.block, again.ctx)).toMatchObject({ valid: false, code: 'evidence', reason: expect.stringMatching(/already punished/) })
    }
    // …and twice in one block
    const twice = await blockOn(s2, { ...c.extras, evidence: [makeDoubleVote(a, b), makeDoubleVote(a, third)] }, [...c.messages, a, b, third])
    expect(checkProposedBlock(twice.block, twice.ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/already punished/) })
    // a precommit double vote in the same round is its own offence
    const pa = await vote(3, 3, 0, hashA)
    const pb = await vote(3, 3, 0, hashB)
    const other = await blockOn(s3, { ...c3.extras, evidence: [makeDoubleVote(pa, pb)] }, [...c3.messages, pa, pb])
    expect(checkProposedBlock(other.block, other.ctx)).toEqual({ valid: true })
  })

  it('refuses evidence that proves nothing', async () => {
    const c = await commitOf(s2, all)
    const check = async (first: SignedMessage, second: SignedMessage, verified = [first, second]): Promise<unknown> => {
      const { block, ctx } = await blockOn(s2, { ...c.extras, evidence: [makeDoubleVote(first, second)] }, [...c.messages, ...verified])
      return checkProposedBlock(block, ctx)
    }
    const a = await vote(2, 2, 1, hashA)
    expect(await check(a, await vote(2, 2, 1, hashA, VoteType.PREVOTE))).toMatchObject({ valid: false, reason: expect.stringMatching(/different steps/) })
    expect(await check(a, await vote(2, 2, 2, hashB))).toMatchObject({ valid: false, reason: expect.stringMatching(/different steps/) })
    expect(await check(a, await vote(1, 2, 1, hashB))).toMatchObject({ valid: false, reason: expect.stringMatching(/different signers/) })
    const b = await vote(2, 2, 1, hashB)
    expect(await check(a, b, [a])).toMatchObject({ valid: false, reason: expect.stringMatching(/not validly signed/) })
    expect(await check(await vote(7, 2, 1, hashA), await vote(7, 2, 1, hashB))).toMatchObject({ valid: false, reason: expect.stringMatching(/not in the ledger/) })
    expect(await check(await vote(2, 9, 0, hashA), await vote(2, 9, 0, hashB))).toMatchObject({ valid: false, reason: expect.stringMatching(/outside the evidence window/) })
    // the same vote twice is not two votes
    const { block, ctx } = await blockOn(s2, { ...c.extras, evidence: [{ first: a.bytes, second: a.bytes }] }, [...c.messages, a])
    expect(checkProposedBlock(block, ctx)).toMatchObject({ valid: false, reason: expect.stringMatching(/two, the smaller id first/) })
    // evidence older than maxEvidenceAgeBlocks
    const old = { ...params, jailing: { ...params.jailing!, maxEvidenceAgeBlocks: 1 } }
    const o1 = await vote(2, 1, 0, hashA)
    const o2 = await vote(2, 1, 0, hashB)
    const aged = await blockOn(s2, { ...c.extras, evidence: [makeDoubleVote(o1, o2)] }, [...c.messages, o1, o2])
    expect(checkProposedBlock(aged.block, { ...aged.ctx, params: old })).toMatchObject({ valid: false, reason: expect.stringMatching(/outside the evidence window/) })
    expect(toHex(aged.block.header!.evidenceHash)).toHaveLength(64)
  })
})
