import { describe, expect, it } from 'vitest'
import { sha256, utf8 } from '../../protocol/hash.js'
import type { RoundRecord } from '../../protocol/wire/messages.js'
import { finalView } from '../../node/views.js'

const block = { height: 3, hash: 'h', certificate: { round: 0, precommits: [] }, recordHashes: [] }
const record = (strengths: number[]): RoundRecord => {
  const candidates = strengths.map((_, i) => sha256(utf8(`answer ${i}`))).sort((a, b) => Buffer.compare(a, b))
  return { queryId: sha256(utf8('q')), includedMessageIds: [], candidates, strengthsPpm: strengths, winner: candidates[0], deltas: [], participations: [] }
}

describe('final views', () => {
  it('say when the top candidates tie, so the id tie-break is not presented as the swarm\'s choice', () => {
    const tied = finalView(record([500_000, 500_000]), new Map(), block, undefined, 0)
    expect(tied.tie).toEqual(tied.candidates!.map(c => c.id))
    const clear = finalView(record([700_000, 300_000]), new Map(), block, undefined, 0)
    expect(clear.tie).toBeUndefined()
  })
})
