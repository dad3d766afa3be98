export { startLocalSwarm as startTestSwarm, waitFinal, waitFor } from '../../node/cluster/local-swarm.js'
export type { LocalSwarm as TestSwarm, LocalSwarmOptions as TestSwarmOptions } from '../../node/cluster/local-swarm.js'
