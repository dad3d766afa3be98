import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { clusterProfileOrder } from '../../../protocol/agents/builtin.js'
import { builtinAgent } from '../../agents/builtin.js'
import { openaiAgent } from '../../agents/openai.js'
import type { Agent } from '../../agents/agent.js'
import { startApi } from '../../api/http.js'
import { ensureDir, NODE_INFO_FILE, resolveGenesis } from '../../datadir.js'
import type { NodeInfo } from '../../datadir.js'
import { loadOrCreateKey } from '../../keys.js'
import { createLogger, logLevels } from '../../logger.js'
import type { LogLevel } from '../../logger.js'
import { byzantineBehaviours } from '../../round-runner.js'
import type { ByzantineBehaviour } from '../../round-runner.js'
import { DEFAULT_GOSSIP_DEGREE } from '../../host.js'
import { MIN_RETENTION_BLOCKS } from '../../retention.js'
import { ANCHOR_WINDOW } from '../../../protocol/ledger.js'
import { SwarmNode } from '../../swarm-node.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'

export const startHelp = `Usage: swarmrank start --data DIR [options]

Run a node: join the network of DIR/genesis.json (or --genesis FILE), answer and rank with an
agent, and serve the HTTP API. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

  --data DIR              data directory (identity key, genesis, LevelDB); created if missing
  --genesis FILE          the network's genesis (copied into DIR on first start)
  --listen MULTIADDR      libp2p listen address, repeatable (default /ip4/127.0.0.1/tcp/0)
  --bootstrap MULTIADDR   a peer to join through (/ip4/…/tcp/…/p2p/PEERID), repeatable
  --api PORT              HTTP API port on --api-host (default 7420; 0 = any free port)
  --api-host HOST         HTTP API address (default 127.0.0.1)
  --agent builtin|openai  the model behind this node (default builtin)
  --profile NAME          builtin skill profile (default ada; see protocol/agents/builtin.ts)
  --agent-delay MS        builtin agent thinking time per call (default 0)
  --endpoint URL          openai: chat-completions base URL, e.g. http://127.0.0.1:8080/v1
  --model NAME            openai: model name
  --api-key-env VAR       openai: environment variable holding the API key
  --log-level LEVEL       debug, info, warn, error or silent (default info)
  --mdns                  discover peers on the LAN by multicast DNS (off by default)
  --gossip-degree D       gossip mesh degree, 2 to 32 (default ${DEFAULT_GOSSIP_DEGREE}; raise it for large, sparse networks)
  --retention-blocks N    keep the data of the last N blocks and prune older: messages, query views,
                          blocks (not epoch boundaries: light clients step through them); at least
                          ${MIN_RETENTION_BLOCKS}. Default 0: keep everything
  --state-sync-gap N      when a --bootstrap peer is more than N blocks ahead (at start, or later while
                          running), start from its state snapshot (checked from the genesis or this
                          node's ledger) instead of replaying every block (default ${ANCHOR_WINDOW}; 0 turns
                          state sync off)
  --byzantine KIND        misbehave on purpose, for fault-injection: withhold, equivocate, spam, forge or censor
  --clock-offset-ms MS    run this node's protocol clock MS ahead (negative: behind) of the machine's,
                          for clock-skew faults (default 0; at most ±1 hour)

Examples:
  swarmrank start --data ./node-a
  swarmrank start --data ./node-b --api 7421 --bootstrap /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo...
  swarmrank start --data ./node-c --agent openai --endpoint http://127.0.0.1:11434/v1 --model llama3.2`

export async function startCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('start', argv, {
    data: { type: 'string' },
    genesis: { type: 'string' },
    listen: { type: 'string', multiple: true },
    bootstrap: { type: 'string', multiple: true },
    api: { type: 'string' },
    'api-host': { type: 'string' },
    agent: { type: 'string' },
    profile: { type: 'string' },
    'agent-delay': { type: 'string' },
    endpoint: { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    'log-level': { type: 'string' },
    mdns: { type: 'boolean' },
    'gossip-degree': { type: 'string' },
    'retention-blocks': { type: 'string' },
    'state-sync-gap': { type: 'string' },
    byzantine: { type: 'string' },
    'clock-offset-ms': { type: 'string' }
  }, false)
  if (values.help === true) {
    out(startHelp)
    return 0
  }
  const dataDir = values.data as string | undefined
  if (dataDir === undefined) throw new UsageError('start needs --data DIR (see swarmrank start --help)')
  const level = (values['log-level'] as string | undefined) ?? 'info'
  if (!logLevels.includes(level as LogLevel)) throw new UsageError(`--log-level must be one of ${logLevels.join(', ')}`)
  const apiPort = numberFlag('api', values.api as string | undefined, 7420, n => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number from 0 to 65535')
  const gossipDegree = numberFlag('gossip-degree', values['gossip-degree'] as string | undefined, DEFAULT_GOSSIP_DEGREE, n => Number.isInteger(n) && n >= 2 && n <= 32, 'an integer from 2 to 32')
  const clockOffsetMs = numberFlag('clock-offset-ms', values['clock-offset-ms'] as string | undefined, 0, n => Number.isInteger(n) && Math.abs(n) <= 3_600_000, 'an integer number of milliseconds from -3600000 to 3600000')
  const retentionBlocks = numberFlag('retention-blocks', values['retention-blocks'] as string | undefined, 0, n => Number.isInteger(n) && (n === 0 || n >= MIN_RETENTION_BLOCKS), `0 (keep everything) or an integer of at least ${MIN_RETENTION_BLOCKS} (one more than the anchor window)`)
  const stateSyncGap = numberFlag('state-sync-gap', values['state-sync-gap'] as string | undefined, ANCHOR_WINDOW, n => Number.isInteger(n) && n >= 0, 'a non-negative integer number of blocks (0: off)')
  const listen = values.listen as string[] | undefined
  const bootstrap = values.bootstrap as string[] | undefined
  for (const a of [...(listen ?? []), ...(bootstrap ?? [])]) {
    if (!a.startsWith('/')) throw new UsageError(`"${a}" is not a multiaddr (expected e.g. /ip4/127.0.0.1/tcp/4001)`)
  }
  for (const a of bootstrap ?? []) if (!a.includes('/p2p/')) throw new UsageError(`--bootstrap ${a} must end in /p2p/PEERID`)

  const byzantine = values.byzantine as ByzantineBehaviour | undefined
  if (byzantine !== undefined && !byzantineBehaviours.includes(byzantine)) throw new UsageError(`--byzantine must be one of ${byzantineBehaviours.join(', ')}`)
  makeAgent(values as Record<string, string | undefined>, 'flag-check') // bad agent flags fail before anything is written
  ensureDir(dataDir)
  const genesis = resolveGenesis(dataDir, values.genesis as string | undefined)
  const { key } = await loadOrCreateKey(dataDir)
  const peerId = peerIdFromPrivateKey(key).toString()
  const agent = makeAgent(values as Record<string, string | undefined>, peerId)
  const logger = createLogger({ level: level as LogLevel })
  const log = logger.forComponent('cli')
  // Every protocol time (query createdAt, deadlines, block times) comes from this one clock; the
  // node's other readings (performance.now for durations, log stamps) are not protocol time.
  const now = clockOffsetMs === 0 ? undefined : () => Date.now() + clockOffsetMs
  if (clockOffsetMs !== 0) log.warn(`clock offset ${clockOffsetMs} ms (--clock-offset-ms): this node's protocol time is skewed on purpose`)
  const node = new SwarmNode({ dataDir, genesis, privateKey: key, agent, listen, bootstrap, mdns: values.mdns === true, gossipDegree, logger, byzantine, now, retentionBlocks, stateSync: stateSyncGap === 0 ? false : { minGap: stateSyncGap } })
  try {
    await node.start()
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EADDRINUSE' || /EADDRINUSE/.test(e.message)) throw new UsageError(`a --listen address is in use: ${e.message}`)
    throw err
  }
  let api
  try {
    api = await startApi(node, { port: apiPort, host: values['api-host'] as string | undefined, logger: logger.forComponent('api') })
  } catch (err) {
    await node.stop()
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`the API port ${apiPort} is in use; pick another with --api PORT (0 = any free port)`)
    throw err
  }
  const info: NodeInfo = { pid: process.pid, peerId, api: api.url, multiaddrs: node.multiaddrs(), network: genesis.network, networkId: node.networkIdHex }
  const infoFile = join(dataDir, NODE_INFO_FILE)
  writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n')
  out(`swarmrank node ${peerId} on network "${genesis.network}" (${node.networkIdHex.slice(0, 16)}…)`)
  out(`  dashboard ${api.url}/   metrics ${api.url}/metrics   OpenAI-compatible ${api.url}/v1`)
  out(`  API      ${api.url}`)
  for (const a of info.multiaddrs) out(`  libp2p   ${a}`)
  out(`  agent    ${agent.description}`)

  await new Promise<void>(resolve => {
    let stopping = false
    const stop = (signal: string): void => {
      if (stopping) return
      stopping = true
      log.info(`${signal}: stopping`)
      void (async () => {
        await api.close()
        await node.stop()
        rmSync(infoFile, { force: true })
        resolve()
      })()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  return 0
}

function makeAgent (values: Record<string, string | undefined>, peerId: string): Agent {
  const kind = values.agent ?? 'builtin'
  if (kind === 'builtin') {
    for (const flag of ['endpoint', 'model', 'api-key-env']) if (values[flag] !== undefined) throw new UsageError(`--${flag} is for --agent openai`)
    const delayMs = numberFlag('agent-delay', values['agent-delay'], 0, n => n >= 0 && n <= 600_000, 'milliseconds from 0 to 600000')
    try {
      return builtinAgent({ profile: values.profile ?? clusterProfileOrder[0], seed: peerId, delayMs })
    } catch (err) {
      throw new UsageError(`--profile: ${(err as Error).message}`)
    }
  }
  if (kind === 'openai') {
    if (values.endpoint === undefined || values.model === undefined) throw new UsageError('--agent openai needs --endpoint URL and --model NAME')
    try {
      const url = new URL(values.endpoint)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    } catch {
      throw new UsageError(`--endpoint must be an http(s) URL, got "${values.endpoint}"`)
    }
    let apiKey: string | undefined
    const envName = values['api-key-env']
    if (envName !== undefined) {
      apiKey = process.env[envName]
      if (apiKey === undefined || apiKey === '') throw new UsageError(`--api-key-env ${envName}: that environment variable is not set`)
    }
    return openaiAgent({ endpoint: values.endpoint, model: values.model, apiKey })
  }
  throw new UsageError(`--agent must be builtin or openai, got "${kind}"`)
}
