import { describe, expect, it } from 'vitest'
import { HeightDriver, heightDriverLimits } from '../../protocol/bft/height-driver.js'
import { queryPoolLimits } from '../../protocol/bft/query-pool.js'
import type { ConsensusMemory, ConsensusMessage, HeightEffect, HeightEvent } from '../../protocol/bft/height-io.js'
import { proposerFor } from '../../protocol/bft/proposer.js'
import type { ValueId, VoteKind } from '../../protocol/bft/tendermint.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { applyBlock, genesisState, proposeBlock } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import type { Block } from '../../protocol/wire/messages.js'

/**
 * The height driver with a fake clock: every test feeds events at chosen times and reads the
 * effects, as the node's and the simulator's shells do.
 */
const validators = ['val-a', 'val-b', 'val-c', 'val-d']
const params = defaultProtocolParams
const genesis = genesisState({ network: 'unit', params, validators: validators.map(peerId => ({ peerId, reputationPpm: 500_000 })) })
const T0 = 1_700_000_000_000

let queries = 0
/** A member's query waiting to be ordered: the simplest thing that makes a block worth proposing. */
function query (from: string, anchorHeight = 0): SignedMessage {
  const idHex = toHex(sha256(utf8(`query ${queries++}`)))
  return { id: sha256(utf8(idHex)), idHex, signerId: from, payload: { networkId: new Uint8Array(32), query: { prompt: 'p', anchorHeight, createdAt: 0, nonce: new Uint8Array(0) } }, bytes: new Uint8Array(0) } as unknown as SignedMessage
}

let keys = 0
function vote (from: string, height: number, kind: VoteKind, round: number, id: ValueId): ConsensusMessage<string> {
  return { kind: 'vote', key: `k${keys++}`, height, from, vote: { kind, round, id, from, evidence: `${from}/${kind}/${round}` }, carrier: `${from}/${kind}/${round}` }
}

function proposal (from: string, height: number, round: number, block: Block, id: string): ConsensusMessage<string> {
  return { kind: 'proposal', key: `k${keys++}`, height, from, proposal: { round, value: block, id, validRound: -1, from }, carrier: `${from}/proposal/${round}` }
}

class Harness {
  readonly driver: HeightDriver<string>
  now = T0
  constructor (readonly self: string, state: LedgerState = genesis, memory?: ConsensusMemory) {
    this.driver = new HeightDriver<string>({ self, params, state, memory })
  }

  feed (event: HeightEvent<string>, at = this.now): ReturnType<HeightDriver<string>['handle']> {
    this.now = at
    return this.driver.handle(event, at)
  }
}

const ofType = <T extends HeightEffect<string>['type']>(effects: Array<HeightEffect<string>>, type: T): Array<Extract<HeightEffect<string>, { type: T }>> =>
  effects.filter(e => e.type === type) as Array<Extract<HeightEffect<string>, { type: T }>>

describe('height driver', () => {
  const leader = proposerFor(genesis.validators, 1, 0)

  it('proposes only when something is ready, then runs a height to a commit and starts the next one idle', () => {
    const h = new Harness(leader)
    // Nothing ready: a tick starts nothing (no empty blocks).
    expect(ofType(h.feed({ type: 'tick' }).effects, 'publish-proposal')).toHaveLength(0)
    const ready = h.feed({ type: 'query', message: query(validators[2]) })
    const [prop] = ofType(ready.effects, 'publish-proposal')
    expect(prop).toMatchObject({ height: 1, round: 0 })
    expect(prop.block.queries).toHaveLength(1)
    // Our own proposal comes back through gossip: the driver asks for the block to be checked.
    const own = proposal(leader, 1, 0, prop.block, 'block-1')
    const check = ofType(h.feed({ type: 'message', message: own }).effects, 'check-block')
    expect(check).toEqual([expect.objectContaining({ height: 1, id: 'block-1', prefer: leader })])
    // Valid: the prevote is remembered before it is published.
    const prevote = h.feed({ type: 'validated', height: 1, id: 'block-1', valid: true }).effects.map(e => e.type).filter(t => t === 'save-sign-state' || t === 'publish-vote')
    expect(prevote).toEqual(['save-sign-state', 'publish-vote'])
    for (const v of validators.slice(0, 3)) h.feed({ type: 'message', message: vote(v, 1, 'prevote', 0, 'block-1') })
    let commit: Extract<HeightEffect<string>, { type: 'commit' }> | undefined
    for (const v of validators.slice(0, 3)) commit ??= ofType(h.feed({ type: 'message', message: vote(v, 1, 'precommit', 0, 'block-1') }).effects, 'commit')[0]
    expect(commit).toMatchObject({ height: 1, round: 0, id: 'block-1' })
    expect(commit!.precommits).toHaveLength(3)
    // Decided and being stored: late votes of the height are useless.
    expect(h.driver.uselessBecause(1)).toBe('height 1 is decided')
    const next = applyBlock(genesis, commit!.block, params)
    const after = h.feed({ type: 'committed', block: commit!.block, state: next })
    expect(h.driver.height).toBe(2)
    expect(h.driver.pendingQueries).toBe(0)
    expect(ofType(after.effects, 'publish-proposal')).toHaveLength(0)
    expect(h.driver.messagesOfHeight(2)).toEqual([])
    expect(h.driver.uselessBecause(1)).toBe('height 1 is already committed')
  })

  it('rejects proposals and votes from outside the validator set and proposals from a non-proposer', () => {
    const h = new Harness(validators[0])
    expect(h.feed({ type: 'message', message: vote('stranger', 1, 'prevote', 0, null) }).verdict).toMatchObject({ result: 'REJECT' })
    const notProposer = validators.find(v => v !== leader)!
    const block = { header: { height: 1, prevHash: new Uint8Array(32), recordsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), time: 0, proposer: utf8(notProposer), queriesRoot: new Uint8Array(32), roundMessagesRoot: new Uint8Array(32), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }
    expect(h.feed({ type: 'message', message: proposal(notProposer, 1, 0, block, 'x') }).verdict).toMatchObject({ result: 'REJECT', reason: expect.stringMatching(/not the proposer/) })
  })

  it('keeps messages of the next height and replays them after the commit; asks for sync after the grace period only', () => {
    const h = new Harness(validators[0])
    const ahead = h.feed({ type: 'message', message: vote(validators[1], 2, 'prevote', 0, null) })
    expect(ahead.verdict).toMatchObject({ result: 'IGNORE' })
    expect(ofType(ahead.effects, 'sync')).toHaveLength(0)
    const wake = ofType(ahead.effects, 'wake-at').map(e => e.at)
    expect(wake).toContain(T0 + heightDriverLimits.behindGraceMs)
    // Still behind when the grace ends: sync, the sender asked first.
    expect(ofType(h.feed({ type: 'tick' }, T0 + heightDriverLimits.behindGraceMs).effects, 'sync')).toEqual([{ type: 'sync', height: 2, peer: validators[1] }])
    // Far ahead: at once.
    const far = new Harness(validators[0])
    expect(ofType(far.feed({ type: 'message', message: vote(validators[1], 5, 'prevote', 0, null) }).effects, 'sync')).toEqual([{ type: 'sync', height: 5, peer: validators[1] }])
  })

  it('buffers later heights up to its limit, and replays what it kept when it gets there', () => {
    const h = new Harness(validators[0])
    for (let i = 0; i < heightDriverLimits.maxFutureMessages + 50; i++) h.feed({ type: 'message', message: vote(validators[1 + (i % 3)], 2, 'prevote', i, null) })
    const block = { header: { height: 1, prevHash: new Uint8Array(32), recordsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), time: T0, proposer: utf8(leader), queriesRoot: new Uint8Array(32), roundMessagesRoot: new Uint8Array(32), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }
    h.feed({ type: 'committed', block, state: { ...genesis, height: 1 } })
    // Replayed votes started height 2 and sit in its log, no more than were kept.
    expect(h.driver.height).toBe(2)
    expect(h.driver.messagesOfHeight(2).length).toBe(heightDriverLimits.maxFutureMessages)
  })

  it('asks peers for the height\'s votes when it has sat in one round and step for stallMs', () => {
    const h = new Harness(validators[0])
    h.feed({ type: 'tick' })
    expect(ofType(h.feed({ type: 'tick' }, T0 + 1_000).effects, 'pull-votes')).toHaveLength(0)
    expect(ofType(h.feed({ type: 'tick' }, T0 + heightDriverLimits.stallMs).effects, 'pull-votes')).toEqual([{ type: 'pull-votes', height: 1 }])
    // Not again until another stallMs passes.
    expect(ofType(h.feed({ type: 'tick' }, T0 + heightDriverLimits.stallMs + 1_000).effects, 'pull-votes')).toHaveLength(0)
  })

  it('keeps asking for ticks even when a timer fires early', () => {
    const h = new Harness(validators[0])
    const first = ofType(h.feed({ type: 'tick' }).effects, 'wake-at')[0].at
    expect(ofType(h.feed({ type: 'tick' }, first - 1).effects, 'wake-at')).toEqual([{ type: 'wake-at', at: first }])
  })

  it('never signs against a vote remembered before a restart, and does not vote at a height below its sign state', () => {
    const memory: ConsensusMemory = { height: 1, votes: { '0/prevote': 'other-block' }, lock: { round: 0, lockedRound: -1, lockedId: null, validRound: -1, validId: null } }
    const h = new Harness(leader, genesis, memory)
    const ready = h.feed({ type: 'query', message: query(validators[2]) })
    const [prop] = ofType(ready.effects, 'publish-proposal')
    h.feed({ type: 'message', message: proposal(leader, 1, 0, prop.block, 'block-1') })
    const effects = h.feed({ type: 'validated', height: 1, id: 'block-1', valid: true }).effects
    expect(ofType(effects, 'publish-vote')).toHaveLength(0)
    expect(ofType(effects, 'note').some(n => n.level === 'error' && /refusing to sign/.test(n.text))).toBe(true)

    const ahead = new Harness(validators[0], genesis, { ...memory, height: 9 })
    const notes = ofType(ahead.feed({ type: 'query', message: query(validators[2]) }).effects, 'note')
    expect(notes.some(n => /not voting at height 1/.test(n.text))).toBe(true)
    expect(ahead.driver.round).toBeUndefined()
  })

  it('an observer accepts validators\' messages without running consensus, and syncs at once when traffic is ahead', () => {
    const h = new Harness('observer')
    expect(h.feed({ type: 'message', message: vote(validators[0], 1, 'prevote', 0, null) }).verdict).toMatchObject({ result: 'ACCEPT' })
    expect(h.driver.round).toBeUndefined()
    expect(ofType(h.feed({ type: 'message', message: vote(validators[0], 2, 'prevote', 0, null) }).effects, 'sync')).toHaveLength(1)
  })

  it('a committed block drops the queries it ordered from the pool, and they are not pooled again', () => {
    const h = new Harness(validators[1])
    const a = query(validators[2])
    h.feed({ type: 'query', message: a })
    h.feed({ type: 'query', message: query(validators[2]) })
    expect(h.driver.pendingQueries).toBe(2)
    const block = proposeBlock(genesis, [], [], leader, T0, params, [{ idHex: a.idHex, signerId: a.signerId, anchorHeight: 0 }])!
    h.feed({ type: 'committed', block, state: applyBlock(genesis, block, params) })
    expect(h.driver.pendingQueries).toBe(1)
    // A late copy of a query already ordered is not pooled again.
    expect(h.feed({ type: 'query', message: a }).verdict).toMatchObject({ result: 'IGNORE' })
    expect(h.driver.pendingQueries).toBe(1)
  })

  it('keeps queries waiting to be ordered within bounds per submitter and in all, and proposes them fairly (a flood test)', () => {
    const h = new Harness(leader)
    const flooder = validators[3]
    const verdicts = Array.from({ length: queryPoolLimits.maxPendingQueriesPerSubmitter + 200 }, () => h.feed({ type: 'query', message: query(flooder) }).verdict!)
    expect(verdicts.filter(v => v.result === 'ACCEPT')).toHaveLength(queryPoolLimits.maxPendingQueriesPerSubmitter)
    expect(verdicts.at(-1)).toMatchObject({ result: 'IGNORE', code: 'over_quota' })
    // another member's query still gets in, and into the very next block beside the flooder's
    expect(h.feed({ type: 'query', message: query(validators[2]) }).verdict).toMatchObject({ result: 'ACCEPT' })
    // a stranger's, or a stale one, never waits
    expect(h.feed({ type: 'query', message: query('stranger') }).verdict).toMatchObject({ result: 'IGNORE' })
    expect(h.driver.pendingQueries).toBe(queryPoolLimits.maxPendingQueriesPerSubmitter + 1)
    // what a block orders of such a pool: the flooder up to its per-block quota, the other member too
    const pool = [...Array.from({ length: 300 }, () => query(flooder)), query(validators[2])].map(q => ({ idHex: q.idHex, signerId: q.signerId, anchorHeight: 0 }))
    const block = proposeBlock(genesis, [], [], leader, T0, params, pool)!
    const submitters = block.queries.map(q => new TextDecoder().decode(q.submitter))
    expect(submitters.filter(x => x === flooder)).toHaveLength(params.submission.perBlock)
    expect(submitters).toContain(validators[2])
  })
})
