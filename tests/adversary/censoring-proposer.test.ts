import { describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { checkProposedBlock } from '../../protocol/bft/block-check.js'
import { blockTimeBounds, revealSlackMs } from '../../protocol/bft/block-time.js'
import type { BlockCheckContext } from '../../protocol/bft/block-check.js'
import type { Genesis } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { applyBlock, buildBlock, genesisState, roundSeed } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import { computeRoundRecord, evidenceFromMessages, nodeIdFromBytes } from '../../protocol/record.js'
import { roundClockStart } from '../../protocol/round.js'
import { HashStream } from '../../protocol/random.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import type { OrderedRoundMessage, RoundRecord } from '../../protocol/wire/messages.js'
import { RoundHarness } from '../helpers/round-harness.js'

/**
 * DESIGN §8.6, "no censorship by the proposer", at the level of blocks. The attack: a proposer
 * builds the record of a finished round from every message but one honest answerer's, so the
 * answer never competes and its author is charged as absent. Before round messages were ordered
 * by blocks, block validity accepted any record that matched the messages it named — at
 * 5fc1299 the censored record below checks out as valid. Now a record is what the round gives
 * on the chain, from the messages blocks ordered at their blocks' times: leaving a message out
 * only delays it to the next block, and it counts as long as that block comes before its deadline.
 */
describe('a censoring proposer (DESIGN §8.6)', async () => {
  const h = await RoundHarness.create(['ada', 'bo', 'cy', 'dee', 'eli', 'fox', 'gia'], { answerers: 3, rankers: 4 })
  const genesis: Genesis = { network: 'censor', params: h.params, validators: h.nodes.map(n => ({ peerId: n.id, reputationPpm: 500_000 })) }
  let state: LedgerState = genesisState(genesis)
  let orderedAt = 0
  h.ordering = (query, now) => {
    const ordering = buildBlock(state, [], h.nodes[1].id, now, genesis.params, [], [{ messageId: query.id, submitter: utf8(query.signerId) }])
    state = applyBlock(state, ordering, genesis.params)
    orderedAt = ordering.header!.time
    return { seed: roundSeed(state, query.idHex)!, time: orderedAt }
  }
  await h.run(drawTask(new HashStream(sha256(utf8('censor')))).prompt)
  const round = h.nodes[0].state!
  const honest = round.outcome!.record
  const all = [...round.answerCommits.values(), ...round.answerReveals.values(), ...round.comparisonCommits.values(), ...round.comparisonReveals.values()]
  const messages = new Map<string, SignedMessage>([[round.queryIdHex, round.init.query], ...all.map(m => [m.idHex, m] as const)])
  // The victim: an answerer whose answer is a candidate of the honest record.
  const victim = round.answerers.find(a => round.answerReveals.has(a))!
  const others = all.filter(m => m.signerId !== victim)
  const ofVictim = all.filter(m => m.signerId === victim)
  const order = (ms: SignedMessage[]): OrderedRoundMessage[] => ms.map(m => ({ messageId: m.id, queryId: round.queryId }))
  const ctx = (on: LedgerState): BlockCheckContext => ({ state: on, params: genesis.params, validators: on.validators, messages, tableAt: height => (height === 1 ? h.table : undefined), isFinalized: () => false })
  const deltaOf = (record: RoundRecord, node: string): number | undefined => record.deltas.find(d => nodeIdFromBytes(d.node) === node)?.deltaPpm
  const proposer = h.nodes[2].id
  const soon = orderedAt + 500

  it('the censored record is what the proposer could certify before: the victim scores as absent', () => {
    const censored = computeRoundRecord(evidenceFromMessages(round.init.query, others, round), h.table, h.params).record
    expect(deltaOf(censored, victim)).toBeLessThan(0)
    expect(deltaOf(honest, victim)).not.toBe(deltaOf(censored, victim))
    // Now: a block ordering everyone else's messages cannot also hold that record — the round is
    // not done on the chain while the victim's commit may still be ordered before its deadline.
    const block = buildBlock(state, [censored], proposer, soon, genesis.params, [], [], { roundMessages: order(others) })
    expect(checkProposedBlock(block, ctx(state))).toMatchObject({ valid: false, code: 'round_open' })
  })

  it('leaving the messages out only delays them: the next block orders them and the honest record stands', () => {
    const censoring = buildBlock(state, [], proposer, soon, genesis.params, [], [], { roundMessages: order(others) })
    expect(checkProposedBlock(censoring, ctx(state))).toEqual({ valid: true })
    const after = applyBlock(state, censoring, genesis.params)
    const next = buildBlock(after, [honest], h.nodes[3].id, soon + 300, genesis.params, [], [], { roundMessages: order(ofVictim) })
    expect(checkProposedBlock(next, { ...ctx(after), tableAt: height => (height === 1 ? h.table : undefined) })).toEqual({ valid: true })
    expect(deltaOf(honest, victim)).toBeGreaterThanOrEqual(deltaOf(computeRoundRecord(evidenceFromMessages(round.init.query, others, round), h.table, h.params).record, victim)!)
  })

  it('a message counts only if a block orders it before its deadline (in block time), whoever proposes', () => {
    const censoring = buildBlock(state, [], proposer, soon, genesis.params, [], [], { roundMessages: order(others.filter(m => m.payload.answerCommit !== undefined)) })
    const after = applyBlock(state, censoring, genesis.params)
    const deadline = roundClockStart({ seed: new Uint8Array(32), time: orderedAt }, h.params) + h.params.answerCommitMs
    const late = buildBlock(after, [], h.nodes[3].id, deadline, genesis.params, [], [], { roundMessages: order(ofVictim.filter(m => m.payload.answerCommit !== undefined)) })
    expect(checkProposedBlock(late, ctx(after))).toMatchObject({ valid: false, code: 'round_message', reason: expect.stringMatching(/after its deadline/) })
  })

  it('refuses messages of strangers, repeats, and reveals ahead of their commits', () => {
    const commit = ofVictim.find(m => m.payload.answerCommit !== undefined)!
    const reveal = ofVictim.find(m => m.payload.answerReveal !== undefined)!
    expect(checkProposedBlock(buildBlock(state, [], proposer, soon, genesis.params, [], [], { roundMessages: order([reveal]) }), ctx(state))).toMatchObject({ valid: false, code: 'round_message', reason: expect.stringMatching(/before its commit/) })
    expect(checkProposedBlock(buildBlock(state, [], proposer, soon, genesis.params, [], [], { roundMessages: order([commit, commit]) }), ctx(state))).toMatchObject({ valid: false, code: 'round_message', reason: expect.stringMatching(/ordered already/) })
    const elsewhere = { messageId: commit.id, queryId: sha256(utf8('another query')) }
    expect(checkProposedBlock(buildBlock(state, [], proposer, soon, genesis.params, [], [], { roundMessages: [elsewhere] }), ctx(state))).toMatchObject({ valid: false, code: 'not_ordered' })
    expect(toHex(honest.queryId)).toBe(round.queryIdHex)
  })
})

describe('a copycat helped by a backdating proposer (DESIGN §8.6)', () => {
  it('sees no honest reveal until no block dated before the commit deadline can be fresh to an honest validator', async () => {
    const h = await RoundHarness.create(['ada', 'bo', 'cy', 'dee'], { answerers: 4, rankers: 4 })
    // The copycat: an answerer that never commits on its own, waiting to copy a reveal.
    h.nodes[3].silent = true
    await h.run(drawTask(new HashStream(sha256(utf8('copycat')))).prompt)
    const round = h.nodes[0].state!
    const deadline = round.deadlines.answering
    expect(round.own.answerRevealAt).toBe(deadline + revealSlackMs)
    // A block dated before the deadline, proposed when the first reveal is out, is stale to every
    // honest validator (PBTS): the copycat's commit could only be ordered late.
    const staleBefore = (round.own.answerRevealAt! - blockTimeBounds.precisionMs) - blockTimeBounds.precisionMs - blockTimeBounds.messageDelayMs
    expect(staleBefore).toBeGreaterThanOrEqual(deadline)
    // and the honest answers still count: revealed within the (longer) reveal phase
    expect(round.answerReveals.size).toBe(3)
    expect(round.outcome!.candidates.length).toBeGreaterThan(0)
  })
})
