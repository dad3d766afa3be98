import { readFileSync } from 'node:fs'
import { askCommand, askHelp, ledgerCommand, ledgerHelp, statusCommand, statusHelp } from './commands/client.js'
import { clusterCommand, clusterHelp } from './commands/cluster.js'
import { demoCommand, demoHelp } from './commands/demo.js'
import { fitCommand, fitHelp } from './commands/fit.js'
import { initCommand, initHelp } from './commands/init.js'
import { startCommand, startHelp } from './commands/start.js'
import { ApiCallError } from './http-client.js'
import { GenesisError } from '../../protocol/genesis.js'
import { KeyFileError } from '../keys.js'
import { ClusterError } from '../cluster/launcher.js'
import { QueryInputError } from '../swarm-node.js'
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js'

const usage = `swarmrank — peer-to-peer swarm inference with peer-ranked Bradley–Terry consensus

Usage: swarmrank COMMAND [options]

Commands:
  cluster  Start a local swarm of node processes and ask it demo questions
  init     Create a node's data directory: identity key and genesis
  start    Run a node: gossip, rounds, ledger, HTTP API
  ask      Ask the swarm a question through a node and wait for the final answer
  status   Show a node's status (height, state root, peers)
  ledger   Show the reputation ledger a node holds
  demo     Run simulated rounds through the protocol core, without a network
  fit      Fit a weighted Bradley–Terry model to a CSV of pairwise comparisons
  help     Show this help, or a command's: swarmrank help start

Examples:
  swarmrank cluster --nodes 5
  swarmrank init --data ./node-a --network mynet && swarmrank start --data ./node-a
  swarmrank ask "Compute 17 + 4 × 6."
  swarmrank fit comparisons.csv --prior 0 --json

Run swarmrank COMMAND --help for a command's options.`

const helps: Record<string, string> = { ask: askHelp, cluster: clusterHelp, demo: demoHelp, fit: fitHelp, init: initHelp, ledger: ledgerHelp, start: startHelp, status: statusHelp }

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
      case 'init':
        return await initCommand(rest, io.out)
      case 'start':
        return await startCommand(rest, io.out)
      case 'ask':
        return await askCommand(rest, io.out, io.err)
      case 'status':
        return await statusCommand(rest, io.out)
      case 'ledger':
        return await ledgerCommand(rest, io.out)
      case 'cluster':
        return await clusterCommand(rest, io.out, io.err)
      default:
        throw new UsageError(`unknown command "${command}" (run swarmrank --help for the list)`)
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof GenesisError || err instanceof KeyFileError || err instanceof QueryInputError) {
      io.err(`swarmrank: ${err.message}`)
      return EXIT_USAGE
    }
    if (err instanceof ApiCallError || err instanceof ClusterError) {
      io.err(`swarmrank: ${err.message}`)
      return EXIT_FAILURE
    }
    io.err(`swarmrank: internal error: ${(err as Error)?.stack ?? String(err)}`)
    return EXIT_FAILURE
  }
}
