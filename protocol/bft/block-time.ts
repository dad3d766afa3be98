/**
 * Proposer-based timestamps, as CometBFT's PBTS: a validator prevotes for a freshly proposed block
 * only if its time is no more than PRECISION ahead of its own clock and no more than PRECISION +
 * MESSAGE_DELAY behind it. Round deadlines count in block time, so a proposer can move them by
 * at most these bounds (a deadline is 5–30 s by default).
 */
export const blockTimeBounds = { precisionMs: 1_000, messageDelayMs: 3_000 } as const

/**
 * How long after a commit deadline an honest node waits before revealing, when the phase closed
 * by its deadline rather than because everyone committed (DESIGN §8.6). A Byzantine proposer may
 * date its block up to PRECISION + MESSAGE_DELAY behind honest validators' clocks, and those
 * clocks may be PRECISION apart: a reveal sent earlier could still be copied into a commit that
 * a backdated block orders "on time". After this long, no block dated before the deadline is
 * fresh enough for an honest validator to prevote it.
 */
export const revealSlackMs = 2 * blockTimeBounds.precisionMs + blockTimeBounds.messageDelayMs
