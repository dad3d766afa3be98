import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha256, toHex, utf8 } from '../../protocol/hash.js'
import { assignPairs, isAssignedPairList, isExactPairList } from '../../protocol/pairs.js'

const candidates = (k: number): string[] => Array.from({ length: k }, (_, i) => toHex(sha256(utf8(`answer ${i}`))))
const queryId = sha256(utf8('query'))

describe('pair assignment', () => {
  it('is deterministic from (queryId, ranker, candidates) and independent of input order', () => {
    const c = candidates(9)
    const x = assignPairs({ queryId, ranker: 'r1', candidates: c })
    const y = assignPairs({ queryId, ranker: 'r1', candidates: [...c].reverse() })
    expect(x).toEqual(y)
    expect(assignPairs({ queryId, ranker: 'r2', candidates: c })).not.toEqual(x)
    expect(assignPairs({ queryId: sha256(utf8('other')), ranker: 'r1', candidates: c })).not.toEqual(x)
  })

  it('gives about 3 pairs per answer, canonical and distinct, never with the ranker\'s own answer', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), fc.string(), fc.boolean(), (k, ranker, hasOwn) => {
      const c = candidates(k)
      const own = hasOwn && k > 0 ? [c[0]] : []
      const pairs = assignPairs({ queryId, ranker, candidates: c, exclude: own })
      const eligible = k - own.length
      const expected = eligible < 2 ? 0 : Math.min(eligible * (eligible - 1) / 2, Math.ceil(3 * eligible / 2))
      expect(pairs).toHaveLength(expected)
      const keys = new Set(pairs.map(p => `${p[0]}:${p[1]}`))
      expect(keys.size).toBe(pairs.length)
      for (const [a, b] of pairs) {
        expect(a < b).toBe(true)
        expect(own.includes(a) || own.includes(b)).toBe(false)
      }
      // Balanced degrees: every eligible candidate appears 2–4 times when there are enough of them.
      if (eligible >= 7) {
        const degree = new Map<string, number>()
        for (const [a, b] of pairs) for (const x of [a, b]) degree.set(x, (degree.get(x) ?? 0) + 1)
        expect(degree.size).toBe(eligible)
        for (const d of degree.values()) expect(d === 3 || d === 4 || d === 2).toBe(true)
      }
    }), { numRuns: 300 })
  })

  it('connects every candidate in one ranker\'s comparison graph', () => {
    for (let k = 2; k <= 30; k++) {
      const pairs = assignPairs({ queryId, ranker: `r${k}`, candidates: candidates(k) })
      const parent = new Map<string, string>()
      const find = (x: string): string => { while (parent.has(x)) x = parent.get(x) as string; return x }
      for (const [a, b] of pairs) { const [ra, rb] = [find(a), find(b)]; if (ra !== rb) parent.set(ra, rb) }
      expect(new Set(candidates(k).map(find)).size).toBe(1)
    }
  })

  it('spreads coverage evenly across rankers', () => {
    const c = candidates(10)
    const counts = new Map<string, number>()
    const rankers = 600
    for (let r = 0; r < rankers; r++) {
      for (const [a, b] of assignPairs({ queryId, ranker: `ranker-${r}`, candidates: c })) counts.set(`${a}:${b}`, (counts.get(`${a}:${b}`) ?? 0) + 1)
    }
    expect(counts.size).toBe(45)
    const mean = rankers * 15 / 45
    for (const n of counts.values()) expect(Math.abs(n - mean) / mean).toBeLessThan(0.35)
  })

  it('checks a revealed pair list against the assignment', () => {
    const init = { queryId, ranker: 'r1', candidates: candidates(6) }
    const pairs = assignPairs(init)
    expect(isAssignedPairList(init, [...pairs].reverse())).toBe(true)
    expect(isAssignedPairList(init, pairs.slice(1))).toBe(false)
    expect(isAssignedPairList(init, [...pairs.slice(1), [pairs[0][1], pairs[0][0]]])).toBe(false)
    // exactly: same pairs, canonical order, none twice
    expect(isExactPairList(pairs, [...pairs])).toBe(true)
    expect(isExactPairList(pairs, [...pairs].reverse())).toBe(false)
    expect(isExactPairList(pairs, [pairs[0], ...pairs.slice(0, -1)])).toBe(false)
    expect(isExactPairList(pairs, [...pairs, pairs[0]])).toBe(false)
  })

  it('keeps the real candidates in one ring order whatever else the list holds (DESIGN §8.1)', () => {
    // With 2 pairs per answer the assignment is exactly the ring (offset 1): read the order of the
    // real candidates from it, then check that no list with made-up ids added gives a real pair
    // more than two apart in that ring.
    fc.assert(fc.property(fc.integer({ min: 3, max: 20 }), fc.integer({ min: 1, max: 40 }), fc.string(), fc.string(), (k, extra, ranker, salt) => {
      const real = candidates(k)
      const ring = new Map<string, string[]>()
      for (const [a, b] of assignPairs({ queryId, ranker, candidates: real, pairsPerAnswer: 2 })) {
        ring.set(a, [...(ring.get(a) ?? []), b])
        ring.set(b, [...(ring.get(b) ?? []), a])
      }
      const near = new Set<string>()
      for (const [x, neighbours] of ring) {
        for (const y of neighbours) {
          near.add([x, y].sort().join(':'))
          for (const z of ring.get(y)!) if (z !== x) near.add([x, z].sort().join(':'))
        }
      }
      const madeUp = Array.from({ length: extra }, (_, i) => toHex(sha256(utf8(`made up ${salt} ${i}`))))
      const realSet = new Set(real)
      for (const [a, b] of assignPairs({ queryId, ranker, candidates: [...real, ...madeUp] })) {
        if (realSet.has(a) && realSet.has(b)) expect(near.has(`${a}:${b}`)).toBe(true)
      }
    }), { numRuns: 300 })
  })

  it('gives a ranker that missed one candidate mostly the pairs it would have had', () => {
    const c = candidates(10)
    let kept = 0
    let total = 0
    for (let r = 0; r < 200; r++) {
      const full = new Set(assignPairs({ queryId, ranker: `ranker-${r}`, candidates: c }).map(p => p.join(':')))
      const fewer = assignPairs({ queryId, ranker: `ranker-${r}`, candidates: c.filter((_, i) => i !== r % 10) })
      kept += fewer.filter(p => full.has(p.join(':'))).length
      total += fewer.length
    }
    expect(kept / total).toBeGreaterThan(0.8) // a reshuffle of the whole list would keep about a third
  })
})
