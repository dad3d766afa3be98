import { describe, expect, it } from 'vitest'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { applyRecord, genesisState } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import { computeRoundRecord, evidenceFromMessages } from '../../protocol/record.js'
import { applyRound } from '../../protocol/reputation.js'
import type { ReputationEntry, RoundParticipation } from '../../protocol/reputation.js'
import type { RoundRecord } from '../../protocol/wire/messages.js'
import { forgeRound } from '../adversary/round-fixture.js'

/**
 * Under load many rounds of one node close between its queries' anchors and the block that
 * records them, and every record is computed from the reputation table at its anchor. Seen in a
 * 5-node soak on main (docs/performance.md, "Soak"): a block carried 15 records each charging one
 * node −10 % of its anchor reputation (−15,000 ppm each from 150,000), −225,000 in all, so it hit
 * 0; nodes swung between 0 and 1.0 within a few blocks, fell out of the validator set at an epoch
 * boundary (falls apply at once, rises only through the per-hour entry cap), and within ~30
 * blocks one validator held all the power. The ledger must step each participation from the
 * reputation it holds, as applyRound does one round after another: n rounds compound (0.9ⁿ),
 * they do not add up to n × 10 %.
 */
describe('the ledger applies many records of one anchor one after another', () => {
  const ROUNDS = 12

  it('an answerer absent from n rounds recorded in one block keeps 0.9^n of its reputation, not 1 − n × 10 % (clamped at 0)', async () => {
    // Three answerers, the third absent from every round; no rankers (nothing to rank against).
    const rounds = await Promise.all(Array.from({ length: ROUNDS }, async (_, i) => forgeRound(3, 0, `load-${i}`)))
    const [first] = rounds
    const ids = first.answerers.map(m => m.id)
    const absent = ids[2]
    const records: RoundRecord[] = rounds.map(r => {
      const present = r.answerMessages.filter(m => m.signerId !== absent)
      const ev = evidenceFromMessages(r.query, present, { answerers: ids, rankers: [] })
      // every record computed from the same anchor table (each member at 0.5)
      return computeRoundRecord(ev, first.table, defaultProtocolParams).record
    })
    let state: LedgerState = genesisState({ network: 'load', params: defaultProtocolParams, validators: ids.map(peerId => ({ peerId, reputationPpm: 500_000 })) })
    for (const record of records) state = applyRecord(state, record, defaultProtocolParams.reputation)

    // What the same rounds do one after another (applyRound on the running table).
    // No rankers: the two answers are equally strong and share the mean place, 0.5 each.
    let table = new Map<string, ReputationEntry>(ids.map(id => [id, first.table.get(id)!]))
    for (let i = 0; i < ROUNDS; i++) {
      const participations: RoundParticipation[] = [{ node: ids[0], kind: 'scored', scorePpm: 500_000 }, { node: ids[1], kind: 'scored', scorePpm: 500_000 }, { node: absent, kind: 'absent' }]
      table = applyRound(table, participations).table
    }
    expect(state.reputations.get(absent)!.reputationPpm).toBe(table.get(absent)!.reputationPpm)
    expect(state.reputations.get(absent)!.reputationPpm).toBeGreaterThan(0.9 ** ROUNDS * 500_000 - 1_000)
    for (const id of ids.slice(0, 2)) expect(state.reputations.get(id)).toEqual(table.get(id))
  })

  it('a record carries what each member did; its deltas still say what the round did from its anchor', async () => {
    const r = await forgeRound(3, 0, 'shape')
    const ids = r.answerers.map(m => m.id)
    const record = computeRoundRecord(evidenceFromMessages(r.query, r.answerMessages.filter(m => m.signerId !== ids[2]), { answerers: ids, rankers: [] }), r.table, defaultProtocolParams).record
    expect(record.participations.map(p => p.kind)).toEqual(expect.arrayContaining(['SCORED', 'SCORED', 'ABSENT']))
    expect(record.deltas.find(d => new TextDecoder().decode(d.node) === ids[2])!.deltaPpm).toBe(-50_000)
  })
})

/**
 * A phase of a round that no member of its committee completed in time says nothing about any
 * one of them: the blocks came too late for everyone (overload, a stalled height, a proposer
 * censoring every message). In the soak on main, half of the records under load had no candidate
 * at all, and each charged all three answerers as absent. A member is charged for missing a phase
 * only when another member of its committee got through it.
 */
describe('a round nobody could take part in charges nobody', () => {
  it('no answer commit in time: no answerer is absent; no reveal in time: no committed answerer withheld', async () => {
    const r = await forgeRound(3, 2, 'overload')
    const ids = r.answerers.map(m => m.id)
    const rankers = r.rankers.map(m => m.id)
    const nothing = computeRoundRecord(evidenceFromMessages(r.query, [], { answerers: ids, rankers }), r.table, defaultProtocolParams).record
    expect(nothing.participations).toEqual([])
    expect(nothing.deltas).toEqual([])
    const commitsOnly = r.answerMessages.filter(m => m.payload.answerCommit !== undefined)
    const unrevealed = computeRoundRecord(evidenceFromMessages(r.query, commitsOnly, { answerers: ids, rankers }), r.table, defaultProtocolParams).record
    expect(unrevealed.participations).toEqual([])
    // one answerer got through: the others are charged as before
    const one = r.answerMessages.filter(m => m.signerId === ids[0])
    const kinds = computeRoundRecord(evidenceFromMessages(r.query, [...one, ...commitsOnly], { answerers: ids, rankers }), r.table, defaultProtocolParams).record.participations.map(p => p.kind)
    expect(kinds.filter(k => k === 'WITHHELD')).toHaveLength(2)
  })
})
