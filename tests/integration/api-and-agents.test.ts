import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../node/cli/main.js'
import { openaiAgent, OpenAIAgentError, parseVerdict } from '../../node/agents/openai.js'
import { MAX_BODY_BYTES, startApi } from '../../node/api/http.js'
import type { ApiServer } from '../../node/api/http.js'
import { wireLimits } from '../../protocol/wire/limits.js'
import { startFakeOpenAI } from '../helpers/fake-openai.js'
import type { FakeOpenAI } from '../helpers/fake-openai.js'
import { startTestSwarm, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

describe('the OpenAI-compatible agent against a local chat-completions server', () => {
  let fake: FakeOpenAI
  beforeAll(async () => { fake = await startFakeOpenAI() })
  afterAll(async () => fake.close())

  it('answers at temperature 0.7 and judges at 0.3 in both orders, with the API key', async () => {
    process.env.TEST_OPENAI_KEY = 'sk-test'
    const agent = openaiAgent({ endpoint: fake.url, model: 'tiny', apiKey: process.env.TEST_OPENAI_KEY, backoffMs: 10 })
    fake.requests.length = 0
    expect(await agent.answer({ queryId: 'q', prompt: 'What is 6 × 7?' })).toBe('The answer is\n42')
    expect(fake.requests[0]).toMatchObject({ model: 'tiny', temperature: 0.7, authorization: 'Bearer sk-test' })
    expect(await agent.compare({ queryId: 'q', prompt: 'What is 6 × 7?' }, '41', 'It is 42')).toEqual({ verdict: 'B', reason: 'B gives 42.' })
    expect(fake.requests.slice(1).map(r => r.temperature)).toEqual([0.3, 0.3])
    expect(fake.requests[2].messages.at(-1)!.content).toMatch(/Answer A:\nIt is 42\n/) // second order
  })

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    const agent = openaiAgent({ endpoint: fake.url, model: 'tiny', backoffMs: 10, retries: 2 })
    fake.failNext = [500, 429]
    expect(await agent.answer({ queryId: 'q', prompt: 'x' })).toBe('The answer is\n42')
  })

  it('fails clearly on 4xx, on an unreachable server and on a timeout', async () => {
    fake.failNext = [401]
    await expect(openaiAgent({ endpoint: fake.url, model: 'tiny' }).answer({ queryId: 'q', prompt: 'x' })).rejects.toThrow(/answered 401 \(check --api-key-env\)/)
    await expect(openaiAgent({ endpoint: 'http://127.0.0.1:9/v1', model: 'tiny', retries: 0 }).answer({ queryId: 'q', prompt: 'x' })).rejects.toThrow(/unreachable.*is it running/)
    fake.delayMs = 300
    const err = await openaiAgent({ endpoint: fake.url, model: 'tiny', timeoutMs: 50, retries: 0 }).answer({ queryId: 'q', prompt: 'x' }).catch(e => e)
    fake.delayMs = 0
    expect(err).toBeInstanceOf(OpenAIAgentError)
    expect((err as Error).message).toMatch(/no answer within 50 ms/)
  })

  it('parses verdicts the way models write them', () => {
    expect(parseVerdict('A\nbecause')).toEqual({ verdict: 'A', reason: 'because' })
    expect(parseVerdict('**B**\nB is right').verdict).toBe('B')
    expect(parseVerdict('Verdict: tie\nsame').verdict).toBe('TIE')
    expect(parseVerdict('I think both are fine.\nVerdict: A').verdict).toBe('A')
    expect(parseVerdict('no idea').verdict).toBe('TIE')
  })
})

describe('the HTTP API of a running node', () => {
  let swarm: TestSwarm
  let api: ApiServer
  let fake: FakeOpenAI
  beforeAll(async () => {
    fake = await startFakeOpenAI()
    swarm = await startTestSwarm({ size: 1, agents: { 0: openaiAgent({ endpoint: fake.url, model: 'tiny' }) } })
    api = await startApi(swarm.nodes[0])
  }, 30_000)
  afterAll(async () => {
    await api?.close()
    await swarm?.stop()
    await fake?.close()
  })

  const post = async (body: string, type = 'application/json'): Promise<Response> => fetch(`${api.url}/v1/queries`, { method: 'POST', headers: { 'content-type': type }, body })

  it('answers a query through an OpenAI-compatible model, end to end', async () => {
    const res = await post(JSON.stringify({ prompt: 'What is 6 × 7?' }))
    expect(res.status).toBe(202)
    const { id } = await res.json() as { id: string }
    let view: { status: string, answer?: string } = { status: 'pending' }
    await waitFor(async () => {
      view = await (await fetch(`${api.url}/v1/queries/${id}`)).json() as typeof view
      return view.status === 'final'
    }, 10_000, 'final')
    expect(view.answer).toBe('The answer is\n42')
  })

  const cases: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['bad JSON', async () => post('{"prompt": '), 400, /not valid JSON/],
    ['a body that is not an object', async () => post('[1,2]'), 400, /JSON object/],
    ['a missing prompt', async () => post('{"question": "hi"}'), 400, /missing field "prompt"/],
    ['a prompt that is not a string', async () => post('{"prompt": 42}'), 400, /must be a string/],
    ['an empty prompt', async () => post('{"prompt": "   "}'), 400, /must not be empty/],
    ['an oversized prompt', async () => post(JSON.stringify({ prompt: 'x'.repeat(wireLimits.maxPromptBytes + 1) })), 413, /limit is 8192/],
    ['an oversized body', async () => post(JSON.stringify({ prompt: 'x', pad: 'y'.repeat(MAX_BODY_BYTES) })), 413, /limited to 65536 bytes/],
    ['a wrong content type', async () => post('prompt=hi', 'application/x-www-form-urlencoded'), 415, /application\/json/],
    ['a malformed query id', async () => fetch(`${api.url}/v1/queries/not-an-id`), 400, /64 lower-case hex/],
    ['an unknown query id', async () => fetch(`${api.url}/v1/queries/${'ab'.repeat(32)}`), 404, /no query/],
    ['a wrong method', async () => fetch(`${api.url}/v1/status`, { method: 'DELETE' }), 405, /not allowed/],
    ['an unknown route', async () => fetch(`${api.url}/v2/anything`), 404, /no route/]
  ]
  for (const [what, request, status, message] of cases) {
    it(`answers ${what} with ${status} and a JSON error`, async () => {
      const res = await request()
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      const body = await res.json() as { error: { code: string, message: string } }
      expect(body.error.message).toMatch(message)
    })
  }

  it('serves a commit certificate that verifies offline (swarmrank verify), and a tampered one that does not', async () => {
    const res = await post(JSON.stringify({ prompt: 'What is 6 × 7?' }))
    const { id } = await res.json() as { id: string }
    let view: { status: string, block?: { height: number } } = { status: 'pending' }
    await waitFor(async () => {
      view = await (await fetch(`${api.url}/v1/queries/${id}`)).json() as typeof view
      return view.status === 'final'
    }, 10_000, 'final')
    const validators = await (await fetch(`${api.url}/v1/validators?height=${view.block!.height}`)).json() as Record<string, unknown>
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-verify-'))
    writeFileSync(join(dir, 'q.json'), JSON.stringify(view))
    writeFileSync(join(dir, 'v.json'), JSON.stringify(validators))
    writeFileSync(join(dir, 'forged.json'), JSON.stringify({ ...view, answer: 'The answer is\n41' }))
    writeFileSync(join(dir, 'wrong-set.json'), JSON.stringify({ ...validators, validators: [{ peerId: '12D3KooWSYrjKP6w7uP6GEsWpkxBMeTXmfEZuhiee8kKceJmt3qX', power: 500000 }] }))
    const run = async (...args: string[]): Promise<{ code: number, out: string }> => {
      const lines: string[] = []
      const code = await main(['verify', ...args], { out: l => lines.push(l), err: l => lines.push(l) })
      return { code, out: lines.join('\n') }
    }
    const ok = await run('--validators', join(dir, 'v.json'), join(dir, 'q.json'))
    expect(ok.code).toBe(0)
    expect(ok.out).toMatch(/^valid: query .* is final in block \d+, certified by 500000 of 500000 voting power/)
    const forged = await run('--validators', join(dir, 'v.json'), join(dir, 'forged.json'))
    expect(forged).toEqual({ code: 1, out: "invalid: the answer is not the record's winner" })
    const wrongSet = await run('--validators', join(dir, 'wrong-set.json'), join(dir, 'q.json'))
    expect(wrongSet.code).toBe(1)
    expect(wrongSet.out).toMatch(/not a validator at this height/)
    expect((await fetch(`${api.url}/v1/validators?height=0`)).status).toBe(400)
    expect((await fetch(`${api.url}/v1/validators?height=999`)).status).toBe(404)
  })

  it('keeps serving after bad requests: status and ledger', async () => {
    const status = await (await fetch(`${api.url}/v1/status`)).json() as { peerId: string, height: number, networkId: string }
    expect(status.peerId).toBe(swarm.nodes[0].peerId)
    expect(status.height).toBeGreaterThanOrEqual(1)
    const ledger = await (await fetch(`${api.url}/v1/ledger`)).json() as { reputations: unknown[], stateRoot: string }
    expect(ledger.reputations).toHaveLength(1)
    expect(ledger.stateRoot).toMatch(/^[0-9a-f]{64}$/)
  })
})
