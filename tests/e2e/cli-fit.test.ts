import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'

const llmfao = join(repoRoot, '../shared/data/llmfao/llmfao.csv')
const golden = join(repoRoot, '../shared/data/llmfao/llmfao-golden.csv')

describe('swarmrank fit', () => {
  it('reproduces the golden LLMFAO strengths with --prior 0 --json', () => {
    const r = runCli(['fit', llmfao, '--prior', '0', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { items: Array<{ id: string, strength: number, logStrength: number }>, iterations: number, converged: boolean }
    expect(out.converged).toBe(true)
    expect(out.items).toHaveLength(59)
    const want = new Map(readFileSync(golden, 'utf8').trim().split('\n').filter(l => l.startsWith('bradley_terry,')).map(l => {
      const parts = l.split(',')
      return [parts.slice(1, -1).join(','), Number(parts[parts.length - 1])] as const
    }))
    for (const item of out.items) expect(Math.abs(item.strength - (want.get(item.id) ?? NaN)) / item.strength).toBeLessThan(1e-5)
    const sum = out.items.reduce((s, i) => s + i.strength, 0)
    expect(sum).toBeCloseTo(1, 9)
  })

  it('prints a ranked table by default', () => {
    const r = runCli(['fit', llmfao])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^rank\s+candidate\s+strength\s+log strength$/)
    expect(lines[2]).toMatch(/^\s*1\s+GPT 4\s/)
    expect(lines.at(-1)).toMatch(/8931 comparisons, 59 candidates, prior 1; newman converged/)
  })

  it('takes an optional weight column and quoted names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-fit-'))
    const file = join(dir, 'c.csv')
    writeFileSync(file, 'left,right,winner,weight\n"a, the first",b,left,3\nb,"a, the first",left,1\n')
    const r = runCli(['fit', file, '--prior', '0', '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { items: Array<{ id: string, strength: number }> }
    expect(out.items[0].id).toBe('a, the first')
    expect(out.items[0].strength / out.items[1].strength).toBeCloseTo(3, 6)
  })

  it('reads CRLF files with a byte-order mark, quoted fields and blank lines as plain ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-fit-'))
    const rows = ['a,b,left,2', 'b,c,left,1', 'c,a,tie,1', 'a,c,right,0.5', 'b,a,left,1']
    const plain = join(dir, 'plain.csv')
    writeFileSync(plain, 'left,right,winner,weight\n' + rows.join('\n') + '\n')
    const crlf = join(dir, 'crlf.csv')
    writeFileSync(crlf, '\ufeffleft,right,winner,weight\r\n' + rows.map(r => r.replace(/^a,/, '"a",')).join('\r\n\r\n') + '\r\n')
    const want = runCli(['fit', plain, '--json'])
    expect(want.code).toBe(0)
    expect(runCli(['fit', crlf, '--json']).stdout).toBe(want.stdout)
  })

  it('numbers lines right when a bad row comes after thousands of plain ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmrank-fit-'))
    const file = join(dir, 'long.csv')
    const rows = Array.from({ length: 5000 }, (_, k) => `m${k % 7},m${(k + 1) % 7},${k === 3998 ? 'draw' : 'left'},0.5`)
    writeFileSync(file, 'left,right,winner,weight\n' + rows.join('\n') + '\n')
    const r = runCli(['fit', file])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(`swarmrank: ${file}: line 4000: unknown winner "draw" (expected left, right or tie)`)
  })

  const dir = mkdtempSync(join(tmpdir(), 'swarmrank-fit-bad-'))
  const write = (name: string, text: string): string => { const f = join(dir, name); writeFileSync(f, text); return f }
  const bad: Array<[string, string[], RegExp]> = [
    ['a missing file', ['fit', join(dir, 'nope.csv')], /cannot read .*nope\.csv: no such file/],
    ['a bad header', ['fit', write('h.csv', 'a,b,c\n1,2,3\n')], /bad header: missing columns left, right, winner/],
    ['an unknown winner value', ['fit', write('w.csv', 'left,right,winner\nx,y,draw\n')], /line 2: unknown winner "draw"/],
    ['a negative weight', ['fit', write('n.csv', 'left,right,winner,weight\nx,y,left,-2\n')], /line 2: weight must be a finite number ≥ 0/],
    ['a row with too many fields', ['fit', write('f.csv', 'left,right,winner\nx,y,left\nx,y,left,z\n')], /line 3: expected 3 fields, found 4/],
    ['a name compared with itself', ['fit', write('s.csv', 'left,right,winner\nx,"x",left\n')], /line 2: "x" is compared with itself/],
    ['a quote left open (reported before an earlier bad row)', ['fit', write('q.csv', 'left,right,winner\nx,y,draw\n"x,y,left\n')], /unterminated quoted field at the end of the file/],
    ['a header only', ['fit', write('e.csv', 'left,right,winner\n')], /no comparisons after the header/],
    ['a negative prior', ['fit', write('ok.csv', 'left,right,winner\nx,y,left\n'), '--prior', '-1'], /--prior must be a number ≥ 0/],
    ['an unknown flag', ['fit', 'x.csv', '--bogus'], /Unknown option '--bogus'/],
    ['no file', ['fit'], /fit takes one FILE/]
  ]
  for (const [what, args, message] of bad) {
    it(`answers ${what} with one line and exit code 2`, () => {
      const r = runCli(args)
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    })
  }
})

describe('swarmrank CLI', () => {
  it('lists every command in --help', () => {
    const r = runCli(['--help'])
    expect(r.code).toBe(0)
    for (const c of ['demo', 'fit', 'help']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
  })

  it('rejects an unknown command with exit code 2', () => {
    const r = runCli(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown command "frobnicate"/)
  })

  it('runs the demo: consensus beats majority voting with the demo profiles', () => {
    const r = runCli(['demo', '--rounds', '200', '--seed', 'ci', '--json'])
    expect(r.code).toBe(0)
    const rounds = JSON.parse(r.stdout) as Array<{ winner: string, majority: string, rightAnswer: string }>
    const consensus = rounds.filter(x => x.winner === x.rightAnswer).length
    const majority = rounds.filter(x => x.majority === x.rightAnswer).length
    expect(consensus).toBeGreaterThan(majority)
  })
})
