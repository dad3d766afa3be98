import { Prng } from './prng.js'

/** The simulated network's knobs (DESIGN §6). Latencies in milliseconds. */
export interface NetworkParams {
  /** gossipsub mesh degree D: each node keeps about this many mesh links */
  meshDegree: number
  /** median one-way link latency; each link's latency is drawn log-normal around it once */
  latencyMedianMs: number
  /** log-normal shape of link latencies (0.5: most links within 0.6×–1.6× the median) */
  latencySigma: number
  /** extra uniform delay per transmission, 0..jitterMs (queueing) */
  jitterMs: number
  /** probability that one transmission over one link is lost */
  loss: number
  /** per-message framing on the wire (gossipsub RPC + yamux + noise), added to every copy */
  overheadBytes: number
}

export const defaultNetworkParams: NetworkParams = {
  meshDegree: 8,
  latencyMedianMs: 40,
  latencySigma: 0.5,
  jitterMs: 10,
  loss: 0.01,
  overheadBytes: 48
}

/**
 * Gossip over a random mesh: a broadcast floods the mesh (each node forwards a message to its
 * mesh peers the first time it sees it, as gossipsub does), every transmission has the link's
 * latency plus jitter and may be lost, offline nodes neither receive nor forward, and links
 * across a partition carry nothing. Each copy's bytes are counted at both ends, duplicates
 * included, which is what gossip costs.
 *
 * A broadcast is computed at once, Dijkstra-style over the mesh, and returns when each node
 * first receives it; the simulator then schedules only the deliveries that a node acts on.
 */
export class SimNetwork {
  readonly params: NetworkParams
  private readonly rng: Prng
  private adjacency: number[][] = []
  private latency: number[][] = []
  online: boolean[] = []
  /** partition group of each node; links between different groups carry nothing */
  group: number[] = []
  bytesIn: number[] = []
  bytesOut: number[] = []
  messagesIn: number[] = []
  broadcasts = 0
  /** directed links: the most pushes one broadcast can make */
  private links = 0
  // scratch space for broadcasts, grown with the network
  private heapNodes = new Int32Array(0)
  private heapTimes = new Float64Array(0)
  private settled = new Uint8Array(0)

  constructor (params: NetworkParams, seed: string) {
    this.params = params
    this.rng = new Prng(`network/${seed}`)
  }

  get size (): number {
    return this.adjacency.length
  }

  /** Add a node (online) linked to up to D random online nodes; returns its index. */
  addNode (): number {
    const me = this.adjacency.length
    this.adjacency.push([])
    this.latency.push([])
    this.online.push(true)
    this.group.push(0)
    this.bytesIn.push(0)
    this.bytesOut.push(0)
    this.messagesIn.push(0)
    this.connectToRandomPeers(me, Math.ceil(this.params.meshDegree / 2))
    return me
  }

  /** After all founding nodes are added: top every node up to D links (the mesh heartbeat's graft). */
  repairMesh (): void {
    for (let v = 0; v < this.size; v++) {
      if (!this.online[v]) continue
      const live = this.adjacency[v].filter(u => this.online[u]).length
      if (live < this.params.meshDegree - 2) this.connectToRandomPeers(v, this.params.meshDegree - live)
    }
  }

  private connectToRandomPeers (me: number, wanted: number): void {
    const n = this.adjacency.length
    let tries = 0
    let added = 0
    while (added < wanted && tries < wanted * 20 && n > 1) {
      tries++
      const u = this.rng.int(n)
      if (u === me || !this.online[u] || this.adjacency[me].includes(u)) continue
      const ms = this.rng.logNormal(this.params.latencyMedianMs, this.params.latencySigma)
      this.adjacency[me].push(u)
      this.latency[me].push(ms)
      this.adjacency[u].push(me)
      this.latency[u].push(ms)
      this.links += 2
      added++
    }
  }

  setOnline (v: number, online: boolean): void {
    this.online[v] = online
  }

  /** One-way latency of the direct path estimate between two nodes (fetches by id). */
  rttMs (): number {
    return 2 * this.params.latencyMedianMs
  }

  /**
   * Flood a message of `bytes` from `from`. Returns each node's first-arrival delay in ms
   * (Infinity where it never arrives). Counts bytes and copies per node.
   */
  broadcast (from: number, bytes: number): Float64Array {
    const n = this.size
    if (this.settled.length < n) this.settled = new Uint8Array(n * 2)
    if (this.heapNodes.length < this.links + 1) {
      this.heapNodes = new Int32Array(this.links * 2 + 16)
      this.heapTimes = new Float64Array(this.links * 2 + 16)
    }
    const arrival = new Float64Array(n).fill(Infinity)
    this.settled.fill(0, 0, n)
    this.broadcasts++
    if (!this.online[from]) return arrival
    const copy = bytes + this.params.overheadBytes
    const { loss, jitterMs } = this.params
    // a lazy binary heap of (time, node) pairs
    let size = 0
    const hn = this.heapNodes
    const ht = this.heapTimes
    const push = (node: number, time: number): void => {
      let i = size++
      while (i > 0) {
        const p = (i - 1) >> 1
        if (ht[p] <= time) break
        hn[i] = hn[p]; ht[i] = ht[p]; i = p
      }
      hn[i] = node; ht[i] = time
    }
    const pop = (): void => {
      const lastN = hn[--size]; const lastT = ht[size]
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= size) break
        if (c + 1 < size && ht[c + 1] < ht[c]) c++
        if (ht[c] >= lastT) break
        hn[i] = hn[c]; ht[i] = ht[c]; i = c
      }
      hn[i] = lastN; ht[i] = lastT
    }
    arrival[from] = 0
    push(from, 0)
    while (size > 0) {
      const v = hn[0]
      const t = ht[0]
      pop()
      if (this.settled[v] === 1) continue
      this.settled[v] = 1
      // v forwards to every mesh peer (gossipsub sends to all mesh peers but the one it came from;
      // the duplicate to the sender is small, and we count it: it bounds the cost from above)
      const adj = this.adjacency[v]
      const lat = this.latency[v]
      for (let k = 0; k < adj.length; k++) {
        const u = adj[k]
        if (!this.online[u] || this.group[u] !== this.group[v]) continue
        this.bytesOut[v] += copy
        if (loss > 0 && this.rng.next() < loss) continue
        this.bytesIn[u] += copy
        this.messagesIn[u]++
        if (this.settled[u] === 1) continue
        const at = t + lat[k] + this.rng.next() * jitterMs
        if (at < arrival[u]) {
          arrival[u] = at
          push(u, at)
        }
      }
    }
    return arrival
  }
}
