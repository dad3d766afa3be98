/**
 * Summarise a V8 CPU profile (.cpuprofile, as `npm run bench:throughput -- --cpu-profile FILE`
 * writes): where the process's time went, by package or project file (self time), by function
 * (self time), and by project function including what it called (total time). Idle time is
 * left out of the shares, so they are shares of the time the process was busy.
 *
 *   node dist/scripts/bench-throughput-profile.js FILE [--top N]
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, children?: number[] }
interface CpuProfile { nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

export interface ProfileSummary {
  wallMs: number
  busyMs: number
  /** by package (node_modules), project file, Node internals or V8 bucket; self time */
  byPlace: Array<[string, number]>
  /** by function; self time */
  bySelf: Array<[string, number]>
  /** project functions (protocol/, node/, scripts/) with everything they called */
  byTotal: Array<[string, number]>
}

const V8_BUCKETS = new Set(['(program)', '(garbage collector)', '(idle)', '(root)'])

/** Where a function lives: a package under node_modules, a project file, a Node internal or a V8 bucket. */
function placeOf (f: CallFrame): string {
  if (f.url === '') return V8_BUCKETS.has(f.functionName) ? f.functionName : '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)
  if (pkg !== null) return pkg[1]
  if (f.url.startsWith('node:')) return f.url.startsWith('node:internal/') ? `node:${f.url.split('/')[1]}` : f.url
  const own = /\/dist\/((?:node|protocol|scripts|sim)\/.*)\.js$/.exec(f.url)
  return own !== null ? own[1] : f.url
}

const projectFile = (f: CallFrame): boolean => /\/dist\/(node|protocol|scripts)\//.test(f.url)

function label (f: CallFrame): string {
  const name = f.functionName === '' ? '(anonymous)' : f.functionName
  return f.url === '' ? name : `${name} ${placeOf(f)}:${f.lineNumber + 1}`
}

function top (m: Map<string, number>, n: number): Array<[string, number]> {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
}

export function summarizeProfile (profile: CpuProfile, n = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map(node => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id)
  const selfById = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time after it is the next delta
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000
    selfById.set(profile.samples[i], (selfById.get(profile.samples[i]) ?? 0) + dt)
  }
  const byPlace = new Map<string, number>()
  const bySelf = new Map<string, number>()
  const byTotal = new Map<string, number>()
  let busy = 0
  for (const [id, ms] of selfById) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') continue
    busy += ms
    byPlace.set(placeOf(frame), (byPlace.get(placeOf(frame)) ?? 0) + ms)
    bySelf.set(label(frame), (bySelf.get(label(frame)) ?? 0) + ms)
    // total time: each project function on the stack once
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame
      if (!projectFile(f)) continue
      const key = label(f)
      if (seen.has(key)) continue
      seen.add(key)
      byTotal.set(key, (byTotal.get(key) ?? 0) + ms)
    }
  }
  return { wallMs: (profile.endTime - profile.startTime) / 1000, busyMs: busy, byPlace: top(byPlace, n), bySelf: top(bySelf, n), byTotal: top(byTotal, n) }
}

export function formatSummary (s: ProfileSummary): string {
  const pct = (ms: number): string => `${(ms / s.busyMs * 100).toFixed(1).padStart(5)}%`
  const table = (title: string, rows: Array<[string, number]>): string => [title, ...rows.map(([k, ms]) => `  ${pct(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${k}`)].join('\n')
  return [
    `profile: ${s.wallMs.toFixed(0)} ms, busy ${s.busyMs.toFixed(0)} ms (${(s.busyMs / s.wallMs * 100).toFixed(0)}%); shares of busy time`,
    table('self time by package or file:', s.byPlace),
    table('self time by function:', s.bySelf),
    table('total time (with callees) of project functions:', s.byTotal)
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2]
  const i = process.argv.indexOf('--top')
  const n = i > 0 ? Number(process.argv[i + 1]) : 15
  if (file === undefined || file.startsWith('--') || !Number.isInteger(n) || n < 1) {
    console.error('usage: node dist/scripts/bench-throughput-profile.js FILE.cpuprofile [--top N]')
    process.exit(2)
  }
  let profile: CpuProfile
  try {
    profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  } catch (err) {
    console.error(`bench-throughput-profile: cannot read ${file} as a CPU profile (${(err as Error).message})`)
    process.exit(2)
  }
  console.log(formatSummary(summarizeProfile(profile, n)))
}
