import { describe, expect, it } from 'vitest'
import { openChainRound } from '../../protocol/chain-round.js'
import type { ChainRoundInput } from '../../protocol/chain-round.js'
import { roundPoolLimits, RoundPool } from '../../protocol/bft/round-pool.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
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
    for (let i = 0; i < 10_000; i++) pool.add(commit('q', `stranger-${i}`), state, T0)
    expect(pool.pendingMessages).toBe(0)
    const theirs = answerers.map(a => commit('q', a))
    for (const m of [...theirs, ...theirs]) pool.add(m, state, T0)
    expect(pool.pendingMessages).toBe(answerers.length)
    const work = pool.work(state, T0 + 100)
    expect(work.roundMessages.map(m => toHex(m.messageId)).sort()).toEqual(theirs.map(m => toHex(m.id)).sort())
    expect(work.records).toHaveLength(0) // nobody revealed yet: the round is open on the chain
    // past the commit deadline, a commit can no longer count: it leaves the pool
    const late = new RoundPool(params)
    late.open(input('q'), state, [], T0)
    late.add(commit('q', answerers[0]), state, T0)
    expect(late.work(state, openChainRound(input('q')).deadlines.answering).roundMessages).toHaveLength(0)
    expect(late.pendingMessages).toBe(0)
  })

  it('bounds messages per round and for rounds not opened yet (a flood test)', () => {
    const pool = new RoundPool(params)
    const state = ordered([])
    for (let r = 0; r < roundPoolLimits.maxEarlyRounds * 3; r++) {
      for (let i = 0; i < roundPoolLimits.maxEarlyPerRound * 2; i++) pool.add(commit(`early ${r}`, members[i % 4]), state, T0)
    }
    expect(pool.earlyMessages).toBeLessThanOrEqual(roundPoolLimits.maxEarlyRounds * roundPoolLimits.maxEarlyPerRound)
    const open = ordered(['busy'])
    pool.open(input('busy'), open, [], T0)
    const answerers = openChainRound(input('busy')).answerers
    for (let i = 0; i < roundPoolLimits.maxPendingPerRound * 4; i++) pool.add(commit('busy', answerers[i % answerers.length]), open, T0)
    expect(pool.pendingMessages).toBeLessThanOrEqual(roundPoolLimits.maxPendingPerRound)
  })

  it('asks for a block once a message has waited, in time for its deadline, and when a round closed here', () => {
    const pool = new RoundPool(params)
    const state = ordered(['q'])
    pool.open(input('q'), state, [], T0)
    expect(pool.wantsBlock(T0)).toBe(false)
    const answerers = openChainRound(input('q')).answerers
    pool.add(commit('q', answerers[0]), state, T0)
    expect(pool.wantsBlock(T0 + 10)).toBe(false)
    expect(pool.nextWake(T0)).toBe(T0 + roundPoolLimits.batchMs)
    expect(pool.wantsBlock(T0 + roundPoolLimits.batchMs)).toBe(true)
    pool.closedHere(qid('q'))
    expect(pool.wantsBlock(T0 + 10)).toBe(true)
  })
})
