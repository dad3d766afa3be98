import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { defaultAdmissionParams } from '../../../protocol/admission.js'
import { defaultProtocolParams, networkIdHex } from '../../../protocol/genesis.js'
import { defaultJailingParams } from '../../../protocol/jailing.js'
import type { Genesis } from '../../../protocol/genesis.js'
import { ensureDir, GENESIS_FILE, readGenesisFile, writeGenesisFile } from '../../datadir.js'
import { loadOrCreateKey } from '../../keys.js'
import { parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'

export const initHelp = `Usage: swarmrank init --data DIR [--network NAME] [--validators PEERID[=PPM],...] [--genesis FILE]

Create a node's data directory: its Ed25519 identity (DIR/identity.key, mode 0600) and its
network's genesis (DIR/genesis.json). Prints the node's peer id.

  --data DIR            the data directory (created if missing)
  --network NAME        name of a new network (default "local"); the genesis lists this node
                        and every --validator as initial validators
  --validators LIST     other initial validators, comma-separated PEERID[=PPM] (a starting
                        reputation in parts per million, default 500000); ask each founding
                        operator for the peer id that \`swarmrank id --data DIR\` prints
  --validator PEERID    one more initial validator (repeatable; same as --validators)
  --genesis FILE        join an existing network instead: copy and check its genesis

Examples:
  swarmrank init --data ./node-a --network mynet
  swarmrank init --data ./node-a --network my-testnet --validators 12D3KooWB...,12D3KooWC...=400000
  swarmrank init --data ./node-b --genesis ./node-a/genesis.json`

export async function initCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('init', argv, {
    data: { type: 'string' },
    network: { type: 'string' },
    validator: { type: 'string', multiple: true },
    validators: { type: 'string' },
    genesis: { type: 'string' }
  }, false)
  if (values.help === true) {
    out(initHelp)
    return 0
  }
  const dataDir = values.data as string | undefined
  if (dataDir === undefined) throw new UsageError('init needs --data DIR (see swarmrank init --help)')
  const genesisFile = values.genesis as string | undefined
  const validatorSpecs = [...((values.validator as string[] | undefined) ?? []), ...((values.validators as string | undefined)?.split(',').map(v => v.trim()).filter(v => v !== '') ?? [])]
  if (genesisFile !== undefined && (values.network !== undefined || validatorSpecs.length > 0)) {
    throw new UsageError('--genesis joins an existing network; it cannot be combined with --network or --validators')
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
    for (const spec of validatorSpecs) {
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
    genesis = { network: (values.network as string | undefined) ?? 'local', params: { ...defaultProtocolParams, jailing: defaultJailingParams, admission: defaultAdmissionParams }, validators }
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(genesis.network)) throw new UsageError('--network must be 1–64 characters of a-z, 0-9, ".", "_" or "-"')
  }
  writeGenesisFile(ownGenesis, genesis)
  out(`${created ? 'created' : 'kept'} identity ${peerId}`)
  out(`genesis ${ownGenesis}: network "${genesis.network}" (${networkIdHex(genesis).slice(0, 16)}…), ${genesis.validators.length} validator(s)${genesis.validators.some(v => v.peerId === peerId) ? '' : '; this node is not one of them and starts on probation'}`)
  out(`start it with: swarmrank start --data ${dataDir}`)
  return 0
}

export const idHelp = `Usage: swarmrank id --data DIR

Print this node's peer id (its name in the ledger), creating its Ed25519 identity
(DIR/identity.key, mode 0600) if there is none yet. Founding operators of a testnet send this id
to whoever writes the genesis (swarmrank init --validators ...).`

export async function idCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('id', argv, { data: { type: 'string' } }, false)
  if (values.help === true) {
    out(idHelp)
    return 0
  }
  const dataDir = values.data as string | undefined
  if (dataDir === undefined) throw new UsageError('id needs --data DIR (see swarmrank id --help)')
  ensureDir(dataDir)
  const { key } = await loadOrCreateKey(dataDir)
  out(peerIdFromPrivateKey(key).toString())
  return 0
}
