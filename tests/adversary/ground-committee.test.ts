import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { checkProposedBlock } from '../../protocol/bft/block-check.js'
import { drawCommittees } from '../../protocol/committee.js'
import { defaultProtocolParams } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { toHex, utf8 } from '../../protocol/hash.js'
import { applyBlock, buildBlock, genesisState, proposeBlock, roundSeed } from '../../protocol/ledger.js'
import type { LedgerState } from '../../protocol/ledger.js'
import { signMessage } from '../../protocol/wire/envelope.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'
import { networkId, testKey } from '../helpers/wire-fixtures.js'

/**
 * DESIGN §8.2, nobody picks a committee (issue 13 item 2). Committees were drawn with the query
 * id as the only seed, and the submitter chooses every byte the id covers (nonce, prompt,
 * createdAt): it ground nonces until its own identities held the answer committee of its query.
 * Now a query's committees are drawn from the hash of the block that orders it, which does not
 * exist when the submitter signs.
 */
const NODES = 20
const params = { ...defaultProtocolParams, answerers: 5, rankers: 5 }

/** The attacker's goal for one query: its three sybils hold three of the five answer seats. */
const captured = (answerers: readonly string[], sybils: readonly string[]): boolean => sybils.every(s => answerers.includes(s))

describe('a submitter cannot grind its committees', async () => {
  const keys = await Promise.all(Array.from({ length: NODES }, async (_, i) => testKey(500 + i)))
  const ids = keys.map(k => peerIdFromPrivateKey(k).toString())
  const genesis: Genesis = { network: 'unit', params, validators: ids.map(peerId => ({ peerId, reputationPpm: 500_000 })) }
  const state0 = genesisState(genesis)
  const attacker = keys[0]
  const sybils = ids.slice(0, 3)

  /** Grind nonces until the query id, as a seed, gives the sybils the answer committee. */
  async function grind (label: string): Promise<{ query: SignedMessage, tries: number }> {
    for (let n = 0; ; n++) {
      const query = await signMessage(attacker, { networkId, query: { prompt: `ground ${label}`, anchorHeight: 0, createdAt: 1_700_000_000_000, nonce: utf8(`${label}/${n}`) } })
      if (captured(drawCommittees(query.id, state0.reputations, params.answerers, params.rankers).answerers, sybils)) return { query, tries: n + 1 }
    }
  }

  const ground: SignedMessage[] = []
  let tries = 0
  for (let i = 0; i < 12; i++) {
    const g = await grind(`q${i}`)
    ground.push(g.query)
    tries += g.tries
  }

  it('control: with the query id as the seed, grinding captures the committee every time', () => {
    // the base rate is C(17,2)/C(20,5) ≈ 0.9 %: about a hundred signatures a query buy it
    expect(tries / ground.length).toBeGreaterThan(20)
    for (const q of ground) expect(captured(drawCommittees(q.id, state0.reputations, params.answerers, params.rankers).answerers, sybils)).toBe(true)
  })

  it('ordered by a block, a ground query captures its committee no more often than chance', () => {
    let state: LedgerState = state0
    let hits = 0
    for (const [i, q] of ground.entries()) {
      // an honest proposer (not the attacker) orders it, at its own time
      const block = proposeBlock(state, [], [], ids[5 + (i % 10)], 1_700_000_000_000 + i * 137, params, [{ idHex: q.idHex, signerId: q.signerId, anchorHeight: 0 }])!
      expect(block.queries.map(o => toHex(o.messageId))).toEqual([q.idHex])
      state = applyBlock(state, block, params)
      const real = drawCommittees(roundSeed(state, q.idHex)!, state.reputations, params.answerers, params.rankers)
      if (captured(real.answerers, sybils)) hits++
    }
    // chance is ~0.9 % a query; 12 ground queries capture 0–1 by luck, never most of them
    expect(hits).toBeLessThanOrEqual(1)
  })

  it('a record computed over committees of the submitter\'s choosing is refused', async () => {
    const q = ground[0]
    const ordering = buildBlock(state0, [], ids[7], 1_700_000_000_000, params, [], [{ messageId: q.id, submitter: utf8(q.signerId) }])
    const state1 = applyBlock(state0, ordering, params)
    // the seed is the ordering block's hash with the query id, not the query id
    expect(toHex(roundSeed(state1, q.idHex)!)).not.toBe(q.idHex)
    // and a query can be ordered once only: re-ordering it (to draw again) is refused
    const again = buildBlock(state1, [], ids[8], 1_700_000_000_500, params, [], [{ messageId: q.id, submitter: utf8(q.signerId) }])
    const check = checkProposedBlock(again, { state: state1, params, validators: state1.validators, messages: new Map([[q.idHex, q]]), tableAt: () => state1.reputations, isFinalized: () => false })
    expect(check).toMatchObject({ valid: false, code: 'query_inadmissible', reason: expect.stringMatching(/already ordered/) })
  })
})
