import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'

export interface ScriptArgs {
  values: Record<string, string | boolean | undefined>
  /** a flag's value as a number, checked; a one-line error (exit 2) otherwise */
  numberOf: (name: string, ok: (n: number) => boolean, what: string) => number
  fail: (message: string) => never
}

/**
 * The command-line handling the benchmark and soak scripts share: strict flags, `--help`
 * printing the usage, and every mistake a one-line error with the usage and exit code 2.
 */
export function scriptArgs (script: string, usage: string, options: NonNullable<ParseArgsConfig['options']>): ScriptArgs {
  const fail = (message: string): never => {
    console.error(`${script}: ${message}\n${usage}`)
    process.exit(2)
  }
  let values: Record<string, string | boolean | undefined> = {}
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>
  } catch (err) {
    fail((err as Error).message.split('\n')[0])
  }
  if (values.help === true) {
    console.log(usage)
    process.exit(0)
  }
  const numberOf = (name: string, ok: (n: number) => boolean, what: string): number => {
    const n = Number(values[name])
    if (!ok(n)) fail(`--${name} takes ${what}, got "${String(values[name])}"`)
    return n
  }
  return { values, numberOf, fail }
}
