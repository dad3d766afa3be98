import { callApi } from '../cli/http-client.js'
import type { QueryView } from '../store.js'
import type { NodeStatus } from '../swarm-node.js'

export interface Quiescence {
  /** acknowledged queries not final on every node when the wait ended */
  pending: string[]
  /** each node's last status (undefined: unreachable), in the order given */
  statuses: Array<NodeStatus | undefined>
  /** queries final on several nodes with different winners or blocks */
  inconsistent: number
  /** heights at which nodes report different state roots */
  diverged: number
  /** when every acknowledged query was final on every node at one common height (undefined: never, within the wait) */
  quiescentAt?: number
}

/**
 * Wait (up to `waitMs`) until every acknowledged query is final on every node and all nodes
 * are at one height, then compare what the nodes say: the winner and block of each query, and
 * the state root at each height.
 */
export async function checkQuiescence (nodes: Array<{ api: string }>, acknowledged: string[], waitMs: number): Promise<Quiescence> {
  const deadline = Date.now() + waitMs
  let pending = [...acknowledged]
  let statuses: Array<NodeStatus | undefined> = []
  let quiescentAt: number | undefined
  for (;;) {
    statuses = await Promise.all(nodes.map(async n => callApi<NodeStatus>(n.api, '/v1/status').catch(() => undefined)))
    const stillPending: string[] = []
    for (const id of pending) {
      const views = await Promise.all(nodes.map(async n => callApi<QueryView>(n.api, `/v1/queries/${id}`).catch(() => undefined)))
      if (!views.every(v => v?.status === 'final')) stillPending.push(id)
    }
    pending = stillPending
    const heights = new Set(statuses.map(s => s?.height))
    if (pending.length === 0 && heights.size === 1 && !heights.has(undefined)) {
      quiescentAt = Date.now()
      break
    }
    if (Date.now() > deadline) break
    await new Promise(resolve => setTimeout(resolve, 250))
  }

  let inconsistent = 0
  for (const id of acknowledged) {
    const views = await Promise.all(nodes.map(async n => callApi<QueryView>(n.api, `/v1/queries/${id}`).catch(() => undefined)))
    const finals = views.filter(v => v?.status === 'final')
    if (new Set(finals.map(v => `${v!.winner}/${v!.block?.hash}`)).size > 1) inconsistent++
  }
  const byHeight = new Map<number, Set<string>>()
  for (const s of statuses) if (s !== undefined) byHeight.set(s.height, (byHeight.get(s.height) ?? new Set()).add(s.stateRoot))
  const diverged = [...byHeight.values()].filter(roots => roots.size > 1).length
  return { pending, statuses, inconsistent, diverged, quiescentAt }
}
