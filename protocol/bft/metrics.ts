/**
 * What the drivers in protocol/ report, declared here and implemented by the node (Prometheus,
 * node/metrics.ts) or left out (the simulator and tests pass nothing). Times are in seconds.
 */
export interface ConsensusMetrics {
  /** a height from its start here to its commit, and the Tendermint round it was decided in */
  heightDuration: (seconds: number, round: number) => void
  /** time spent in a Tendermint step (propose, prevote, precommit) before moving on */
  stepDuration: (step: string, seconds: number) => void
  /** a validator's double vote seen */
  equivocation: () => void
  /** a block check (valid(v)): how long it took and its outcome code */
  blockCheck: (seconds: number, code: string) => void
}

export interface RoundMetrics {
  /** a round from its start here until it closed, by outcome (winner, no_answer) */
  roundClosed: (seconds: number, outcome: 'winner' | 'no_answer') => void
  /** a commit or reveal that arrived after its phase closed here */
  lateMessage: (kind: string) => void
}
