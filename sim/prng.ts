import { sha256, utf8 } from '../protocol/hash.js'

/**
 * The simulator's own fast random numbers (sfc32, Chris Doty-Humphrey's small fast counter),
 * seeded from a string through SHA-256. The network model draws millions of numbers per run
 * (a latency and a loss draw per transmission), too many for the protocol's SHA-256 HashStream;
 * nothing here is consensus-critical, it only has to be reproducible from the seed.
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor (seed: string) {
    const h = sha256(utf8(`swarmrank-sim/${seed}`))
    const word = (i: number): number => ((h[i] << 24) | (h[i + 1] << 16) | (h[i + 2] << 8) | h[i + 3]) >>> 0
    this.a = word(0)
    this.b = word(4)
    this.c = word(8)
    this.d = word(12) | 1
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** An independent stream for a named purpose (so adding draws in one place does not shift another). */
  fork (name: string): Prng {
    return new Prng(`${this.nextUint32()}/${name}`)
  }

  nextUint32 (): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next (): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform integer in [0, bound). */
  int (bound: number): number {
    return Math.floor(this.next() * bound)
  }

  /** Standard normal (Box–Muller). */
  normal (): number {
    const u = 1 - this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** Log-normal with the given median and shape sigma. */
  logNormal (median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /** 16 random bytes (commitment salts). */
  bytes16 (): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(16)
    for (let i = 0; i < 16; i += 4) {
      const x = this.nextUint32()
      out[i] = x >>> 24
      out[i + 1] = (x >>> 16) & 0xff
      out[i + 2] = (x >>> 8) & 0xff
      out[i + 3] = x & 0xff
    }
    return out
  }

  pick<T> (items: readonly T[]): T {
    return items[this.int(items.length)]
  }
}
