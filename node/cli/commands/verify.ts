import { readFileSync } from 'node:fs'
import { verifyAnswer } from '../../../protocol/bft/certificate.js'
import { fromHex } from '../../../protocol/hash.js'
import { decodeCommitCertificate } from '../../../protocol/wire/codec.js'
import { parseCommandArgs } from '../args.js'
import { UsageError } from '../errors.js'

export const verifyHelp = `Usage: swarmrank verify --validators FILE [QUERY_FILE | -]

Check offline that a query's answer is final: its commit certificate carries precommits from
more than 2/3 of the validator set's voting power, its round record is in the certified block,
and the answer is the record's winner. Prints "valid" or why not; exit 0 if valid, 1 if not.

  --validators FILE   the validator set of the block: GET /v1/validators?height=H from any node
                      you trust for the set (it is fixed by the chain up to H − 1)
  QUERY_FILE          the query as GET /v1/queries/:id returns it once final (default: stdin)

Example:
  curl -s $API/v1/queries/$ID > q.json
  curl -s "$API/v1/validators?height=$(jq .block.height q.json)" > v.json
  swarmrank verify --validators v.json q.json`

function readInput (file: string | undefined): string {
  try {
    return readFileSync(file === undefined || file === '-' ? 0 : file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${file ?? 'stdin'}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
  }
}

function parseJson (text: string, what: string): any {
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`${what} is not JSON`)
  }
}

export async function verifyCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, { validators: { type: 'string' } })
  if (values.help === true) { out(verifyHelp); return 0 }
  if (values.validators === undefined) throw new UsageError('verify needs --validators FILE (see swarmrank verify --help)')
  if (positionals.length > 1) throw new UsageError('verify takes at most one QUERY_FILE')
  const set = parseJson(readInput(values.validators as string), String(values.validators))
  const query = parseJson(readInput(positionals[0]), positionals[0] ?? 'stdin')
  if (typeof set?.networkId !== 'string' || !Array.isArray(set.validators)) throw new UsageError(`${values.validators} is not a validator set (expected {"networkId","height","validators":[{"peerId","power"}]})`)
  if (query?.block?.certificate === undefined) throw new UsageError(`the query is not final yet, or this is not a query from GET /v1/queries/:id (no block.certificate)`)
  let proof
  try {
    proof = {
      certificate: decodeCommitCertificate(fromHex(query.block.certificate)),
      record: fromHex(query.block.record),
      recordHashes: (query.block.recordHashes as string[]).map(fromHex),
      answer: typeof query.answer === 'string' ? query.answer : undefined
    }
  } catch (err) {
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
  out(`valid: query ${check.queryId.slice(0, 16)}… is final in block ${check.height}, certified by ${check.power} of ${check.total} voting power${proof.answer === undefined ? '' : `; answer "${proof.answer.length > 60 ? proof.answer.slice(0, 57) + '...' : proof.answer}"`}`)
  return 0
}
