import { accuracyExperiment } from './accuracy.js'
import { adversariesExperiment } from './adversaries.js'
import { churnExperiment } from './churn.js'
import { departuresExperiment } from './departures.js'
import { scaleExperiment } from './scale.js'
import { sybilExperiment } from './sybil.js'
import type { ExperimentContext, ExperimentReport } from './common.js'

export type { ExperimentContext, ExperimentReport } from './common.js'

/** The experiments `swarmrank sim --experiment NAME` runs (DESIGN §6, docs/experiments.md). */
export const experiments: Record<string, { what: string, run: (ctx: ExperimentContext) => Promise<ExperimentReport> }> = {
  accuracy: { what: 'weighted BT consensus vs majority vote, unweighted BT and the best node', run: accuracyExperiment },
  adversaries: { what: 'Byzantine shares 0–45 % for each attacker profile', run: adversariesExperiment },
  sybil: { what: '1,000 fresh identities join at once', run: sybilExperiment },
  churn: { what: 'accuracy and time to finality at 0–50 % churn per minute', run: churnExperiment },
  departures: { what: 'validators leave one by one, with and without jailing', run: departuresExperiment },
  scale: { what: 'finality, traffic and simulator time for 10 to 10,000 nodes', run: scaleExperiment }
}
