import { faultKinds, runChurn } from '../../cluster/churn.js'
import type { FaultKind } from '../../cluster/churn.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'
import { formatTable } from '../table.js'

export const churnHelp = `Usage: swarmrank churn --cluster DIR [options]

Inject faults into a running cluster (started with swarmrank cluster --data DIR) while queries
keep flowing, then heal everything, wait until it is quiet, and report: queries acknowledged,
final and lost (acknowledged but never final), each node's height and state root, and how many
heights have diverging state roots. Never takes down 1/3 or more of the validators at once.
Exit code 1 if anything was lost, inconsistent or diverged.

  --cluster DIR            the cluster directory (with cluster.json)
  --duration S             seconds of faults and load (default 60)
  --seed N                 seed for the fault schedule and the questions (default 1)
  --faults LIST            any of kill,pause,restart,wipe,join (default all)
  --rate R                 faults per second (default 0.2)
  --queries-per-second Q   query load (default 2)
  --quiescence S           seconds to wait for everything to be final after healing (default 90)
  --json                   print the report as JSON

Example:
  swarmrank cluster --nodes 7 --data D &
  swarmrank churn --cluster D --duration 120 --seed 1`

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
    out(`diverged: ${report.diverged}; ${report.ok ? 'OK' : 'FAILED'}`)
    if (report.lostIds.length > 0) out(`lost: ${report.lostIds.join(' ')}`)
  }
  return report.ok ? 0 : 1
}
