/**
 * One process of a multi-process finality benchmark (`npm run bench:finality -- --groups K`):
 * runs some of a local swarm's nodes (startLocalSwarm with `members`) and answers the parent's
 * requests over the IPC channel — start, wait for the full mesh, time a query on one of its
 * nodes, report CPU time and socket writes, stop. Not for use on its own.
 */
import { startLocalSwarm, waitFor } from '../node/cluster/local-swarm.js'
import type { LocalSwarm } from '../node/cluster/local-swarm.js'
import type { ProtocolParams } from '../protocol/genesis.js'
import { costMeter, timeQuery } from './finality-probe.js'

export type GroupRequest =
  | { type: 'start', size: number, members: number[], bootstrap: string[], params: Partial<ProtocolParams> }
  | { type: 'wait-mesh' }
  | { type: 'mark' }
  | { type: 'ask', node: number, prompt: string }
  | { type: 'stop' }

export type GroupReply =
  | { type: 'started', multiaddrs: string[] }
  | { type: 'ok' }
  | { type: 'timing', done: number, certified: number }
  | { type: 'stopped', cpuMs: number, socketWrites: number }
  | { type: 'error', message: string }

if (process.send === undefined) {
  console.error('bench-finality-group runs as a child of bench-finality (npm run bench:finality -- --groups K)')
  process.exit(2)
}

const meter = costMeter()
let swarm: LocalSwarm | undefined
let members: number[] = []
let size = 0

async function handle (req: GroupRequest): Promise<GroupReply> {
  switch (req.type) {
    case 'start':
      size = req.size
      members = req.members
      swarm = await startLocalSwarm({ size, members, bootstrap: req.bootstrap, params: req.params, metrics: false })
      return { type: 'started', multiaddrs: swarm.nodes.map(n => n.multiaddrs()[0]) }
    case 'wait-mesh':
      await waitFor(() => swarm!.nodes.every(n => n.status().connectedPeers.length >= size - 1), 10_000, 'full mesh across the groups')
      return { type: 'ok' }
    case 'mark':
      meter.mark()
      return { type: 'ok' }
    case 'ask': {
      const node = swarm!.nodes[members.indexOf(req.node)]
      return { type: 'timing', ...await timeQuery(async () => (await node.submitQuery(req.prompt)).id, async id => node.getQuery(id), 2) }
    }
    case 'stop': {
      const reply: GroupReply = { type: 'stopped', ...meter.since() }
      await swarm?.stop()
      return reply
    }
  }
}

process.on('message', (req: GroupRequest) => {
  handle(req).then(
    reply => process.send!(reply),
    err => process.send!({ type: 'error', message: (err as Error).stack ?? String(err) })
  ).finally(() => { if (req.type === 'stop') process.disconnect() })
})
