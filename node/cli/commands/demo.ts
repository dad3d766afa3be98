import { runDemo } from '../../../sim/demo.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { formatTable } from '../table.js'

export const demoHelp = `Usage: swarmrank demo [--rounds N] [--seed S] [--json]

Run the protocol core in one process, without a network: seven simulated nodes of different
skill answer arithmetic questions, rank each other's answers in pairs (pairs assigned by the
protocol, verdicts weighted by reputation), and the weighted Bradley–Terry fit picks the
winner. Prints each round, consensus vs majority vote, and the reputations.

Options:
  --rounds N  Questions to run (default 5)
  --seed S    Seed for the questions and the agents' luck (default "1")
  --json      Print the rounds as JSON

Example:
  swarmrank demo --rounds 20 --seed 7`

export function demoCommand (argv: string[], out: (line: string) => void): number {
  const { values } = parseCommandArgs('demo', argv, {
    rounds: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' }
  }, false)
  if (values.help === true) {
    out(demoHelp)
    return 0
  }
  const rounds = numberFlag('rounds', values.rounds as string | undefined, 5, n => Number.isInteger(n) && n >= 1 && n <= 10_000, 'an integer from 1 to 10000')
  const seed = (values.seed as string | undefined) ?? '1'
  const report = runDemo(rounds, seed)
  if (values.json === true) {
    out(JSON.stringify(report))
    return 0
  }
  report.forEach((r, i) => {
    out(`\nRound ${i + 1}: ${r.prompt}`)
    out(formatTable(['answer', 'strength', 'answered by'], r.candidates.map(c => [c.answer, c.strength.toFixed(4), c.answerers.join(' ')]), [false, true, false]))
    const mark = (a: string): string => (a === r.rightAnswer ? 'right' : 'wrong')
    out(`consensus: ${r.winner} (${mark(r.winner)})   majority vote: ${r.majority} (${mark(r.majority)})   right answer: ${r.rightAnswer}`)
  })
  const last = report[report.length - 1]
  out('\nReputation after the last round (parts per million):')
  out(formatTable(['node', 'reputation', 'last change'], last.deltas.map(d => [d.node, String(d.reputationPpm), (d.deltaPpm >= 0 ? '+' : '') + String(d.deltaPpm)]), [false, true, true]))
  const right = report.filter(r => r.winner === r.rightAnswer).length
  const majority = report.filter(r => r.majority === r.rightAnswer).length
  out(`\nConsensus right in ${right}/${report.length} rounds; majority vote right in ${majority}/${report.length}.`)
  return 0
}
