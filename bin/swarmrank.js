#!/usr/bin/env node
// Entry point of the `swarmrank` command: checks the runtime, then runs the compiled CLI.
const [major] = process.versions.node.split('.').map(Number)
if (major < 22) {
  process.stderr.write(`swarmrank: Node.js ${process.versions.node} is too old; libp2p 3 needs Node.js 22 or newer.\n` +
    'Run it through npm (npm run swarmrank -- ARGS), which uses the Node 22 pinned in devDependencies.\n')
  process.exit(2)
}
// Runtime defaults for a long-running node (docs/performance.md, "Soak"): `swarmrank start` (which
// `swarmrank cluster`, the benchmarks and the soak launch too) re-executes itself in place (same
// pid) with a 4 MB young-generation semi-space (V8's default grows to 16 MB: two of them were
// 32 MB of every node's resident memory, most of it garbage between scavenges) and at most two
// glibc malloc arenas (one per thread otherwise, each keeping freed memory). Either is skipped if
// the operator set it (NODE_OPTIONS or node's own flags, MALLOC_ARENA_MAX);
// SWARMRANK_RUNTIME_DEFAULTS=0 turns both off.
if (process.argv[2] === 'start' && process.env.SWARMRANK_RUNTIME_DEFAULTS === undefined && typeof process.execve === 'function') {
  const env = { ...process.env, SWARMRANK_RUNTIME_DEFAULTS: 'applied' }
  if (env.MALLOC_ARENA_MAX === undefined) env.MALLOC_ARENA_MAX = '2'
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
  const flags = given.some(a => /^--max-semi-space-size\b/.test(a)) ? [] : ['--max-semi-space-size=4']
  const { fileURLToPath } = await import('node:url')
  process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], env)
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
