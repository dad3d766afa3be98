import { describe, expect, it } from 'vitest'
import { HeightDriver } from '../../protocol/bft/height-driver.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { genesisState } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'

/**
 * DESIGN §8.4, nothing poisons a block (issue 13 item 4). A query anchored near the edge of the
 * anchor window, dated ahead so its round outlives the anchor, left a record that stayed in every
 * proposer's pool and was proposed in every block, while every validator prevoted nil ("anchor
 * height unavailable"): finality halted for good. Records are now computed from the chain
 * (DESIGN §8.6) over the table after the ordering block, and the ledger gives up on a round
 * ROUND_TTL_BLOCKS after ordering it, inside the anchor window; the height driver stops following
 * such a round, and one its own block check refuses.
 */
const validators = ['val-a', 'val-b', 'val-c', 'val-d']
const params = defaultProtocolParams
const genesis = genesisState({ network: 'unit', params, validators: validators.map(peerId => ({ peerId, reputationPpm: 500_000 })) })
const at = (height: number): LedgerState => ({ ...genesis, height })

const qid = (label: string): string => toHex(sha256(utf8(label)))

describe('a record that can never be valid does not poison every block', () => {
  // A round is followed from the block that ordered it until a block records it or the ledger
  // gives up on it (ROUND_TTL_BLOCKS after ordering, well inside the anchor window): its record
  // is computed from the chain, over a table every validator keeps, so it cannot name an anchor
  // a validator has pruned.
  const query = (label: string): SignedMessage => ({ id: sha256(utf8(label)), idHex: qid(label), signerId: 'val-b', payload: { networkId: new Uint8Array(32), query: { prompt: 'p', anchorHeight: 0, createdAt: 0, nonce: new Uint8Array(0) } }, bytes: new Uint8Array(0) }) as unknown as SignedMessage
  const orderedAt = (height: number, labels: string[], final = false): LedgerState => ({ ...at(height), ordered: new Map(labels.map(l => [qid(l), { height: 1, time: 0, submitter: 'val-b', final, messages: [] }])) })
  const open = (driver: HeightDriver<string>, label: string): void => {
    driver.handle({ type: 'round-opened', input: { query: query(label), start: { seed: sha256(utf8(label)), time: 0 }, table: genesis.reputations, params }, messages: [] }, 0)
  }
  const block = { header: { height: 11, prevHash: new Uint8Array(32), recordsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), time: 0, proposer: utf8('val-a'), queriesRoot: new Uint8Array(32), roundMessagesRoot: new Uint8Array(32), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }, records: [], admissions: [], queries: [], roundMessages: [], evidence: [] }

  it('a round the ledger gave up on is not followed, and leaves the pool once the ledger gives up', () => {
    const driver = new HeightDriver<string>({ self: 'val-a', params, state: orderedAt(10, ['slow']), memory: undefined })
    open(driver, 'slow')
    expect(driver.openRounds).toBe(1)
    driver.handle({ type: 'committed', block, state: orderedAt(11, ['slow']) }, 0)
    expect(driver.openRounds).toBe(1)
    // ROUND_TTL_BLOCKS later the ledger marks it final without a record: nothing more to propose
    driver.handle({ type: 'committed', block: { ...block, header: { ...block.header, height: 12 } }, state: orderedAt(12, ['slow'], true) }, 0)
    expect(driver.openRounds).toBe(0)
    open(driver, 'slow')
    expect(driver.openRounds).toBe(0)
  })

  it('a round its own block check refuses leaves the pool', () => {
    const driver = new HeightDriver<string>({ self: 'val-a', params, state: orderedAt(10, ['bad', 'good']), memory: undefined })
    open(driver, 'bad')
    open(driver, 'good')
    const notes = driver.handle({ type: 'record-refused', queryIdHex: qid('bad'), reason: 'anchor height 0 unavailable' }, 0).effects.filter(e => e.type === 'note')
    expect(notes).toHaveLength(1)
    expect(driver.openRounds).toBe(1)
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
