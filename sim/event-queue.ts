/**
 * The discrete-event clock: a binary min-heap of callbacks keyed by (time, insertion order), so
 * two events at the same virtual millisecond always run in the order they were scheduled and a
 * run is reproducible from its seed.
 */
export class EventQueue {
  private times: number[] = []
  private seqs: number[] = []
  private fns: Array<() => void> = []
  private seq = 0
  now = 0

  get size (): number {
    return this.fns.length
  }

  at (time: number, fn: () => void): void {
    let i = this.fns.length
    this.times.push(time < this.now ? this.now : time)
    this.seqs.push(this.seq++)
    this.fns.push(fn)
    // sift up
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      this.swap(i, p)
      i = p
    }
  }

  after (delayMs: number, fn: () => void): void {
    this.at(this.now + delayMs, fn)
  }

  /** Run the earliest event; false when none is left or the next one lies past `until`. */
  step (until = Infinity): boolean {
    if (this.fns.length === 0 || this.times[0] > until) return false
    const time = this.times[0]
    const fn = this.fns[0]
    const last = this.fns.length - 1
    this.swap(0, last)
    this.times.pop()
    this.seqs.pop()
    this.fns.pop()
    let i = 0
    const n = this.fns.length
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < n && this.less(l, m)) m = l
      if (r < n && this.less(r, m)) m = r
      if (m === i) break
      this.swap(i, m)
      i = m
    }
    this.now = time
    fn()
    return true
  }

  private less (i: number, j: number): boolean {
    return this.times[i] < this.times[j] || (this.times[i] === this.times[j] && this.seqs[i] < this.seqs[j])
  }

  private swap (i: number, j: number): void {
    const t = this.times[i]; this.times[i] = this.times[j]; this.times[j] = t
    const s = this.seqs[i]; this.seqs[i] = this.seqs[j]; this.seqs[j] = s
    const f = this.fns[i]; this.fns[i] = this.fns[j]; this.fns[j] = f
  }
}
