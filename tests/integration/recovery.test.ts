import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPairFromSeed, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { drawTask } from '../../protocol/agents/tasks.js'
import { defaultBftParams, networkIdHex } from '../../protocol/genesis.js'
import { sha256, utf8 } from '../../protocol/hash.js'
import { defaultJailingParams } from '../../protocol/jailing.js'
import { HashStream } from '../../protocol/random.js'
import { builtinAgent } from '../../node/agents/builtin.js'
import { main } from '../../node/cli/main.js'
import { readGenesisFile, writeGenesisFile } from '../../node/datadir.js'
import { createLogger } from '../../node/logger.js'
import { SwarmNode } from '../../node/swarm-node.js'
import { startTestSwarm, waitFinal, waitFor } from '../helpers/swarm.js'
import type { TestSwarm } from '../helpers/swarm.js'

let swarm: TestSwarm | undefined
let recovered: SwarmNode[] = []
afterEach(async () => {
  await Promise.allSettled(recovered.map(async n => n.stop()))
  recovered = []
  await swarm?.stop()
  swarm = undefined
})

const prompt = (seed: string): string => drawTask(new HashStream(sha256(utf8(seed)))).prompt

const params = {
  answerers: 3,
  rankers: 3,
  answerCommitMs: 1_500,
  answerRevealMs: 700,
  compareCommitMs: 1_500,
  compareRevealMs: 700,
  bft: { ...defaultBftParams, epochBlocks: 2 },
  jailing: { ...defaultJailingParams, windowBlocks: 6, maxMissedPpm: 500_000 }
}

/** Run the CLI in-process; returns its exit code and what it printed. */
async function cli (...argv: string[]): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: l => out.push(l), err: l => err.push(l) })
  return { code, out, err }
}

describe('recovery from a halt (DESIGN §8.8)', () => {
  it('three of seven validators gone at once halt the chain; a genesis recovered from the last committed state with the four left finalizes again', async () => {
    swarm = await startTestSwarm({ size: 7, params })
    const s = swarm
    for (let q = 0; q < 2; q++) {
      const { id } = await s.nodes[q].submitQuery(prompt(`before-${q}`))
      await waitFinal(s.nodes, id, 60_000)
    }
    const live = s.nodes.slice(0, 4)
    const gone = s.nodes.slice(4)
    await Promise.all(gone.map(async n => n.stop()))
    const halted = live[0].ledgerSnapshot().height
    // 4 of 7 equal validators is not more than 2/3: no block commits, the query is never even ordered.
    const { id: stuck } = await live[0].submitQuery(prompt('stuck'))
    await new Promise(resolve => setTimeout(resolve, 8_000)) // several Tendermint rounds
    expect(live.map(n => n.ledgerSnapshot().height)).toEqual(live.map(() => halted))
    expect((await live[0].getQuery(stuck))?.status).toBe('pending')

    const chosen = live.map(n => n.peerId).join(',')
    const dirOf = (i: number): string => join(s.dir, `node-${i}`)
    // The in-process swarm hands nodes their genesis; a node started by the CLI keeps it in its data directory.
    for (let i = 0; i < 7; i++) {
      writeGenesisFile(join(dirOf(i), 'genesis.json'), s.genesis)
      writeFileSync(join(dirOf(i), 'identity.key'), privateKeyToProtobuf(s.keys[i]), { mode: 0o600 })
    }
    // A running node's ledger is not read: stop it first.
    const running = await cli('recover', '--data', dirOf(0), '--validators', chosen, '--out', join(s.dir, 'r-running.json'))
    expect(running.code).toBe(2)
    expect(running.err[0]).toMatch(/is running: stop it first/)
    await Promise.all(live.map(async n => n.stop()))

    // Every operator writes the genesis from its own node: the same bytes.
    const files: string[] = []
    for (let i = 0; i < 4; i++) {
      const file = join(s.dir, `recovered-${i}.json`)
      const r = await cli('recover', '--data', dirOf(i), '--validators', chosen, '--out', file, '--into', join(s.dir, `new-${i}`))
      expect(r.code, r.err.join('\n')).toBe(0)
      expect(r.out[0]).toMatch(new RegExp(`at height ${halted}`))
      files.push(readFileSync(file, 'utf8'))
    }
    expect(new Set(files).size).toBe(1)
    const genesis = readGenesisFile(join(s.dir, 'recovered-0.json'))
    expect(genesis.recoveredFrom).toMatchObject({ height: halted, networkId: networkIdHex(s.genesis) })
    expect(genesis.validators.map(v => v.peerId).sort()).toEqual(live.map(n => n.peerId).sort())
    expect(genesis.members?.map(m => m.peerId).sort()).toEqual(gone.map(n => n.peerId).sort())

    // The four restart on the new network from the new data directories and finalize again.
    const keys = s.keys.slice(0, 4)
    for (const [i, key] of keys.entries()) {
      expect(readFileSync(join(s.dir, `new-${i}`, 'identity.key'))).toEqual(Buffer.from(privateKeyToProtobuf(key)))
      const node = new SwarmNode({
        dataDir: join(s.dir, `new-${i}`),
        genesis: readGenesisFile(join(s.dir, `new-${i}`, 'genesis.json')),
        privateKey: key,
        agent: builtinAgent({ profile: 'ada', seed: peerIdFromPrivateKey(key).toString() }),
        bootstrap: recovered.flatMap(n => n.multiaddrs().slice(0, 1)),
        logger: createLogger({ level: 'silent', prefix: `r${i}` })
      })
      await node.start()
      recovered.push(node)
    }
    await waitFor(() => recovered.every(n => n.status().connectedPeers.length >= 3), 10_000, 'full mesh')
    await new Promise(resolve => setTimeout(resolve, 1_500))
    for (let q = 0; q < 3; q++) {
      const { id } = await recovered[q].submitQuery(prompt(`after-${q}`))
      await waitFinal(recovered, id, 60_000)
    }
    const ledger = recovered[0].ledgerSnapshot()
    expect(ledger.height).toBeGreaterThanOrEqual(3)
    // The departed keep their reputation, but no power, and stay jailed until they ask back in.
    for (const n of gone) {
      const entry = ledger.reputations.find(r => r.peerId === n.peerId)
      expect(entry?.votingPower).toBe(0)
      expect(ledger.jailing?.jailed.some(([id]) => id === n.peerId)).toBe(true)
    }
    expect(new Set(recovered.map(n => n.status().stateRoot)).size).toBe(1)
  }, 300_000)

  it('refuses bad requests with one line and writes nothing', async () => {
    swarm = await startTestSwarm({ size: 4, params })
    const s = swarm
    const { id } = await s.nodes[0].submitQuery(prompt('one'))
    await waitFinal(s.nodes, id, 60_000)
    await s.nodes[0].stop()
    const dir = join(s.dir, 'node-0')
    writeGenesisFile(join(dir, 'genesis.json'), s.genesis)
    const otherGenesis = join(s.dir, 'other.json')
    writeGenesisFile(otherGenesis, { ...s.genesis, network: 'another' })
    const outFile = join(s.dir, 'bad.json')
    const stranger = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', sha256(utf8('stranger')))).toString()
    const cases: Array<[string[], RegExp]> = [
      [['--validators', s.nodes[1].peerId, '--out', outFile], /needs --data/],
      [['--data', dir, '--out', outFile], /needs --validators/],
      [['--data', dir, '--validators', s.nodes[1].peerId], /needs --out/],
      [['--data', dir, '--validators', 'not-a-peer', '--out', outFile], /not an Ed25519 peer id/],
      [['--data', dir, '--validators', `${s.nodes[1].peerId}=0`, '--out', outFile], /reputation from 1 to 1000000/],
      [['--data', dir, '--validators', `${s.nodes[1].peerId},${s.nodes[1].peerId}`, '--out', outFile], /named twice/],
      [['--data', dir, '--validators', s.nodes[1].peerId, '--out', outFile, '--height', '999'], /has committed blocks up to \d+ only/],
      [['--data', dir, '--validators', s.nodes[1].peerId, '--out', outFile, '--height', 'x'], /--height must be/],
      [['--data', join(s.dir, 'nowhere'), '--validators', s.nodes[1].peerId, '--out', outFile], /cannot read genesis file/],
      [['--data', dir, '--validators', stranger, '--out', outFile], /not in the ledger at height \d+/],
      [['--data', dir, '--validators', s.nodes[1].peerId, '--out', outFile, '--genesis', otherGenesis], /not certified on the network of .*wrong --genesis/]
    ]
    for (const [args, message] of cases) {
      const r = await cli('recover', ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toHaveLength(1)
      expect(r.err[0]).toMatch(message)
    }
    expect(() => readFileSync(outFile)).toThrow()
  }, 120_000)
})
