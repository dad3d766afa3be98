import { describe, expect, it } from 'vitest'
import { fairRecordOrder, SubmissionMeter } from '../../protocol/submission.js'

describe('submission meter and fair record order (DESIGN §8.5)', () => {
  it('a bucket holds twice the rate, refills with time, and buckets are per identity', () => {
    const meter = new SubmissionMeter({ perSecond: 10 })
    const t = 1_000_000
    let granted = 0
    for (let i = 0; i < 30; i++) if (meter.take('a', t)) granted++
    expect(granted).toBe(20)
    expect(meter.take('b', t)).toBe(true)
    expect(meter.take('a', t + 50)).toBe(false) // half a token back
    expect(meter.take('a', t + 100)).toBe(true)
  })

  it('says whether an identity may submit without spending a token (the simulator picks a submitter its door accepts)', () => {
    const meter = new SubmissionMeter({ perSecond: 1 })
    expect(meter.allows('a', 0)).toBe(true)
    expect(meter.allows('a', 0)).toBe(true) // asking spends nothing
    expect(meter.take('a', 0)).toBe(true)
    expect(meter.take('a', 0)).toBe(true)
    expect(meter.allows('a', 0)).toBe(false)
    expect(meter.take('a', 0)).toBe(false)
    expect(meter.allows('a', 1_000)).toBe(true)
  })

  it('takes submitters in turn, at most perBlock each: ground low query ids do not starve others', () => {
    const ready = [
      ...Array.from({ length: 10 }, (_, i) => ({ queryIdHex: `00${i}`, submitter: 'grinder' })),
      { queryIdHex: 'ff1', submitter: 'alice' },
      { queryIdHex: 'fe2', submitter: 'bob' }
    ]
    const order = fairRecordOrder(ready, 3, 5)
    expect(order.map(r => r.submitter)).toEqual(['alice', 'bob', 'grinder', 'grinder', 'grinder'])
    expect(fairRecordOrder(ready, 3, 100)).toHaveLength(5)
  })
})
