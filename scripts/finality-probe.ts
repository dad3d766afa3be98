/**
 * What bench-finality measures, run where the node lives (the benchmark's own process, a group
 * process of bench-finality-group.ts, or over HTTP): one query from submission to its certified
 * answer, and the CPU time and socket writes of this process over a stretch of queries.
 */
import { Socket } from 'node:net'
import type { QueryView } from '../node/store.js'

export interface QueryTiming {
  /** ms from submission until the round's answer was known here (before BFT) */
  done: number
  /** ms from submission until the answer was final here, with its certificate */
  certified: number
}

/** Submit a query and time it, polling its view every `pollMs`. */
export async function timeQuery (submit: () => Promise<string>, view: (id: string) => Promise<QueryView | undefined>, pollMs: number): Promise<QueryTiming> {
  const start = performance.now()
  const id = await submit()
  let doneAt: number | undefined
  for (;;) {
    const v = await view(id)
    if (doneAt === undefined && (v?.phase === 'awaiting-finality' || v?.status === 'final')) doneAt = performance.now()
    if (v?.status === 'final') break
    await new Promise(resolve => setTimeout(resolve, pollMs))
  }
  return { done: doneAt! - start, certified: performance.now() - start }
}

export interface Cost { cpuMs: number, socketWrites: number }

/**
 * This process's CPU time and socket writes since `mark()` (socket writes counted at Node's own
 * net.Socket.write: the cost that dominated before docs/performance.md's changes). One per process.
 */
export function costMeter (): { mark: () => void, since: () => Cost } {
  let writes = 0
  const write = Socket.prototype.write
  Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    writes++
    return write.apply(this, args)
  } as Socket['write']
  let from = { cpu: process.cpuUsage(), writes: 0 }
  return {
    mark: () => { from = { cpu: process.cpuUsage(), writes } },
    since: () => {
      const cpu = process.cpuUsage(from.cpu)
      return { cpuMs: (cpu.user + cpu.system) / 1000, socketWrites: writes - from.writes }
    }
  }
}
