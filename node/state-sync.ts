import type { Genesis } from '../protocol/genesis.js'
import { toHex } from '../protocol/hash.js'
import { networkIdOf } from '../protocol/genesis.js'
import { lightLedgerOf, trustGenesis } from '../protocol/bft/light-client.js'
import type { LightTrust } from '../protocol/bft/light-client.js'
import { SnapshotVerifier } from '../protocol/bft/state-sync.js'
import { ANCHOR_WINDOW, fromSnapshot, toSnapshot } from '../protocol/ledger.js'
import type { LedgerSnapshot } from '../protocol/ledger.js'
import type { CommitCertificate } from '../protocol/wire/messages.js'
import type { SwarmHost } from './host.js'
import type { Logger } from './logger.js'
import type { NodeStore } from './store.js'
import { SyncRefusedError, syncRequest } from './sync.js'

/**
 * State sync, the client (DESIGN §8.10, issue 15; CometBFT's state sync is the model): a node
 * that starts far behind its peers — new, wiped, or away for longer than their retention —
 * asks one for its snapshot instead of replaying every block from the genesis (which a pruning
 * peer no longer holds). It follows the validator set from what it trusts (the genesis, or its
 * own ledger) through the peer's epoch-boundary steps, checks the snapshot's block against that
 * set and the snapshot against the block's state root (protocol/bft/state-sync.ts), and only then
 * installs it, in one synced write. Then it follows blocks from there with the normal block sync.
 * A peer whose steps fail a check, time out or run dry is dropped and the next one asked; if
 * none gives a snapshot, nothing is installed and the node replays blocks as before.
 */
export interface StateSyncComponents {
  host: SwarmHost
  genesis: Genesis
  store: NodeStore
  /** connected peers to ask, in the order to ask them */
  peers: () => string[]
  logger: Logger
}

export interface StateSyncInit {
  /**
   * Start from a snapshot only when a peer is more than this many blocks ahead. Default the
   * anchor window (256): every node keeps at least that many blocks (MIN_RETENTION_BLOCKS), so a
   * node less far behind replays them from anyone, and gets the ledger after each (the anchors
   * of the rounds in flight) on the way.
   */
  minGap?: number
  /** per request (a step page may need the peer to rebuild old ledgers); default 20 s */
  requestTimeoutMs?: number
  /** the largest ledger accepted (a peer could claim any size); default 256 MiB */
  maxLedgerBytes?: number
  /**
   * the largest light ledger accepted for an epoch boundary (a validator set and a root: a few
   * hundred bytes for a small set); default 8 MiB, room for MAX_LIGHT_VALIDATORS members
   */
  maxLightStepBytes?: number
  /** one peer's whole sync, after which it is given up (a peer could trickle); default 5 minutes */
  perPeerTimeoutMs?: number
}

export const defaultStateSyncInit: Required<StateSyncInit> = {
  minGap: ANCHOR_WINDOW,
  requestTimeoutMs: 20_000,
  maxLedgerBytes: 256 * 1024 * 1024,
  maxLightStepBytes: 8 * 1024 * 1024,
  perPeerTimeoutMs: 5 * 60_000
}

/** What a state sync did. */
export type StateSyncOutcome =
  | { synced: true, peer: string, height: number, steps: number, bytes: number, ms: number }
  | { synced: false, reason: string }

/** A peer's steps failed a check: nothing of them is kept. */
export class SnapshotRefusedError extends Error {
  override name = 'SnapshotRefusedError'
  constructor (readonly peer: string, readonly code: string, reason: string) {
    super(`snapshot from ${peer} refused (${code}): ${reason}`)
  }
}

interface VerifiedStep { height: number, certificate: CommitCertificate, lightJson: Uint8Array }

/** Requests refused for rate before a peer is given up. */
const MAX_RATE_REFUSALS = 20

export class StateSync {
  private readonly c: StateSyncComponents
  private readonly init: Required<StateSyncInit>
  private readonly networkIdHex: string

  constructor (components: StateSyncComponents, init: StateSyncInit = {}) {
    this.c = components
    this.init = { ...defaultStateSyncInit, ...init }
    this.networkIdHex = toHex(networkIdOf(components.genesis))
  }

  /** What this node trusts before it asks: the validator set after its own ledger's height. */
  async trusted (): Promise<LightTrust> {
    const genesis = trustGenesis(this.c.genesis)
    const saved = await this.c.store.getLedger()
    return saved === undefined || saved.height === 0 ? genesis : { ...genesis, height: saved.height, validators: fromSnapshot(saved).validators }
  }

  /** Ask the peers for their height; start from the best snapshot offered if one is far enough ahead. */
  async run (): Promise<StateSyncOutcome> {
    const trust = await this.trusted()
    const statuses = (await Promise.all(this.c.peers().map(async peer => {
      try {
        const status = (await syncRequest(this.c.host, this.networkIdHex, peer, { status: {} })).status
        return status === undefined ? undefined : { peer, height: status.height, snapshotHeight: status.snapshotHeight }
      } catch {
        return undefined
      }
    }))).filter(s => s !== undefined)
    const head = Math.max(trust.height, ...statuses.map(s => s.height))
    if (head - trust.height <= this.init.minGap) return { synced: false, reason: `${head - trust.height} blocks behind the peers asked (state sync above ${this.init.minGap})` }
    const offers = statuses.filter(s => s.snapshotHeight > trust.height).sort((a, b) => b.snapshotHeight - a.snapshotHeight)
    if (offers.length === 0) return { synced: false, reason: `no peer offers a snapshot above height ${trust.height}` }
    const reasons: string[] = []
    for (const offer of offers) {
      try {
        return await this.syncFrom(offer.peer, trust, offer.snapshotHeight)
      } catch (err) {
        this.c.logger.warn(`state sync from ${offer.peer} failed: ${(err as Error).message}`)
        reasons.push((err as Error).message)
      }
    }
    return { synced: false, reason: reasons.join('; ') }
  }

  /** Fetch and check every step from `trust` to the snapshot at `target` from one peer; install it only if all pass. */
  async syncFrom (peer: string, trust: LightTrust, target: number): Promise<StateSyncOutcome> {
    const verified = await this.fetchVerified(peer, trust, target)
    await installVerified(this.c.store, verified)
    this.c.logger.info(`started from the snapshot at height ${target} of ${peer}: ${verified.steps.length - 1} epoch boundaries checked from height ${trust.height}, ${verified.bytes} bytes, ${verified.ms} ms`)
    return outcomeOf(verified)
  }

  /**
   * Fetch and check every step from `trust` to the snapshot at `target` from one peer, writing
   * nothing: a running node checks an offer this way before it stops anything (node/snapshot-switch.ts).
   * Throws SnapshotRefusedError when a step fails a check (the peer sent something
   * false), or the request's error when the peer refuses, times out or sends nothing readable.
   */
  async fetchVerified (peer: string, trust: LightTrust, target: number): Promise<VerifiedSnapshot> {
    const started = performance.now()
    const verifier = new SnapshotVerifier(trust, target)
    const verified: VerifiedStep[] = []
    let partial: Uint8Array[] = []
    let partialBytes = 0
    let bytes = 0
    let refusals = 0
    for (;;) {
      if (performance.now() - started > this.init.perPeerTimeoutMs) throw new SnapshotRefusedError(peer, 'timeout', `no snapshot after ${this.init.perPeerTimeoutMs} ms (${verified.length} steps checked)`)
      let steps
      try {
        const res = await syncRequest(this.c.host, this.networkIdHex, peer, { snapshot: { from: verifier.trust.height, to: target, offset: partialBytes } }, this.init.requestTimeoutMs)
        steps = res.snapshot?.steps
      } catch (err) {
        // over the peer's request rate: wait for its bucket to refill a little
        if (err instanceof SyncRefusedError && /rate/.test(err.reason) && ++refusals <= MAX_RATE_REFUSALS) {
          await new Promise(resolve => setTimeout(resolve, 250))
          continue
        }
        throw err
      }
      if (steps === undefined || steps.length === 0) throw new SnapshotRefusedError(peer, 'malformed', 'the peer sent no step')
      for (const step of steps) {
        const height = step.certificate!.header!.height
        if (height !== verifier.expected) throw new SnapshotRefusedError(peer, 'gap', `expected block ${verifier.expected}, the peer sent block ${height}`)
        if (step.offset !== partialBytes) throw new SnapshotRefusedError(peer, 'malformed', `a slice of the ledger after block ${height} starts at ${step.offset}, expected ${partialBytes}`)
        const [what, max] = height < target ? ['light ledger', this.init.maxLightStepBytes] : ['ledger', this.init.maxLedgerBytes]
        if (step.ledgerBytes > max) throw new SnapshotRefusedError(peer, 'malformed', `the ${what} after block ${height} would be ${step.ledgerBytes} bytes, over ${max}`)
        // A ledger too big for one response comes in slices: its certificate is checked with the
        // first, so a peer cannot make us read up to maxLedgerBytes of a ledger under a block our
        // validators never signed (a whole step is checked once, below).
        if (partialBytes === 0 && step.ledger.length < step.ledgerBytes) {
          const certified = await verifier.checkCertificate(step.certificate!)
          if (certified !== undefined) throw new SnapshotRefusedError(peer, certified.code, certified.reason)
        }
        bytes += step.ledger.length
        partial.push(step.ledger)
        partialBytes += step.ledger.length
        if (partialBytes < step.ledgerBytes) {
          if (step.ledger.length === 0) throw new SnapshotRefusedError(peer, 'malformed', 'an empty slice')
          break
        }
        const ledgerJson = Buffer.concat(partial)
        partial = []
        partialBytes = 0
        const checked = await verifier.step(step.certificate!, ledgerJson)
        if (!checked.valid) throw new SnapshotRefusedError(peer, checked.code, checked.reason)
        // kept as light steps (the snapshot's too: its block is never held here), to serve in turn
        verified.push({ height, certificate: step.certificate!, lightJson: checked.done ? new TextEncoder().encode(JSON.stringify(lightLedgerOf(checked.state))) : ledgerJson })
        if (checked.done) {
          // stored as the canonical form of what was checked
          const snapshot = toSnapshot(checked.state)
          return { peer, height: target, trustHeight: trust.height, snapshot, steps: verified, bytes, ms: Math.round(performance.now() - started) }
        }
      }
    }
  }
}

/** A snapshot whose every step passed (StateSync.fetchVerified), not yet installed. */
export interface VerifiedSnapshot {
  peer: string
  height: number
  /** the height trusted when the steps were checked */
  trustHeight: number
  snapshot: LedgerSnapshot
  steps: VerifiedStep[]
  bytes: number
  ms: number
}

/** Install a checked snapshot, in one synced write: the ledger, and the light steps to it (served in turn). */
export async function installVerified (store: NodeStore, v: VerifiedSnapshot): Promise<void> {
  await store.installSnapshot(v.snapshot, new TextEncoder().encode(JSON.stringify(v.snapshot)), v.steps)
}

export function outcomeOf (v: VerifiedSnapshot): StateSyncOutcome {
  return { synced: true, peer: v.peer, height: v.height, steps: v.steps.length, bytes: v.bytes, ms: v.ms }
}
