import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { byzantineBehaviours } from '../../../sim/agents.js'
import type { SimBehaviour } from '../../../sim/agents.js'
import { experiments } from '../../../sim/experiments/index.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'

export const simHelp = `Usage: swarmrank sim --experiment NAME [--nodes N] [--seed S] [--out DIR] [--quick] [--json]
                     [--profiles P,P] [--shares F,F]

Run the swarm simulator: many nodes in one process running the node's protocol state machines
(rounds with signed messages, Tendermint, block checks, the ledger) over a simulated gossip
network with seeded latency, loss, churn and attackers. Each experiment writes report.json and
SVG plots under --out; the same seed gives the same report.json, byte for byte.

Experiments:
${Object.entries(experiments).map(([name, e]) => `  ${name.padEnd(12)}${e.what}`).join('\n')}

Options:
  --experiment NAME  Which experiment to run (required)
  --nodes N          Node count (for scale: run only this N); each experiment has a default
  --seed S           Seed for everything random (default "1")
  --out DIR          Where to write results (default sim-results/NAME-seed-S)
  --quick            The small version the test suite runs (seconds, not minutes)
  --json             Print the report as JSON on stdout instead of a summary
  --profiles P,P     adversaries: only these attacker profiles (${byzantineBehaviours.join(', ')})
  --shares F,F       adversaries: only these Byzantine shares, each above 0 and below 0.5 (the run with none is always made)

Example:
  swarmrank sim --experiment accuracy --seed 1 --out results/accuracy`

export async function simCommand (argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('sim', argv, {
    experiment: { type: 'string' },
    nodes: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
    profiles: { type: 'string' },
    shares: { type: 'string' }
  }, false)
  if (values.help === true) {
    out(simHelp)
    return 0
  }
  const name = values.experiment as string | undefined
  if (name === undefined) throw new UsageError(`--experiment is required: one of ${Object.keys(experiments).join(', ')}`)
  const experiment = Object.hasOwn(experiments, name) ? experiments[name] : undefined
  if (experiment === undefined) throw new UsageError(`unknown experiment "${name}": use one of ${Object.keys(experiments).join(', ')}`)
  const nodes = values.nodes === undefined ? undefined : numberFlag('nodes', values.nodes as string, 0, n => Number.isInteger(n) && n >= 4 && n <= 20_000, 'an integer from 4 to 20000')
  const seed = (values.seed as string | undefined) ?? '1'
  if (seed.length === 0 || seed.length > 64) throw new UsageError('--seed must be 1 to 64 characters')
  const profiles = values.profiles === undefined ? undefined : (values.profiles as string).split(',').map(p => {
    if (!(byzantineBehaviours as string[]).includes(p)) throw new UsageError(`--profiles: unknown profile "${p}": use some of ${byzantineBehaviours.join(', ')}`)
    return p as SimBehaviour
  })
  const shares = values.shares === undefined ? undefined : (values.shares as string).split(',').map(f => numberFlag('shares', f, 0, x => x > 0 && x < 0.5, 'shares above 0 and below 0.5'))
  if ((profiles !== undefined || shares !== undefined) && name !== 'adversaries') throw new UsageError('--profiles and --shares are for the adversaries experiment')
  const dir = (values.out as string | undefined) ?? join('sim-results', `${name}-seed-${seed}`)
  const progress = progressBar(name, err)
  const started = performance.now()
  const result = await experiment.run({ seed, nodes, quick: values.quick === true, progress, ...(profiles === undefined ? {} : { profiles }), ...(shares === undefined ? {} : { shares }) })
  progress(1, 'done')
  mkdirSync(dir, { recursive: true })
  const files = ['report.json', ...Object.keys(result.plots)]
  writeFileSync(join(dir, 'report.json'), JSON.stringify(result.report, null, 2) + '\n')
  for (const [file, svg] of Object.entries(result.plots)) writeFileSync(join(dir, file), svg)
  const timing = { ...result.timing, totalWallMs: Math.round(performance.now() - started) }
  writeFileSync(join(dir, 'timing.json'), JSON.stringify(timing, null, 2) + '\n')
  files.push('timing.json')
  if (values.json === true) {
    out(JSON.stringify({ ...result.report, files: files.map(f => join(dir, f)), timing }))
    return 0
  }
  out(`${name} (seed ${seed}):`)
  for (const line of result.summary) out(`  ${line}`)
  out(`wrote ${files.map(f => join(dir, f)).join(', ')} (${(timing.totalWallMs / 1000).toFixed(1)} s)`)
  return 0
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, a line per 10 % otherwise (CI logs).
 */
function progressBar (name: string, err: (line: string) => void): (fraction: number, label: string) => void {
  const tty = process.stderr.isTTY
  let lastDecile = -1
  let lastDraw = 0
  return (fraction, label) => {
    const f = Math.max(0, Math.min(1, fraction))
    if (tty) {
      const now = performance.now()
      if (now - lastDraw < 100 && f < 1) return
      lastDraw = now
      const width = 30
      const filled = Math.round(f * width)
      process.stderr.write(`\r${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}% ${label.padEnd(48).slice(0, 48)}${f >= 1 ? '\n' : ''}`)
      return
    }
    const decile = Math.floor(f * 10)
    if (decile > lastDecile) {
      lastDecile = decile
      err(`${name}: ${decile * 10}% ${label}`)
    }
  }
}
