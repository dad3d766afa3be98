import { UsageError } from './errors.js'

/** The node API could not be reached or answered an error; the message says what to do. */
export class ApiCallError extends Error {
  override name = 'ApiCallError'
  readonly status?: number

  constructor (message: string, status?: number) {
    super(message)
    this.status = status
  }
}

export function checkApiUrl (raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UsageError(`--api must be a URL like http://127.0.0.1:7420, got "${raw}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--api must be an http(s) URL, got "${raw}"`)
  return url.toString().replace(/\/+$/, '')
}

export async function callApi<T> (base: string, path: string, init: { method?: string, body?: unknown, timeoutMs?: number } = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000)
    })
  } catch (err) {
    const cause = (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).name
    throw new ApiCallError(`cannot reach the node API at ${base} (${cause}): is the node running? Start one with swarmrank start, or pass --api URL`)
  }
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiCallError(`${base}${path} answered ${response.status} with something that is not JSON; is --api pointing at a swarmrank node?`, response.status)
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: string } }).error?.message ?? text
    throw new ApiCallError(`the node answered ${response.status}: ${message}`, response.status)
  }
  return body as T
}
