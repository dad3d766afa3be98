import { readFileSync } from 'node:fs'
import { demoCommand, demoHelp } from './commands/demo.js'
import { fitCommand, fitHelp } from './commands/fit.js'
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js'

const usage = `swarmrank — peer-to-peer swarm inference with peer-ranked Bradley–Terry consensus

Usage: swarmrank COMMAND [options]

Commands:
  demo   Run simulated inference rounds through the protocol core and print the results
  fit    Fit a weighted Bradley–Terry model to a CSV of pairwise comparisons
  help   Show this help, or a command's: swarmrank help fit

Examples:
  swarmrank demo --rounds 10
  swarmrank fit comparisons.csv --prior 0 --json

Run swarmrank COMMAND --help for a command's options.`

const helps: Record<string, string> = { demo: demoHelp, fit: fitHelp }

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

const stdio: CliIo = {
  out: line => process.stdout.write(line + '\n'),
  err: line => process.stderr.write(line + '\n')
}

/** Run one CLI invocation; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main (argv: string[], io: CliIo = stdio): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(rest[0] !== undefined && helps[rest[0]] !== undefined ? helps[rest[0]] : usage)
        return 0
      case '--version':
      case 'version':
        io.out(version())
        return 0
      case 'demo':
        return demoCommand(rest, io.out)
      case 'fit':
        return fitCommand(rest, io.out, io.err)
      default:
        throw new UsageError(`unknown command "${command}" (run swarmrank --help for the list)`)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`swarmrank: ${err.message}`)
      return EXIT_USAGE
    }
    io.err(`swarmrank: internal error: ${(err as Error)?.stack ?? String(err)}`)
    return EXIT_FAILURE
  }
}
