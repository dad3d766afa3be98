import { asBytes } from '../protocol/hash.js'
import { boundariesBetween } from '../protocol/bft/light-client.js'
import { SnapshotStep as SnapshotStepCodec } from '../protocol/wire/messages.js'
import type { CommitCertificate, SnapshotRequest, SnapshotStep, SyncResponse } from '../protocol/wire/messages.js'
import type { ResponseSize } from './sync.js'

/**
 * The serving side of state sync (node/state-sync.ts): answers a SnapshotRequest on the sync
 * protocol with the steps from the client's trusted height `from` to the snapshot at `to` — the
 * certified header and the light ledger after each epoch boundary in between (its validator set
 * and the rest's root), then block `to` and the whole ledger after it — as many whole steps as
 * fit in one response (syncLimits.maxResponseBytes); a step too big to fit alone goes in slices
 * of its ledger, from the client's `offset`.
 * Read-only; nothing here is trusted by the client, which checks every step.
 */
export interface SnapshotSource {
  epochBlocks: number
  /** the node's committed height */
  head: () => number
  /** the height this node offers a snapshot at (StatusResponse.snapshotHeight); 0: none */
  offered: () => Promise<number>
  /** epoch boundary `height`'s certificate and the JSON light ledger after it (node/chain.ts lightStep) */
  light: (height: number) => Promise<{ certificate: CommitCertificate, lightJson: Uint8Array } | undefined>
  /** block `height`'s certificate and the JSON ledger after it (node/chain.ts certifiedLedger) */
  step: (height: number) => Promise<{ certificate: CommitCertificate, ledgerJson: Uint8Array } | undefined>
}

/** Steps in one response at most (the proto's limit). */
const MAX_STEPS_PER_RESPONSE = 1024
/** Room left for the field tags and length prefixes around a sliced ledger. */
const SLICE_FRAMING_BYTES = 64

export async function answerSnapshot (req: SnapshotRequest, source: SnapshotSource, size: ResponseSize, maxResponseBytes: number): Promise<{ response: SyncResponse, items: number }> {
  const refuse = (error: string): { response: SyncResponse, items: number } => ({ response: { error }, items: 0 })
  if (req.to > source.head()) return refuse(`block ${req.to} is not committed here (height ${source.head()})`)
  const boundaries = boundariesBetween(req.from, req.to, source.epochBlocks, MAX_STEPS_PER_RESPONSE)
  const heights = boundaries.length < MAX_STEPS_PER_RESPONSE ? [...boundaries, req.to] : boundaries
  const steps: SnapshotStep[] = []
  for (const height of heights) {
    const found = height < req.to ? await lightAsStep(source, height) : await source.step(height)
    const ledgerJson = asBytes(found?.ledgerJson ?? new Uint8Array(0))
    if (found === undefined) {
      if (steps.length === 0) return refuse(`this node does not hold block ${height} with the ledger after it`)
      break
    }
    const total = ledgerJson.length
    const start = steps.length === 0 ? req.offset : 0
    if (start >= total) return refuse(`offset ${start} is past the end of the ledger after block ${height} (${total} bytes)`)
    let step: SnapshotStep = { certificate: found.certificate, ledger: ledgerJson.subarray(start), offset: start, ledgerBytes: total }
    let length = SnapshotStepCodec.encode(step).length
    if (!size.fits(length)) {
      if (steps.length > 0) break
      // alone and still too big: the part of its ledger that fits; the client asks for the rest
      const room = maxResponseBytes - (length - step.ledger.length) - SLICE_FRAMING_BYTES
      if (room <= 0) return refuse(`the certificate of block ${height} alone fills a response`)
      step = { ...step, ledger: step.ledger.subarray(0, room) }
      length = SnapshotStepCodec.encode(step).length
    }
    size.add(length)
    steps.push(step)
    if (step.ledger.length + start < total) break
  }
  return { response: { snapshot: { steps } }, items: steps.length }
}

async function lightAsStep (source: SnapshotSource, height: number): Promise<{ certificate: CommitCertificate, ledgerJson: Uint8Array } | undefined> {
  const found = await source.light(height)
  return found === undefined ? undefined : { certificate: found.certificate, ledgerJson: found.lightJson }
}
