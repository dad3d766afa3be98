import { describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { drawCommittee } from '../../protocol/committee.js'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { answerCommitment, nodeIdFromBytes } from '../../protocol/record.js'
import { defaultReputationParams, genesisValidator } from '../../protocol/reputation.js'
import { HashStream } from '../../protocol/random.js'
import { RoundHarness } from '../helpers/round-harness.js'

const profiles = ['ada', 'bo', 'cy', 'dee', 'eli', 'fox', 'gia']
const task = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

function deltasOf (h: RoundHarness, node = h.nodes[0]): Map<string, number> {
  return new Map(node.state!.outcome!.record.deltas.map(d => [nodeIdFromBytes(d.node), d.deltaPpm]))
}

describe('committees', () => {
  it('draws distinct, sorted members, the same on every call, weighted by reputation', () => {
    const table = new Map(Array.from({ length: 20 }, (_, i) => [`node-${String(i).padStart(2, '0')}`, genesisValidator(i < 10 ? 900_000 : 100_000)]))
    const counts = new Map<string, number>()
    for (let q = 0; q < 400; q++) {
      const qid = sha256(utf8(`q${q}`))
      const c = drawCommittee(qid, 'answer', table, 5)
      expect(c).toEqual(drawCommittee(qid, 'answer', table, 5))
      expect(new Set(c).size).toBe(5)
      expect([...c].sort()).toEqual(c)
      for (const n of c) counts.set(n, (counts.get(n) ?? 0) + 1)
    }
    const strong = [...counts].filter(([n]) => Number(n.slice(5)) < 10).reduce((s, [, k]) => s + k, 0)
    expect(strong / 2000).toBeGreaterThan(0.75)
    expect(drawCommittee(sha256(utf8('q')), 'rank', table, 50)).toHaveLength(20)
  })
})

describe('the inference round', () => {
  it('finishes on every node with byte-identical records, closing each phase early when everyone delivered', async () => {
    const h = await RoundHarness.create(profiles)
    const start = h.now
    await h.run(task('a'))
    expect(h.now).toBe(start) // no deadline was needed
    const records = h.nodes.map(n => h.recordHex(n))
    expect(new Set(records).size).toBe(1)
    const outcome = h.nodes[0].state!.outcome!
    expect(outcome.candidates.length).toBeGreaterThanOrEqual(1)
    expect(outcome.record.strengthsPpm.reduce((s, x) => s + x, 0)).toBeGreaterThan(999_990)
    for (const n of h.nodes) expect(n.verdicts.every(v => v.verdict.result !== 'REJECT')).toBe(true)
  })

  it('picks the right answer more often than a majority vote of the same answers', async () => {
    let consensus = 0
    let majority = 0
    for (let r = 0; r < 30; r++) {
      const h = await RoundHarness.create(profiles)
      const prompt = task(`q${r}`)
      await h.run(prompt)
      const o = h.nodes[0].state!.outcome!
      const right = drawTask(new HashStream(sha256(utf8(`q${r}`)))).answer
      if (o.winner?.answer === right) consensus++
      const top = [...o.candidates].sort((x, y) => y.answerers.length - x.answerers.length || (x.id < y.id ? -1 : 1))[0]
      if (top?.answer === right) majority++
    }
    expect(consensus).toBeGreaterThan(majority)
  })

  it('closes a phase at its deadline when an assigned answerer stays silent, and marks it absent', async () => {
    const h = await RoundHarness.create(profiles)
    const prompt = task('b')
    // find an answerer for this query by running once, then silence it
    await h.run(prompt)
    const answerer = h.nodes.find(n => n.state!.answerers.includes(n.id))!
    const h2 = await RoundHarness.create(profiles)
    h2.nodes.find(n => n.id === answerer.id)!.silent = true
    const start = h2.now
    await h2.run(prompt)
    expect(h2.now).toBeGreaterThanOrEqual(start + h2.params.answerCommitMs)
    expect(new Set(h2.nodes.map(n => h2.recordHex(n))).size).toBe(1)
    expect(deltasOf(h2).get(answerer.id)).toBeLessThan(0)
  })

  it('penalises a withholder that commits and never reveals', async () => {
    const h = await RoundHarness.create(profiles)
    const prompt = task('c')
    await h.run(prompt)
    const answerer = h.nodes.find(n => n.state!.answerers.includes(n.id) && !n.state!.rankers.includes(n.id)) ?? h.nodes.find(n => n.state!.answerers.includes(n.id))!
    const h2 = await RoundHarness.create(profiles)
    h2.nodes.find(n => n.id === answerer.id)!.withholder = true
    await h2.run(prompt)
    const outcome = h2.nodes[0].state!.outcome!
    expect(outcome.candidates.flatMap(c => c.answerers)).not.toContain(answerer.id)
    expect(deltasOf(h2).get(answerer.id)).toBeLessThanOrEqual(-defaultReputationParams.withholdPenaltyPpm)
  })

  it('rejects a commit from outside the committee, an equivocating commit and a reveal that does not open its commitment', async () => {
    const h = await RoundHarness.create(profiles)
    await h.run(task('d')) // committees for this query
    const s = h.nodes[0].state!
    const outsider = h.nodes.find(n => !s.answerers.includes(n.id))!
    const insider = h.nodes.find(n => s.answerers.includes(n.id))!

    // Drive a fresh round by hand: nobody answers on their own, we inject the messages.
    const h4 = await RoundHarness.create(profiles)
    h4.nodes.forEach(n => { n.silent = true })
    const prompt = task('d')
    const query = await h4.sign(h4.nodes[0], { query: { prompt, anchorHeight: 0, createdAt: h4.now, nonce: utf8('n') } })
    await h4.begin(query)
    const salt = new Uint8Array(16).fill(1)
    const i4 = h4.nodes.find(n => n.id === insider.id)!
    const o4 = h4.nodes.find(n => n.id === outsider.id)!
    await h4.deliver(await h4.sign(o4, { answerCommit: { queryId: query.id, commitment: answerCommitment('1', salt) } }))
    await h4.deliver(await h4.sign(i4, { answerCommit: { queryId: query.id, commitment: answerCommitment('1', salt) } }))
    await h4.deliver(await h4.sign(i4, { answerReveal: { queryId: query.id, answer: '2', salt } }))
    await h4.deliver(await h4.sign(i4, { answerCommit: { queryId: query.id, commitment: answerCommitment('3', salt) } }))
    const reasons = h4.nodes[0].verdicts.map(v => v.verdict.result === 'ACCEPT' ? 'ACCEPT' : `${v.verdict.result}: ${v.verdict.reason}`)
    expect(reasons).toEqual([
      'REJECT: signer is not on the answer committee',
      'ACCEPT',
      'REJECT: reveal does not match its commitment',
      'REJECT: equivocation: a second answer commit'
    ])
    expect(h4.nodes[0].state!.invalid.has(insider.id)).toBe(true)
    expect(toHex(query.id)).toBe(s.queryIdHex) // same query, so the same committees as the first run
  })
})
