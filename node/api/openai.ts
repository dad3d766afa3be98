import type { ServerResponse } from 'node:http'
import type { QueryView } from '../store.js'
import type { SwarmNode } from '../swarm-node.js'

/**
 * The OpenAI-compatible face of a node (issue 6): `GET /v1/models` lists one model, and
 * `POST /v1/chat/completions` asks the swarm the last user message, waits for finality and
 * answers in the chat-completions format — with the certificate, record and strengths in an
 * extra `swarmrank` field, so existing clients work and a careful one can verify the answer.
 * With `stream: true` it sends server-sent events: the round's phases as empty deltas (each
 * carrying `swarmrank.phase`), then the answer, then `[DONE]`.
 *
 * Earlier messages (system prompts, history) are not sent to the swarm: a round answers one
 * prompt, and every node's agent sees exactly that prompt.
 */
export const CONSENSUS_MODEL = 'swarmrank-consensus'

/** How long a chat completion waits for finality before answering 504 (the query goes on). */
export const CHAT_TIMEOUT_MS = 120_000

/** An error in OpenAI's shape: {"error": {"message", "type", "code"}}. */
export class OpenAIError extends Error {
  readonly status: number
  readonly type: string
  readonly code: string

  constructor (status: number, type: string, code: string, message: string) {
    super(message)
    this.status = status
    this.type = type
    this.code = code
  }
}

export function modelList (created: number): unknown {
  return { object: 'list', data: [{ id: CONSENSUS_MODEL, object: 'model', created, owned_by: 'swarmrank' }] }
}

interface ChatRequest { prompt: string, stream: boolean }

/** Check a chat-completions body; the prompt is the last user message's text. */
export function parseChatRequest (body: unknown): ChatRequest {
  const bad = (message: string): never => { throw new OpenAIError(400, 'invalid_request_error', 'invalid_request', message) }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('the body must be a JSON object with "model" and "messages"')
  const b = body as Record<string, unknown>
  if (b.model !== undefined && b.model !== CONSENSUS_MODEL) {
    throw new OpenAIError(404, 'invalid_request_error', 'model_not_found', `the model "${String(b.model)}" does not exist here; this node serves "${CONSENSUS_MODEL}" (GET /v1/models)`)
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) bad('"messages" must be a non-empty array of {"role", "content"}')
  if (b.stream !== undefined && typeof b.stream !== 'boolean') bad('"stream" must be true or false')
  if (b.n !== undefined && b.n !== 1) bad('"n" must be 1: the swarm gives one consensus answer')
  const messages = b.messages as unknown[]
  const last = [...messages].reverse().find(m => m !== null && typeof m === 'object' && (m as { role?: unknown }).role === 'user') as { content?: unknown } | undefined
  if (last === undefined) bad('"messages" has no message with role "user"')
  const content = last!.content
  let prompt: string
  if (typeof content === 'string') {
    prompt = content
  } else if (Array.isArray(content) && content.every(p => p !== null && typeof p === 'object' && (p as { type?: unknown }).type === 'text' && typeof (p as { text?: unknown }).text === 'string')) {
    prompt = content.map(p => (p as { text: string }).text).join('\n')
  } else {
    bad('the last user message\'s "content" must be a string or a list of {"type": "text", "text"} parts')
  }
  return { prompt: prompt!, stream: b.stream === true }
}

/** Poll the query until it is final (or the time is up), reporting each new phase. */
async function waitForFinal (node: SwarmNode, id: string, timeoutMs: number, onPhase: (phase: string) => void, cancelled: () => boolean): Promise<QueryView | undefined> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (!cancelled()) {
    const view = await node.getQuery(id)
    if (view?.status === 'final') return view
    if (view !== undefined && view.phase !== last) {
      last = view.phase
      onPhase(last)
    }
    if (Date.now() > deadline) return undefined
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return undefined
}

function extra (view: QueryView): unknown {
  return {
    queryId: view.id,
    height: view.block?.height,
    blockHash: view.block?.hash,
    certificate: view.block?.certificate,
    record: view.block?.record,
    recordHashes: view.block?.recordHashes,
    candidates: view.candidates,
    strengths: view.strengths,
    // the top candidates tie: the content is only the tie-break by id
    ...(view.tie === undefined ? {} : { tie: view.tie })
  }
}

const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }

/** Answer a non-streaming chat completion. */
export async function chatCompletion (node: SwarmNode, req: ChatRequest, timeoutMs = CHAT_TIMEOUT_MS): Promise<unknown> {
  const { id } = await node.submitQuery(req.prompt)
  const view = await waitForFinal(node, id, timeoutMs, () => {}, () => false)
  if (view === undefined) throw new OpenAIError(504, 'timeout', 'not_final', `no final answer within ${timeoutMs / 1000} s; the query goes on: GET /v1/queries/${id}`)
  return {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    created: Math.floor(view.createdAt / 1000),
    model: CONSENSUS_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: view.answer ?? '' }, finish_reason: 'stop', logprobs: null }],
    usage,
    swarmrank: extra(view)
  }
}

/** Stream a chat completion as server-sent events; the response is written and ended here. */
export async function streamChatCompletion (node: SwarmNode, req: ChatRequest, res: ServerResponse, timeoutMs = CHAT_TIMEOUT_MS): Promise<void> {
  const { id } = await node.submitQuery(req.prompt)
  let closed = false
  res.on('close', () => { closed = true })
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' })
  const created = Math.floor(Date.now() / 1000)
  const chunk = (delta: Record<string, unknown>, finish: string | null, swarmrank: unknown): void => {
    if (closed) return
    res.write(`data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created, model: CONSENSUS_MODEL, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], swarmrank })}\n\n`)
  }
  chunk({ role: 'assistant', content: '' }, null, { queryId: id, phase: 'submitted' })
  const view = await waitForFinal(node, id, timeoutMs, phase => chunk({}, null, { queryId: id, phase }), () => closed)
  if (view === undefined) {
    if (!closed) res.write(`data: ${JSON.stringify({ error: { message: `no final answer within ${timeoutMs / 1000} s; the query goes on: GET /v1/queries/${id}`, type: 'timeout', code: 'not_final' } })}\n\n`)
  } else {
    chunk({ content: view.answer ?? '' }, null, { queryId: id, phase: 'final' })
    chunk({}, 'stop', { ...(extra(view) as object), phase: 'final' })
  }
  if (!closed) res.end('data: [DONE]\n\n')
}
