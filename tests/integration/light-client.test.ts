import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi } from '../../node/api/http.js'
import type { ApiServer } from '../../node/api/http.js'
import { main } from '../../node/cli/main.js'
import type { SwarmNode } from '../../node/swarm-node.js'
import type { LightProofJson } from '../../protocol/bft/light-client.js'
import { defaultBftParams } from '../../protocol/genesis.js'
import { fromHex } from '../../protocol/hash.js'
import { decodeCommitCertificate } from '../../protocol/wire/codec.js'
import { startTestSwarm, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

/** The node's light proofs, through SwarmNode.lightProof when it delegates to its chain, else straight from the chain. */
describe('light client against a running node: GET /v1/light and swarmrank verify --genesis --api', () => {
  let swarm: TestSwarm
  let api: ApiServer
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-light-it-'))
  let genesisFile: string
  let queryFile: string
  let height = 0

  beforeAll(async () => {
    // One-block epochs: every block is a boundary where the set may change, and the client follows each one.
    swarm = await startTestSwarm({ size: 1, params: { bft: { ...defaultBftParams, epochBlocks: 1 } } })
    api = await startApi(swarm.nodes[0])
    genesisFile = join(dir, 'genesis.json')
    writeFileSync(genesisFile, JSON.stringify(swarm.genesis))
  }, 30_000)
  afterAll(async () => {
    await api?.close()
    await swarm?.stop()
  })

  const run = async (...args: string[]): Promise<{ code: number, out: string }> => {
    const lines: string[] = []
    const code = await main(['verify', ...args], { out: l => lines.push(l), err: l => lines.push(l) })
    return { code, out: lines.join('\n') }
  }

  it('verifies a final answer from the genesis alone, following the validator set through every block', async () => {
    let view: { status: string, block?: { height: number } } = { status: 'pending' }
    for (const prompt of ['What is 2 + 3?', 'What is 4 × 5?', 'What is 9 − 7?']) {
      const { id } = await (await fetch(`${api.url}/v1/queries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) })).json() as { id: string }
      await waitFor(async () => {
        view = await (await fetch(`${api.url}/v1/queries/${id}`)).json() as typeof view
        return view.status === 'final'
      }, 15_000, 'final')
    }
    height = view.block!.height
    expect(height).toBeGreaterThanOrEqual(3)
    queryFile = join(dir, 'q.json')
    writeFileSync(queryFile, JSON.stringify(view))
    const light = await (await fetch(`${api.url}/v1/light?from=0&to=${height}`)).json() as LightProofJson
    expect(light.steps.map(s => decodeCommitCertificate(fromHex(s.certificate)).header!.height)).toEqual(Array.from({ length: height - 1 }, (_, i) => i + 1))
    const ok = await run('--genesis', genesisFile, '--api', api.url, queryFile)
    expect(ok.out).toMatch(new RegExp(`^valid: query .* is final in block ${height}, certified by \\d+ of \\d+ voting power.*; validator set followed from the genesis through ${height - 1} epoch boundaries$`))
    expect(ok.code).toBe(0)
  })

  it('says invalid when the node in between lies about a validator set', async () => {
    // A node that relays the real proof with one voting power raised.
    const liar: Server = createServer((req, res) => {
      void (async () => {
        const real = await (await fetch(`${api.url}${req.url}`)).json() as LightProofJson
        if (real.steps.length > 0) real.steps[0].light.validators[0].power += 1
        const text = JSON.stringify(real)
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(text)
      })()
    })
    await new Promise<void>(resolve => liar.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`
      expect(await run('--genesis', genesisFile, '--api', url, queryFile)).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: .* served a proof that fails: .*do not hash to the state root/) })
    } finally {
      await new Promise<void>(resolve => liar.close(() => resolve()))
    }
  })

  it('answers bad parameters with 4xx and a JSON error', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['from=abc&to=2', 400, /from must be a non-negative integer/],
      ['from=-1&to=2', 400, /from must be a non-negative integer/],
      ['from=0&to=0', 400, /to must be a positive integer/],
      [`from=${height}&to=1`, 400, /must be above from/],
      ['from=0&to=999999', 404, /not committed on this node yet/]
    ]
    for (const [query, status, message] of cases) {
      const res = await fetch(`${api.url}/v1/light?${query}`)
      expect(res.status, query).toBe(status)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message)
    }
  })

  it('rebuilds ledgers it no longer keeps (older than the anchor window) by replaying its blocks', async () => {
    await api.close()
    await swarm.nodes[0].stop()
    const db = new Level<string, Uint8Array>(join(swarm.dir, 'node-0', 'db'), { valueEncoding: 'view' })
    for await (const key of db.keys({ gte: 'ledger/at/', lt: 'ledger/at/~' })) {
      if (Number(key.slice('ledger/at/'.length)) < height) await db.del(key)
    }
    // and the light steps it kept when it committed the boundaries
    for await (const key of db.keys({ gte: 'light/', lt: 'light/~' })) await db.del(key)
    await db.close()
    const node = await swarm.restart(0)
    api = await startApi(node)
    expect(await run('--genesis', genesisFile, '--api', api.url, queryFile)).toMatchObject({ code: 0, out: expect.stringMatching(/^valid: .*through \d+ epoch boundaries$/) })
  })
})
