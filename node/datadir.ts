import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalJson, GenesisError, parseGenesisText } from '../protocol/genesis.js'
import type { Genesis } from '../protocol/genesis.js'

/** Files of a node's data directory. */
export const GENESIS_FILE = 'genesis.json'
/** Written by a running node: its pid, peer id, API URL and listen addresses (for clusters and scripts). */
export const NODE_INFO_FILE = 'node.json'
/** The validator's last-sign state (node/sign-state.ts); beside the database so a wipe of db/ keeps it. */
export const SIGN_STATE_FILE = 'sign-state'

export interface NodeInfo {
  pid: number
  peerId: string
  api: string
  multiaddrs: string[]
  network: string
  networkId: string
}

export function ensureDir (dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
}

/** Read and check a genesis file; every problem is a GenesisError naming the file. */
export function readGenesisFile (file: string): Genesis {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new GenesisError(`cannot read genesis file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
  }
  try {
    return parseGenesisText(text)
  } catch (err) {
    throw new GenesisError(`${file}: ${(err as Error).message}`)
  }
}

export function writeGenesisFile (file: string, genesis: Genesis): void {
  writeFileSync(file, JSON.stringify(JSON.parse(canonicalJson(genesis)), null, 2) + '\n')
}

/**
 * The genesis a node starts with: `--genesis FILE` (copied into the data directory on first
 * start) or the one already there. Both given and different: refused, naming both.
 */
export function resolveGenesis (dataDir: string, genesisFlag: string | undefined): Genesis {
  const own = join(dataDir, GENESIS_FILE)
  const stored = existsSync(own) ? readGenesisFile(own) : undefined
  if (genesisFlag === undefined) {
    if (stored === undefined) throw new GenesisError(`${dataDir} has no ${GENESIS_FILE}: pass --genesis FILE, or run swarmrank init --data ${dataDir}`)
    return stored
  }
  const given = readGenesisFile(genesisFlag)
  if (stored !== undefined && canonicalJson(stored) !== canonicalJson(given)) {
    throw new GenesisError(`${genesisFlag} is a different network from the ${GENESIS_FILE} in ${dataDir} (${stored.network}); a data directory belongs to one network: use another --data directory`)
  }
  if (stored === undefined) writeGenesisFile(own, given)
  return given
}
