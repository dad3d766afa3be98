/**
 * What bench-finality measures, run where the node lives (the benchmark's own process, or a
 * group process of bench-finality-group.ts): one query from submission to its certified answer.
 */
import { Socket } from 'node:net'
import type { SwarmNode } from '../node/swarm-node.js'

export interface QueryTiming {
  /** ms from submission until the round's answer was known here (before BFT) */
  done: number
  /** ms from submission until the answer was final here, with its certificate */
  certified: number
}

/** Submit `prompt` to `node` and time it, polling the node's view every 2 ms. */
export async function timeQuery (node: SwarmNode, prompt: string): Promise<QueryTiming> {
  const start = performance.now()
  const { id } = await node.submitQuery(prompt)
  let doneAt: number | undefined
  for (;;) {
    const view = await node.getQuery(id)
    if (doneAt === undefined && (view?.phase === 'awaiting-finality' || view?.status === 'final')) doneAt = performance.now()
    if (view?.status === 'final') break
    await new Promise(resolve => setTimeout(resolve, 2))
  }
  return { done: doneAt! - start, certified: performance.now() - start }
}

/**
 * Count socket writes in this process from now on (Node's own net.Socket.write): the cost that
 * dominated before docs/performance.md's changes. Returns the running count.
 */
export function countSocketWrites (): () => number {
  let writes = 0
  const write = Socket.prototype.write
  Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    writes++
    return write.apply(this, args)
  } as Socket['write']
  return () => writes
}
