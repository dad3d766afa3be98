import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  agreementPpm, applyRound, defaultReputationParams, emaStep, genesisValidator, newcomer, positionScoresPpm, PPM, rankerScorePpm, votingPower
} from '../../protocol/reputation.js'
import type { ReputationEntry, ScoredVerdict } from '../../protocol/reputation.js'

const strengths = new Map([['a', 600_000], ['b', 300_000], ['c', 100_000]])

describe('scores', () => {
  it('agreement is 1 for a ranker that matches the final order and 0 for one that inverts it', () => {
    const right = [{ a: 'a', b: 'b', verdict: 'A' as const }, { a: 'b', b: 'c', verdict: 'A' as const }]
    const wrong = [{ a: 'a', b: 'b', verdict: 'B' as const }, { a: 'b', b: 'c', verdict: 'B' as const }]
    expect(agreementPpm(right, strengths)).toBe(PPM)
    expect(agreementPpm(wrong, strengths)).toBe(0)
    expect(agreementPpm([{ a: 'a', b: 'c', verdict: 'TIE' }], strengths)).toBe(PPM / 2)
    expect(agreementPpm([], strengths)).toBe(PPM / 2)
  })

  it('weights a verdict by how clearly the final order separates its pair', () => {
    // wrong on the clear pair (a,c: gap 500k), right on the close one (b,c: gap 200k)
    const mixed = [{ a: 'a', b: 'c', verdict: 'B' as const }, { a: 'b', b: 'c', verdict: 'A' as const }]
    expect(agreementPpm(mixed, strengths)).toBe(Math.floor(200_000 * PPM / 700_000))
  })

  it('a ranker is scored over the pairs it owed: a missing verdict counts as a wrong one (DESIGN §8.1)', () => {
    const owed = [{ a: 'a', b: 'b' }, { a: 'a', b: 'c' }, { a: 'b', b: 'c' }]
    const right: ScoredVerdict[] = [{ a: 'a', b: 'b', verdict: 'A' }, { a: 'a', b: 'c', verdict: 'A' }, { a: 'b', b: 'c', verdict: 'A' }]
    expect(rankerScorePpm(owed, right, strengths)).toBe(PPM)
    // only the clearest pair (gap 500k of 1000k in all): half, not all
    expect(rankerScorePpm(owed, [right[1]], strengths)).toBe(PPM / 2)
    // nothing judged: 0, whatever it claims; repeats and pairs it did not owe count for nothing
    expect(rankerScorePpm(owed, [], strengths)).toBe(0)
    expect(rankerScorePpm(owed, [right[1], right[1], right[1], { a: 'a', b: 'x', verdict: 'A' }], strengths)).toBe(PPM / 2)
    // nothing owed: nothing to score
    expect(rankerScorePpm([], right, strengths)).toBeUndefined()
    // a final order that separates nothing: half credit per owed pair judged
    const flat = new Map([['a', 1], ['b', 1], ['c', 1]])
    expect(rankerScorePpm(owed, right, flat)).toBe(PPM / 2)
    expect(rankerScorePpm(owed, right.slice(0, 1), flat)).toBe(Math.floor(PPM / 6))
  })

  it('judging every owed pair scores exactly its agreement; leaving pairs out never beats judging them', () => {
    const ids = ['a', 'b', 'c', 'd', 'e']
    const allPairs = ids.flatMap((a, i) => ids.slice(i + 1).map(b => ({ a, b })))
    const arb = fc.record({
      strengths: fc.array(fc.nat({ max: PPM }), { minLength: 5, maxLength: 5 }),
      owed: fc.subarray(allPairs, { minLength: 1 }),
      verdicts: fc.array(fc.constantFrom<'A' | 'B' | 'TIE'>('A', 'B', 'TIE'), { minLength: 10, maxLength: 10 }),
      judged: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 })
    })
    fc.assert(fc.property(arb, ({ strengths: s, owed, verdicts, judged }) => {
      const strength = new Map(ids.map((id, i) => [id, s[i]]))
      const full: ScoredVerdict[] = owed.map((p, i) => ({ ...p, verdict: verdicts[i] }))
      expect(rankerScorePpm(owed, full, strength)).toBe(agreementPpm(full, strength))
      const some = full.filter((_, i) => judged[i])
      const filled = full.map((v, i) => (judged[i] ? v : { ...v, verdict: 'TIE' as const }))
      expect(rankerScorePpm(owed, some, strength)!).toBeLessThanOrEqual(rankerScorePpm(owed, filled, strength)!)
      // a missing verdict is worth no more than a wrong one
      expect(rankerScorePpm(owed, some, strength)!).toBeLessThanOrEqual(rankerScorePpm(owed, full.map((v, i) => (judged[i] ? v : { ...v, verdict: 'A' as const })), strength)!)
    }), { numRuns: 500 })
  })

  it('position scores run from 1 (best) to 0 (worst), ties broken by id', () => {
    expect(positionScoresPpm(strengths)).toEqual(new Map([['a', PPM], ['b', PPM / 2], ['c', 0]]))
    expect(positionScoresPpm(new Map([['x', 5]]))).toEqual(new Map([['x', PPM]]))
    // equal strengths, equal scores (DESIGN §8.9): the mean of the places they span, whatever their ids
    expect(positionScoresPpm(new Map([['y', 5], ['x', 5]]))).toEqual(new Map([['x', PPM / 2], ['y', PPM / 2]]))
    expect(positionScoresPpm(new Map([['a', 9], ['b', 5], ['c', 5]]))).toEqual(new Map([['a', PPM], ['b', PPM / 4], ['c', PPM / 4]]))
    expect(positionScoresPpm(new Map([['a', 9], ['b', 9], ['c', 1]]))).toEqual(new Map([['a', 3 * PPM / 4], ['b', 3 * PPM / 4], ['c', 0]]))
  })
})

describe('reputation updates', () => {
  it('EMA rises by 10% of the gap and falls twice as fast', () => {
    expect(emaStep(500_000, PPM)).toBe(550_000)
    expect(emaStep(500_000, 0)).toBe(400_000)
    expect(emaStep(PPM, PPM)).toBe(PPM)
    fc.assert(fc.property(fc.nat({ max: PPM }), fc.nat({ max: PPM }), (cur, score) => {
      const next = emaStep(cur, score)
      expect(Number.isInteger(next) && next >= 0 && next <= PPM).toBe(true)
      if (score >= cur) expect(next).toBeGreaterThanOrEqual(cur)
      else expect(next).toBeLessThanOrEqual(cur)
    }))
  })

  it('a newcomer carries no voting power until it passes probation with good rounds', () => {
    let table = new Map<string, ReputationEntry>([['new', newcomer()]])
    expect(votingPower(table.get('new'))).toBe(0)
    for (let r = 0; r < defaultReputationParams.probationRounds - 1; r++) {
      table = applyRound(table, [{ node: 'new', kind: 'scored', scorePpm: 900_000 }]).table
      expect(votingPower(table.get('new'))).toBe(0)
    }
    // a bad round does not count toward probation
    table = applyRound(table, [{ node: 'new', kind: 'scored', scorePpm: 100_000 }]).table
    expect(table.get('new')?.onProbation).toBe(true)
    table = applyRound(table, [{ node: 'new', kind: 'scored', scorePpm: 900_000 }]).table
    expect(table.get('new')?.onProbation).toBe(false)
    expect(votingPower(table.get('new'))).toBe(table.get('new')?.reputationPpm)
  })

  it('scores absence as the worst place and charges withholding and invalid messages more (DESIGN §8.9), with exact deltas', () => {
    const table = new Map([['w', genesisValidator(500_000)], ['i', genesisValidator(500_000)], ['a', genesisValidator(500_000)], ['g', genesisValidator(500_000)]])
    const { table: next, deltas } = applyRound(table, [
      { node: 'w', kind: 'withheld' }, { node: 'i', kind: 'invalid' }, { node: 'a', kind: 'absent' }, { node: 'g', kind: 'scored', scorePpm: PPM }
    ])
    // absence: a tenth of the way to 0 (0.5 → 0.45); withholding and invalid messages: the worst score's fall (0.5 → 0.4) and their penalty on top
    expect(deltas).toEqual(new Map([['a', -50_000], ['g', 50_000], ['i', -200_000], ['w', -150_000]]))
    for (const [node, d] of deltas) expect(next.get(node)!.reputationPpm).toBe(500_000 + d)
    expect(table.get('w')!.reputationPpm).toBe(500_000) // input untouched
  })

  it('a consistently wrong node sinks and a consistently right one rises over 20 rounds', () => {
    let table = new Map([['good', genesisValidator(500_000)], ['bad', genesisValidator(500_000)]])
    for (let r = 0; r < 20; r++) {
      table = applyRound(table, [{ node: 'good', kind: 'scored', scorePpm: 900_000 }, { node: 'bad', kind: 'scored', scorePpm: 100_000 }]).table
    }
    expect(table.get('good')!.reputationPpm).toBeGreaterThan(850_000)
    expect(table.get('bad')!.reputationPpm).toBeLessThan(110_000)
  })
})
