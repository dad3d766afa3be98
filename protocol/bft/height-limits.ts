/**
 * The limits and timings of the height driver, in one place. Every buffer here is keyed by data
 * a peer sends, so each is bounded.
 */
export const heightDriverLimits = {
  /** Proposals and votes for heights above ours kept until we get there. */
  maxFutureMessages: 2_000,
  /** Join requests waiting for a block to admit them (bounded against floods of fresh identities). */
  maxPendingJoins: 256,
  /** Accepted proposals and votes of the height being decided, kept to serve peers catching up on votes. */
  maxHeightMessages: 4_096,
  /** Recently committed query ids remembered (late records are kept out of proposals); the store answers for older. */
  maxFinalizedMemory: 10_000,
  /**
   * A validator whose height sits in one round and step this long asks peers for their proposals
   * and votes. Gossip does not resend old messages: a validator back from a restart after the
   * others voted would otherwise never complete the quorum they wait for (the simulator's churn
   * experiment found heights stalled for good that way).
   */
  stallMs: 3_000,
  /** How often a validator looks for a stall. */
  stallCheckMs: 1_000,
  /**
   * Votes for the next height reach a validator that has not yet seen the last precommits all the
   * time: it commits from gossip a moment later. Block sync starts only if it has not after this
   * long (at once when traffic is two or more heights ahead, or on an observer, which has no other
   * way to commit).
   */
  behindGraceMs: 1_000,
  /** Block sync is asked for at most this often while traffic from later heights keeps coming. */
  syncRetryMs: 1_000,
  /** Blocks per sync round trip (the sync server sends at most this many per response). */
  syncBatchBlocks: 32,
  /**
   * A proposer waits up to this long after committing the last block for the precommits still
   * missing from its commit (CometBFT's timeout_commit): the block records who signed, and an
   * honest validator whose precommit is usually among the last would otherwise look absent and
   * be jailed (protocol/jailing.ts). It waits only while some are missing, and well within the
   * others' propose timeout.
   */
  lastCommitGraceMs: 200
} as const
