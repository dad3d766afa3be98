import { equalBytes, toHex } from '../hash.js'
import { makeLastCommit } from '../jailing.js'
import type { SignedMessage } from '../wire/envelope.js'
import { decodeTrustedMessage } from '../wire/envelope.js'
import { VoteType } from '../wire/messages.js'
import type { CommitCertificate, LastCommit, Payload } from '../wire/messages.js'

/**
 * The last committed block's precommits, kept growing after the commit (DESIGN §8.8): the next
 * block carries them as its LastCommit, and the ledger jails validators missing from most
 * commits. A certificate holds only the precommits that made the quorum, so a validator whose
 * precommit is usually among the last third would look absent; precommits for the committed
 * block in its round that arrive later are verified and added here (each validator once).
 */
export class LastCommitCollector {
  private height = 0
  private round = 0
  private hash = new Uint8Array(0)
  private certifiers: ReadonlyMap<string, number> = new Map()
  private readonly precommits = new Map<string, SignedMessage>()
  private readonly byId = new Map<string, SignedMessage>()

  /**
   * Take up a block's certificate (when it is decided here, before it is stored, and again when
   * it is imported); `certifiers`: the validators that decided it. Precommits collected for the
   * same block and round since are kept.
   */
  reset (certificate: CommitCertificate, certifiers: ReadonlyMap<string, number>): void {
    const height = certificate.header!.height
    const decoded = certificate.precommits.map(bytes => decodeTrustedMessage(bytes)).filter(m => m?.payload.vote !== undefined) as SignedMessage[]
    const hash = decoded[0]?.payload.vote?.blockHash ?? new Uint8Array(0)
    if (height !== this.height || certificate.round !== this.round || !equalBytes(hash, this.hash)) {
      this.precommits.clear()
      this.byId.clear()
    }
    this.height = height
    this.round = certificate.round
    this.hash = hash
    this.certifiers = certifiers
    // the certificate was verified (decided here, or checked on import)
    for (const m of decoded) if (!this.precommits.has(m.signerId)) this.keep(m)
  }

  /** Whether an unverified consensus payload is a precommit this collector still wants (then its signature is worth checking). */
  wants (p: Payload): boolean {
    const v = p.vote
    return v !== undefined && v.type === VoteType.PRECOMMIT && v.height === this.height && v.round === this.round &&
      this.precommits.size < this.certifiers.size && equalBytes(v.blockHash, this.hash)
  }

  /** A verified precommit: kept if it is for the committed block, by a validator that decided it, and new. Returns whether it was added. */
  add (m: SignedMessage): boolean {
    const v = m.payload.vote
    if (v === undefined || v.type !== VoteType.PRECOMMIT || v.height !== this.height || v.round !== this.round || !equalBytes(v.blockHash, this.hash)) return false
    if (!this.certifiers.has(m.signerId) || this.precommits.has(m.signerId)) return false
    this.keep(m)
    return true
  }

  /** Whether every validator that decided the block has its precommit here. */
  get complete (): boolean {
    return this.precommits.size >= this.certifiers.size
  }

  get committedHeight (): number {
    return this.height
  }

  /** A verified envelope this collector holds, by message id (block checks need not verify it again). */
  verified (idHex: string): SignedMessage | undefined {
    return this.byId.get(idHex)
  }

  lastCommit (): LastCommit {
    return makeLastCommit(this.round, this.precommits.values())
  }

  private keep (m: SignedMessage): void {
    this.precommits.set(m.signerId, m)
    this.byId.set(toHex(m.id), m)
  }
}
