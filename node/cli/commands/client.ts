import type { NodeStatus } from '../../swarm-node.js'
import type { QueryView } from '../../store.js'
import type { LedgerSnapshot } from '../../../protocol/ledger.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'
import { callApi, checkApiUrl } from '../http-client.js'
import { formatTable } from '../table.js'

/** Client commands: talk to a running node's HTTP API. */
const DEFAULT_API = 'http://127.0.0.1:7420'

export const askHelp = `Usage: swarmrank ask [--api URL] [--timeout S] [--json] "QUESTION"

Submit a question to the swarm through a node and wait until its answer is final, showing the
round's phase while it waits (on stderr).

  --api URL      the node's HTTP API (default ${DEFAULT_API})
  --timeout S    give up after S seconds (default 120)
  --json         print the final query view as JSON

Example:
  swarmrank ask "Compute 17 + 4 × 6."`

export const statusHelp = `Usage: swarmrank status [--api URL] [--json]

Show a node's peer id, network, ledger height and state root, peers and rounds in flight.`

export const ledgerHelp = `Usage: swarmrank ledger [--api URL] [--json]

Show the reputation ledger as a node holds it.`

export async function askCommand (argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs('ask', argv, { api: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } })
  if (values.help === true) { out(askHelp); return 0 }
  if (positionals.length !== 1) throw new UsageError(`ask takes one QUESTION (quote it), got ${positionals.length} (see swarmrank ask --help)`)
  const api = checkApiUrl((values.api as string | undefined) ?? DEFAULT_API)
  const timeoutS = numberFlag('timeout', values.timeout as string | undefined, 120, n => n > 0 && n <= 86_400, 'seconds > 0')
  const { id } = await callApi<{ id: string }>(api, '/v1/queries', { method: 'POST', body: { prompt: positionals[0] } })
  const deadline = Date.now() + timeoutS * 1000
  let lastPhase = ''
  for (;;) {
    const view = await callApi<QueryView>(api, `/v1/queries/${id}`)
    if (view.status === 'final') {
      if (values.json === true) {
        out(JSON.stringify(view))
      } else {
        out(view.answer ?? '(no answer: no answerer delivered before the deadlines)')
        if (view.tie !== undefined) err(`tie: ${view.tie.length} answers share the top strength; the swarm did not pick between them (the one shown is the tie-break by id)`)
        if ((view.candidates?.length ?? 0) > 1) {
          err(formatTable(['answer', 'strength', 'answered by'], view.candidates!.map(c => [oneLine(c.answer), c.strength.toFixed(4), String(c.answerers.length)]), [false, true, true]))
        }
        err(`query ${id}`)
      }
      return 0
    }
    if (view.phase !== lastPhase) {
      err(`… ${view.phase}`)
      lastPhase = view.phase
    }
    if (Date.now() > deadline) {
      err(`no final answer after ${timeoutS} s (still ${view.phase}); check later with GET ${api}/v1/queries/${id}`)
      return 1
    }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

export async function statusCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('status', argv, { api: { type: 'string' }, json: { type: 'boolean' } }, false)
  if (values.help === true) { out(statusHelp); return 0 }
  const s = await callApi<NodeStatus>(checkApiUrl((values.api as string | undefined) ?? DEFAULT_API), '/v1/status')
  if (values.json === true) { out(JSON.stringify(s)); return 0 }
  out(formatTable(['field', 'value'], [
    ['peer id', s.peerId],
    ['network', `${s.network} (${s.networkId.slice(0, 16)}…)`],
    ['height', String(s.height)],
    ['state root', s.stateRoot],
    ['peers', `${s.connectedPeers.length}`],
    ['rounds in flight', String(s.roundsInFlight)],
    ['agent', s.agent],
    ...s.listen.map(a => ['listen', a])
  ]))
  return 0
}

export async function ledgerCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('ledger', argv, { api: { type: 'string' }, json: { type: 'boolean' } }, false)
  if (values.help === true) { out(ledgerHelp); return 0 }
  const l = await callApi<LedgerSnapshot & { stateRoot: string }>(checkApiUrl((values.api as string | undefined) ?? DEFAULT_API), '/v1/ledger')
  if (values.json === true) { out(JSON.stringify(l)); return 0 }
  out(formatTable(['peer id', 'reputation', 'probation'], l.reputations.map(r => [r.peerId, (r.reputationPpm / 1e6).toFixed(4), r.onProbation ? `yes (${r.qualifiedRounds} rounds)` : 'no']), [false, true, false]))
  out(`height ${l.height}, state root ${l.stateRoot}`)
  return 0
}

function oneLine (text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 50 ? line.slice(0, 47) + '...' : line
}
