import { readFileSync } from 'node:fs'
import { ComparisonsCsvError, readComparisonsCsv } from '../../fit/comparisons-csv.js'
import { rankComparisons } from '../../fit/rank-comparisons.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'
import { formatTable } from '../table.js'

export const fitHelp = `Usage: swarmrank fit FILE [--prior ALPHA] [--json]

Fit a weighted Bradley–Terry model to a CSV of pairwise comparisons.

FILE has a header naming at least left,right,winner (winner = left | right | tie) and
optionally weight (a number ≥ 0, default 1). A tie counts as half a win for each side.

Options:
  --prior ALPHA  Gamma-prior strength: one virtual win and loss of weight ALPHA per candidate
                 against a reference of strength 1 (default 1). 0 gives the plain maximum-
                 likelihood fit, which exists only if the comparison graph is strongly connected.
  --json         Print {"items":[{"id","strength","logStrength"}...],"iterations","converged"}.

Examples:
  swarmrank fit ../shared/data/llmfao/llmfao.csv --prior 0 --json
  swarmrank fit my-judgements.csv`

export function fitCommand (argv: string[], out: (line: string) => void, warn: (line: string) => void): number {
  const { values, positionals } = parseCommandArgs('fit', argv, {
    prior: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (values.help === true) {
    out(fitHelp)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`fit takes one FILE, got ${positionals.length} (see swarmrank fit --help)`)
  const prior = numberFlag('prior', values.prior as string | undefined, 1, n => n >= 0, 'a number ≥ 0')
  const file = positionals[0]
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`)
  }
  let table
  try {
    table = readComparisonsCsv(bytes)
  } catch (err) {
    if (err instanceof ComparisonsCsvError) throw new UsageError(`${file}: ${err.message}`)
    throw err
  }
  if (table.count === 0) throw new UsageError(`${file}: no comparisons after the header`)

  const fit = rankComparisons(table, { prior })
  if (!fit.converged) {
    warn(prior === 0
      ? 'warning: the fit did not converge; the comparison graph is probably not strongly connected, so the plain MLE does not exist. Try --prior 1.'
      : `warning: the fit did not converge after ${fit.iterations} sweeps`)
  }
  const items = fit.ids
    .map((id, k) => ({ id, strength: fit.strengths[k], logStrength: fit.strengths[k] > 0 ? Math.log(fit.strengths[k]) : null }))
    .sort((x, y) => y.strength - x.strength || (x.id < y.id ? -1 : 1))
  if (values.json === true) {
    out(JSON.stringify({ items, iterations: fit.iterations, converged: fit.converged, method: fit.method }))
  } else {
    out(formatTable(['rank', 'candidate', 'strength', 'log strength'], items.map((it, k) => [
      String(k + 1), it.id, it.strength.toFixed(6), it.logStrength === null ? '-inf' : it.logStrength.toFixed(4)
    ]), [true, false, true, true]))
    out(`${table.count} comparisons, ${items.length} candidates, prior ${prior}; ${fit.method} ${fit.converged ? 'converged' : 'did not converge'} in ${fit.iterations} sweeps`)
  }
  return 0
}
