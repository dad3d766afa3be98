import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { sha256, utf8 } from '../../protocol/hash.js'
import type { Bytes } from '../../protocol/hash.js'
import { ParticipationKind, Verdict, VoteType } from '../../protocol/wire/messages.js'
import type { Payload } from '../../protocol/wire/messages.js'

export const networkId = sha256(utf8('test-network'))
export const otherNetworkId = sha256(utf8('other-network'))

/** A deterministic Ed25519 key for test node `n`. */
export async function testKey (n: number): Promise<PrivateKey> {
  const seed = sha256(utf8(`test-key-${n}`))
  return generateKeyPairFromSeed('Ed25519', seed)
}

export const id = (label: string): Bytes => sha256(utf8(label))
const salt = new Uint8Array(16).fill(7)

/** One valid payload of every body type. */
export function samplePayloads (net: Bytes = networkId): Record<string, Payload> {
  const [a, b] = [id('answer-a'), id('answer-b')].sort((x, y) => Buffer.compare(x, y))
  const header = { height: 3, prevHash: id('prev'), recordsRoot: id('records'), stateRoot: id('state'), time: 1_700_000_000_000, proposer: id('proposer'), queriesRoot: id('queries'), roundMessagesRoot: id('round messages'), lastCommitHash: new Uint8Array(0), evidenceHash: new Uint8Array(0) }
  return {
    query: { networkId: net, query: { prompt: 'What is 2 + 3?', anchorHeight: 0, createdAt: 1_700_000_000_000, nonce: new Uint8Array([1, 2, 3]) } },
    answerCommit: { networkId: net, answerCommit: { queryId: id('q'), commitment: id('c') } },
    answerReveal: { networkId: net, answerReveal: { queryId: id('q'), answer: '5', salt } },
    comparisonCommit: { networkId: net, comparisonCommit: { queryId: id('q'), commitment: id('c') } },
    comparisonReveal: {
      networkId: net,
      comparisonReveal: { queryId: id('q'), body: { answerIdsSeen: [a, b], comparisons: [{ a, b, verdict: Verdict.A, reason: 'a is right' }] }, salt }
    },
    blockProposal: {
      networkId: net,
      blockProposal: {
        height: 3,
        round: 1,
        validRound: -1,
        block: {
          header,
          records: [{ queryId: id('q'), includedMessageIds: [a, b], candidates: [a, b], strengthsPpm: [700_000, 300_000], winner: a, deltas: [{ node: id('n1'), deltaPpm: -1200, qualifies: true }], participations: [{ node: id('n1'), kind: ParticipationKind.ABSENT, scorePpm: 0 }] }],
          admissions: [],
          queries: [{ messageId: id('a query'), submitter: id('submitter') }],
          roundMessages: [{ messageId: id('a commit'), queryId: id('q') }],
          evidence: []
        }
      }
    },
    vote: { networkId: net, vote: { type: VoteType.PRECOMMIT, height: 3, round: 0, blockHash: id('block') } }
  }
}
