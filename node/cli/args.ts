import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { UsageError } from './errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * node:util parseArgs in strict mode, with its errors turned into one-line usage errors that
 * point at the command's --help.
 */
export function parseCommandArgs<T extends Options> (command: string, argv: string[], options: T, allowPositionals = true) {
  // `--prior -1` would read as two flags; pass a negative number as the flag's value instead,
  // so the range check can say what is wrong with it.
  const args = [...argv]
  for (let i = 0; i + 1 < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined
    if (name !== undefined && options[name]?.type === 'string' && /^-\d/.test(args[i + 1])) {
      args.splice(i, 2, `--${name}=${args[i + 1]}`)
    }
  }
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...options, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
  } catch (err) {
    const message = (err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '')
    throw new UsageError(`${message} (see swarmrank ${command} --help)`)
  }
  const file = (parsed.values as Record<string, unknown>).config as string | undefined
  if (file !== undefined) applyConfigFile(command, file, options, parsed.values as Record<string, unknown>)
  return parsed
}

/**
 * `--config FILE`: a JSON object of the command's long options, e.g. {"data": "./node",
 * "bootstrap": ["/ip4/…/p2p/…"], "api": 7420}. Flags on the command line override it.
 */
function applyConfigFile (command: string, file: string, options: Options, values: Record<string, unknown>): void {
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new UsageError(e.code === 'ENOENT' ? `--config ${file}: no such file` : `--config ${file}: not valid JSON (${e.message})`)
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`--config ${file}: must be a JSON object of option names to values`)
  for (const [key, raw] of Object.entries(doc as Record<string, unknown>)) {
    const spec = Object.hasOwn(options, key) ? options[key] : undefined
    if (spec === undefined) throw new UsageError(`--config ${file}: "${key}" is not an option of swarmrank ${command} (see swarmrank ${command} --help)`)
    if (values[key] !== undefined) continue // the command line wins
    const scalar = (v: unknown): string => {
      if (typeof v === 'string') return v
      if (typeof v === 'number' && Number.isFinite(v)) return String(v)
      throw new UsageError(`--config ${file}: "${key}" must be a string or number`)
    }
    if (spec.type === 'boolean') {
      if (typeof raw !== 'boolean') throw new UsageError(`--config ${file}: "${key}" must be true or false`)
      values[key] = raw
    } else if (spec.multiple === true) {
      values[key] = (Array.isArray(raw) ? raw : [raw]).map(scalar)
    } else {
      values[key] = scalar(raw)
    }
  }
}

/** A number flag, checked: a clear error names the flag and what it wants. */
export function numberFlag (name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, wants: string): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${wants}, got "${raw}"`)
  return n
}
