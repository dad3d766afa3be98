import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { verifyCertificate } from '../../../protocol/bft/certificate.js'
import { networkIdHex, networkIdOf } from '../../../protocol/genesis.js'
import { equalBytes } from '../../../protocol/hash.js'
import { applyBlock, blockHash, fromSnapshot, genesisState, stateRoot, validatorsOf } from '../../../protocol/ledger.js'
import type { LedgerState } from '../../../protocol/ledger.js'
import { describeRecovery, recoverGenesis } from '../../../protocol/recovery.js'
import { ensureDir, GENESIS_FILE, readGenesisFile, writeGenesisFile } from '../../datadir.js'
import { KEY_FILE } from '../../keys.js'
import { headLedger, wholeLedgerEvery } from '../../chain.js'
import { NodeStore } from '../../store.js'
import { numberFlag, parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'

export const recoverHelp = `Usage: swarmrank recover --data DIR --validators PEERID[=PPM],... --out FILE [--height H] [--genesis FILE] [--network NAME] [--into NEWDIR]

Write a new genesis from a halted network's last committed state (DESIGN §8.8): when more than
1/3 of the voting power is gone at once, no block can be committed and jailing cannot remove it.
The new genesis carries every member's reputation and probation state; only the chosen
validators hold voting power at the start, and the other settled members start jailed until
they ask back in (a fresh Join, sent by their node on its own once it runs the new network).
The node using DIR must be stopped. Runbook: docs/testnet.md, "Recovering a halted network".

  --data DIR            a stopped node's data directory (its ledger is read, never changed)
  --validators LIST     the validators of the recovered network, comma-separated PEERID[=PPM]
                        (PPM overrides the reputation in the ledger; required for a node that
                        is not a settled member); --validator PEERID repeats one
  --out FILE            where to write the new genesis (must not exist)
  --height H            recover from the ledger after block H (default: the last committed
                        block here); every operator passing the same H and validators writes the
                        same file, byte for byte
  --genesis FILE        the halted network's genesis (default DIR/genesis.json)
  --network NAME        the new network's name (default: the old one with -r<height>)
  --into NEWDIR         also make NEWDIR a data directory of the new network: the new genesis and
                        a copy of DIR's identity key (start it with swarmrank start --data NEWDIR)

Examples:
  swarmrank recover --data ./node --validators 12D3KooWA...,12D3KooWB...,12D3KooWC... --out recovered.json --into ./node-r
  swarmrank recover --data ./node --validators 12D3KooWA...,12D3KooWB...=400000 --height 1200 --out recovered.json`

export async function recoverCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('recover', argv, {
    data: { type: 'string' },
    validator: { type: 'string', multiple: true },
    validators: { type: 'string' },
    out: { type: 'string' },
    height: { type: 'string' },
    network: { type: 'string' },
    into: { type: 'string' },
    genesis: { type: 'string' }
  }, false)
  if (values.help === true) {
    out(recoverHelp)
    return 0
  }
  const dataDir = values.data as string | undefined
  const outFile = values.out as string | undefined
  const into = values.into as string | undefined
  if (dataDir === undefined) throw new UsageError('recover needs --data DIR, a stopped node\'s data directory (see swarmrank recover --help)')
  if (outFile === undefined) throw new UsageError('recover needs --out FILE, where to write the new genesis (see swarmrank recover --help)')
  const specs = [...((values.validator as string[] | undefined) ?? []), ...((values.validators as string | undefined)?.split(',').map(v => v.trim()).filter(v => v !== '') ?? [])]
  if (specs.length === 0) throw new UsageError('recover needs --validators PEERID[=PPM],...: the validator set the operators chose')
  const validators = specs.map(spec => {
    const [peerId, ppm, extra] = spec.split('=')
    if (extra !== undefined) throw new UsageError(`--validators ${spec}: expected PEERID or PEERID=PPM`)
    try {
      if (peerIdFromString(peerId).type !== 'Ed25519') throw new Error('not Ed25519')
    } catch {
      throw new UsageError(`--validators ${spec}: not an Ed25519 peer id`)
    }
    if (ppm === undefined) return { peerId }
    return { peerId, reputationPpm: numberFlag('validators', ppm, 0, n => Number.isInteger(n) && n >= 1 && n <= 1_000_000, `a reputation from 1 to 1000000 after ${peerId}=`) }
  })
  if (existsSync(outFile)) throw new UsageError(`${outFile} already exists; choose another --out (a genesis is never overwritten)`)
  if (into !== undefined && existsSync(join(into, GENESIS_FILE))) throw new UsageError(`${into} already belongs to a network (it has a ${GENESIS_FILE}); --into needs a new directory`)
  if (into !== undefined && !existsSync(join(into, KEY_FILE)) && !existsSync(join(dataDir, KEY_FILE))) throw new UsageError(`--into needs this node's identity, and ${join(dataDir, KEY_FILE)} is missing: copy the key into ${into} first`)
  const old = readGenesisFile((values.genesis as string | undefined) ?? join(dataDir, GENESIS_FILE))
  const dbDir = join(dataDir, 'db')
  if (!existsSync(dbDir)) throw new UsageError(`${dataDir} has no database (${dbDir}): point --data at a node that committed blocks`)

  const store = new NodeStore(dbDir)
  try {
    await store.open()
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code
    throw new UsageError(cause === 'LEVEL_LOCKED' ? `the node using ${dataDir} is running: stop it first (recover reads its ledger)` : `cannot open ${dbDir}: ${(err as Error).message}`)
  }
  let state: LedgerState
  try {
    const saved = await store.getLedger()
    if (saved === undefined) throw new UsageError(`${dataDir} has no ledger yet: it never started`)
    const atHead = await headLedger(store, old, fromSnapshot(saved))
    const head = atHead.height
    const height = numberFlag('height', values.height as string | undefined, head, n => Number.isSafeInteger(n) && n >= 1, 'a committed block height (1 or more)')
    if (height > head) throw new UsageError(`--height ${height}: this node has committed blocks up to ${head} only; use its height, or recover on a node that has block ${height}`)
    state = height === head ? atHead : await replay(store, old, height)
    // The ledger must be the one block `height` committed on this genesis's network: its header
    // names this state, and its certificate holds >2/3 of the set before it, signed for this network.
    const certified = await store.getCertifiedBlock(height)
    const table = height === 1 ? undefined : await store.getLedgerTable(height - 1)
    const validatorsBefore = height === 1 ? genesisState(old).validators : table !== undefined ? validatorsOf(table.reputations) : (await replay(store, old, height - 1)).validators
    const header = certified?.block?.header
    if (header === undefined || certified?.certificate === undefined) throw new UsageError(`block ${height} is missing from this node's store`)
    if (!equalBytes(blockHash(header), state.lastBlockHash) || !equalBytes(header.stateRoot, stateRoot(state))) throw new UsageError(`the ledger at height ${height} in ${dataDir} does not match its block ${height}: the store is damaged`)
    const cert = await verifyCertificate(certified.certificate, validatorsBefore, networkIdOf(old))
    if (!cert.valid) throw new UsageError(`block ${height} in ${dataDir} is not certified on the network of ${(values.genesis as string | undefined) ?? join(dataDir, GENESIS_FILE)} (${cert.reason}): wrong --genesis?`)
  } finally {
    await store.close()
  }
  const recovered = recoverGenesis(old, state, { validators, network: values.network as string | undefined })
  writeGenesisFile(outFile, recovered)
  for (const line of describeRecovery(old, state, recovered)) out(line)
  out(`wrote ${outFile} (network id ${networkIdHex(recovered)})`)
  if (into !== undefined) {
    ensureDir(into)
    if (!existsSync(join(into, KEY_FILE))) copyFileSync(join(dataDir, KEY_FILE), join(into, KEY_FILE))
    writeGenesisFile(join(into, GENESIS_FILE), recovered)
    out(`made ${into} a data directory of "${recovered.network}" with this node's identity; start it with: swarmrank start --data ${into}`)
  } else {
    out(`each operator: copy identity.key into a new data directory and run swarmrank start --data NEWDIR --genesis ${outFile}`)
  }
  return 0
}

/** The ledger after block `height`, replayed from the stored blocks (snapshots are kept for recent heights only). */
/** The ledger after `height`: the whole ledger kept a few heights below it (or the genesis) with the stored blocks after it applied. */
async function replay (store: NodeStore, genesis: ReturnType<typeof readGenesisFile>, height: number): Promise<LedgerState> {
  const kept = await store.getLedgerAt(height - (height % wholeLedgerEvery(genesis.params)))
  let state = kept !== undefined ? fromSnapshot(kept) : genesisState(genesis)
  while (state.height < height) {
    const next = await store.getCertifiedBlock(state.height + 1)
    if (next?.block === undefined) throw new UsageError(`block ${state.height + 1} is missing from this node's store; recover at a later --height`)
    state = applyBlock(state, next.block, genesis.params)
  }
  return state
}
