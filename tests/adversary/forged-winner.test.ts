import { describe, expect, it } from 'vitest'
import { assignPairs } from '../../protocol/pairs.js'
import { checkRankerReveal } from '../../protocol/record.js'
import { defaultReputationParams, genesisValidator } from '../../protocol/reputation.js'
import { validateEnvelope } from '../../protocol/wire/validate.js'
import { networkId } from '../helpers/wire-fixtures.js'
import {
  assigned, comparisonBody, deltaOf, forgeRound, honestBody, madeUpId, rankerMessages, recordWith, strengthOf, truthful
} from './round-fixture.js'
import type { ForgedComparison, ForgeRound } from './round-fixture.js'

/**
 * DESIGN §8 property 1, "No forged winner": a ranker's influence on a round is bounded by its
 * voting-power share whatever its reveal contains — one verdict per assigned pair, never a
 * repeated pair, never a pair it was not assigned; an unknown id in answerIdsSeen never switches
 * the pair check off; claiming to have seen fewer answers earns nothing.
 *
 * Every round here has honest rankers that judge by the true order and one Byzantine ranker
 * (ranker 0, a fifth of the voting power) whose reveal is forged. Its commit always opens, so
 * only the body is on trial.
 */
const BYZ = 0
const invalidPenalty = defaultReputationParams.invalidPenaltyPpm
const wireCtx = { networkId, now: 1_700_000_000_000 }

const pair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x])
/** "x beats y", written canonically */
function beats (x: string, y: string): ForgedComparison {
  const [a, b] = pair(x, y)
  return { a, b, verdict: a === x ? 'A' : 'B' }
}
const only = (i: number, body: ReturnType<typeof comparisonBody> | null): Map<number, ReturnType<typeof comparisonBody> | null> => new Map([[i, body]])

async function wireVerdict (r: ForgeRound, body: ReturnType<typeof comparisonBody>): Promise<string> {
  const { reveal } = await rankerMessages(r, r.rankers[BYZ], body)
  return (await validateEnvelope(reveal.bytes, wireCtx)).result
}

describe('a forged winner (one Byzantine ranker among honest ones)', () => {
  it('a made-up id in answerIdsSeen plus 64 × "X beats each rival" does not make X the winner', async () => {
    const r = await forgeRound(5, 5, 'a')
    const [best] = r.truth
    const x = r.truth[r.truth.length - 1] // the worst answer
    const rivals = r.truth.filter(c => c !== x)
    const forged = Array.from({ length: 64 }, () => rivals.map(y => beats(x, y))).flat() // 256 verdicts, 64 per rival
    const body = comparisonBody([...r.sorted, madeUpId('a')], forged)

    const outcome = await recordWith(r, only(BYZ, body))
    expect(outcome.winner?.id, 'winner').toBe(best)
    expect(strengthOf(outcome, x), 'X stays the weakest').toBe(Math.min(...outcome.record.strengthsPpm))
    expect(deltaOf(outcome, r.rankers[BYZ].id), 'the forger is invalid').toBeLessThanOrEqual(-invalidPenalty)
    expect(await wireVerdict(r, body), 'gossip validation').toBe('REJECT')
  })

  it('a made-up id with a well-formed list over it counts no pair beyond the ranker\'s real assignment', async () => {
    const r = await forgeRound(6, 5, 'a2')
    const x = r.truth[r.truth.length - 1]
    const seen = [...r.sorted, madeUpId('a2')]
    const lie = (c: readonly [string, string]): ForgedComparison => ({ a: c[0], b: c[1], verdict: c[0] === x ? 'A' : c[1] === x ? 'B' : 'TIE' })
    const body = comparisonBody(seen, assigned(r, r.rankers[BYZ], seen).map(lie))
    const outcome = await recordWith(r, only(BYZ, body))
    expect(outcome.winner?.id).toBe(r.truth[0])
    // The same lie on its own assignment over the real candidates is the most it may do.
    const bound = await recordWith(r, only(BYZ, comparisonBody(r.sorted, assigned(r, r.rankers[BYZ], r.sorted).map(lie))))
    expect(strengthOf(outcome, x)).toBeLessThanOrEqual(strengthOf(bound, x))
  })

  it('grinding made-up ids never gets a ranker more sway over X than lying on its own assignment', async () => {
    const r = await forgeRound(8, 5, 'grind')
    const x = r.truth[r.truth.length - 1]
    const lie = (c: readonly [string, string]): ForgedComparison => ({ a: c[0], b: c[1], verdict: c[0] === x ? 'A' : c[1] === x ? 'B' : 'TIE' })
    const bound = strengthOf(await recordWith(r, only(BYZ, comparisonBody(r.sorted, assigned(r, r.rankers[BYZ], r.sorted).map(lie)))), x)
    let best = 0
    for (let g = 0; g < 60; g++) {
      const seen = [...r.sorted, ...Array.from({ length: 1 + (g % 3) }, (_, j) => madeUpId(`grind ${g} ${j}`))]
      const body = comparisonBody(seen, assigned(r, r.rankers[BYZ], seen).map(lie))
      best = Math.max(best, strengthOf(await recordWith(r, only(BYZ, body)), x))
    }
    expect(best, `X's strength, best grind vs honest-list lie ${bound}`).toBeLessThanOrEqual(bound)
  })
})

describe('claiming to have seen fewer answers earns nothing', () => {
  it('a ranker that claims to have seen one candidate (no pairs) does no better than an absent one', async () => {
    const r = await forgeRound(5, 5, 'b1')
    r.table.set(r.rankers[BYZ].id, genesisValidator(300_000))
    const absent = deltaOf(await recordWith(r, only(BYZ, null)), r.rankers[BYZ].id)!
    expect(absent).toBe(-30_000) // a tenth of the way to 0: 300k → 270k (DESIGN §8.9)
    for (const seen of [[r.truth[0]], []]) {
      const outcome = await recordWith(r, only(BYZ, comparisonBody(seen, [])))
      expect(deltaOf(outcome, r.rankers[BYZ].id), `claimed ${seen.length} seen`).toBeLessThanOrEqual(absent)
    }
  })

  it('a ranker that claims to have seen two candidates scores below one that judged everything it was assigned', async () => {
    const r = await forgeRound(6, 5, 'b2')
    const ranker = r.rankers[BYZ]
    const honest = deltaOf(await recordWith(r, new Map()), ranker.id)!
    expect(honest).toBeGreaterThan(0)
    // the easiest pair it was assigned (the widest apart in the true order), judged right
    const owed = assigned(r, ranker, r.sorted)
    const gap = ([a, b]: readonly [string, string]): number => Math.abs(r.truth.indexOf(a) - r.truth.indexOf(b))
    const [a, b] = owed.reduce((x, y) => (gap(y) > gap(x) ? y : x))
    const lazy = deltaOf(await recordWith(r, only(BYZ, comparisonBody([a, b], [{ a, b, verdict: truthful(r, a, b) }]))), ranker.id)!
    expect(lazy, `lazy ${lazy} vs honest ${honest}`).toBeLessThan(honest)
    // and no better than judging that pair the same way and answering TIE on the rest
    const ties = owed.map(([x, y]) => ({ a: x, b: y, verdict: x === a && y === b ? truthful(r, a, b) : 'TIE' as const }))
    const tie = deltaOf(await recordWith(r, only(BYZ, comparisonBody(r.sorted, ties))), ranker.id)!
    expect(lazy, `lazy ${lazy} vs same verdict and TIE elsewhere ${tie}`).toBeLessThanOrEqual(tie)
  })
})

describe('a pair the ranker was not assigned, or the same pair twice', () => {
  async function invalidates (r: ForgeRound, seen: string[], comparisons: ForgedComparison[]): Promise<number> {
    return deltaOf(await recordWith(r, only(BYZ, comparisonBody(seen, comparisons))), r.rankers[BYZ].id)!
  }

  it('makes the reveal invalid, with or without a made-up id in answerIdsSeen', async () => {
    const r = await forgeRound(6, 5, 'c')
    const x = r.truth[r.truth.length - 1]
    for (const extra of [[], [madeUpId('c')]]) {
      const seen = [...r.sorted, ...extra]
      const list = assigned(r, r.rankers[BYZ], seen)
      const judged = list.map(([a, b]) => ({ a, b, verdict: truthful(r, a, b) === 'A' || b === x ? 'A' as const : 'B' as const }))
      const real = new Set(r.sorted)
      const keys = new Set(list.map(p => p.join(':')))
      const unassigned = r.truth.flatMap(a => r.truth.map(b => pair(a, b))).find(([a, b]) => a !== b && !keys.has(`${a}:${b}`) && real.has(a) && real.has(b))!
      const i = judged.findIndex(c => real.has(c.a) && real.has(c.b))
      const what = extra.length === 0 ? 'all ids known' : 'a made-up id seen'
      // one assigned pair swapped for an unassigned one
      const swapped = [...judged]
      swapped[i] = { a: unassigned[0], b: unassigned[1], verdict: 'A' }
      swapped.sort((p, q) => (p.a + p.b < q.a + q.b ? -1 : 1))
      expect(await invalidates(r, seen, swapped), `unassigned pair, ${what}`).toBeLessThanOrEqual(-invalidPenalty)
      // an unassigned pair added
      const added = [...judged, { a: unassigned[0], b: unassigned[1], verdict: 'A' as const }].sort((p, q) => (p.a + p.b < q.a + q.b ? -1 : 1))
      expect(await invalidates(r, seen, added), `extra pair, ${what}`).toBeLessThanOrEqual(-invalidPenalty)
      // the same pair twice
      const twice = [...judged.slice(0, i + 1), judged[i], ...judged.slice(i + 1)]
      expect(await invalidates(r, seen, twice), `repeated pair, ${what}`).toBeLessThanOrEqual(-invalidPenalty)
      // the same pair twice in place of another one (same length as the assignment)
      const replaced = [...judged]
      replaced[i === 0 ? 1 : i - 1] = judged[i]
      replaced.sort((p, q) => (p.a + p.b < q.a + q.b ? -1 : 1))
      expect(await invalidates(r, seen, replaced), `repeated pair in place of another, ${what}`).toBeLessThanOrEqual(-invalidPenalty)
    }
  })

  it('is rejected by gossip validation when a pair repeats or names an id the ranker did not list as seen', async () => {
    const r = await forgeRound(4, 5, 'c-wire')
    const honest = honestBody(r, r.rankers[BYZ])
    expect(await wireVerdict(r, comparisonBody(honest.seen, honest.comparisons))).toBe('ACCEPT')
    const twice = [honest.comparisons[0], ...honest.comparisons]
    expect(await wireVerdict(r, comparisonBody(honest.seen, twice)), 'repeated pair').toBe('REJECT')
    const [a, b] = pair(r.truth[0], r.truth[1])
    expect(await wireVerdict(r, comparisonBody(r.sorted.filter(c => c !== a), [{ a, b, verdict: 'A' }])), 'pair outside answerIdsSeen').toBe('REJECT')
    const reversed = [...honest.comparisons].reverse()
    expect(await wireVerdict(r, comparisonBody(honest.seen, reversed)), 'pairs out of canonical order').toBe('REJECT')
  })
})

describe('what a ranker can and cannot get by choosing its list', () => {
  it('whatever ids it lists or leaves out, its counted verdicts are pairs it owed, each once', async () => {
    const r = await forgeRound(8, 3, 'grind-pairs')
    const ranker = r.rankers[BYZ]
    const owed = new Set(assigned(r, ranker, r.sorted).map(p => p.join(':')))
    for (let g = 0; g < 300; g++) {
      const kept = r.sorted.filter((_, i) => ((g * 7 + i * 13) % 5) !== 0 || g % 2 === 0) // leave some real ids out
      const seen = [...kept, ...Array.from({ length: g % 6 }, (_, j) => madeUpId(`g${g}/${j}`))]
      const list = assigned(r, ranker, seen)
      const check = checkRankerReveal(comparisonBody(seen, list.map(([a, b]) => ({ a, b, verdict: 'A' as const }))), { queryId: r.queryId, ranker: ranker.id, candidates: r.sorted })
      expect(check.valid).toBe(true)
      const keys = check.counted.map(v => `${v.a}:${v.b}`)
      expect(new Set(keys).size).toBe(keys.length)
      for (const k of keys) expect(owed.has(k), `grind ${g}: ${k} was not owed`).toBe(true)
    }
  })

  it('an honest ranker is never invalid for what it could not see, and loses only the verdicts it could not give', async () => {
    const r = await forgeRound(8, 3, 'honest-loss')
    const ranker = r.rankers[BYZ]
    const ctx = { queryId: r.queryId, ranker: ranker.id, candidates: r.sorted }
    const judge = (seen: string[], exclude: string[] = []): ReturnType<typeof comparisonBody> =>
      comparisonBody(seen, assignPairs({ queryId: r.queryId, ranker: ranker.id, candidates: seen, exclude }).map(([a, b]) => ({ a, b, verdict: truthful(r, a, b) })))
    // it saw a reveal this node lacks (an extra id), or missed one this node has
    const extra = checkRankerReveal(judge([...r.sorted, madeUpId('lost here')]), ctx)
    expect(extra.valid).toBe(true)
    let kept = 0
    for (const missed of r.sorted) {
      const check = checkRankerReveal(judge(r.sorted.filter(c => c !== missed)), ctx)
      expect(check.valid).toBe(true)
      kept += check.counted.length
    }
    // candidates keep their ring order, so most of its verdicts still land on pairs it owed
    expect(kept / (r.sorted.length * assigned(r, ranker, r.sorted).length)).toBeGreaterThan(0.6)
    // it answered too, and this node lacks its answer: it left its own (unknown here) id out
    const own = madeUpId('my own answer')
    expect(checkRankerReveal(judge([...r.sorted, own], [own]), ctx).valid).toBe(true)
    // its own answer is a candidate here: pairs with it were left out, and none counts if sent
    const mine = r.sorted[2]
    const withOwn = { ...ctx, own: mine }
    const honest = checkRankerReveal(judge(r.sorted, [mine]), withOwn)
    expect(honest.valid).toBe(true)
    expect(honest.counted.length).toBe(honest.owed.length)
    const unaware = checkRankerReveal(judge(r.sorted), withOwn) // it never saw its own reveal
    expect(unaware.valid).toBe(true)
    expect(unaware.counted.some(v => v.a === mine || v.b === mine)).toBe(false)
  })
})
