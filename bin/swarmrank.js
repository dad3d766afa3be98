#!/usr/bin/env node
// Entry point of the `swarmrank` command: checks the runtime, then runs the compiled CLI.
const [major] = process.versions.node.split('.').map(Number)
if (major < 22) {
  process.stderr.write(`swarmrank: Node.js ${process.versions.node} is too old; libp2p 3 needs Node.js 22 or newer.\n` +
    'Run it through npm (npm run swarmrank -- ARGS), which uses the Node 22 pinned in devDependencies.\n')
  process.exit(2)
}
let cli
try {
  cli = await import('../dist/node/cli/main.js')
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/node/cli/main.js')) {
    process.stderr.write('swarmrank: the compiled CLI is missing; run `npm run build` first.\n')
    process.exit(2)
  }
  throw err
}
process.exitCode = await cli.main(process.argv.slice(2))
