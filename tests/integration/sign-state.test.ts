import { spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { SignStateFile } from '../../node/sign-state.js'

const dirs: string[] = []
function freshFile (): string {
  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-sign-state-'))
  dirs.push(dir)
  return join(dir, 'sign-state')
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

interface State { height: number, votes: Record<string, string | null> }

describe('the last-sign state file', () => {
  it('starts empty, and a reopened file holds the last state saved', () => {
    const file = freshFile()
    const first = SignStateFile.open<State>(file)
    expect(first.get()).toBeUndefined()
    first.save({ height: 1, votes: { '0/prevote': 'aa' } })
    first.save({ height: 1, votes: { '0/prevote': 'aa', '0/precommit': 'aa' } })
    first.save({ height: 2, votes: { '0/prevote': null } })
    first.close()
    const again = SignStateFile.open<State>(file)
    expect(again.get()).toEqual({ height: 2, votes: { '0/prevote': null } })
    again.close()
  })

  it('a torn last record (a crash mid-append) is cut off: the state before it holds, and later saves follow it', () => {
    const file = freshFile()
    const s = SignStateFile.open<State>(file)
    s.save({ height: 7, votes: { '0/prevote': 'bb' } })
    s.close()
    const intact = statSync(file).size
    // a header announcing 100 bytes, followed by only a few of them
    appendFileSync(file, Buffer.from([0, 0, 0, 100, 1, 2, 3, 4, 0x7b, 0x22]))
    const reopened = SignStateFile.open<State>(file)
    expect(reopened.get()).toEqual({ height: 7, votes: { '0/prevote': 'bb' } })
    expect(statSync(file).size).toBe(intact)
    reopened.save({ height: 8, votes: {} })
    reopened.close()
    const third = SignStateFile.open<State>(file)
    expect(third.get()).toEqual({ height: 8, votes: {} })
    third.close()
  })

  it('a record whose checksum does not match is not taken', () => {
    const file = freshFile()
    const s = SignStateFile.open<State>(file)
    s.save({ height: 3, votes: {} })
    s.save({ height: 4, votes: {} })
    s.close()
    const bytes = readFileSync(file)
    bytes[bytes.length - 2] ^= 0xff // flip a byte inside the last record's JSON
    writeFileSync(file, bytes)
    const reopened = SignStateFile.open<State>(file)
    expect(reopened.get()).toEqual({ height: 3, votes: {} })
    reopened.close()
  })

  it('stays small: past 1 MiB the log is rewritten to its last record', () => {
    const file = freshFile()
    const s = SignStateFile.open<{ height: number, block: string }>(file)
    const block = 'ab'.repeat(20_000) // a locked block, hex: ~40 kB a record
    for (let h = 1; h <= 60; h++) s.save({ height: h, block })
    s.close()
    expect(statSync(file).size).toBeLessThan(1 << 20)
    const reopened = SignStateFile.open<{ height: number, block: string }>(file)
    expect(reopened.get()?.height).toBe(60)
    reopened.close()
  })

  it('a process killed with SIGKILL while saving leaves every state it reported saved', async () => {
    const file = freshFile()
    const moduleUrl = pathToFileURL(resolve('dist/node/sign-state.js')).href
    // The child saves ever higher heights and reports each one once save() has returned.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { SignStateFile } = await import(${JSON.stringify(moduleUrl)})
      const s = SignStateFile.open(${JSON.stringify(file)})
      for (let h = 1; ; h++) { s.save({ height: h, votes: { '0/prevote': 'x'.repeat(h % 500) } }); process.stdout.write(h + '\\n') }
    `], { stdio: ['ignore', 'pipe', 'inherit'] })
    let reported = 0
    await new Promise<void>(resolve => {
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n')
        reported = Number(lines[lines.length - 1])
        if (reported >= 300 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL')
          resolve()
        }
      })
    })
    await new Promise(resolve => child.once('exit', resolve))
    const reopened = SignStateFile.open<State>(file)
    expect(reopened.get()!.height).toBeGreaterThanOrEqual(reported)
    reopened.close()
  }, 30_000)
})
