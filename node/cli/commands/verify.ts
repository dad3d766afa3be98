import { readFileSync, writeFileSync } from 'node:fs'
import { verifyAnswer } from '../../../protocol/bft/certificate.js'
import type { AnswerProof } from '../../../protocol/bft/certificate.js'
import { advanceTrust, boundariesBetween, certifies, checkpointOf, parseLightProof, trustFromCheckpoint, trustGenesis, verifyAnswerWithTrust } from '../../../protocol/bft/light-client.js'
import type { LightProofJson, LightStep, LightTrust } from '../../../protocol/bft/light-client.js'
import { GenesisError, parseGenesisText } from '../../../protocol/genesis.js'
import { fromHex } from '../../../protocol/hash.js'
import { decodeCommitCertificate } from '../../../protocol/wire/codec.js'
import { parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'
import { callApi, checkApiUrl } from '../http-client.js'

export const verifyHelp = `Usage: swarmrank verify --genesis FILE [--api URL | --proof FILE] [QUERY_FILE | -]
       swarmrank verify --validators FILE [QUERY_FILE | -]

Check that a query's answer is final: its commit certificate carries precommits from more than
2/3 of the voting power of the validator set of its block, its round record is in the certified
block, and the answer is the record's winner. Prints "valid" or why not; exit 0 if valid, 1 if
not, 2 for a mistake in the command or its files.

With --genesis, the only thing trusted is the genesis file (a light client, like CometBFT's): the
validator set is followed from the genesis to the answer's block through every epoch boundary in
between, each boundary block certified by the set trusted before it and the new set checked
against the state root that block commits to. A node that serves a forged set or header is caught.

  --genesis FILE          the network's genesis file (what you trust)
  --api URL               fetch the epoch-boundary proof from a node: GET URL/v1/light?from=T&to=H
                          (any node will do; it is checked, not trusted)
  --proof FILE            the same proof from a file: what GET /v1/light?from=0&to=H returned
                          (one page, or a JSON list of pages)
  --checkpoint FILE       start from a height you already trust instead of the genesis
  --save-checkpoint FILE  after a valid answer, save the trusted height and set (for --checkpoint)
  --validators FILE       no light client: take the block's validator set as given
                          (GET /v1/validators?height=H): this trusts whoever served the set
  QUERY_FILE              the query as GET /v1/queries/:id returns it once final (default: stdin)

No proof is needed when the block is in the first epoch (the genesis set certifies it).

Examples:
  curl -s $API/v1/queries/$ID > q.json
  swarmrank verify --genesis genesis.json --api $API q.json
  curl -s "$API/v1/light?from=0&to=$(jq .block.height q.json)" > light.json
  swarmrank verify --genesis genesis.json --proof light.json q.json`

/** Pages fetched from --api before giving up on a node that never completes its proof. */
const MAX_PAGES = 10_000

function readInput (file: string | undefined, flag = ''): string {
  try {
    return readFileSync(file === undefined || file === '-' ? 0 : file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${flag}${file ?? 'stdin'}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
  }
}

function parseJson (text: string, what: string): any {
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`${what} is not JSON`)
  }
}

function answerProofOf (query: any): AnswerProof {
  if (query?.block?.certificate === undefined) throw new UsageError('the query is not final yet, or this is not a query from GET /v1/queries/:id (no block.certificate)')
  return {
    certificate: decodeCommitCertificate(fromHex(query.block.certificate)),
    record: fromHex(query.block.record),
    recordHashes: (query.block.recordHashes as string[]).map(fromHex),
    answer: typeof query.answer === 'string' ? query.answer : undefined
  }
}

function describe (proof: AnswerProof, check: { queryId: string, height: number, power: number, total: number }): string {
  const answer = proof.answer === undefined ? '' : `; answer "${proof.answer.length > 60 ? proof.answer.slice(0, 57) + '...' : proof.answer}"`
  return `valid: query ${check.queryId.slice(0, 16)}… is final in block ${check.height}, certified by ${check.power} of ${check.total} voting power${answer}`
}

export async function verifyCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    genesis: { type: 'string' },
    api: { type: 'string' },
    proof: { type: 'string' },
    checkpoint: { type: 'string' },
    'save-checkpoint': { type: 'string' },
    validators: { type: 'string' }
  })
  if (values.help === true) { out(verifyHelp); return 0 }
  if (positionals.length > 1) throw new UsageError('verify takes at most one QUERY_FILE')
  if (values.validators !== undefined && values.genesis !== undefined) throw new UsageError('pass --genesis FILE (checks the validator set) or --validators FILE (trusts it), not both')
  if (values.validators !== undefined) {
    for (const flag of ['api', 'proof', 'checkpoint', 'save-checkpoint'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --genesis, not --validators`)
    return verifyTrustingSet(values.validators as string, positionals[0], out)
  }
  if (values.genesis === undefined) throw new UsageError('verify needs --genesis FILE (the network\'s genesis; see swarmrank verify --help)')
  if (values.api !== undefined && values.proof !== undefined) throw new UsageError('pass --api URL or --proof FILE, not both')

  const genesisFile = values.genesis as string
  let genesis
  try {
    genesis = parseGenesisText(readInput(genesisFile, '--genesis '))
  } catch (err) {
    if (err instanceof GenesisError) throw new UsageError(`--genesis ${genesisFile}: ${err.message}`)
    throw err
  }
  let trust: LightTrust = trustGenesis(genesis)
  if (values.checkpoint !== undefined) {
    const saved = trustFromCheckpoint(parseJson(readInput(values.checkpoint as string, '--checkpoint '), String(values.checkpoint)), genesis)
    if ('valid' in saved) throw new UsageError(`--checkpoint ${values.checkpoint}: ${saved.reason}`)
    trust = saved
  }
  const api = values.api === undefined ? undefined : checkApiUrl(values.api as string)
  const query = parseJson(readInput(positionals[0]), positionals[0] ?? 'stdin')
  let proof: AnswerProof
  try {
    proof = answerProofOf(query)
  } catch (err) {
    if (err instanceof UsageError) throw err
    out(`invalid: the certificate or record does not decode (${(err as Error).message})`)
    return 1
  }
  const height = proof.certificate.header?.height
  if (height === undefined) { out('invalid: the certificate has no block header'); return 1 }

  const start = trust.height
  let crossed = 0
  const follow = async (steps: LightStep[]): Promise<string | undefined> => {
    const moved = await advanceTrust(trust, steps, height)
    if (!moved.valid) return moved.reason
    trust = moved.trust
    crossed += moved.crossed
    return undefined
  }
  const needed = boundariesBetween(trust.height, height, trust.epochBlocks, 1).length > 0
  if (needed && api === undefined && values.proof === undefined) {
    throw new UsageError(`block ${height} is past the epoch boundary at block ${boundariesBetween(trust.height, height, trust.epochBlocks, 1)[0]}, where the validator set may have changed: pass --api URL (a node serving GET /v1/light) or --proof FILE`)
  }
  if (needed && values.proof !== undefined) {
    const parsed = parseLightProof(parseJson(readInput(values.proof as string, '--proof '), String(values.proof)), trust.networkId)
    if ('valid' in parsed) { out(`invalid: ${parsed.reason}`); return 1 }
    const failed = await follow(parsed.steps)
    if (failed !== undefined) { out(`invalid: ${failed}`); return 1 }
  }
  if (needed && api !== undefined) {
    for (let page = 0; page < MAX_PAGES && !certifies(trust, height); page++) {
      const body = await callApi<LightProofJson>(api, `/v1/light?from=${trust.height}&to=${height}`, { timeoutMs: 60_000 })
      const parsed = parseLightProof(body, trust.networkId)
      if ('valid' in parsed) { out(`invalid: ${api} served ${parsed.reason}`); return 1 }
      const before = trust.height
      const failed = await follow(parsed.steps)
      if (failed !== undefined) { out(`invalid: ${api} served a proof that fails: ${failed}`); return 1 }
      if (trust.height === before) break // no progress: the check below says what is missing
    }
  }

  const check = await verifyAnswerWithTrust(trust, proof)
  if (!check.valid) {
    out(`invalid: ${check.reason}`)
    return 1
  }
  const from = start === 0 ? 'the genesis' : `the checkpoint at block ${start}`
  out(`${describe(proof, check)}; validator set followed from ${from} through ${crossed} epoch boundar${crossed === 1 ? 'y' : 'ies'}`)
  if (values['save-checkpoint'] !== undefined) {
    const file = values['save-checkpoint'] as string
    try {
      writeFileSync(file, JSON.stringify(checkpointOf(trust), null, 2) + '\n')
    } catch (err) {
      throw new UsageError(`cannot write --save-checkpoint ${file}: ${(err as Error).message}`)
    }
    out(`saved the trusted validator set after block ${trust.height} to ${file}`)
  }
  return 0
}

/** The older check: the validator set is taken from a file as given (it trusts whoever served it). */
async function verifyTrustingSet (validatorsFile: string, queryFile: string | undefined, out: (line: string) => void): Promise<number> {
  const set = parseJson(readInput(validatorsFile, '--validators '), validatorsFile)
  const query = parseJson(readInput(queryFile), queryFile ?? 'stdin')
  if (typeof set?.networkId !== 'string' || !Array.isArray(set.validators)) throw new UsageError(`${validatorsFile} is not a validator set (expected {"networkId","height","validators":[{"peerId","power"}]})`)
  let proof: AnswerProof
  try {
    proof = answerProofOf(query)
  } catch (err) {
    if (err instanceof UsageError) throw err
    out(`invalid: the certificate or record does not decode (${(err as Error).message})`)
    return 1
  }
  if (set.height !== undefined && set.height !== proof.certificate.header?.height) throw new UsageError(`the validator set is for block ${set.height}, the certificate for block ${proof.certificate.header?.height}`)
  const validators = new Map<string, number>(set.validators.map((v: { peerId: string, power: number }) => [v.peerId, v.power]))
  const check = await verifyAnswer(proof, validators, fromHex(set.networkId))
  if (!check.valid) {
    out(`invalid: ${check.reason}`)
    return 1
  }
  out(`${describe(proof, check)} (by the validator set in ${validatorsFile}, taken as given)`)
  return 0
}
