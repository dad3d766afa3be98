import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { forgeBlocks } from '../../node/cluster/forge-chain.js'
import type { ForgedBlock } from '../../node/cluster/forge-chain.js'
import { makeCertificate } from '../../protocol/bft/certificate.js'
import { lightLedgerOf, trustGenesis } from '../../protocol/bft/light-client.js'
import { offeredSnapshotHeight, SNAPSHOT_DEPTH_BLOCKS, SNAPSHOT_FIELD_CHECKS, SnapshotVerifier } from '../../protocol/bft/state-sync.js'
import { defaultBftParams, defaultProtocolParams, networkIdOf } from '../../protocol/genesis.js'
import type { Genesis } from '../../protocol/genesis.js'
import { equalBytes, sha256, utf8 } from '../../protocol/hash.js'
import { blockHash, fromSnapshot, stateRestRoot, stateRoot, stateRootOf, toSnapshot, validatorSetRoot } from '../../protocol/ledger.js'
import type { LedgerSnapshot, LedgerState } from '../../protocol/ledger.js'
import { signMessageSync } from '../../protocol/wire/envelope.js'
import { VoteType } from '../../protocol/wire/messages.js'
import type { CommitCertificate } from '../../protocol/wire/messages.js'
import { testKey } from '../helpers/wire-fixtures.js'

const E = 4
const keys = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(900 + i)))
const outsiders = await Promise.all(Array.from({ length: 4 }, async (_, i) => testKey(950 + i)))
const genesis: Genesis = {
  network: 'state-sync-unit',
  params: { ...defaultProtocolParams, bft: { ...defaultBftParams, epochBlocks: E } },
  validators: keys.map(k => ({ peerId: peerIdFromPrivateKey(k).toString(), reputationPpm: 500_000 }))
}
const networkId = networkIdOf(genesis)
const chain: ForgedBlock[] = [...forgeBlocks({ genesis, keys, blocks: 30, queriesPerBlock: 2, startTime: 1_700_000_000_000 })]
const at = (h: number): ForgedBlock => chain[h - 1]
const json = (value: unknown): Uint8Array => utf8(JSON.stringify(value))

/** Feed the verifier the honest steps up to the target, then `last` (default the honest snapshot). */
async function sync (target: number, last?: { certificate?: CommitCertificate, ledger?: unknown, bytes?: Uint8Array }) {
  const v = new SnapshotVerifier(trustGenesis(genesis), target)
  while (v.expected < target) {
    const step = await v.step(at(v.expected).certificate, json(lightLedgerOf(at(v.expected).state)))
    if (!step.valid) return step
  }
  return v.step(last?.certificate ?? at(target).certificate, last?.bytes ?? json(last?.ledger ?? toSnapshot(at(target).state)))
}

const sign = (certificate: CommitCertificate, signers = keys, net = networkId): CommitCertificate => {
  const header = certificate.header!
  const hash = blockHash(header)
  return makeCertificate(header, 0, signers.map(k => signMessageSync(k, { networkId: net, vote: { type: VoteType.PRECOMMIT, height: header.height, round: 0, blockHash: hash } })))
}

describe('state sync: a snapshot checked from the genesis (protocol/bft/state-sync.ts)', () => {
  it('accepts the honest snapshot: the ledger after the certified block, every epoch boundary followed', async () => {
    const result = await sync(27)
    expect(result.valid && result.done).toBe(true)
    if (!result.valid || !result.done) return
    expect(result.state.height).toBe(27)
    expect(equalBytes(stateRoot(result.state), at(27).block.header!.stateRoot)).toBe(true)
    expect(JSON.stringify(toSnapshot(result.state))).toBe(JSON.stringify(toSnapshot(at(27).state)))
  })

  it('refuses a tampered ledger, a header not certified by the trusted set, another network, a skipped boundary, another height', async () => {
    const honest = toSnapshot(at(27).state)
    const richer: LedgerSnapshot = { ...honest, reputations: honest.reputations.map((r, i) => i === 0 ? { ...r, reputationPpm: r.reputationPpm + 1 } : r) }
    expect(await sync(27, { ledger: richer })).toMatchObject({ valid: false, code: 'state_root' })
    // a header the real validators never signed, with a root that matches the forged ledger
    const forgedHeader = { ...at(27).block.header!, stateRoot: stateRoot(fromSnapshot(richer)) }
    expect(await sync(27, { ledger: richer, certificate: sign({ header: forgedHeader, round: 0, precommits: [] }, outsiders) })).toMatchObject({ valid: false, code: 'bad_certificate' })
    // signed by the right keys, for another network
    expect(await sync(27, { certificate: sign(at(27).certificate, keys, sha256(utf8('another network'))) })).toMatchObject({ valid: false, code: 'bad_certificate' })
    // fewer than 2/3 of the power
    expect(await sync(27, { certificate: sign(at(27).certificate, keys.slice(0, 2)) })).toMatchObject({ valid: false, code: 'bad_certificate' })
    // the ledger after another block
    expect(await sync(27, { ledger: toSnapshot(at(26).state) })).toMatchObject({ valid: false, code: 'state_root' })
    // a boundary left out: block 27 offered while block 8 is expected
    const v = new SnapshotVerifier(trustGenesis(genesis), 27)
    await v.step(at(4).certificate, json(lightLedgerOf(at(4).state)))
    expect(await v.step(at(27).certificate, json(honest))).toMatchObject({ valid: false, code: 'gap' })
    // not JSON
    expect(await sync(27, { bytes: utf8('{"height":') })).toMatchObject({ valid: false, code: 'malformed' })
  })

  it('an epoch-boundary step is the validator set and the rest root, not the ledger; a forged one is refused', async () => {
    const light = lightLedgerOf(at(8).state)
    expect(light.validators.map(v => v.peerId)).toEqual([...at(8).state.validators.keys()].sort())
    // a few hundred bytes, against the whole ledger's
    expect(json(light).length).toBeLessThan(600)
    expect(json(toSnapshot(at(8).state)).length).toBeGreaterThan(2 * json(light).length)
    const boundary = async (doc: unknown) => {
      const v = new SnapshotVerifier(trustGenesis(genesis), 27)
      expect(await v.step(at(4).certificate, json(lightLedgerOf(at(4).state)))).toMatchObject({ valid: true, done: false })
      return v.step(at(8).certificate, json(doc))
    }
    expect(await boundary(light)).toMatchObject({ valid: true, done: false, trust: { height: 8 } })
    const outsider = peerIdFromPrivateKey(outsiders[0]).toString()
    expect(await boundary({ ...light, validators: [...light.validators, { peerId: outsider, power: 1_000_000 }].sort((a, b) => (a.peerId < b.peerId ? -1 : 1)) })).toMatchObject({ valid: false, code: 'state_root' })
    expect(await boundary({ ...light, validators: light.validators.map((v, i) => i === 0 ? { ...v, power: v.power + 1 } : v) })).toMatchObject({ valid: false, code: 'state_root' })
    expect(await boundary({ ...light, restRoot: lightLedgerOf(at(7).state).restRoot })).toMatchObject({ valid: false, code: 'state_root' })
    expect(await boundary(lightLedgerOf(at(12).state))).toMatchObject({ valid: false, code: 'state_root' })
    expect(await boundary({ ...light, validators: [...light.validators].reverse() })).toMatchObject({ valid: false, code: 'malformed', reason: expect.stringMatching(/out of order/) })
    // the whole ledger where its light form belongs
    expect(await boundary(toSnapshot(at(8).state))).toMatchObject({ valid: false, code: 'malformed' })
  })

  it('the state root is its parts: height, block time, the validator set\'s root and the rest\'s root', () => {
    const state = at(27).state
    expect(equalBytes(stateRoot(state), stateRootOf(27, at(27).block.header!.time, validatorSetRoot(state.validators), stateRestRoot(state)))).toBe(true)
    // the validator set's root does not depend on the map's order
    expect(equalBytes(validatorSetRoot(new Map([...state.validators].reverse())), validatorSetRoot(state.validators))).toBe(true)
    // a power moved between validators, or a member's reputation changed, moves the root
    const [[a, pa], [b, pb]] = [...state.validators]
    expect(equalBytes(validatorSetRoot(new Map([...state.validators, [a, pa + 1], [b, pb - 1]])), validatorSetRoot(state.validators))).toBe(false)
    const first = [...state.reputations.keys()][0]
    const changed = { ...state, reputations: new Map([...state.reputations, [first, { ...state.reputations.get(first)!, qualifiedRounds: 99 }]]) }
    expect(equalBytes(stateRestRoot(changed), stateRestRoot(state))).toBe(false)
    expect(equalBytes(validatorSetRoot(changed.validators), validatorSetRoot(state.validators))).toBe(true)
  })

  it('refuses a ledger that hashes right but is not what toSnapshot writes: a value of another JSON type, an unknown field', async () => {
    const honest = toSnapshot(at(27).state)
    const o = honest.ordered![0]
    // ["id"] hashes as "id" (TextEncoder takes its text): the root alone would not tell
    const typed = { ...honest, ordered: [{ ...o, submitter: [o.submitter] as unknown as string }, ...honest.ordered!.slice(1)] }
    expect(equalBytes(stateRoot(fromSnapshot(typed)), stateRoot(fromSnapshot(honest)))).toBe(true)
    expect(await sync(27, { ledger: typed })).toMatchObject({ valid: false, code: 'malformed' })
    expect(await sync(27, { ledger: { ...honest, note: 'trust me' } })).toMatchObject({ valid: false, code: 'malformed' })
    const reordered = { ...honest, ordered: [...honest.ordered!].reverse() }
    expect(await sync(27, { ledger: reordered })).toMatchObject({ valid: false, code: 'not_canonical' })
  })

  it('the state root covers every field a snapshot holds, and every field has a type check', () => {
    // a ledger with every optional part present and non-empty
    const base = at(27).state
    const ids = [...base.reputations.keys()]
    const [firstQuery, firstEntry] = [...base.ordered].sort(([a], [b]) => (a < b ? -1 : 1))[0]
    const full: LedgerState = {
      ...base,
      // a round with messages ordered for it (DESIGN §8.6)
      ordered: new Map([...base.ordered, [firstQuery, { ...firstEntry, messages: [{ id: 'ab'.repeat(32), time: 5 }, { id: 'cd'.repeat(32), time: 6 }] }]]),
      jailing: { certifiers: new Map([[ids[0], 3]]), watch: new Map([[ids[1], { since: 2, missed: [4, 5] }]]), jailed: new Map([[ids[2], 9]]), offences: new Map([[`${ids[3]}/7/0/prevote`, 7]]) },
      lastEntryAt: 1_700_000_000_123
    }
    const snapshot = toSnapshot(full)
    expect(Object.keys(snapshot).sort()).toEqual(Object.keys(SNAPSHOT_FIELD_CHECKS).sort())
    for (const [key, value] of Object.entries(snapshot)) expect(SNAPSHOT_FIELD_CHECKS[key](value), key).toBe(true)
    const root = stateRoot(full)
    const leaves: string[] = []
    const mutate = (value: unknown, path: string, set: (v: unknown) => void): void => {
      if (Array.isArray(value)) { value.forEach((v, i) => mutate(v, `${path}[${i}]`, x => { value[i] = x })); return }
      if (value !== null && typeof value === 'object') { for (const [k, v] of Object.entries(value)) mutate(v, `${path}.${k}`, x => { (value as Record<string, unknown>)[k] = x }); return }
      leaves.push(path)
      // the last block's hash is outside the root on purpose: it is checked against the header's hash
      if (path === '.lastBlockHash') return
      const changed = typeof value === 'number' ? value + 1 : typeof value === 'boolean' ? !value : typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? (value[0] === '0' ? '1' : '0') + value.slice(1) : `${String(value)}x`
      set(changed)
      let mutated: Uint8Array | string
      try {
        mutated = stateRoot(fromSnapshot(copy))
      } catch (err) {
        mutated = (err as Error).message
      }
      expect(typeof mutated === 'string' || !equalBytes(mutated, root), `changing ${path} leaves the state root as it was`).toBe(true)
      set(value)
    }
    const copy = JSON.parse(JSON.stringify(snapshot)) as LedgerSnapshot
    mutate(copy, '', () => {})
    expect(leaves.length).toBeGreaterThan(50)
    for (const part of ['.ordered[0].blockHash', '.ordered[0].messages[1][1]', '.epochQueries[0][1]', '.jailing.watch[0][1].missed[1]', '.jailing.offences[0][0]', '.lastEntryAt']) expect(leaves).toContain(part)
  })

  it('a node offers its snapshot a round window below its head, no lower than the blocks and ledgers it holds', () => {
    expect(offeredSnapshotHeight(0, 1, 256)).toBe(0)
    expect(offeredSnapshotHeight(10_000, 1, 256)).toBe(10_000 - SNAPSHOT_DEPTH_BLOCKS)
    expect(offeredSnapshotHeight(100, 1, 256)).toBe(1)
    // a pruning node that holds the last 5 blocks
    expect(offeredSnapshotHeight(100, 96, 256)).toBe(96)
    expect(offeredSnapshotHeight(10_000, 1, 200)).toBe(9_801)
  })
})
