import type { ProtocolParams } from '../protocol/genesis.js'
import { applyBlock, stateRootHex } from '../protocol/ledger.js'
import type { LedgerState } from '../protocol/ledger.js'
import type { Block } from '../protocol/wire/messages.js'
import type { BlockSample } from './config.js'

/**
 * The chain the simulated network decided, and the agreement oracle (DESIGN §7): the first
 * decision at each height extends the chain; every later decision at that height must be the
 * same block. A violation is counted (and the first kept for the report), and the run goes on so
 * an experiment shows what followed.
 */
export class DecidedChain {
  /** states[h]: the ledger after h blocks */
  readonly states: LedgerState[] = []
  readonly blocks: Block[] = []
  readonly hashes: string[] = []
  readonly decidedAt: number[] = []
  readonly samples: BlockSample[] = []
  decisions = 0
  violations = 0
  firstViolation?: string
  private readonly params: ProtocolParams

  constructor (genesis: LedgerState, params: ProtocolParams) {
    this.states.push(genesis)
    this.params = params
  }

  get tip (): number {
    return this.states.length - 1
  }

  stateRoot (): string {
    return stateRootHex(this.states[this.tip])
  }

  /**
   * A node decided `block` (hash `id`) at time `at`. Returns true when it extended the chain;
   * false when the height was decided before (the same block, or a violation).
   */
  decide (node: string, block: Block, id: string, at: number): boolean {
    const h = block.header!.height
    this.decisions++
    if (h <= this.tip) {
      if (this.hashes[h] !== id) this.violation(`height ${h}: ${node} decided ${id.slice(0, 12)}, the chain has ${this.hashes[h].slice(0, 12)}`)
      return false
    }
    if (h !== this.tip + 1) {
      this.violation(`${node} decided height ${h} before height ${this.tip + 1} was decided`)
      return false
    }
    this.states.push(applyBlock(this.states[h - 1], block, this.params))
    this.blocks[h] = block
    this.hashes[h] = id
    this.decidedAt[h] = at
    return true
  }

  private violation (what: string): void {
    this.violations++
    this.firstViolation ??= what
  }

  /** Summarise the ledger after block h by node group. */
  sample (h: number, at: number, groupOf: (id: string) => string, isOnline: (id: string) => boolean): void {
    const state = this.states[h]
    const block = this.blocks[h]
    const reputation: Record<string, number> = {}
    const members: Record<string, number> = {}
    const power: Record<string, number> = {}
    const jailed: Record<string, number> = {}
    const settled: Record<string, number> = {}
    let total = 0
    let online = 0
    for (const [id, entry] of state.reputations) {
      const g = groupOf(id)
      reputation[g] = (reputation[g] ?? 0) + entry.reputationPpm
      members[g] = (members[g] ?? 0) + 1
      if (!entry.onProbation) settled[g] = (settled[g] ?? 0) + 1
    }
    for (const [id, p] of state.validators) {
      const g = groupOf(id)
      power[g] = (power[g] ?? 0) + p
      total += p
      if (isOnline(id)) online += p
    }
    for (const id of state.jailing?.jailed.keys() ?? []) jailed[groupOf(id)] = (jailed[groupOf(id)] ?? 0) + 1
    for (const g of Object.keys(reputation)) reputation[g] = Math.round(reputation[g] / members[g])
    const powerShare: Record<string, number> = {}
    for (const g of Object.keys(members)) powerShare[g] = total === 0 ? 0 : (power[g] ?? 0) / total
    this.samples.push({ height: h, timeMs: at, records: block.records.length, admissions: block.admissions.length, reputation, powerShare, members, settled, jailed, onlinePowerShare: total === 0 ? 0 : online / total, evidence: block.evidence.length })
  }
}
