import type { HashStream } from '../../protocol/random.js'
import { applyNetFaults, noNetFaults, writeShapes } from './netns.js'
import type { LinkShape, NetLayout, NodeNetFaults } from './netns.js'

/** The partitions `swarmrank churn` makes (Jepsen's nemeses of the same names). */
export type PartitionKind = 'halves' | 'isolate' | 'bridge' | 'one-way'
export const partitionKinds: PartitionKind[] = ['halves', 'isolate', 'bridge', 'one-way']

/** A node as the network faults see it. */
export interface NetMember { index: number, ip: string }

/**
 * The network faults in force on a netns cluster, and the rules that make them: one partition
 * at a time, and loss and delay per node, each lifted on its own. Every change rewrites the
 * affected nodes' nftables table (loss, partition) or the relays' shapes file (delay).
 */
export class NetFaults {
  private readonly net: NetLayout
  private readonly shapesFile: string
  private partitionRules = new Map<number, { dropFrom: string[], dropTo: string[] }>()
  private readonly loss = new Map<number, number>()
  private readonly shapes = new Map<string, LinkShape>()
  private readonly touched = new Set<number>()

  constructor (net: NetLayout, shapesFile: string) {
    this.net = net
    this.shapesFile = shapesFile
  }

  get partitioned (): boolean {
    return this.partitionRules.size > 0
  }

  lossy (index: number): boolean {
    return this.loss.has(index)
  }

  delayed (ip: string): boolean {
    return this.shapes.has(ip)
  }

  /** Cut the members as `kind` says; returns a description for the log. */
  partition (kind: PartitionKind, members: NetMember[], rng: HashStream): string {
    const shuffled = shuffle(members, rng)
    const rules = new Map<number, { dropFrom: string[], dropTo: string[] }>()
    const rule = (m: NetMember): { dropFrom: string[], dropTo: string[] } => {
      let r = rules.get(m.index)
      if (r === undefined) rules.set(m.index, r = { dropFrom: [], dropTo: [] })
      return r
    }
    // each side drops what comes from the other: both directions cut
    const cut = (a: NetMember[], b: NetMember[]): void => {
      for (const x of a) rule(x).dropFrom.push(...b.map(m => m.ip))
      for (const x of b) rule(x).dropFrom.push(...a.map(m => m.ip))
    }
    const names = (ms: NetMember[]): string => ms.map(m => m.index).sort((x, y) => x - y).join(',')
    let text: string
    if (kind === 'isolate') {
      const [alone, ...rest] = shuffled
      cut([alone], rest)
      text = `node-${alone.index} isolated`
    } else if (kind === 'bridge') {
      // the bridge node hears both sides; the sides do not hear each other
      const [bridge, ...rest] = shuffled
      const half = Math.ceil(rest.length / 2)
      cut(rest.slice(0, half), rest.slice(half))
      text = `{${names(rest.slice(0, half))}} | {${names(rest.slice(half))}} bridged by node-${bridge.index}`
    } else {
      const half = Math.ceil(shuffled.length / 2)
      const [a, b] = [shuffled.slice(0, half), shuffled.slice(half)]
      if (kind === 'halves') {
        cut(a, b)
        text = `{${names(a)}} | {${names(b)}}`
      } else {
        // a's packets to b vanish; b's packets to a arrive (so b's TCP sees no replies from a)
        for (const x of a) rule(x).dropTo.push(...b.map(m => m.ip))
        text = `{${names(a)}} -/-> {${names(b)}} (one-way)`
      }
    }
    const before = [...this.partitionRules.keys()]
    this.partitionRules = rules
    this.apply([...before, ...rules.keys()])
    return text
  }

  healPartition (): void {
    const before = [...this.partitionRules.keys()]
    this.partitionRules = new Map()
    this.apply(before)
  }

  setLoss (index: number, percent: number): void {
    this.loss.set(index, percent)
    this.apply([index])
  }

  clearLoss (index: number): void {
    this.loss.delete(index)
    this.apply([index])
  }

  setDelay (ip: string, shape: LinkShape): void {
    this.shapes.set(ip, shape)
    writeShapes(this.shapesFile, Object.fromEntries(this.shapes))
  }

  clearDelay (ip: string): void {
    this.shapes.delete(ip)
    writeShapes(this.shapesFile, Object.fromEntries(this.shapes))
  }

  /** Lift every network fault: empty tables on every node ever touched, no delay. */
  healAll (): void {
    this.partitionRules = new Map()
    this.loss.clear()
    this.shapes.clear()
    writeShapes(this.shapesFile, {})
    this.apply([...this.touched])
  }

  private apply (indices: number[]): void {
    for (const index of new Set(indices)) {
      const faults: NodeNetFaults = { ...noNetFaults(), ...this.partitionRules.get(index), lossPercent: this.loss.get(index) ?? 0 }
      this.touched.add(index)
      applyNetFaults(this.net, index, faults)
    }
  }
}

function shuffle<T> (items: T[], rng: HashStream): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
