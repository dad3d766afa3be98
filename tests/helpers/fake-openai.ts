import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeOpenAI {
  url: string
  requests: Array<{ model: string, temperature: number, messages: Array<{ role: string, content: string }>, authorization?: string }>
  /** answer the next requests with these statuses first (e.g. [500, 429]) */
  failNext: number[]
  /** delay every response */
  delayMs: number
  close: () => Promise<void>
}

/**
 * A small local server speaking the OpenAI chat-completions API: answers "42" to questions and,
 * to judging prompts, prefers the answer containing "42".
 */
export async function startFakeOpenAI (): Promise<FakeOpenAI> {
  const fake: FakeOpenAI = { url: '', requests: [], failNext: [], delayMs: 0, close: async () => {} }
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', c => { body += c })
    req.on('end', () => {
      const reply = (): void => {
        if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
          res.writeHead(404).end('{"error":{"message":"not found"}}')
          return
        }
        const parsed = JSON.parse(body)
        fake.requests.push({ ...parsed, authorization: req.headers.authorization })
        const status = fake.failNext.shift()
        if (status !== undefined) {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `failing with ${status}` } }))
          return
        }
        const user: string = parsed.messages.at(-1).content
        let content = 'The answer is\n42'
        const judging = /Answer A:\n([\s\S]*?)\n\nAnswer B:\n([\s\S]*?)\n\n/.exec(user)
        if (judging !== null) {
          const [a, b] = [judging[1].includes('42'), judging[2].includes('42')]
          content = a && !b ? 'A\nA gives 42.' : b && !a ? 'B\nB gives 42.' : 'TIE\nSame.'
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }))
      }
      setTimeout(reply, fake.delayMs)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  fake.close = async () => new Promise<void>(resolve => { server.close(() => resolve()); server.closeAllConnections() })
  return fake
}
