/**
 * What bench-throughput reads about the node processes from outside them: CPU time and resident
 * memory from /proc (Linux), and a CPU profile of one process taken through the inspector, which
 * SIGUSR1 opens in a running node (no change to how the launcher starts it: the nodes only need
 * `--inspect-port=0` in NODE_OPTIONS, so that the port is a free one, printed to the node's log).
 */
import { readFileSync } from 'node:fs'
import { WebSocket } from 'node:http'

/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ: 100 on every Linux build we run on). */
const TICKS_PER_SECOND = 100

/** User + system CPU time of a process so far, in ms. */
export function cpuMs (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // the command name (field 2) may hold spaces; the fields after it are space-separated
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS_PER_SECOND
}

/** CPU time all processes on the machine spent so far (every core), in ms: /proc/stat less idle and iowait. */
export function machineBusyMs (): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal = 0] = cpu
  return (user + nice + system + irq + softirq + steal) * 1000 / TICKS_PER_SECOND
}

/** Resident set size now and its peak so far, in MB. */
export function rssMb (pid: number): { now: number, peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string): number => Number(/\d+/.exec(status.split('\n').find(l => l.startsWith(key)) ?? '0')?.[0] ?? 0)
  return { now: kb('VmRSS:') / 1024, peak: kb('VmHWM:') / 1024 }
}

/** Whether /proc describes this process (Linux). */
export function procAvailable (): boolean {
  try {
    cpuMs(process.pid)
    return true
  } catch {
    return false
  }
}

export interface Profiler {
  start: () => Promise<void>
  /** the V8 CPU profile (.cpuprofile JSON) */
  stop: () => Promise<unknown>
}

/**
 * Open the inspector of node process `pid` (SIGUSR1) and connect to it; `log` is the file its
 * stderr goes to, where the inspector prints its address.
 */
export async function attachProfiler (pid: number, log: string, samplingUs = 1000): Promise<Profiler> {
  const before = readFileSync(log, 'utf8').length
  process.kill(pid, 'SIGUSR1')
  let url: string | undefined
  for (let i = 0; i < 100 && url === undefined; i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
    url = /Debugger listening on (ws:\/\/\S+)/.exec(readFileSync(log, 'utf8').slice(before))?.[1]
  }
  if (url === undefined) throw new Error(`process ${pid} did not open its inspector (see ${log}); was it started with --inspect-port=0 in NODE_OPTIONS?`)
  const ws = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve())
    ws.addEventListener('error', () => reject(new Error(`cannot connect to the inspector of process ${pid} at ${url}`)))
  })
  let nextId = 1
  const waiting = new Map<number, { resolve: (r: unknown) => void, reject: (e: Error) => void }>()
  ws.addEventListener('message', e => {
    const msg = JSON.parse(String(e.data)) as { id?: number, result?: unknown, error?: { message: string } }
    const w = msg.id === undefined ? undefined : waiting.get(msg.id)
    if (w === undefined) return
    waiting.delete(msg.id!)
    if (msg.error !== undefined) w.reject(new Error(msg.error.message))
    else w.resolve(msg.result)
  })
  const send = async (method: string, params: object = {}): Promise<unknown> => new Promise((resolve, reject) => {
    const id = nextId++
    waiting.set(id, { resolve, reject })
    ws.send(JSON.stringify({ id, method, params }))
  })
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: samplingUs })
  return {
    start: async () => { await send('Profiler.start') },
    stop: async () => {
      const { profile } = await send('Profiler.stop') as { profile: unknown }
      ws.close()
      return profile
    }
  }
}
