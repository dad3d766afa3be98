import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

describe('config files, ids and testnet genesis from the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-config-'))

  it('takes options from --config FILE, and flags on the command line win', () => {
    const file = join(dir, 'client.json')
    writeFileSync(file, JSON.stringify({ api: 'http://127.0.0.1:9', json: true }))
    const fromFile = runCli(['status', '--config', file])
    expect(fromFile.code).toBe(1)
    expect(fromFile.stderr).toContain('cannot reach the node API at http://127.0.0.1:9')
    const overridden = runCli(['status', '--config', file, '--api', 'http://127.0.0.1:8'])
    expect(overridden.stderr).toContain('http://127.0.0.1:8 ')
  })

  it('refuses a config file that is missing, not JSON, not an object, or names an unknown option', () => {
    const cases: Array<[string, string | undefined, RegExp]> = [
      ['missing.json', undefined, /no such file/],
      ['bad.json', '{"api": ', /not valid JSON/],
      ['list.json', '[1]', /must be a JSON object/],
      ['unknown.json', '{"colour": "red"}', /"colour" is not an option of swarmrank status/],
      ['type.json', '{"json": "yes"}', /"json" must be true or false/]
    ]
    for (const [name, text, message] of cases) {
      const file = join(dir, name)
      if (text !== undefined) writeFileSync(file, text)
      const r = runCli(['status', '--config', file])
      expect(r.code, name).toBe(2)
      expect(r.stderr, name).toMatch(message)
    }
  })

  it('prints a node id, and writes a genesis listing the validators given with --validators', () => {
    const b = runCli(['id', '--data', join(dir, 'b')])
    expect(b.code).toBe(0)
    const idB = b.stdout.trim()
    expect(idB).toMatch(/^12D3KooW\w+$/)
    expect(runCli(['id', '--data', join(dir, 'b')]).stdout.trim()).toBe(idB) // the same key again
    const init = runCli(['init', '--data', join(dir, 'a'), '--network', 'my-testnet', '--validators', `${idB}=400000`])
    expect(init.code).toBe(0)
    const genesis = JSON.parse(readFileSync(join(dir, 'a', 'genesis.json'), 'utf8')) as { network: string, validators: Array<{ peerId: string, reputationPpm: number }> }
    expect(genesis.network).toBe('my-testnet')
    expect(genesis.validators).toHaveLength(2)
    expect(genesis.validators.find(v => v.peerId === idB)?.reputationPpm).toBe(400000)
    const bad = runCli(['init', '--data', join(dir, 'c'), '--validators', 'not-a-peer-id'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--validator not-a-peer-id: not an Ed25519 peer id')
  })
})
