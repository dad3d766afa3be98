import { sha256, uint64Bytes } from './hash.js'

/**
 * A deterministic random stream: SHA-256 in counter mode over a seed. Every node that knows
 * the seed draws the same numbers, which is what committees and pair lists need; nothing here
 * touches a clock or the platform RNG.
 */
export class HashStream {
  private readonly seed: Uint8Array
  private counter = 0
  private block: Uint8Array = new Uint8Array(0)
  private offset = 0

  constructor (seed: Uint8Array) {
    this.seed = seed
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32 (): number {
    if (this.offset + 4 > this.block.length) {
      this.block = sha256(this.seed, uint64Bytes(this.counter++))
      this.offset = 0
    }
    const b = this.block
    const o = this.offset
    this.offset += 4
    return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3]
  }

  /** A uniform integer in [0, bound) by rejection sampling (no modulo bias). */
  nextInt (bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x100000000) throw new RangeError(`bad bound ${bound}`)
    const limit = 0x100000000 - (0x100000000 % bound)
    for (;;) {
      const x = this.nextUint32()
      if (x < limit) return x % bound
    }
  }

  /**
   * A uniform integer in [0, bound) for bounds up to 2^53, by rejection sampling on 53-bit
   * draws. Bounds up to 2^32 draw exactly as nextInt does, so existing draws do not change.
   */
  nextBelow (bound: number): number {
    if (bound <= 0x100000000) return this.nextInt(bound)
    if (!Number.isSafeInteger(bound)) throw new RangeError(`bad bound ${bound}`)
    const range = 2 ** 53
    const limit = range - (range % bound)
    for (;;) {
      const x = (this.nextUint32() & 0x1fffff) * 0x100000000 + this.nextUint32()
      if (x < limit) return x % bound
    }
  }

  /** A float in [0, 1) with 32 bits of resolution. */
  nextFloat (): number {
    return this.nextUint32() / 0x100000000
  }

  /** Fisher–Yates shuffle of a copy of the array. */
  shuffle<T> (items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1)
      const t = out[i]
      out[i] = out[j]
      out[j] = t
    }
    return out
  }
}
