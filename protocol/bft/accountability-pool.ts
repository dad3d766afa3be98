import type { ProtocolParams } from '../genesis.js'
import type { LedgerState } from '../ledger.js'
import type { BlockExtras } from '../ledger.js'
import { MAX_EVIDENCE_PER_BLOCK } from '../jailing.js'
import type { DoubleVote, LastCommit } from '../wire/messages.js'

/** Double votes waiting for a block, at most (a Byzantine validator can sign many; each is its own offence). */
export const MAX_PENDING_EVIDENCE = 256

/**
 * What the height driver puts in a block besides records and Joins (protocol/jailing.ts): the
 * last block's commit as the shell collected it (the decision's precommits and late ones), and
 * double votes seen here until a block punishes them or they grow too old. The shell turns the
 * driver's carriers into signed bytes; the driver only holds them.
 */
export class AccountabilityPool {
  private lastCommit?: { height: number, lastCommit: LastCommit, complete: boolean }
  private readonly evidence = new Map<string, { offender: string, height: number, evidence: DoubleVote }>()

  /** The commit of block `height` as the shell now holds it (replaces an earlier one for that height); `complete` when every validator that decided it signed. */
  setLastCommit (height: number, lastCommit: LastCommit, complete: boolean): void {
    if (this.lastCommit === undefined || height >= this.lastCommit.height) this.lastCommit = { height, lastCommit, complete }
  }

  /**
   * Whether a block on top of `state` would leave out validators whose precommits may still be
   * on their way: the commit of the last block is known but not every validator's is in.
   */
  incomplete (state: LedgerState, params: ProtocolParams): boolean {
    return params.jailing !== undefined && state.height > 0 && this.lastCommit?.height === state.height && !this.lastCommit.complete
  }

  /** A double vote by `offender` (`key`: its offence, jailing.ts offenceKey) at `height`. */
  addEvidence (offender: string, key: string, height: number, evidence: DoubleVote): void {
    if (this.evidence.has(key) || this.evidence.size >= MAX_PENDING_EVIDENCE) return
    this.evidence.set(key, { offender, height, evidence })
  }

  get pendingEvidence (): number {
    return this.evidence.size
  }

  /** Drop evidence the chain already punished or that is too old for a block on top of `state`. */
  onCommitted (state: LedgerState, params: ProtocolParams): void {
    const maxAge = params.jailing?.maxEvidenceAgeBlocks ?? 0
    for (const [key, e] of this.evidence) {
      if (state.jailing?.offences.has(key) === true || e.height + maxAge < state.height + 1) this.evidence.delete(key)
    }
  }

  /**
   * The extras of a block on top of `state`, or undefined when the network records commits and
   * this node does not hold the parent's yet (it must not propose a block others will refuse).
   */
  extras (state: LedgerState, params: ProtocolParams): BlockExtras | undefined {
    if (params.jailing === undefined || state.jailing === undefined) return {}
    const evidence = [...this.evidence.values()].filter(e => state.reputations.has(e.offender)).sort((a, b) => a.height - b.height).slice(0, MAX_EVIDENCE_PER_BLOCK).map(e => e.evidence)
    if (state.height === 0) return { evidence }
    if (this.lastCommit?.height !== state.height) return undefined
    return { lastCommit: this.lastCommit.lastCommit, evidence }
  }
}
