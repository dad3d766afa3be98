import { ANCHOR_WINDOW } from '../protocol/ledger.js'
import type { Chain } from './chain.js'
import type { Logger } from './logger.js'
import type { QueryViews } from './query-views.js'
import type { NodeStore } from './store.js'

/**
 * The smallest retention a node accepts from its operator (`start --retention-blocks`): one more
 * than the anchor window. A query anchored more than ANCHOR_WINDOW blocks back can start a round
 * nowhere (no ledger snapshot to draw its committees from), and its record is in a block no older
 * than its anchor: once that block left a window this long, neither its finality entry (which
 * refuses a replay) nor its messages can be needed by a round. Peers further behind than the
 * window catch up from a node that keeps more.
 */
export const MIN_RETENTION_BLOCKS = ANCHOR_WINDOW + 1

export interface RetentionComponents {
  store: NodeStore
  chain: Chain
  /** told which query views were pruned (it keeps recent ones in memory) */
  views: QueryViews
  logger: Logger
}

export interface RetentionInit {
  /** Keep the data of the last this many blocks; older data is pruned. */
  blocks: number
}

/** How often to look for heights that left the window. */
const PRUNE_EVERY_MS = 5_000
/** Heights pruned in one LevelDB batch: a pass must not hold up the event loop for long. */
const HEIGHTS_PER_PASS = 64

/**
 * Retention (DESIGN §8.10, issue 15): a node that runs for months must not keep every message,
 * view and block it ever saw. Every few seconds the heights more than `blocks` below the head are
 * pruned (a batch at a time): the views and finality entries of their queries (GET
 * /v1/queries/:id answers 404 for them), the messages their records name, and the blocks. Messages
 * no block named (rounds that never made one) go one more window later (at most the anchor window):
 * they arrived while the chain was at a height, a round's messages some blocks before the block that
 * names them. Kept in any case: the last `blocks` blocks (peers catching up sync them), the ledgers
 * of the anchor window (node/store.ts), the ledger state, and each epoch boundary's light step
 * (its certified header and light ledger, ~1.5 KB per epoch: what a light client stepping through
 * from the genesis, GET /v1/light, and a state sync need of it). The light steps are all that
 * grows with the chain's length; an epoch-boundary block and the whole ledger after it were kept
 * too until 2026-12 (~70 KB and ~1.5 MB per epoch under load).
 *
 * A pruning node cannot serve block sync from the genesis: a node further behind than its window
 * starts from its state snapshot (node/state-sync.ts), which needs the light steps kept here and
 * the blocks of the window.
 */
export class Retention {
  private readonly c: RetentionComponents
  private readonly init: RetentionInit
  private timer?: NodeJS.Timeout
  private running?: Promise<void>

  constructor (components: RetentionComponents, init: RetentionInit) {
    if (!Number.isInteger(init.blocks) || init.blocks < 1) throw new RangeError(`retention must be a positive number of blocks, got ${init.blocks}`)
    this.c = components
    this.init = init
  }

  start (): void {
    this.timer = setInterval(() => { void this.pruneNow() }, PRUNE_EVERY_MS)
    this.timer.unref()
    void this.pruneNow()
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    await this.running
  }

  /** Prune every height that left the window, a batch at a time (one pass at once). */
  async pruneNow (): Promise<void> {
    this.running ??= this.pass().finally(() => { this.running = undefined })
    return this.running
  }

  private async pass (): Promise<void> {
    try {
      for (;;) {
        const below = this.c.chain.height - this.init.blocks + 1
        const done = await this.c.store.prune(below, HEIGHTS_PER_PASS, Math.min(this.init.blocks, ANCHOR_WINDOW))
        if (done === undefined) return
        this.c.views.forget(done.queries)
        this.c.logger.debug(`pruned heights ${done.from}–${done.to - 1}: ${done.blocks} blocks, ${done.queries.length} queries, ${done.messages} messages`)
        // let the node's other work run between batches
        await new Promise(resolve => setImmediate(resolve))
      }
    } catch (err) {
      this.c.logger.warn(`pruning old data failed: ${(err as Error).message}`)
    }
  }
}
