import { readFileSync } from 'node:fs'
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js'

const usage = `swarmrank — peer-to-peer swarm inference with peer-ranked Bradley–Terry consensus

Usage: swarmrank COMMAND [options]

Commands:
  cluster  Start a local swarm of node processes and ask it demo questions
  churn    Kill, pause, restart, wipe and add nodes of a running cluster; report what was lost
  init     Create a node's data directory: identity key and genesis
  id       Print a node's peer id (creating its identity key if needed)
  start    Run a node: gossip, rounds, ledger, HTTP API
  ask      Ask the swarm a question through a node and wait for the final answer
  status   Show a node's status (height, state root, peers)
  ledger   Show the reputation ledger a node holds
  recover  Write a new genesis from a halted network's last committed state (runbook: docs/testnet.md)
  verify   Check offline that a query's answer is final, trusting only the genesis
  demo     Run simulated rounds through the protocol core, without a network
  sim      Run a simulator experiment: thousands of nodes, attackers, churn; JSON and plots
  fit      Fit a weighted Bradley–Terry model to a CSV of pairwise comparisons
  help     Show this help, or a command's: swarmrank help start

Examples:
  swarmrank cluster --nodes 5
  swarmrank init --data ./node-a --network mynet && swarmrank start --data ./node-a
  swarmrank ask "Compute 17 + 4 × 6."
  swarmrank fit comparisons.csv --prior 0 --json
  swarmrank sim --experiment accuracy --seed 1

Run swarmrank COMMAND --help for a command's options. Every command also takes --config FILE:
a JSON object of its long options (e.g. {"data": "./node", "api": 7420}); flags override it.`

/**
 * Commands are loaded when used: `fit` and `demo` should not pay for loading libp2p and LevelDB.
 * Each entry gives the command's help text and runs it.
 */
const commands: Record<string, () => Promise<{ help: string, run: (argv: string[], io: CliIo) => Promise<number> | number }>> = {
  ask: async () => { const m = await import('./commands/client.js'); return { help: m.askHelp, run: async (a, io) => m.askCommand(a, io.out, io.err) } },
  status: async () => { const m = await import('./commands/client.js'); return { help: m.statusHelp, run: async (a, io) => m.statusCommand(a, io.out) } },
  ledger: async () => { const m = await import('./commands/client.js'); return { help: m.ledgerHelp, run: async (a, io) => m.ledgerCommand(a, io.out) } },
  churn: async () => { const m = await import('./commands/churn.js'); return { help: m.churnHelp, run: async (a, io) => m.churnCommand(a, io.out, io.err) } },
  cluster: async () => { const m = await import('./commands/cluster.js'); return { help: m.clusterHelp, run: async (a, io) => m.clusterCommand(a, io.out, io.err) } },
  demo: async () => { const m = await import('./commands/demo.js'); return { help: m.demoHelp, run: (a, io) => m.demoCommand(a, io.out) } },
  sim: async () => { const m = await import('./commands/sim.js'); return { help: m.simHelp, run: async (a, io) => m.simCommand(a, io.out, io.err) } },
  fit: async () => { const m = await import('./commands/fit.js'); return { help: m.fitHelp, run: (a, io) => m.fitCommand(a, io.out, io.err) } },
  init: async () => { const m = await import('./commands/init.js'); return { help: m.initHelp, run: async (a, io) => m.initCommand(a, io.out) } },
  id: async () => { const m = await import('./commands/init.js'); return { help: m.idHelp, run: async (a, io) => m.idCommand(a, io.out) } },
  start: async () => { const m = await import('./commands/start.js'); return { help: m.startHelp, run: async (a, io) => m.startCommand(a, io.out) } },
  recover: async () => { const m = await import('./commands/recover.js'); return { help: m.recoverHelp, run: async (a, io) => m.recoverCommand(a, io.out) } },
  verify: async () => { const m = await import('./commands/verify.js'); return { help: m.verifyHelp, run: async (a, io) => m.verifyCommand(a, io.out) } }
}

/** Errors that mean "the user can fix this": one line, exit 2. Matched by name, so they need not be loaded. */
const usageErrors = new Set(['UsageError', 'GenesisError', 'RecoveryError', 'KeyFileError', 'QueryInputError', 'UnknownProfileError'])
/** Failures of the environment (a node not running, a cluster that would not start): one line, exit 1. */
const operationalErrors = new Set(['ApiCallError', 'ClusterError', 'OpenAIAgentError'])

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
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      const topic = rest[0] === undefined ? undefined : commands[rest[0]]
      io.out(topic === undefined ? usage : (await topic()).help)
      return 0
    }
    if (command === '--version' || command === 'version') {
      io.out(version())
      return 0
    }
    const load = commands[command]
    if (load === undefined) throw new UsageError(`unknown command "${command}" (run swarmrank --help for the list)`)
    return await (await load()).run(rest, io)
  } catch (err) {
    const name = (err as Error)?.name
    if (err instanceof UsageError || usageErrors.has(name)) {
      io.err(`swarmrank: ${(err as Error).message}`)
      return EXIT_USAGE
    }
    if (operationalErrors.has(name)) {
      io.err(`swarmrank: ${(err as Error).message}`)
      return EXIT_FAILURE
    }
    io.err(`swarmrank: internal error: ${(err as Error)?.stack ?? String(err)}`)
    return EXIT_FAILURE
  }
}
