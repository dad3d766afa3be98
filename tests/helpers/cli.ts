import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/swarmrank.js', import.meta.url))

export interface CliResult { code: number | null, stdout: string, stderr: string }

/** Run the built CLI as a child process with this (Node 22) runtime; tests run after `npm run build`. */
export function runCli (args: string[], options: { cwd?: string, timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
