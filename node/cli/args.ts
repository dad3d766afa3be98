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
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
  } catch (err) {
    const message = (err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '')
    throw new UsageError(`${message} (see swarmrank ${command} --help)`)
  }
}

/** A number flag, checked: a clear error names the flag and what it wants. */
export function numberFlag (name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, wants: string): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${wants}, got "${raw}"`)
  return n
}
