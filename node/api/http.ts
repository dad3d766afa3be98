import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NodeActivity } from '../activity.js'
import type { Logger } from '../logger.js'
import { QueryInputError } from '../swarm-node.js'
import type { SwarmNode } from '../swarm-node.js'
import { chatCompletion, modelList, OpenAIError, parseChatRequest, streamChatCompletion } from './openai.js'

/**
 * The node's HTTP API (DESIGN §1, client applications). node:http with a small router: no
 * framework dependency, and every limit (body size, id format, content type) is explicit here.
 * Every error is JSON: {"error": {"code", "message"}}.
 */
export interface ApiInit {
  /** Default 127.0.0.1: the API submits queries in the node's name, so it is not exposed by default. */
  host?: string
  /** Default 0: any free port (the URL is reported). */
  port?: number
  logger?: Logger
}

export interface ApiServer {
  url: string
  close: () => Promise<void>
}

/** A request body larger than this is refused (413) before it is parsed. */
export const MAX_BODY_BYTES = 64 * 1024

class HttpError extends Error {
  readonly status: number
  readonly code: string

  constructor (status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

function send (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

async function readJson (req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json')
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `the body is limited to ${MAX_BODY_BYTES} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `the body is limited to ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON')
  }
}

/** A JSON reply, or a text one when `type` is set; undefined when the handler wrote the response itself (streams). */
type Reply = { status: number, body: unknown, type?: string } | undefined
type Handler = (req: IncomingMessage, params: string[], res: ServerResponse) => Promise<Reply>

/**
 * The dashboard: one static page, no build step; it polls GET /v1/activity. It lives beside this
 * file in the source tree (node/api/), which compiled code (dist/node/api/) reaches three levels up.
 */
function dashboardPage (): string {
  const candidates = [new URL('./dashboard.html', import.meta.url), new URL('../../../node/api/dashboard.html', import.meta.url)]
  const found = candidates.find(u => existsSync(u))
  if (found === undefined) throw new Error('node/api/dashboard.html is missing from the installation')
  return readFileSync(found, 'utf8')
}

export async function startApi (node: SwarmNode, init: ApiInit = {}): Promise<ApiServer> {
  const activity = new NodeActivity(node)
  const page = dashboardPage()
  const started = Math.floor(Date.now() / 1000)
  const routes: Array<{ pattern: RegExp, methods: Record<string, Handler> }> = [
    { pattern: /^\/$/, methods: { GET: async () => ({ status: 200, body: page, type: 'text/html; charset=utf-8' }) } },
    {
      pattern: /^\/metrics$/,
      methods: {
        GET: async () => {
          if (node.metrics === undefined) throw new HttpError(404, 'not_found', 'metrics are turned off on this node')
          return { status: 200, body: await node.metrics.text(), type: node.metrics.registry.contentType }
        }
      }
    },
    {
      pattern: /^\/v1\/activity$/,
      methods: {
        GET: async () => {
          const status = node.status()
          return {
            status: 200,
            body: {
              status,
              peers: status.connectedPeers.map(peerId => ({ peerId, score: node.peerScore(peerId) })),
              rounds: [...activity.rounds].reverse(),
              blocks: [...activity.blocks].reverse(),
              reputation: activity.reputation
            }
          }
        }
      }
    },
    { pattern: /^\/v1\/models$/, methods: { GET: async () => ({ status: 200, body: modelList(started) }) } },
    {
      pattern: /^\/v1\/chat\/completions$/,
      methods: {
        POST: async (req, _params, res) => {
          const chat = parseChatRequest(await readJson(req))
          if (!chat.stream) return { status: 200, body: await chatCompletion(node, chat) }
          await streamChatCompletion(node, chat, res)
          return undefined
        }
      }
    },
    {
      pattern: /^\/v1\/queries$/,
      methods: {
        POST: async req => {
          const body = await readJson(req)
          if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'bad_request', 'the body must be a JSON object like {"prompt": "..."}')
          if (!('prompt' in body)) throw new HttpError(400, 'bad_request', 'missing field "prompt"')
          const { id } = await node.submitQuery((body as { prompt: unknown }).prompt)
          return { status: 202, body: { id, status: 'pending' } }
        }
      }
    },
    {
      pattern: /^\/v1\/queries\/([^/]+)$/,
      methods: {
        GET: async (_req, [id]) => {
          if (!/^[0-9a-f]{64}$/.test(id)) throw new HttpError(400, 'bad_request', 'a query id is 64 lower-case hex characters')
          const view = await node.getQuery(id)
          if (view === undefined) throw new HttpError(404, 'not_found', `no query ${id} is known to this node`)
          return { status: 200, body: view }
        }
      }
    },
    { pattern: /^\/v1\/status$/, methods: { GET: async () => ({ status: 200, body: node.status() }) } },
    {
      pattern: /^\/v1\/validators$/,
      methods: {
        GET: async req => {
          const raw = new URL(req.url ?? '/', 'http://x').searchParams.get('height')
          const height = raw === null ? undefined : Number(raw)
          if (height !== undefined && (!Number.isSafeInteger(height) || height < 1)) throw new HttpError(400, 'bad_request', 'height must be a positive integer')
          const set = await node.validatorSet(height)
          if (set === undefined) throw new HttpError(404, 'not_found', `the validator set for block ${height} is not known to this node (too old or in the future)`)
          return { status: 200, body: set }
        }
      }
    },
    {
      // What a light client needs to follow the validator set from block `from` (0: the genesis)
      // to block `to` (default: the head): protocol/bft/light-client.ts, `swarmrank verify --genesis`.
      pattern: /^\/v1\/light$/,
      methods: {
        GET: async req => {
          const params = new URL(req.url ?? '/', 'http://x').searchParams
          const int = (name: string, fallback: number): number => {
            const raw = params.get(name)
            if (raw === null) return fallback
            if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'bad_request', `${name} must be a non-negative integer`)
            return Number(raw)
          }
          const result = await node.lightProof(int('from', 0), int('to', node.status().height))
          if (!result.ok) throw new HttpError(result.code === 'bad_request' ? 400 : 404, result.code, result.message)
          return { status: 200, body: result.proof }
        }
      }
    },
    {
      pattern: /^\/v1\/ledger$/,
      methods: { GET: async () => ({ status: 200, body: { ...node.ledgerSnapshot(), stateRoot: node.status().stateRoot } }) }
    }
  ]

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const route = routes.find(r => r.pattern.test(path))
    const respond = async (): Promise<void> => {
      if (route === undefined) throw new HttpError(404, 'not_found', `no route ${path} (see GET / for the dashboard, GET /v1/status, POST /v1/queries, GET /v1/queries/:id, GET /v1/ledger, GET /v1/validators, GET /v1/light, GET /v1/activity, GET /metrics, GET /v1/models, POST /v1/chat/completions)`)
      const handler = route.methods[req.method ?? 'GET']
      if (handler === undefined) {
        res.setHeader('allow', Object.keys(route.methods).join(', '))
        throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}`)
      }
      const params = route.pattern.exec(path)!.slice(1).map(decodeURIComponent)
      const reply = await handler(req, params, res)
      if (reply === undefined) return
      if (reply.type === undefined) return send(res, reply.status, reply.body)
      res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body as string) })
      res.end(reply.body)
    }
    respond().catch(err => {
      if (res.headersSent) {
        init.logger?.error(`API ${req.method} ${path} failed mid-response: ${(err as Error).message}`)
        res.end()
        return
      }
      if (err instanceof HttpError) return send(res, err.status, { error: { code: err.code, message: err.message } })
      if (err instanceof OpenAIError) return send(res, err.status, { error: { message: err.message, type: err.type, code: err.code } })
      if (err instanceof QueryInputError) return send(res, err.status, { error: { code: err.status === 413 ? 'too_large' : err.status === 429 ? 'rate_limited' : err.status === 503 ? 'not_admitted' : 'bad_request', message: err.message } })
      if (err instanceof URIError) return send(res, 400, { error: { code: 'bad_request', message: 'malformed URL encoding' } })
      init.logger?.error(`API ${req.method} ${path} failed: ${(err as Error).stack ?? String(err)}`)
      send(res, 500, { error: { code: 'internal', message: 'internal error; see the node log' } })
    })
  })
  server.requestTimeout = 30_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(init.port ?? 0, init.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    close: async () => new Promise<void>(resolve => {
      activity.close()
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
}
