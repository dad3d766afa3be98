import { describe, expect, it } from 'vitest'
import { DEFAULT_GOSSIP_DEGREE, gossipMesh } from '../../node/host.js'

describe('gossip mesh bounds', () => {
  it('derives bounds gossipsub accepts (Dlo ≤ D ≤ Dhi, Dout < Dlo, Dout ≤ D/2) for every allowed degree', () => {
    for (let D = 2; D <= 32; D++) {
      const m = gossipMesh(D)
      expect(m.D).toBe(D)
      expect(m.Dlo).toBeLessThanOrEqual(D)
      expect(m.Dhi).toBeGreaterThan(D)
      expect(m.Dout).toBeLessThan(m.Dlo)
      expect(m.Dout).toBeLessThanOrEqual(D / 2)
      expect(m.Dscore).toBeLessThanOrEqual(m.D)
    }
    expect(gossipMesh(DEFAULT_GOSSIP_DEGREE)).toEqual({ D: 2, Dlo: 1, Dhi: 3, Dout: 0, Dscore: 1, Dlazy: 2 })
    expect(gossipMesh(3)).toEqual({ D: 3, Dlo: 2, Dhi: 4, Dout: 1, Dscore: 1, Dlazy: 3 })
  })

  it('refuses degrees outside 2–32', () => {
    for (const D of [0, 1, 2.5, 33, Number.NaN]) expect(() => gossipMesh(D)).toThrow(/gossip degree/)
  })
})
