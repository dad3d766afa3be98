import { faultKinds, MAX_CLOCK_SKEW_MS, runChurn } from '../../cluster/churn.js'
import type { FaultKind } from '../../cluster/churn.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'
import { formatTable } from '../table.js'

export const churnHelp = `Usage: swarmrank churn --cluster DIR [options]

Inject faults into a running cluster (started with swarmrank cluster --data DIR) while queries
keep flowing, then heal everything, wait until it is quiet, and report: queries acknowledged,
final and lost (acknowledged but never final), inconsistent (final with different answers or
blocks on different nodes), each node's height and state root, how many heights have diverging
state roots, and the heal time (last fault lifted → every acknowledged query final everywhere,
all nodes at one height). Never takes down 1/3 or more of the validators at once; partitions
may stall finality until they heal. Exit code 1 if anything was lost, inconsistent or diverged.

Faults:
  kill        SIGKILL a node, restart it 1-5 s later
  pause       SIGSTOP a node for 1-5 s, then SIGCONT
  restart     SIGTERM a node and start it again
  wipe        SIGKILL a node, delete its database, restart it (it resyncs)
  join        start a brand-new node (a fresh identity) that joins through the others
  clock       restart a node with its clock skewed by ±0.5-${MAX_CLOCK_SKEW_MS / 1000} s for 3-8 s, then restart it right
  partition   for 2-8 s: random halves, one node isolated, two sides bridged by one node that
              hears both, or one-way (one side's packets to the other vanish)
  delay       for 2-8 s: a node's (or every node's) packets wait 50-500 ms plus jitter
  loss        for 2-8 s: 5-30% of a node's (or every node's) packets to and from peers dropped
partition, delay and loss need a cluster started with --netns (root); on any other cluster they
are skipped with a note and the rest run.

  --cluster DIR            the cluster directory (with cluster.json)
  --duration S             seconds of faults and load (default 60)
  --seed N                 seed for the fault schedule and the questions (default 1)
  --faults LIST            any of ${faultKinds.join(',')} (default all)
  --rate R                 faults per second (default 0.2)
  --queries-per-second Q   query load (default 2)
  --quiescence S           seconds to wait for everything to be final after healing (default 90)
  --json                   print the report as JSON

Examples:
  swarmrank cluster --nodes 7 --data D &
  swarmrank churn --cluster D --duration 120 --seed 1
  sudo swarmrank cluster --nodes 5 --data D --netns &
  sudo swarmrank churn --cluster D --faults partition,delay,loss,clock --seed 7`

export async function churnCommand (argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('churn', argv, {
    cluster: { type: 'string' },
    duration: { type: 'string' },
    seed: { type: 'string' },
    faults: { type: 'string' },
    rate: { type: 'string' },
    'queries-per-second': { type: 'string' },
    quiescence: { type: 'string' },
    json: { type: 'boolean' }
  }, false)
  if (values.help === true) { out(churnHelp); return 0 }
  const clusterDir = values.cluster as string | undefined
  if (clusterDir === undefined) throw new UsageError('churn needs --cluster DIR (see swarmrank churn --help)')
  const faults = ((values.faults as string | undefined) ?? faultKinds.join(',')).split(',').map(f => f.trim()).filter(f => f !== '')
  for (const f of faults) if (!faultKinds.includes(f as FaultKind)) throw new UsageError(`--faults: unknown fault "${f}" (known: ${faultKinds.join(', ')})`)
  const json = values.json === true
  const report = await runChurn({
    clusterDir,
    durationS: numberFlag('duration', values.duration as string | undefined, 60, n => n > 0 && n <= 86_400, 'seconds > 0'),
    seed: (values.seed as string | undefined) ?? '1',
    faults: faults as FaultKind[],
    rate: numberFlag('rate', values.rate as string | undefined, 0.2, n => n > 0 && n <= 100, 'a number of faults per second > 0'),
    queriesPerSecond: numberFlag('queries-per-second', values['queries-per-second'] as string | undefined, 2, n => n > 0 && n <= 1000, 'a number > 0'),
    quiescenceS: numberFlag('quiescence', values.quiescence as string | undefined, 90, n => n > 0 && n <= 3600, 'seconds > 0'),
    log: json ? err : out
  })
  if (json) {
    out(JSON.stringify(report))
  } else {
    const q = report.queries
    out(`\nfaults injected: ${Object.entries(report.faults).map(([k, v]) => `${k} ${v}`).join(', ')}`)
    out(`queries: ${q.acknowledged} acknowledged, ${q.final} final, ${q.lost} lost, ${q.inconsistent} inconsistent (${q.refused} refused while a node was down)`)
    out(formatTable(['node', 'height', 'state root', ''], report.nodes.map(n => [`node-${n.index}`, String(n.height ?? '-'), n.stateRoot?.slice(0, 16) ?? '(unreachable)', n.joined ? 'joined' : '']), [false, true, false, false]))
    out(`diverged: ${report.diverged}; heal time ${report.healS === null ? 'not reached (see --quiescence)' : `${report.healS} s`}; ${report.ok ? 'OK' : 'FAILED'}`)
    if (report.skipped !== null) out(`skipped: ${report.skipped.faults.join(', ')} (${report.skipped.reason})`)
    if (report.lostIds.length > 0) out(`lost: ${report.lostIds.join(' ')}`)
  }
  return report.ok ? 0 : 1
}
