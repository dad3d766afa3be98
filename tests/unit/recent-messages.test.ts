import { describe, expect, it } from 'vitest'
import { RecentMessages } from '../../node/recent-messages.js'
import type { SignedMessage } from '../../protocol/wire/envelope.js'

/** Only the id and the size matter to the cache. */
const msg = (i: number, bytes: number): SignedMessage => ({ idHex: `m${i}`, bytes: new Uint8Array(bytes) }) as unknown as SignedMessage

describe('the recent-message cache', () => {
  it('keeps at most its count and its bytes, dropping the oldest first', () => {
    const byCount = new RecentMessages({ maxMessages: 3, maxBytes: 1_000 })
    for (let i = 0; i < 5; i++) byCount.add(msg(i, 10))
    expect(byCount.size).toBe(3)
    expect(byCount.get('m0')).toBeUndefined()
    expect(byCount.get('m1')).toBeUndefined()
    expect(byCount.get('m4')?.idHex).toBe('m4')

    const byBytes = new RecentMessages({ maxMessages: 100, maxBytes: 100 })
    for (let i = 0; i < 4; i++) byBytes.add(msg(i, 40))
    expect([0, 1, 2, 3].map(i => byBytes.get(`m${i}`) !== undefined)).toEqual([false, false, true, true])
  })

  it('counts a message added twice once, and never holds one bigger than all its bytes', () => {
    const c = new RecentMessages({ maxMessages: 100, maxBytes: 100 })
    c.add(msg(1, 60))
    c.add(msg(1, 60))
    c.add(msg(2, 40))
    expect(c.size).toBe(2)
    c.add(msg(3, 101))
    expect(c.get('m3')).toBeUndefined()
    expect(c.size).toBe(2)
  })
})
