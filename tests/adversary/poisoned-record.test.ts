import { describe, expect, it } from 'vitest'
import { HeightDriver, heightDriverLimits } from '../../protocol/bft/height-driver.js'
import type { HeightEffect } from '../../protocol/bft/height-io.js'
import { proposerFor } from '../../protocol/bft/proposer.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { ANCHOR_WINDOW, genesisState } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import type { RoundRecord } from '../../protocol/wire/messages.js'

/**
 * DESIGN §8.4, nothing poisons a block (issue 13 item 4). A query anchored near the edge of the
 * anchor window, dated ahead so its round outlives the anchor, left a record that stayed in every
 * proposer's pool and was proposed in every block, while every validator prevoted nil ("anchor
 * height unavailable"): finality halted for good. The height driver now drops records whose
 * anchor is leaving the window, and a record its own block check refuses.
 */
const validators = ['val-a', 'val-b', 'val-c', 'val-d']
const params = defaultProtocolParams
const genesis = genesisState({ network: 'unit', params, validators: validators.map(peerId => ({ peerId, reputationPpm: 500_000 })) })
const at = (height: number): LedgerState => ({ ...genesis, height })

function record (label: string): RoundRecord {
  return { queryId: sha256(utf8(label)), includedMessageIds: [], candidates: [], strengthsPpm: [], winner: new Uint8Array(0), deltas: [] }
}
const qid = (label: string): string => toHex(record(label).queryId)
const proposals = (effects: Array<HeightEffect<string>>): Array<Extract<HeightEffect<string>, { type: 'publish-proposal' }>> =>
  effects.filter(e => e.type === 'publish-proposal') as Array<Extract<HeightEffect<string>, { type: 'publish-proposal' }>>

describe('a record that can never be valid does not poison every block', () => {
  it('a record anchored where validators may have pruned the ledger never enters the pool', () => {
    const height = 300
    const self = proposerFor(genesis.validators, height + 1, 0)
    const driver = new HeightDriver<string>({ self, params, state: at(height), memory: undefined })
    const old = height - ANCHOR_WINDOW + heightDriverLimits.anchorMarginBlocks - 1
    const effects = [
      ...driver.handle({ type: 'round-ready', queryIdHex: qid('poison'), record: record('poison'), submitter: 'attacker', anchorHeight: old }, 0).effects,
      ...driver.handle({ type: 'round-ready', queryIdHex: qid('honest'), record: record('honest'), submitter: 'client', anchorHeight: height }, 0).effects
    ]
    const [proposal] = proposals(effects)
    expect(proposal.block.records.map(r => toHex(r.queryId))).toEqual([qid('honest')])
  })

  it('a pooled record is dropped once its anchor leaves the window, before any block could name it', () => {
    const driver = new HeightDriver<string>({ self: 'observer', params, state: at(10), memory: undefined })
    driver.handle({ type: 'round-ready', queryIdHex: qid('slow'), record: record('slow'), submitter: 'client', anchorHeight: 10 }, 0)
    expect(driver.readyRounds).toBe(1)
    const block = { header: { height: 11, prevHash: new Uint8Array(32), recordsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), time: 0, proposer: utf8('val-a'), queriesRoot: new Uint8Array(32), roundMessagesRoot: new Uint8Array(32), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }
    driver.handle({ type: 'committed', block, state: at(10 + ANCHOR_WINDOW - heightDriverLimits.anchorMarginBlocks) }, 0)
    expect(driver.readyRounds).toBe(1)
    driver.handle({ type: 'committed', block: { ...block, header: { ...block.header, height: 12 } }, state: at(11 + ANCHOR_WINDOW - heightDriverLimits.anchorMarginBlocks) }, 0)
    expect(driver.readyRounds).toBe(0)
  })

  it('a record its own block check refuses leaves the pool', () => {
    const self = proposerFor(genesis.validators, 1, 0)
    const driver = new HeightDriver<string>({ self, params, state: genesis, memory: undefined })
    const first = proposals([
      ...driver.handle({ type: 'round-ready', queryIdHex: qid('bad'), record: record('bad'), submitter: 'x', anchorHeight: 0 }, 0).effects
    ])
    expect(first[0].block.records).toHaveLength(1)
    driver.handle({ type: 'round-ready', queryIdHex: qid('good'), record: record('good'), submitter: 'y', anchorHeight: 0 }, 0)
    driver.handle({ type: 'record-refused', queryIdHex: qid('bad'), reason: 'anchor height 0 unavailable' }, 0)
    expect(driver.readyRounds).toBe(1)
    // the pool a later proposal is built from holds only the good record
    const effects = driver.handle({ type: 'record-refused', queryIdHex: qid('bad'), reason: 'again' }, 0).effects
    expect(effects.filter(e => e.type === 'note')).toHaveLength(0)
  })

  it('one validator\'s votes do not start an idle height: no round escalates while nobody has anything to propose', () => {
    // Before: any validator's vote started the height on every other validator, which then
    // escalated Tendermint rounds (timeouts growing 500 ms a round) for as long as the network
    // was idle. Now a height starts on a vote only once votes from more than a third of the
    // power are in (an honest validator is among them), or on a proposal.
    const idle = new HeightDriver<string>({ self: 'val-a', params, state: genesis, memory: undefined })
    const vote = (from: string, round: number): Parameters<typeof idle.handle>[0] => ({ type: 'message', message: { kind: 'vote', key: `${from}/${round}`, height: 1, from, vote: { kind: 'prevote', round, id: null, from, evidence: `${from}/${round}` }, carrier: `${from}/${round}` } })
    let timeouts = 0
    for (let r = 0; r < 20; r++) timeouts += idle.handle(vote('val-d', r), r * 10_000).effects.filter(e => e.type === 'schedule-timeout').length
    expect(timeouts).toBe(0)
    expect(idle.round).toBeUndefined()
    // a second validator's vote: more than a third of the power, so an honest one is working on the height
    const joined = idle.handle(vote('val-c', 19), 200_000).effects
    expect(idle.round).toBeDefined()
    expect(joined.some(e => e.type === 'schedule-timeout')).toBe(true)
  })
})
