import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { defaultProtocolParams, networkIdHex } from '../../../protocol/genesis.js'
import type { Genesis } from '../../../protocol/genesis.js'
import { ensureDir, GENESIS_FILE, readGenesisFile, writeGenesisFile } from '../../datadir.js'
import { loadOrCreateKey } from '../../keys.js'
import { parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'

export const initHelp = `Usage: swarmrank init --data DIR [--network NAME] [--validator PEERID[=PPM] ...] [--genesis FILE]

Create a node's data directory: its Ed25519 identity (DIR/identity.key, mode 0600) and its
network's genesis (DIR/genesis.json). Prints the node's peer id.

  --data DIR            the data directory (created if missing)
  --network NAME        name of a new network (default "local"); the genesis lists this node
                        and every --validator as initial validators
  --validator PEERID    another initial validator, optionally with a starting reputation in
                        parts per million (default 500000); repeatable
  --genesis FILE        join an existing network instead: copy and check its genesis

Examples:
  swarmrank init --data ./node-a --network mynet
  swarmrank init --data ./node-b --genesis ./node-a/genesis.json`

export async function initCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('init', argv, {
    data: { type: 'string' },
    network: { type: 'string' },
    validator: { type: 'string', multiple: true },
    genesis: { type: 'string' }
  }, false)
  if (values.help === true) {
    out(initHelp)
    return 0
  }
  const dataDir = values.data as string | undefined
  if (dataDir === undefined) throw new UsageError('init needs --data DIR (see swarmrank init --help)')
  const genesisFile = values.genesis as string | undefined
  if (genesisFile !== undefined && (values.network !== undefined || values.validator !== undefined)) {
    throw new UsageError('--genesis joins an existing network; it cannot be combined with --network or --validator')
  }
  const ownGenesis = join(dataDir, GENESIS_FILE)
  if (existsSync(ownGenesis)) throw new UsageError(`${ownGenesis} already exists; this data directory is initialised (remove it to start a new network)`)

  let genesis: Genesis | undefined
  if (genesisFile !== undefined) genesis = readGenesisFile(genesisFile)
  ensureDir(dataDir)
  const { key, created } = await loadOrCreateKey(dataDir)
  const peerId = peerIdFromPrivateKey(key).toString()
  if (genesis === undefined) {
    const validators = [{ peerId, reputationPpm: 500_000 }]
    for (const spec of (values.validator as string[] | undefined) ?? []) {
      const [id, ppmText] = spec.split('=')
      try {
        if (peerIdFromString(id).type !== 'Ed25519') throw new Error('not Ed25519')
      } catch {
        throw new UsageError(`--validator ${spec}: not an Ed25519 peer id`)
      }
      const reputationPpm = ppmText === undefined ? 500_000 : Number(ppmText)
      if (!Number.isInteger(reputationPpm) || reputationPpm < 1 || reputationPpm > 1_000_000) throw new UsageError(`--validator ${spec}: the reputation must be an integer from 1 to 1000000`)
      if (!validators.some(v => v.peerId === id)) validators.push({ peerId: id, reputationPpm })
    }
    genesis = { network: (values.network as string | undefined) ?? 'local', params: defaultProtocolParams, validators }
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(genesis.network)) throw new UsageError('--network must be 1–64 characters of a-z, 0-9, ".", "_" or "-"')
  }
  writeGenesisFile(ownGenesis, genesis)
  out(`${created ? 'created' : 'kept'} identity ${peerId}`)
  out(`genesis ${ownGenesis}: network "${genesis.network}" (${networkIdHex(genesis).slice(0, 16)}…), ${genesis.validators.length} validator(s)${genesis.validators.some(v => v.peerId === peerId) ? '' : '; this node is not one of them and starts on probation'}`)
  out(`start it with: swarmrank start --data ${dataDir}`)
  return 0
}
