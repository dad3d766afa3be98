import { setTimeout as sleep } from 'node:timers/promises'
import type { Agent, AgentQuery, AgentVerdict } from './agent.js'

/**
 * An agent backed by any OpenAI-compatible chat-completions server (llama.cpp server, Ollama,
 * vLLM, ...). Answers at temperature 0.7; judges at 0.3 with an instruction to compare rather
 * than re-solve, as Fortytwo's public client does, and, by default, asks for each pair in both
 * orders to cancel position bias (disagreement becomes a tie).
 */
export interface OpenAIAgentInit {
  /** base URL including the API prefix, e.g. http://127.0.0.1:8080/v1 */
  endpoint: string
  model: string
  apiKey?: string
  /** per request. Default 60 s: a local model on a CPU is slow. */
  timeoutMs?: number
  /** retries after a network error, 429 or 5xx. Default 2. */
  retries?: number
  /** first backoff; doubles each retry. Default 500 ms. */
  backoffMs?: number
  /** ask each pair as (A, B) and (B, A). Default true. */
  bothOrders?: boolean
  answerTemperature?: number
  judgeTemperature?: number
}

/** The model server failed or answered something unusable; the message says which and what to check. */
export class OpenAIAgentError extends Error {
  override name = 'OpenAIAgentError'
  readonly status?: number

  constructor (message: string, status?: number) {
    super(message)
    this.status = status
  }
}

const ANSWER_SYSTEM = 'You are one of several independent experts answering the same question. Answer correctly and concisely. End with the final answer alone on the last line.'
const JUDGE_SYSTEM = 'You compare two candidate answers to a question. Do not solve the question again from scratch: check each answer, then decide which is better. Reply with the verdict alone on the first line — A, B, or TIE — and one short sentence of reason on the second line.'

export function openaiAgent (init: OpenAIAgentInit): Agent {
  const opts = { timeoutMs: 60_000, retries: 2, backoffMs: 500, bothOrders: true, answerTemperature: 0.7, judgeTemperature: 0.3, ...init }
  const url = `${opts.endpoint.replace(/\/+$/, '')}/chat/completions`

  async function complete (system: string, user: string, temperature: number, maxTokens: number, signal?: AbortSignal): Promise<string> {
    let lastError: OpenAIAgentError | undefined
    for (let attempt = 0; attempt <= opts.retries; attempt++) {
      if (attempt > 0) await sleep(opts.backoffMs * 2 ** (attempt - 1), undefined, { signal })
      let response: Response
      try {
        const timeout = AbortSignal.timeout(opts.timeoutMs)
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.apiKey === undefined ? {} : { authorization: `Bearer ${opts.apiKey}` }) },
          body: JSON.stringify({ model: opts.model, temperature, max_tokens: maxTokens, messages: [{ role: 'system', content: system }, { role: 'user', content: user }] }),
          signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout])
        })
      } catch (err) {
        if (signal?.aborted === true) throw err
        const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message
        lastError = new OpenAIAgentError(`model server ${url} unreachable: ${reason}; is it running?`)
        continue
      }
      const text = await response.text()
      if (response.status === 429 || response.status >= 500) {
        lastError = new OpenAIAgentError(`model server ${url} answered ${response.status}: ${text.slice(0, 200)}`, response.status)
        continue
      }
      if (!response.ok) {
        const hint = response.status === 401 || response.status === 403 ? ' (check --api-key-env)' : response.status === 404 ? ' (check --endpoint and --model)' : ''
        throw new OpenAIAgentError(`model server ${url} answered ${response.status}${hint}: ${text.slice(0, 200)}`, response.status)
      }
      let content: unknown
      try {
        content = (JSON.parse(text) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content
      } catch {
        throw new OpenAIAgentError(`model server ${url} answered with something that is not JSON: ${text.slice(0, 200)}`)
      }
      if (typeof content !== 'string' || content.trim() === '') throw new OpenAIAgentError(`model server ${url} answered without choices[0].message.content`)
      return content.trim()
    }
    throw lastError ?? new OpenAIAgentError(`model server ${url} failed`)
  }

  async function judgeOnce (query: AgentQuery, first: string, second: string, signal?: AbortSignal): Promise<AgentVerdict> {
    const user = `Question:\n${query.prompt}\n\nAnswer A:\n${first}\n\nAnswer B:\n${second}\n\nWhich answer is better? First line: A, B or TIE.`
    return parseVerdict(await complete(JUDGE_SYSTEM, user, opts.judgeTemperature, 120, signal))
  }

  return {
    description: `OpenAI-compatible model ${opts.model} at ${opts.endpoint}`,
    async answer (query: AgentQuery, signal?: AbortSignal): Promise<string> {
      return complete(ANSWER_SYSTEM, query.prompt, opts.answerTemperature, 1024, signal)
    },
    async compare (query: AgentQuery, answerA: string, answerB: string, signal?: AbortSignal): Promise<AgentVerdict> {
      const forward = await judgeOnce(query, answerA, answerB, signal)
      if (!opts.bothOrders) return forward
      const flipped = await judgeOnce(query, answerB, answerA, signal)
      const backward: AgentVerdict['verdict'] = flipped.verdict === 'A' ? 'B' : flipped.verdict === 'B' ? 'A' : 'TIE'
      if (forward.verdict === backward) return forward
      return { verdict: 'TIE', reason: `position-dependent verdict (${forward.verdict} then ${backward}): ${forward.reason}` }
    }
  }
}

/** The verdict on the first line (A, B or TIE, possibly decorated), else a "Verdict: X" anywhere; else a tie. */
export function parseVerdict (text: string): AgentVerdict {
  const lines = text.split('\n').map(l => l.trim()).filter(l => l !== '')
  const first = /^[*"'`(\[]*\s*(?:verdict\s*[:\-]\s*)?[*"'`(\[]*\s*(A|B|TIE)\b/i.exec(lines[0] ?? '')
  const anywhere = first ?? /verdict\s*[:\-]\s*[*"'`]*\s*(A|B|TIE)\b/i.exec(text)
  const reason = (lines.slice(first === null ? 0 : 1).join(' ') || 'no reason given').slice(0, 200)
  if (anywhere === null) return { verdict: 'TIE', reason: `unparseable verdict: ${text.slice(0, 80)}` }
  return { verdict: anywhere[1].toUpperCase() as AgentVerdict['verdict'], reason }
}
