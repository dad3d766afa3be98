import { describe, expect, it } from 'vitest'
import { openChainRound } from '../../protocol/chain-round.js'
import type { ChainRoundInput } from '../../protocol/chain-round.js'
import { roundPoolLimits, RoundPool } from '../../protocol/bft/round-pool.js'
import { RoundSet, roundSetLimits } from '../../protocol/round-set.js'
import { EarlyMessages } from '../../protocol/early-messages.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { roundEndsAt } from '../../protocol/round.js'
import { genesisState } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'

/**
 * The pool of round messages waiting for blocks (protocol/bft/round-pool.ts) is keyed by data
 * peers send: a flood keeps it within its bounds, and strangers cannot crowd a committee out.
 */
const params = { ...defaultProtocolParams, answerers: 4, rankers: 4 }
const members = ['val-a', 'val-b', 'val-c', 'val-d']
const T0 = 1_700_000_000_000
const genesis = genesisState({ network: 'unit', params, validators: members.map(peerId => ({ peerId, reputationPpm: 500_000 })) })
const qid = (label: string): string => toHex(sha256(utf8(label)))
const query = (label: string): SignedMessage => ({ id: sha256(utf8(label)), idHex: qid(label), signerId: 'val-a', payload: { networkId: new Uint8Array(32), query: { prompt: 'p', anchorHeight: 0, createdAt: 0, nonce: new Uint8Array(0) } }, bytes: new Uint8Array(0) }) as unknown as SignedMessage
let n = 0
const commit = (label: string, from: string): SignedMessage => {
  const idHex = toHex(sha256(utf8(`commit ${n++}`)))
  return { id: sha256(utf8(idHex)), idHex, signerId: from, payload: { networkId: new Uint8Array(32), answerCommit: { queryId: sha256(utf8(label)), commitment: sha256(utf8(idHex)) } }, bytes: new Uint8Array(0) } as unknown as SignedMessage
}
const ordered = (labels: string[]): LedgerState => ({ ...genesis, height: 1, lastBlockTime: T0, ordered: new Map(labels.map(l => [qid(l), { height: 1, time: T0, submitter: 'val-a', final: false, messages: [] }])) })
const input = (label: string): ChainRoundInput => ({ query: query(label), start: { seed: sha256(utf8(label)), time: T0 }, table: genesis.reputations, params })

describe('the round pool', () => {
  it('keeps only its committees\' messages, each once, and orders them by block time', () => {
    const pool = new RoundPool(params)
    const state = ordered(['q'])
    pool.open(input('q'), state, [], T0)
    const answerers = openChainRound(input('q')).answerers
    for (let i = 0; i < 10_000; i++) pool.add(commit('q', `stranger-${i}`), state, T0, () => false)
    expect(pool.pendingMessages).toBe(0)
    const theirs = answerers.map(a => commit('q', a))
    for (const m of [...theirs, ...theirs]) pool.add(m, state, T0, () => false)
    expect(pool.pendingMessages).toBe(answerers.length)
    const work = pool.work(state, T0 + 100)
    expect(work.roundMessages.map(m => toHex(m.messageId)).sort()).toEqual(theirs.map(m => toHex(m.id)).sort())
    expect(work.records).toHaveLength(0) // nobody revealed yet: the round is open on the chain
    // past the commit deadline, a commit can no longer count: it leaves the pool
    const late = new RoundPool(params)
    late.open(input('q'), state, [], T0)
    late.add(commit('q', answerers[0]), state, T0, () => false)
    expect(late.work(state, openChainRound(input('q')).deadlines.answering).roundMessages).toHaveLength(0)
    expect(late.pendingMessages).toBe(0)
  })

  it('a round\'s end is known from its block and the genesis alone (roundEndsAt): its last deadline', () => {
    expect(roundEndsAt(input('q').start, params)).toBe(openChainRound(input('q')).deadlines['comparison-reveal'])
  })

  it('bounds messages per round and for rounds not opened yet (a flood test)', () => {
    const pool = new RoundPool(params)
    const state = ordered([])
    for (let r = 0; r < roundPoolLimits.maxEarlyRounds + 50; r++) {
      for (let i = 0; i < 24; i++) pool.add(commit(`early ${r}`, members[i % 4]), state, T0, () => true)
    }
    expect(pool.earlyMessages).toBeLessThanOrEqual(roundPoolLimits.maxEarlyRounds * members.length * roundPoolLimits.maxEarlyPerSigner)
    const open = ordered(['busy'])
    pool.open(input('busy'), open, [], T0)
    const answerers = openChainRound(input('busy')).answerers
    for (let i = 0; i < roundPoolLimits.maxPendingPerRound * 4; i++) pool.add(commit('busy', answerers[i % answerers.length]), open, T0, () => false)
    expect(pool.pendingMessages).toBeLessThanOrEqual(roundPoolLimits.maxPendingPerRound)
  })

  it('keeps a known query\'s early messages, a few per signer, against a flood of made-up query ids (a flood test)', () => {
    // 'real' waits in the query pool; its round opens once a block orders it. Until then its
    // members' messages are early. A member floods first its own junk for 'real', then messages
    // for made-up queries (the eviction the old buffer allowed: 128 made-up ids flushed it).
    const pool = new RoundPool(params)
    const waiting = (id: string): boolean => id === qid('real')
    const before = ordered([])
    for (let i = 0; i < roundPoolLimits.maxEarlyPerRound * 2; i++) pool.add(commit('real', 'val-d'), before, T0, waiting)
    const genuine = ['val-a', 'val-b', 'val-c'].map(m => commit('real', m))
    for (const m of genuine) pool.add(m, before, T0, waiting)
    for (let r = 0; r < 10_000; r++) pool.add(commit(`junk ${r}`, 'val-d'), before, T0, waiting)
    for (let r = 0; r < 100; r++) pool.add(commit(`stranger ${r}`, `stranger-${r}`), before, T0, () => true)
    // the flooder's few for 'real', and a few for its made-up queries; nothing from strangers
    expect(pool.earlyMessages).toBeLessThanOrEqual(genuine.length + roundPoolLimits.maxEarlyPerSigner + roundPoolLimits.maxEarlyUnknownPerSigner)
    const after = ordered(['real'])
    pool.open(input('real'), after, [], T0)
    const answerers = new Set(openChainRound(input('real')).answerers)
    const kept = pool.work(after, T0 + 100).roundMessages.map(m => toHex(m.messageId))
    for (const m of genuine.filter(g => answerers.has(g.signerId))) expect(kept).toContain(toHex(m.id))
  })

  it('asks for a block once a message has waited, in time for its deadline, and when a round closed here', () => {
    const pool = new RoundPool(params)
    const state = ordered(['q'])
    pool.open(input('q'), state, [], T0)
    expect(pool.wantsBlock(T0)).toBe(false)
    const answerers = openChainRound(input('q')).answerers
    pool.add(commit('q', answerers[0]), state, T0, () => false)
    expect(pool.wantsBlock(T0 + 10)).toBe(false)
    expect(pool.nextWake(T0)).toBe(T0 + roundPoolLimits.batchMs)
    expect(pool.wantsBlock(T0 + roundPoolLimits.batchMs)).toBe(true)
    pool.closedHere(qid('q'))
    expect(pool.wantsBlock(T0 + 10)).toBe(true)
  })
})

describe('the local rounds\' early messages', () => {
  it('keep a few per signer: one member cannot fill a round\'s slots before the others\' arrive (a flood test)', () => {
    const set = new RoundSet({ self: 'val-a', networkId: new Uint8Array(32), params })
    const real = qid('real')
    for (let i = 0; i < roundSetLimits.maxEarlyPerQuery * 2; i++) set.handle({ type: 'message', queryIdHex: real, message: commit('real', 'val-d') }, T0)
    for (const m of ['val-a', 'val-b', 'val-c']) set.handle({ type: 'message', queryIdHex: real, message: commit('real', m) }, T0)
    // the flooder's first few and every other member's one
    expect(set.earlyMessages).toBe(roundSetLimits.maxEarlyPerSigner + 3)
  })
})

describe('the early-message buffer', () => {
  const limits = { maxQueries: 8, maxPerQuery: 64, maxPerSigner: 4, maxUnknownPerSigner: 16 }

  it('keeps a lagging node\'s messages for a query it has not seen yet, and hands them over when the round opens', () => {
    const early = new EarlyMessages(limits)
    const theirs = ['val-a', 'val-b', 'val-c'].map(m => commit('behind', m))
    for (const m of theirs) early.add(qid('behind'), m, false)
    expect(early.take(qid('behind')).map(m => m.idHex)).toEqual(theirs.map(m => m.idHex))
    expect(early.size).toBe(0)
  })

  it('lets no flood of made-up query ids, from one member or many, push a known query\'s messages out', () => {
    const early = new EarlyMessages(limits)
    const known = Array.from({ length: limits.maxQueries / 2 }, (_, i) => ['val-a', 'val-b'].map(m => commit(`known ${i}`, m)))
    known.forEach((ms, i) => { for (const m of ms) early.add(qid(`known ${i}`), m, true) })
    for (let signer = 0; signer < 100; signer++) {
      for (let r = 0; r < 100; r++) early.add(qid(`junk ${signer} ${r}`), commit(`junk ${signer} ${r}`, `member-${signer}`), false)
    }
    known.forEach((ms, i) => expect(early.take(qid(`known ${i}`)).map(m => m.idHex)).toEqual(ms.map(m => m.idHex)))
    // what is left is made-up queries' messages, within the bounds
    expect(early.size).toBeLessThanOrEqual(limits.maxQueries)
  })
})
