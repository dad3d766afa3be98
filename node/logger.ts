/**
 * Per-component loggers with a node-name prefix (CONVENTIONS: logger.forComponent, prefixLogger),
 * writing one line per event to stderr: `time level component [node] message`. Levels by flag.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export const logLevels = Object.keys(rank) as LogLevel[]

export interface Logger {
  debug: (message: string) => void
  info: (message: string) => void
  warn: (message: string) => void
  error: (message: string) => void
}

export interface ComponentLogger {
  forComponent: (component: string) => Logger
}

export function createLogger (options: { level?: LogLevel, prefix?: string, write?: (line: string) => void } = {}): ComponentLogger {
  const threshold = rank[options.level ?? 'info']
  const write = options.write ?? ((line: string) => { process.stderr.write(line + '\n') })
  const prefix = options.prefix === undefined ? '' : ` [${options.prefix}]`
  return {
    forComponent (component: string): Logger {
      const log = (level: LogLevel) => (message: string): void => {
        if (rank[level] < threshold) return
        write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} swarmrank:${component}${prefix} ${message}`)
      }
      return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
    }
  }
}
