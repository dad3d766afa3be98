/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SignedEnvelope {
  payload: Uint8Array<ArrayBuffer>
  signer: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedEnvelope {
  let _codec: Codec<SignedEnvelope>

  export const codec = (): Codec<SignedEnvelope> => {
    if (_codec == null) {
      _codec = message<SignedEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.payload)
        }

        if ((obj.signer != null && obj.signer.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signer)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          payload: uint8ArrayAlloc(0),
          signer: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.payload = reader.bytes()
              break
            }
            case 2: {
              obj.signer = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signer`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedEnvelopePayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedEnvelopeSignerFieldEvent {
    field: '$.signer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedEnvelopeSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedEnvelope>): SignedEnvelope {
    return decodeMessage(buf, SignedEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedEnvelope>): Generator<SignedEnvelopePayloadFieldEvent | SignedEnvelopeSignerFieldEvent | SignedEnvelopeSignatureFieldEvent> {
    return streamMessage(buf, SignedEnvelope.codec(), opts)
  }
}

export interface Payload {
  networkId: Uint8Array<ArrayBuffer>
  query?: Query
  answerCommit?: AnswerCommit
  answerReveal?: AnswerReveal
  comparisonCommit?: ComparisonCommit
  comparisonReveal?: ComparisonReveal
  blockProposal?: BlockProposal
  vote?: Vote
  join?: Join
}

export namespace Payload {
  let _codec: Codec<Payload>

  export const codec = (): Codec<Payload> => {
    if (_codec == null) {
      _codec = message<Payload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.join != null) {
          obj.vote = undefined
          obj.blockProposal = undefined
          obj.comparisonReveal = undefined
          obj.comparisonCommit = undefined
          obj.answerReveal = undefined
          obj.answerCommit = undefined
          obj.query = undefined
        }

        if (obj.vote != null) {
          obj.join = undefined
          obj.blockProposal = undefined
          obj.comparisonReveal = undefined
          obj.comparisonCommit = undefined
          obj.answerReveal = undefined
          obj.answerCommit = undefined
          obj.query = undefined
        }

        if (obj.blockProposal != null) {
          obj.join = undefined
          obj.vote = undefined
          obj.comparisonReveal = undefined
          obj.comparisonCommit = undefined
          obj.answerReveal = undefined
          obj.answerCommit = undefined
          obj.query = undefined
        }

        if (obj.comparisonReveal != null) {
          obj.join = undefined
          obj.vote = undefined
          obj.blockProposal = undefined
          obj.comparisonCommit = undefined
          obj.answerReveal = undefined
          obj.answerCommit = undefined
          obj.query = undefined
        }

        if (obj.comparisonCommit != null) {
          obj.join = undefined
          obj.vote = undefined
          obj.blockProposal = undefined
          obj.comparisonReveal = undefined
          obj.answerReveal = undefined
          obj.answerCommit = undefined
          obj.query = undefined
        }

        if (obj.answerReveal != null) {
          obj.join = undefined
          obj.vote = undefined
          obj.blockProposal = undefined
          obj.comparisonReveal = undefined
          obj.comparisonCommit = undefined
          obj.answerCommit = undefined
          obj.query = undefined
        }

        if (obj.answerCommit != null) {
          obj.join = undefined
          obj.vote = undefined
          obj.blockProposal = undefined
          obj.comparisonReveal = undefined
          obj.comparisonCommit = undefined
          obj.answerReveal = undefined
          obj.query = undefined
        }

        if (obj.query != null) {
          obj.join = undefined
          obj.vote = undefined
          obj.blockProposal = undefined
          obj.comparisonReveal = undefined
          obj.comparisonCommit = undefined
          obj.answerReveal = undefined
          obj.answerCommit = undefined
        }

        if ((obj.networkId != null && obj.networkId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.networkId)
        }

        if (obj.query != null) {
          w.uint32(82)
          Query.codec().encode(obj.query, w)
        }

        if (obj.answerCommit != null) {
          w.uint32(90)
          AnswerCommit.codec().encode(obj.answerCommit, w)
        }

        if (obj.answerReveal != null) {
          w.uint32(98)
          AnswerReveal.codec().encode(obj.answerReveal, w)
        }

        if (obj.comparisonCommit != null) {
          w.uint32(106)
          ComparisonCommit.codec().encode(obj.comparisonCommit, w)
        }

        if (obj.comparisonReveal != null) {
          w.uint32(114)
          ComparisonReveal.codec().encode(obj.comparisonReveal, w)
        }

        if (obj.blockProposal != null) {
          w.uint32(122)
          BlockProposal.codec().encode(obj.blockProposal, w)
        }

        if (obj.vote != null) {
          w.uint32(130)
          Vote.codec().encode(obj.vote, w)
        }

        if (obj.join != null) {
          w.uint32(138)
          Join.codec().encode(obj.join, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          networkId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.networkId = reader.bytes()
              break
            }
            case 10: {
              obj.query = Query.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.query
              })
              break
            }
            case 11: {
              obj.answerCommit = AnswerCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.answerCommit
              })
              break
            }
            case 12: {
              obj.answerReveal = AnswerReveal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.answerReveal
              })
              break
            }
            case 13: {
              obj.comparisonCommit = ComparisonCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.comparisonCommit
              })
              break
            }
            case 14: {
              obj.comparisonReveal = ComparisonReveal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.comparisonReveal
              })
              break
            }
            case 15: {
              obj.blockProposal = BlockProposal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.blockProposal
              })
              break
            }
            case 16: {
              obj.vote = Vote.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.vote
              })
              break
            }
            case 17: {
              obj.join = Join.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.join
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.join != null) {
          delete obj.vote
          delete obj.blockProposal
          delete obj.comparisonReveal
          delete obj.comparisonCommit
          delete obj.answerReveal
          delete obj.answerCommit
          delete obj.query
        }

        if (obj.vote != null) {
          delete obj.join
          delete obj.blockProposal
          delete obj.comparisonReveal
          delete obj.comparisonCommit
          delete obj.answerReveal
          delete obj.answerCommit
          delete obj.query
        }

        if (obj.blockProposal != null) {
          delete obj.join
          delete obj.vote
          delete obj.comparisonReveal
          delete obj.comparisonCommit
          delete obj.answerReveal
          delete obj.answerCommit
          delete obj.query
        }

        if (obj.comparisonReveal != null) {
          delete obj.join
          delete obj.vote
          delete obj.blockProposal
          delete obj.comparisonCommit
          delete obj.answerReveal
          delete obj.answerCommit
          delete obj.query
        }

        if (obj.comparisonCommit != null) {
          delete obj.join
          delete obj.vote
          delete obj.blockProposal
          delete obj.comparisonReveal
          delete obj.answerReveal
          delete obj.answerCommit
          delete obj.query
        }

        if (obj.answerReveal != null) {
          delete obj.join
          delete obj.vote
          delete obj.blockProposal
          delete obj.comparisonReveal
          delete obj.comparisonCommit
          delete obj.answerCommit
          delete obj.query
        }

        if (obj.answerCommit != null) {
          delete obj.join
          delete obj.vote
          delete obj.blockProposal
          delete obj.comparisonReveal
          delete obj.comparisonCommit
          delete obj.answerReveal
          delete obj.query
        }

        if (obj.query != null) {
          delete obj.join
          delete obj.vote
          delete obj.blockProposal
          delete obj.comparisonReveal
          delete obj.comparisonCommit
          delete obj.answerReveal
          delete obj.answerCommit
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.networkId`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield * Query.codec().stream(reader, reader.uint32(), `${prefix}.query`, {
                limits: opts.limits?.query
              })

              break
            }
            case 11: {
              yield * AnswerCommit.codec().stream(reader, reader.uint32(), `${prefix}.answerCommit`, {
                limits: opts.limits?.answerCommit
              })

              break
            }
            case 12: {
              yield * AnswerReveal.codec().stream(reader, reader.uint32(), `${prefix}.answerReveal`, {
                limits: opts.limits?.answerReveal
              })

              break
            }
            case 13: {
              yield * ComparisonCommit.codec().stream(reader, reader.uint32(), `${prefix}.comparisonCommit`, {
                limits: opts.limits?.comparisonCommit
              })

              break
            }
            case 14: {
              yield * ComparisonReveal.codec().stream(reader, reader.uint32(), `${prefix}.comparisonReveal`, {
                limits: opts.limits?.comparisonReveal
              })

              break
            }
            case 15: {
              yield * BlockProposal.codec().stream(reader, reader.uint32(), `${prefix}.blockProposal`, {
                limits: opts.limits?.blockProposal
              })

              break
            }
            case 16: {
              yield * Vote.codec().stream(reader, reader.uint32(), `${prefix}.vote`, {
                limits: opts.limits?.vote
              })

              break
            }
            case 17: {
              yield * Join.codec().stream(reader, reader.uint32(), `${prefix}.join`, {
                limits: opts.limits?.join
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PayloadNetworkIdFieldEvent {
    field: '$.networkId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadQueryPromptFieldEvent {
    field: '$.query.prompt'
    value: string
  }

  export interface PayloadQueryAnchorHeightFieldEvent {
    field: '$.query.anchorHeight'
    value: number
  }

  export interface PayloadQueryCreatedAtFieldEvent {
    field: '$.query.createdAt'
    value: number
  }

  export interface PayloadQueryNonceFieldEvent {
    field: '$.query.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadAnswerCommitQueryIdFieldEvent {
    field: '$.answerCommit.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadAnswerCommitCommitmentFieldEvent {
    field: '$.answerCommit.commitment'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadAnswerRevealQueryIdFieldEvent {
    field: '$.answerReveal.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadAnswerRevealAnswerFieldEvent {
    field: '$.answerReveal.answer'
    value: string
  }

  export interface PayloadAnswerRevealSaltFieldEvent {
    field: '$.answerReveal.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadComparisonCommitQueryIdFieldEvent {
    field: '$.comparisonCommit.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadComparisonCommitCommitmentFieldEvent {
    field: '$.comparisonCommit.commitment'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadComparisonRevealQueryIdFieldEvent {
    field: '$.comparisonReveal.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadComparisonRevealBodyAnswerIdsSeenFieldEvent {
    field: '$.comparisonReveal.body.answerIdsSeen[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadComparisonRevealBodyComparisonsAFieldEvent {
    field: '$.comparisonReveal.body.comparisons[].a'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadComparisonRevealBodyComparisonsBFieldEvent {
    field: '$.comparisonReveal.body.comparisons[].b'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadComparisonRevealBodyComparisonsVerdictFieldEvent {
    field: '$.comparisonReveal.body.comparisons[].verdict'
    value: Verdict
    index: number
  }

  export interface PayloadComparisonRevealBodyComparisonsReasonFieldEvent {
    field: '$.comparisonReveal.body.comparisons[].reason'
    value: string
    index: number
  }

  export interface PayloadComparisonRevealSaltFieldEvent {
    field: '$.comparisonReveal.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalHeightFieldEvent {
    field: '$.blockProposal.height'
    value: number
  }

  export interface PayloadBlockProposalRoundFieldEvent {
    field: '$.blockProposal.round'
    value: number
  }

  export interface PayloadBlockProposalBlockHeaderHeightFieldEvent {
    field: '$.blockProposal.block.header.height'
    value: number
  }

  export interface PayloadBlockProposalBlockHeaderPrevHashFieldEvent {
    field: '$.blockProposal.block.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderRecordsRootFieldEvent {
    field: '$.blockProposal.block.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderStateRootFieldEvent {
    field: '$.blockProposal.block.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderTimeFieldEvent {
    field: '$.blockProposal.block.header.time'
    value: number
  }

  export interface PayloadBlockProposalBlockHeaderProposerFieldEvent {
    field: '$.blockProposal.block.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderQueriesRootFieldEvent {
    field: '$.blockProposal.block.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderRoundMessagesRootFieldEvent {
    field: '$.blockProposal.block.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderLastCommitHashFieldEvent {
    field: '$.blockProposal.block.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockHeaderEvidenceHashFieldEvent {
    field: '$.blockProposal.block.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockRecordsQueryIdFieldEvent {
    field: '$.blockProposal.block.records[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsIncludedMessageIdsFieldEvent {
    field: '$.blockProposal.block.records[].includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockRecordsCandidatesFieldEvent {
    field: '$.blockProposal.block.records[].candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockRecordsStrengthsPpmFieldEvent {
    field: '$.blockProposal.block.records[].strengthsPpm[]'
    index: number
    value: number
  }

  export interface PayloadBlockProposalBlockRecordsWinnerFieldEvent {
    field: '$.blockProposal.block.records[].winner'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsDeltasNodeFieldEvent {
    field: '$.blockProposal.block.records[].deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsDeltasDeltaPpmFieldEvent {
    field: '$.blockProposal.block.records[].deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsDeltasQualifiesFieldEvent {
    field: '$.blockProposal.block.records[].deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsParticipationsNodeFieldEvent {
    field: '$.blockProposal.block.records[].participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsParticipationsKindFieldEvent {
    field: '$.blockProposal.block.records[].participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface PayloadBlockProposalBlockRecordsParticipationsScorePpmFieldEvent {
    field: '$.blockProposal.block.records[].participations[].scorePpm'
    value: number
    index: number
  }

  export interface PayloadBlockProposalBlockAdmissionsNodeFieldEvent {
    field: '$.blockProposal.block.admissions[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockAdmissionsJoinMessageIdFieldEvent {
    field: '$.blockProposal.block.admissions[].joinMessageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockQueriesMessageIdFieldEvent {
    field: '$.blockProposal.block.queries[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockQueriesSubmitterFieldEvent {
    field: '$.blockProposal.block.queries[].submitter'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockRoundMessagesMessageIdFieldEvent {
    field: '$.blockProposal.block.roundMessages[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockRoundMessagesQueryIdFieldEvent {
    field: '$.blockProposal.block.roundMessages[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockLastCommitRoundFieldEvent {
    field: '$.blockProposal.block.lastCommit.round'
    value: number
  }

  export interface PayloadBlockProposalBlockLastCommitPrecommitsFieldEvent {
    field: '$.blockProposal.block.lastCommit.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadBlockProposalBlockEvidenceFirstFieldEvent {
    field: '$.blockProposal.block.evidence[].first'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalBlockEvidenceSecondFieldEvent {
    field: '$.blockProposal.block.evidence[].second'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PayloadBlockProposalValidRoundFieldEvent {
    field: '$.blockProposal.validRound'
    value: number
  }

  export interface PayloadVoteTypeFieldEvent {
    field: '$.vote.type'
    value: VoteType
  }

  export interface PayloadVoteHeightFieldEvent {
    field: '$.vote.height'
    value: number
  }

  export interface PayloadVoteRoundFieldEvent {
    field: '$.vote.round'
    value: number
  }

  export interface PayloadVoteBlockHashFieldEvent {
    field: '$.vote.blockHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayloadJoinCreatedAtFieldEvent {
    field: '$.join.createdAt'
    value: number
  }

  export function encode (obj: Partial<Payload>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Payload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Payload>): Payload {
    return decodeMessage(buf, Payload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Payload>): Generator<PayloadNetworkIdFieldEvent | PayloadQueryPromptFieldEvent | PayloadQueryAnchorHeightFieldEvent | PayloadQueryCreatedAtFieldEvent | PayloadQueryNonceFieldEvent | PayloadAnswerCommitQueryIdFieldEvent | PayloadAnswerCommitCommitmentFieldEvent | PayloadAnswerRevealQueryIdFieldEvent | PayloadAnswerRevealAnswerFieldEvent | PayloadAnswerRevealSaltFieldEvent | PayloadComparisonCommitQueryIdFieldEvent | PayloadComparisonCommitCommitmentFieldEvent | PayloadComparisonRevealQueryIdFieldEvent | PayloadComparisonRevealBodyAnswerIdsSeenFieldEvent | PayloadComparisonRevealBodyComparisonsAFieldEvent | PayloadComparisonRevealBodyComparisonsBFieldEvent | PayloadComparisonRevealBodyComparisonsVerdictFieldEvent | PayloadComparisonRevealBodyComparisonsReasonFieldEvent | PayloadComparisonRevealSaltFieldEvent | PayloadBlockProposalHeightFieldEvent | PayloadBlockProposalRoundFieldEvent | PayloadBlockProposalBlockHeaderHeightFieldEvent | PayloadBlockProposalBlockHeaderPrevHashFieldEvent | PayloadBlockProposalBlockHeaderRecordsRootFieldEvent | PayloadBlockProposalBlockHeaderStateRootFieldEvent | PayloadBlockProposalBlockHeaderTimeFieldEvent | PayloadBlockProposalBlockHeaderProposerFieldEvent | PayloadBlockProposalBlockHeaderQueriesRootFieldEvent | PayloadBlockProposalBlockHeaderRoundMessagesRootFieldEvent | PayloadBlockProposalBlockHeaderLastCommitHashFieldEvent | PayloadBlockProposalBlockHeaderEvidenceHashFieldEvent | PayloadBlockProposalBlockRecordsQueryIdFieldEvent | PayloadBlockProposalBlockRecordsIncludedMessageIdsFieldEvent | PayloadBlockProposalBlockRecordsCandidatesFieldEvent | PayloadBlockProposalBlockRecordsStrengthsPpmFieldEvent | PayloadBlockProposalBlockRecordsWinnerFieldEvent | PayloadBlockProposalBlockRecordsDeltasNodeFieldEvent | PayloadBlockProposalBlockRecordsDeltasDeltaPpmFieldEvent | PayloadBlockProposalBlockRecordsDeltasQualifiesFieldEvent | PayloadBlockProposalBlockRecordsParticipationsNodeFieldEvent | PayloadBlockProposalBlockRecordsParticipationsKindFieldEvent | PayloadBlockProposalBlockRecordsParticipationsScorePpmFieldEvent | PayloadBlockProposalBlockAdmissionsNodeFieldEvent | PayloadBlockProposalBlockAdmissionsJoinMessageIdFieldEvent | PayloadBlockProposalBlockQueriesMessageIdFieldEvent | PayloadBlockProposalBlockQueriesSubmitterFieldEvent | PayloadBlockProposalBlockRoundMessagesMessageIdFieldEvent | PayloadBlockProposalBlockRoundMessagesQueryIdFieldEvent | PayloadBlockProposalBlockLastCommitRoundFieldEvent | PayloadBlockProposalBlockLastCommitPrecommitsFieldEvent | PayloadBlockProposalBlockEvidenceFirstFieldEvent | PayloadBlockProposalBlockEvidenceSecondFieldEvent | PayloadBlockProposalValidRoundFieldEvent | PayloadVoteTypeFieldEvent | PayloadVoteHeightFieldEvent | PayloadVoteRoundFieldEvent | PayloadVoteBlockHashFieldEvent | PayloadJoinCreatedAtFieldEvent> {
    return streamMessage(buf, Payload.codec(), opts)
  }
}

export interface Join {
  createdAt: number
}

export namespace Join {
  let _codec: Codec<Join>

  export const codec = (): Codec<Join> => {
    if (_codec == null) {
      _codec = message<Join>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.createdAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          createdAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.createdAt = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface JoinCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export function encode (obj: Partial<Join>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Join.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Join>): Join {
    return decodeMessage(buf, Join.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Join>): Generator<JoinCreatedAtFieldEvent> {
    return streamMessage(buf, Join.codec(), opts)
  }
}

export interface Query {
  prompt: string
  anchorHeight: number
  createdAt: number
  nonce: Uint8Array<ArrayBuffer>
}

export namespace Query {
  let _codec: Codec<Query>

  export const codec = (): Codec<Query> => {
    if (_codec == null) {
      _codec = message<Query>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.prompt != null && obj.prompt !== '')) {
          w.uint32(10)
          w.string(obj.prompt)
        }

        if ((obj.anchorHeight != null && obj.anchorHeight !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.anchorHeight)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.createdAt)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          prompt: '',
          anchorHeight: 0,
          createdAt: 0,
          nonce: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.prompt = reader.string()
              break
            }
            case 2: {
              obj.anchorHeight = reader.uint64Number()
              break
            }
            case 3: {
              obj.createdAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.nonce = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.prompt`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.anchorHeight`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueryPromptFieldEvent {
    field: '$.prompt'
    value: string
  }

  export interface QueryAnchorHeightFieldEvent {
    field: '$.anchorHeight'
    value: number
  }

  export interface QueryCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export interface QueryNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Query>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Query.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Query>): Query {
    return decodeMessage(buf, Query.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Query>): Generator<QueryPromptFieldEvent | QueryAnchorHeightFieldEvent | QueryCreatedAtFieldEvent | QueryNonceFieldEvent> {
    return streamMessage(buf, Query.codec(), opts)
  }
}

export interface AnswerCommit {
  queryId: Uint8Array<ArrayBuffer>
  commitment: Uint8Array<ArrayBuffer>
}

export namespace AnswerCommit {
  let _codec: Codec<AnswerCommit>

  export const codec = (): Codec<AnswerCommit> => {
    if (_codec == null) {
      _codec = message<AnswerCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.queryId != null && obj.queryId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.queryId)
        }

        if ((obj.commitment != null && obj.commitment.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.commitment)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          queryId: uint8ArrayAlloc(0),
          commitment: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.queryId = reader.bytes()
              break
            }
            case 2: {
              obj.commitment = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.queryId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.commitment`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AnswerCommitQueryIdFieldEvent {
    field: '$.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AnswerCommitCommitmentFieldEvent {
    field: '$.commitment'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<AnswerCommit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AnswerCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AnswerCommit>): AnswerCommit {
    return decodeMessage(buf, AnswerCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AnswerCommit>): Generator<AnswerCommitQueryIdFieldEvent | AnswerCommitCommitmentFieldEvent> {
    return streamMessage(buf, AnswerCommit.codec(), opts)
  }
}

export interface AnswerReveal {
  queryId: Uint8Array<ArrayBuffer>
  answer: string
  salt: Uint8Array<ArrayBuffer>
}

export namespace AnswerReveal {
  let _codec: Codec<AnswerReveal>

  export const codec = (): Codec<AnswerReveal> => {
    if (_codec == null) {
      _codec = message<AnswerReveal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.queryId != null && obj.queryId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.queryId)
        }

        if ((obj.answer != null && obj.answer !== '')) {
          w.uint32(18)
          w.string(obj.answer)
        }

        if ((obj.salt != null && obj.salt.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.salt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          queryId: uint8ArrayAlloc(0),
          answer: '',
          salt: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.queryId = reader.bytes()
              break
            }
            case 2: {
              obj.answer = reader.string()
              break
            }
            case 3: {
              obj.salt = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.queryId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.answer`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.salt`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AnswerRevealQueryIdFieldEvent {
    field: '$.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AnswerRevealAnswerFieldEvent {
    field: '$.answer'
    value: string
  }

  export interface AnswerRevealSaltFieldEvent {
    field: '$.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<AnswerReveal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AnswerReveal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AnswerReveal>): AnswerReveal {
    return decodeMessage(buf, AnswerReveal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AnswerReveal>): Generator<AnswerRevealQueryIdFieldEvent | AnswerRevealAnswerFieldEvent | AnswerRevealSaltFieldEvent> {
    return streamMessage(buf, AnswerReveal.codec(), opts)
  }
}

export interface ComparisonCommit {
  queryId: Uint8Array<ArrayBuffer>
  commitment: Uint8Array<ArrayBuffer>
}

export namespace ComparisonCommit {
  let _codec: Codec<ComparisonCommit>

  export const codec = (): Codec<ComparisonCommit> => {
    if (_codec == null) {
      _codec = message<ComparisonCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.queryId != null && obj.queryId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.queryId)
        }

        if ((obj.commitment != null && obj.commitment.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.commitment)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          queryId: uint8ArrayAlloc(0),
          commitment: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.queryId = reader.bytes()
              break
            }
            case 2: {
              obj.commitment = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.queryId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.commitment`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ComparisonCommitQueryIdFieldEvent {
    field: '$.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ComparisonCommitCommitmentFieldEvent {
    field: '$.commitment'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ComparisonCommit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ComparisonCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ComparisonCommit>): ComparisonCommit {
    return decodeMessage(buf, ComparisonCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ComparisonCommit>): Generator<ComparisonCommitQueryIdFieldEvent | ComparisonCommitCommitmentFieldEvent> {
    return streamMessage(buf, ComparisonCommit.codec(), opts)
  }
}

export enum Verdict {
  VERDICT_UNSPECIFIED = 'VERDICT_UNSPECIFIED',
  A = 'A',
  B = 'B',
  TIE = 'TIE'
}

enum __VerdictValues {
  VERDICT_UNSPECIFIED = 0,
  A = 1,
  B = 2,
  TIE = 3
}

export namespace Verdict {
  export const codec = (): Codec<Verdict> => {
    return enumeration<Verdict>(__VerdictValues)
  }
}

export interface Comparison {
  a: Uint8Array<ArrayBuffer>
  b: Uint8Array<ArrayBuffer>
  verdict: Verdict
  reason: string
}

export namespace Comparison {
  let _codec: Codec<Comparison>

  export const codec = (): Codec<Comparison> => {
    if (_codec == null) {
      _codec = message<Comparison>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.a != null && obj.a.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.a)
        }

        if ((obj.b != null && obj.b.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.b)
        }

        if (obj.verdict != null && __VerdictValues[obj.verdict] !== 0) {
          w.uint32(24)
          Verdict.codec().encode(obj.verdict, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(34)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          a: uint8ArrayAlloc(0),
          b: uint8ArrayAlloc(0),
          verdict: Verdict.VERDICT_UNSPECIFIED,
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.a = reader.bytes()
              break
            }
            case 2: {
              obj.b = reader.bytes()
              break
            }
            case 3: {
              obj.verdict = Verdict.codec().decode(reader)
              break
            }
            case 4: {
              obj.reason = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.a`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.b`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.verdict`,
                value: Verdict.codec().decode(reader)
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ComparisonAFieldEvent {
    field: '$.a'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ComparisonBFieldEvent {
    field: '$.b'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ComparisonVerdictFieldEvent {
    field: '$.verdict'
    value: Verdict
  }

  export interface ComparisonReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<Comparison>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Comparison.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Comparison>): Comparison {
    return decodeMessage(buf, Comparison.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Comparison>): Generator<ComparisonAFieldEvent | ComparisonBFieldEvent | ComparisonVerdictFieldEvent | ComparisonReasonFieldEvent> {
    return streamMessage(buf, Comparison.codec(), opts)
  }
}

export interface ComparisonBody {
  answerIdsSeen: Uint8Array<ArrayBuffer>[]
  comparisons: Comparison[]
}

export namespace ComparisonBody {
  let _codec: Codec<ComparisonBody>

  export const codec = (): Codec<ComparisonBody> => {
    if (_codec == null) {
      _codec = message<ComparisonBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.answerIdsSeen != null && obj.answerIdsSeen.length > 0) {
          for (const value of obj.answerIdsSeen) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (obj.comparisons != null && obj.comparisons.length > 0) {
          for (const value of obj.comparisons) {
            w.uint32(18)
            Comparison.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          answerIdsSeen: [],
          comparisons: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.answerIdsSeen != null && obj.answerIdsSeen.length === opts.limits.answerIdsSeen) {
                throw new MaxLengthError('Decode error - repeated field "answerIdsSeen" had too many elements')
              }

              if (obj.answerIdsSeen.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "answerIdsSeen" had too many elements')
              }

              obj.answerIdsSeen.push(reader.bytes())
              break
            }
            case 2: {
              if (opts.limits?.comparisons != null && obj.comparisons.length === opts.limits.comparisons) {
                throw new MaxLengthError('Decode error - repeated field "comparisons" had too many elements')
              }

              if (obj.comparisons.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "comparisons" had too many elements')
              }

              obj.comparisons.push(Comparison.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.comparisons$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          answerIdsSeen: 64,
          comparisons: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.answerIdsSeen != null && obj.answerIdsSeen === opts.limits.answerIdsSeen) {
                throw new MaxLengthError('Streaming decode error - repeated field "answerIdsSeen" had too many elements')
              }

              if (obj.answerIdsSeen === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "answerIdsSeen" had too many elements')
              }

              yield {
                field: `${prefix}.answerIdsSeen[]`,
                index: obj.answerIdsSeen,
                value: reader.bytes()
              }

              obj.answerIdsSeen++

              break
            }
            case 2: {
              if (opts.limits?.comparisons != null && obj.comparisons === opts.limits.comparisons) {
                throw new MaxLengthError('Streaming decode error - repeated field "comparisons" had too many elements')
              }

              if (obj.comparisons === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "comparisons" had too many elements')
              }

              for (const evt of Comparison.codec().stream(reader, reader.uint32(), `${prefix}.comparisons[]`, {
                limits: opts.limits?.comparisons$
              })) {
                yield {
                  ...evt,
                  index: obj.comparisons
                }
              }

              obj.comparisons++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ComparisonBodyAnswerIdsSeenFieldEvent {
    field: '$.answerIdsSeen[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ComparisonBodyComparisonsAFieldEvent {
    field: '$.comparisons[].a'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ComparisonBodyComparisonsBFieldEvent {
    field: '$.comparisons[].b'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ComparisonBodyComparisonsVerdictFieldEvent {
    field: '$.comparisons[].verdict'
    value: Verdict
    index: number
  }

  export interface ComparisonBodyComparisonsReasonFieldEvent {
    field: '$.comparisons[].reason'
    value: string
    index: number
  }

  export function encode (obj: Partial<ComparisonBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ComparisonBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ComparisonBody>): ComparisonBody {
    return decodeMessage(buf, ComparisonBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ComparisonBody>): Generator<ComparisonBodyAnswerIdsSeenFieldEvent | ComparisonBodyComparisonsAFieldEvent | ComparisonBodyComparisonsBFieldEvent | ComparisonBodyComparisonsVerdictFieldEvent | ComparisonBodyComparisonsReasonFieldEvent> {
    return streamMessage(buf, ComparisonBody.codec(), opts)
  }
}

export interface ComparisonReveal {
  queryId: Uint8Array<ArrayBuffer>
  body?: ComparisonBody
  salt: Uint8Array<ArrayBuffer>
}

export namespace ComparisonReveal {
  let _codec: Codec<ComparisonReveal>

  export const codec = (): Codec<ComparisonReveal> => {
    if (_codec == null) {
      _codec = message<ComparisonReveal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.queryId != null && obj.queryId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.queryId)
        }

        if (obj.body != null) {
          w.uint32(18)
          ComparisonBody.codec().encode(obj.body, w)
        }

        if ((obj.salt != null && obj.salt.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.salt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          queryId: uint8ArrayAlloc(0),
          salt: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.queryId = reader.bytes()
              break
            }
            case 2: {
              obj.body = ComparisonBody.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.body
              })
              break
            }
            case 3: {
              obj.salt = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.queryId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * ComparisonBody.codec().stream(reader, reader.uint32(), `${prefix}.body`, {
                limits: opts.limits?.body
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.salt`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ComparisonRevealQueryIdFieldEvent {
    field: '$.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ComparisonRevealBodyAnswerIdsSeenFieldEvent {
    field: '$.body.answerIdsSeen[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ComparisonRevealBodyComparisonsAFieldEvent {
    field: '$.body.comparisons[].a'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ComparisonRevealBodyComparisonsBFieldEvent {
    field: '$.body.comparisons[].b'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ComparisonRevealBodyComparisonsVerdictFieldEvent {
    field: '$.body.comparisons[].verdict'
    value: Verdict
    index: number
  }

  export interface ComparisonRevealBodyComparisonsReasonFieldEvent {
    field: '$.body.comparisons[].reason'
    value: string
    index: number
  }

  export interface ComparisonRevealSaltFieldEvent {
    field: '$.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ComparisonReveal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ComparisonReveal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ComparisonReveal>): ComparisonReveal {
    return decodeMessage(buf, ComparisonReveal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ComparisonReveal>): Generator<ComparisonRevealQueryIdFieldEvent | ComparisonRevealBodyAnswerIdsSeenFieldEvent | ComparisonRevealBodyComparisonsAFieldEvent | ComparisonRevealBodyComparisonsBFieldEvent | ComparisonRevealBodyComparisonsVerdictFieldEvent | ComparisonRevealBodyComparisonsReasonFieldEvent | ComparisonRevealSaltFieldEvent> {
    return streamMessage(buf, ComparisonReveal.codec(), opts)
  }
}

export interface ReputationDelta {
  node: Uint8Array<ArrayBuffer>
  deltaPpm: number
  qualifies: boolean
}

export namespace ReputationDelta {
  let _codec: Codec<ReputationDelta>

  export const codec = (): Codec<ReputationDelta> => {
    if (_codec == null) {
      _codec = message<ReputationDelta>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.node != null && obj.node.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.node)
        }

        if ((obj.deltaPpm != null && obj.deltaPpm !== 0)) {
          w.uint32(16)
          w.sint64Number(obj.deltaPpm)
        }

        if ((obj.qualifies != null && obj.qualifies !== false)) {
          w.uint32(24)
          w.bool(obj.qualifies)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          node: uint8ArrayAlloc(0),
          deltaPpm: 0,
          qualifies: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.node = reader.bytes()
              break
            }
            case 2: {
              obj.deltaPpm = reader.sint64Number()
              break
            }
            case 3: {
              obj.qualifies = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.node`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.deltaPpm`,
                value: reader.sint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.qualifies`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReputationDeltaNodeFieldEvent {
    field: '$.node'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ReputationDeltaDeltaPpmFieldEvent {
    field: '$.deltaPpm'
    value: number
  }

  export interface ReputationDeltaQualifiesFieldEvent {
    field: '$.qualifies'
    value: boolean
  }

  export function encode (obj: Partial<ReputationDelta>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReputationDelta.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReputationDelta>): ReputationDelta {
    return decodeMessage(buf, ReputationDelta.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReputationDelta>): Generator<ReputationDeltaNodeFieldEvent | ReputationDeltaDeltaPpmFieldEvent | ReputationDeltaQualifiesFieldEvent> {
    return streamMessage(buf, ReputationDelta.codec(), opts)
  }
}

export interface RoundRecord {
  queryId: Uint8Array<ArrayBuffer>
  includedMessageIds: Uint8Array<ArrayBuffer>[]
  candidates: Uint8Array<ArrayBuffer>[]
  strengthsPpm: number[]
  winner: Uint8Array<ArrayBuffer>
  deltas: ReputationDelta[]
  participations: Participation[]
}

export namespace RoundRecord {
  let _codec: Codec<RoundRecord>

  export const codec = (): Codec<RoundRecord> => {
    if (_codec == null) {
      _codec = message<RoundRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.queryId != null && obj.queryId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.queryId)
        }

        if (obj.includedMessageIds != null && obj.includedMessageIds.length > 0) {
          for (const value of obj.includedMessageIds) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (obj.candidates != null && obj.candidates.length > 0) {
          for (const value of obj.candidates) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (obj.strengthsPpm != null && obj.strengthsPpm.length > 0) {
          for (const value of obj.strengthsPpm) {
            w.uint32(32)
            w.uint64Number(value)
          }
        }

        if ((obj.winner != null && obj.winner.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.winner)
        }

        if (obj.deltas != null && obj.deltas.length > 0) {
          for (const value of obj.deltas) {
            w.uint32(50)
            ReputationDelta.codec().encode(value, w)
          }
        }

        if (obj.participations != null && obj.participations.length > 0) {
          for (const value of obj.participations) {
            w.uint32(58)
            Participation.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          queryId: uint8ArrayAlloc(0),
          includedMessageIds: [],
          candidates: [],
          strengthsPpm: [],
          winner: uint8ArrayAlloc(0),
          deltas: [],
          participations: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.queryId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.includedMessageIds != null && obj.includedMessageIds.length === opts.limits.includedMessageIds) {
                throw new MaxLengthError('Decode error - repeated field "includedMessageIds" had too many elements')
              }

              if (obj.includedMessageIds.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "includedMessageIds" had too many elements')
              }

              obj.includedMessageIds.push(reader.bytes())
              break
            }
            case 3: {
              if (opts.limits?.candidates != null && obj.candidates.length === opts.limits.candidates) {
                throw new MaxLengthError('Decode error - repeated field "candidates" had too many elements')
              }

              if (obj.candidates.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "candidates" had too many elements')
              }

              obj.candidates.push(reader.bytes())
              break
            }
            case 4: {
              if (opts.limits?.strengthsPpm != null && obj.strengthsPpm.length === opts.limits.strengthsPpm) {
                throw new MaxLengthError('Decode error - repeated field "strengthsPpm" had too many elements')
              }

              if (obj.strengthsPpm.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "strengthsPpm" had too many elements')
              }

              obj.strengthsPpm.push(reader.uint64Number())
              break
            }
            case 5: {
              obj.winner = reader.bytes()
              break
            }
            case 6: {
              if (opts.limits?.deltas != null && obj.deltas.length === opts.limits.deltas) {
                throw new MaxLengthError('Decode error - repeated field "deltas" had too many elements')
              }

              if (obj.deltas.length === 512) {
                throw new MaxLengthError('Decode error - repeated field "deltas" had too many elements')
              }

              obj.deltas.push(ReputationDelta.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deltas$
              }))
              break
            }
            case 7: {
              if (opts.limits?.participations != null && obj.participations.length === opts.limits.participations) {
                throw new MaxLengthError('Decode error - repeated field "participations" had too many elements')
              }

              if (obj.participations.length === 512) {
                throw new MaxLengthError('Decode error - repeated field "participations" had too many elements')
              }

              obj.participations.push(Participation.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.participations$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          includedMessageIds: 1024,
          candidates: 64,
          strengthsPpm: 64,
          deltas: 512,
          participations: 512
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.queryId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.includedMessageIds != null && obj.includedMessageIds === opts.limits.includedMessageIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "includedMessageIds" had too many elements')
              }

              if (obj.includedMessageIds === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "includedMessageIds" had too many elements')
              }

              yield {
                field: `${prefix}.includedMessageIds[]`,
                index: obj.includedMessageIds,
                value: reader.bytes()
              }

              obj.includedMessageIds++

              break
            }
            case 3: {
              if (opts.limits?.candidates != null && obj.candidates === opts.limits.candidates) {
                throw new MaxLengthError('Streaming decode error - repeated field "candidates" had too many elements')
              }

              if (obj.candidates === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "candidates" had too many elements')
              }

              yield {
                field: `${prefix}.candidates[]`,
                index: obj.candidates,
                value: reader.bytes()
              }

              obj.candidates++

              break
            }
            case 4: {
              if (opts.limits?.strengthsPpm != null && obj.strengthsPpm === opts.limits.strengthsPpm) {
                throw new MaxLengthError('Streaming decode error - repeated field "strengthsPpm" had too many elements')
              }

              if (obj.strengthsPpm === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "strengthsPpm" had too many elements')
              }

              yield {
                field: `${prefix}.strengthsPpm[]`,
                index: obj.strengthsPpm,
                value: reader.uint64Number()
              }

              obj.strengthsPpm++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.winner`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              if (opts.limits?.deltas != null && obj.deltas === opts.limits.deltas) {
                throw new MaxLengthError('Streaming decode error - repeated field "deltas" had too many elements')
              }

              if (obj.deltas === 512) {
                throw new MaxLengthError('Streaming decode error - repeated field "deltas" had too many elements')
              }

              for (const evt of ReputationDelta.codec().stream(reader, reader.uint32(), `${prefix}.deltas[]`, {
                limits: opts.limits?.deltas$
              })) {
                yield {
                  ...evt,
                  index: obj.deltas
                }
              }

              obj.deltas++

              break
            }
            case 7: {
              if (opts.limits?.participations != null && obj.participations === opts.limits.participations) {
                throw new MaxLengthError('Streaming decode error - repeated field "participations" had too many elements')
              }

              if (obj.participations === 512) {
                throw new MaxLengthError('Streaming decode error - repeated field "participations" had too many elements')
              }

              for (const evt of Participation.codec().stream(reader, reader.uint32(), `${prefix}.participations[]`, {
                limits: opts.limits?.participations$
              })) {
                yield {
                  ...evt,
                  index: obj.participations
                }
              }

              obj.participations++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RoundRecordQueryIdFieldEvent {
    field: '$.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RoundRecordIncludedMessageIdsFieldEvent {
    field: '$.includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RoundRecordCandidatesFieldEvent {
    field: '$.candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RoundRecordStrengthsPpmFieldEvent {
    field: '$.strengthsPpm[]'
    index: number
    value: number
  }

  export interface RoundRecordWinnerFieldEvent {
    field: '$.winner'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RoundRecordDeltasNodeFieldEvent {
    field: '$.deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RoundRecordDeltasDeltaPpmFieldEvent {
    field: '$.deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface RoundRecordDeltasQualifiesFieldEvent {
    field: '$.deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface RoundRecordParticipationsNodeFieldEvent {
    field: '$.participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RoundRecordParticipationsKindFieldEvent {
    field: '$.participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface RoundRecordParticipationsScorePpmFieldEvent {
    field: '$.participations[].scorePpm'
    value: number
    index: number
  }

  export function encode (obj: Partial<RoundRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RoundRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RoundRecord>): RoundRecord {
    return decodeMessage(buf, RoundRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RoundRecord>): Generator<RoundRecordQueryIdFieldEvent | RoundRecordIncludedMessageIdsFieldEvent | RoundRecordCandidatesFieldEvent | RoundRecordStrengthsPpmFieldEvent | RoundRecordWinnerFieldEvent | RoundRecordDeltasNodeFieldEvent | RoundRecordDeltasDeltaPpmFieldEvent | RoundRecordDeltasQualifiesFieldEvent | RoundRecordParticipationsNodeFieldEvent | RoundRecordParticipationsKindFieldEvent | RoundRecordParticipationsScorePpmFieldEvent> {
    return streamMessage(buf, RoundRecord.codec(), opts)
  }
}

export enum ParticipationKind {
  SCORED = 'SCORED',
  ABSENT = 'ABSENT',
  WITHHELD = 'WITHHELD',
  INVALID = 'INVALID'
}

enum __ParticipationKindValues {
  SCORED = 0,
  ABSENT = 1,
  WITHHELD = 2,
  INVALID = 3
}

export namespace ParticipationKind {
  export const codec = (): Codec<ParticipationKind> => {
    return enumeration<ParticipationKind>(__ParticipationKindValues)
  }
}

export interface Participation {
  node: Uint8Array<ArrayBuffer>
  kind: ParticipationKind
  scorePpm: number
}

export namespace Participation {
  let _codec: Codec<Participation>

  export const codec = (): Codec<Participation> => {
    if (_codec == null) {
      _codec = message<Participation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.node != null && obj.node.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.node)
        }

        if (obj.kind != null && __ParticipationKindValues[obj.kind] !== 0) {
          w.uint32(16)
          ParticipationKind.codec().encode(obj.kind, w)
        }

        if ((obj.scorePpm != null && obj.scorePpm !== 0)) {
          w.uint32(24)
          w.uint32(obj.scorePpm)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          node: uint8ArrayAlloc(0),
          kind: ParticipationKind.SCORED,
          scorePpm: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.node = reader.bytes()
              break
            }
            case 2: {
              obj.kind = ParticipationKind.codec().decode(reader)
              break
            }
            case 3: {
              obj.scorePpm = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.node`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.kind`,
                value: ParticipationKind.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.scorePpm`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ParticipationNodeFieldEvent {
    field: '$.node'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ParticipationKindFieldEvent {
    field: '$.kind'
    value: ParticipationKind
  }

  export interface ParticipationScorePpmFieldEvent {
    field: '$.scorePpm'
    value: number
  }

  export function encode (obj: Partial<Participation>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Participation.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Participation>): Participation {
    return decodeMessage(buf, Participation.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Participation>): Generator<ParticipationNodeFieldEvent | ParticipationKindFieldEvent | ParticipationScorePpmFieldEvent> {
    return streamMessage(buf, Participation.codec(), opts)
  }
}

export interface BlockHeader {
  height: number
  prevHash: Uint8Array<ArrayBuffer>
  recordsRoot: Uint8Array<ArrayBuffer>
  stateRoot: Uint8Array<ArrayBuffer>
  time: number
  proposer: Uint8Array<ArrayBuffer>
  queriesRoot: Uint8Array<ArrayBuffer>
  roundMessagesRoot: Uint8Array<ArrayBuffer>
  lastCommitHash: Uint8Array<ArrayBuffer>
  evidenceHash: Uint8Array<ArrayBuffer>
}

export namespace BlockHeader {
  let _codec: Codec<BlockHeader>

  export const codec = (): Codec<BlockHeader> => {
    if (_codec == null) {
      _codec = message<BlockHeader>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.height)
        }

        if ((obj.prevHash != null && obj.prevHash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.prevHash)
        }

        if ((obj.recordsRoot != null && obj.recordsRoot.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.recordsRoot)
        }

        if ((obj.stateRoot != null && obj.stateRoot.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.stateRoot)
        }

        if ((obj.time != null && obj.time !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.time)
        }

        if ((obj.proposer != null && obj.proposer.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.proposer)
        }

        if ((obj.queriesRoot != null && obj.queriesRoot.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.queriesRoot)
        }

        if ((obj.roundMessagesRoot != null && obj.roundMessagesRoot.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.roundMessagesRoot)
        }

        if ((obj.lastCommitHash != null && obj.lastCommitHash.byteLength > 0)) {
          w.uint32(162)
          w.bytes(obj.lastCommitHash)
        }

        if ((obj.evidenceHash != null && obj.evidenceHash.byteLength > 0)) {
          w.uint32(170)
          w.bytes(obj.evidenceHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          height: 0,
          prevHash: uint8ArrayAlloc(0),
          recordsRoot: uint8ArrayAlloc(0),
          stateRoot: uint8ArrayAlloc(0),
          time: 0,
          proposer: uint8ArrayAlloc(0),
          queriesRoot: uint8ArrayAlloc(0),
          roundMessagesRoot: uint8ArrayAlloc(0),
          lastCommitHash: uint8ArrayAlloc(0),
          evidenceHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.height = reader.uint64Number()
              break
            }
            case 2: {
              obj.prevHash = reader.bytes()
              break
            }
            case 3: {
              obj.recordsRoot = reader.bytes()
              break
            }
            case 4: {
              obj.stateRoot = reader.bytes()
              break
            }
            case 5: {
              obj.time = reader.uint64Number()
              break
            }
            case 6: {
              obj.proposer = reader.bytes()
              break
            }
            case 10: {
              obj.queriesRoot = reader.bytes()
              break
            }
            case 11: {
              obj.roundMessagesRoot = reader.bytes()
              break
            }
            case 20: {
              obj.lastCommitHash = reader.bytes()
              break
            }
            case 21: {
              obj.evidenceHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.prevHash`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.recordsRoot`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.stateRoot`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.time`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.proposer`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.queriesRoot`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.roundMessagesRoot`,
                value: reader.bytes()
              }
              break
            }
            case 20: {
              yield {
                field: `${prefix}.lastCommitHash`,
                value: reader.bytes()
              }
              break
            }
            case 21: {
              yield {
                field: `${prefix}.evidenceHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BlockHeaderHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export interface BlockHeaderPrevHashFieldEvent {
    field: '$.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderRecordsRootFieldEvent {
    field: '$.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderStateRootFieldEvent {
    field: '$.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderTimeFieldEvent {
    field: '$.time'
    value: number
  }

  export interface BlockHeaderProposerFieldEvent {
    field: '$.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderQueriesRootFieldEvent {
    field: '$.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderRoundMessagesRootFieldEvent {
    field: '$.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderLastCommitHashFieldEvent {
    field: '$.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderEvidenceHashFieldEvent {
    field: '$.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BlockHeader>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlockHeader.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockHeader>): BlockHeader {
    return decodeMessage(buf, BlockHeader.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockHeader>): Generator<BlockHeaderHeightFieldEvent | BlockHeaderPrevHashFieldEvent | BlockHeaderRecordsRootFieldEvent | BlockHeaderStateRootFieldEvent | BlockHeaderTimeFieldEvent | BlockHeaderProposerFieldEvent | BlockHeaderQueriesRootFieldEvent | BlockHeaderRoundMessagesRootFieldEvent | BlockHeaderLastCommitHashFieldEvent | BlockHeaderEvidenceHashFieldEvent> {
    return streamMessage(buf, BlockHeader.codec(), opts)
  }
}

export interface Admission {
  node: Uint8Array<ArrayBuffer>
  joinMessageId: Uint8Array<ArrayBuffer>
}

export namespace Admission {
  let _codec: Codec<Admission>

  export const codec = (): Codec<Admission> => {
    if (_codec == null) {
      _codec = message<Admission>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.node != null && obj.node.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.node)
        }

        if ((obj.joinMessageId != null && obj.joinMessageId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.joinMessageId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          node: uint8ArrayAlloc(0),
          joinMessageId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.node = reader.bytes()
              break
            }
            case 2: {
              obj.joinMessageId = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.node`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.joinMessageId`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AdmissionNodeFieldEvent {
    field: '$.node'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AdmissionJoinMessageIdFieldEvent {
    field: '$.joinMessageId'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Admission>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Admission.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Admission>): Admission {
    return decodeMessage(buf, Admission.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Admission>): Generator<AdmissionNodeFieldEvent | AdmissionJoinMessageIdFieldEvent> {
    return streamMessage(buf, Admission.codec(), opts)
  }
}

export interface OrderedQuery {
  messageId: Uint8Array<ArrayBuffer>
  submitter: Uint8Array<ArrayBuffer>
}

export namespace OrderedQuery {
  let _codec: Codec<OrderedQuery>

  export const codec = (): Codec<OrderedQuery> => {
    if (_codec == null) {
      _codec = message<OrderedQuery>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.messageId)
        }

        if ((obj.submitter != null && obj.submitter.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.submitter)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: uint8ArrayAlloc(0),
          submitter: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageId = reader.bytes()
              break
            }
            case 2: {
              obj.submitter = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.submitter`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface OrderedQueryMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OrderedQuerySubmitterFieldEvent {
    field: '$.submitter'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OrderedQuery>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OrderedQuery.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderedQuery>): OrderedQuery {
    return decodeMessage(buf, OrderedQuery.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderedQuery>): Generator<OrderedQueryMessageIdFieldEvent | OrderedQuerySubmitterFieldEvent> {
    return streamMessage(buf, OrderedQuery.codec(), opts)
  }
}

export interface LastCommit {
  round: number
  precommits: Uint8Array<ArrayBuffer>[]
}

export namespace LastCommit {
  let _codec: Codec<LastCommit>

  export const codec = (): Codec<LastCommit> => {
    if (_codec == null) {
      _codec = message<LastCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(8)
          w.uint32(obj.round)
        }

        if (obj.precommits != null && obj.precommits.length > 0) {
          for (const value of obj.precommits) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          round: 0,
          precommits: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.round = reader.uint32()
              break
            }
            case 2: {
              if (opts.limits?.precommits != null && obj.precommits.length === opts.limits.precommits) {
                throw new MaxLengthError('Decode error - repeated field "precommits" had too many elements')
              }

              if (obj.precommits.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "precommits" had too many elements')
              }

              obj.precommits.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          precommits: 1024
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.round`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              if (opts.limits?.precommits != null && obj.precommits === opts.limits.precommits) {
                throw new MaxLengthError('Streaming decode error - repeated field "precommits" had too many elements')
              }

              if (obj.precommits === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "precommits" had too many elements')
              }

              yield {
                field: `${prefix}.precommits[]`,
                index: obj.precommits,
                value: reader.bytes()
              }

              obj.precommits++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LastCommitRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export interface LastCommitPrecommitsFieldEvent {
    field: '$.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LastCommit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LastCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LastCommit>): LastCommit {
    return decodeMessage(buf, LastCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LastCommit>): Generator<LastCommitRoundFieldEvent | LastCommitPrecommitsFieldEvent> {
    return streamMessage(buf, LastCommit.codec(), opts)
  }
}

export interface DoubleVote {
  first: Uint8Array<ArrayBuffer>
  second: Uint8Array<ArrayBuffer>
}

export namespace DoubleVote {
  let _codec: Codec<DoubleVote>

  export const codec = (): Codec<DoubleVote> => {
    if (_codec == null) {
      _codec = message<DoubleVote>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.first != null && obj.first.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.first)
        }

        if ((obj.second != null && obj.second.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.second)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          first: uint8ArrayAlloc(0),
          second: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.first = reader.bytes()
              break
            }
            case 2: {
              obj.second = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.first`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.second`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DoubleVoteFirstFieldEvent {
    field: '$.first'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DoubleVoteSecondFieldEvent {
    field: '$.second'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DoubleVote>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DoubleVote.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DoubleVote>): DoubleVote {
    return decodeMessage(buf, DoubleVote.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DoubleVote>): Generator<DoubleVoteFirstFieldEvent | DoubleVoteSecondFieldEvent> {
    return streamMessage(buf, DoubleVote.codec(), opts)
  }
}

export interface OrderedRoundMessage {
  messageId: Uint8Array<ArrayBuffer>
  queryId: Uint8Array<ArrayBuffer>
}

export namespace OrderedRoundMessage {
  let _codec: Codec<OrderedRoundMessage>

  export const codec = (): Codec<OrderedRoundMessage> => {
    if (_codec == null) {
      _codec = message<OrderedRoundMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.messageId)
        }

        if ((obj.queryId != null && obj.queryId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.queryId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: uint8ArrayAlloc(0),
          queryId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageId = reader.bytes()
              break
            }
            case 2: {
              obj.queryId = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.queryId`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface OrderedRoundMessageMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OrderedRoundMessageQueryIdFieldEvent {
    field: '$.queryId'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OrderedRoundMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OrderedRoundMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderedRoundMessage>): OrderedRoundMessage {
    return decodeMessage(buf, OrderedRoundMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderedRoundMessage>): Generator<OrderedRoundMessageMessageIdFieldEvent | OrderedRoundMessageQueryIdFieldEvent> {
    return streamMessage(buf, OrderedRoundMessage.codec(), opts)
  }
}

export interface Block {
  header?: BlockHeader
  records: RoundRecord[]
  admissions: Admission[]
  queries: OrderedQuery[]
  roundMessages: OrderedRoundMessage[]
  lastCommit?: LastCommit
  evidence: DoubleVote[]
}

export namespace Block {
  let _codec: Codec<Block>

  export const codec = (): Codec<Block> => {
    if (_codec == null) {
      _codec = message<Block>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.header != null) {
          w.uint32(10)
          BlockHeader.codec().encode(obj.header, w)
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(18)
            RoundRecord.codec().encode(value, w)
          }
        }

        if (obj.admissions != null && obj.admissions.length > 0) {
          for (const value of obj.admissions) {
            w.uint32(26)
            Admission.codec().encode(value, w)
          }
        }

        if (obj.queries != null && obj.queries.length > 0) {
          for (const value of obj.queries) {
            w.uint32(82)
            OrderedQuery.codec().encode(value, w)
          }
        }

        if (obj.roundMessages != null && obj.roundMessages.length > 0) {
          for (const value of obj.roundMessages) {
            w.uint32(90)
            OrderedRoundMessage.codec().encode(value, w)
          }
        }

        if (obj.lastCommit != null) {
          w.uint32(162)
          LastCommit.codec().encode(obj.lastCommit, w)
        }

        if (obj.evidence != null && obj.evidence.length > 0) {
          for (const value of obj.evidence) {
            w.uint32(170)
            DoubleVote.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: [],
          admissions: [],
          queries: [],
          roundMessages: [],
          evidence: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.header = BlockHeader.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.header
              })
              break
            }
            case 2: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              if (obj.records.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(RoundRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 3: {
              if (opts.limits?.admissions != null && obj.admissions.length === opts.limits.admissions) {
                throw new MaxLengthError('Decode error - repeated field "admissions" had too many elements')
              }

              if (obj.admissions.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "admissions" had too many elements')
              }

              obj.admissions.push(Admission.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.admissions$
              }))
              break
            }
            case 10: {
              if (opts.limits?.queries != null && obj.queries.length === opts.limits.queries) {
                throw new MaxLengthError('Decode error - repeated field "queries" had too many elements')
              }

              if (obj.queries.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "queries" had too many elements')
              }

              obj.queries.push(OrderedQuery.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.queries$
              }))
              break
            }
            case 11: {
              if (opts.limits?.roundMessages != null && obj.roundMessages.length === opts.limits.roundMessages) {
                throw new MaxLengthError('Decode error - repeated field "roundMessages" had too many elements')
              }

              if (obj.roundMessages.length === 4096) {
                throw new MaxLengthError('Decode error - repeated field "roundMessages" had too many elements')
              }

              obj.roundMessages.push(OrderedRoundMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.roundMessages$
              }))
              break
            }
            case 20: {
              obj.lastCommit = LastCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lastCommit
              })
              break
            }
            case 21: {
              if (opts.limits?.evidence != null && obj.evidence.length === opts.limits.evidence) {
                throw new MaxLengthError('Decode error - repeated field "evidence" had too many elements')
              }

              if (obj.evidence.length === 16) {
                throw new MaxLengthError('Decode error - repeated field "evidence" had too many elements')
              }

              obj.evidence.push(DoubleVote.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.evidence$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          records: 256,
          admissions: 64,
          queries: 1024,
          roundMessages: 4096,
          evidence: 16
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * BlockHeader.codec().stream(reader, reader.uint32(), `${prefix}.header`, {
                limits: opts.limits?.header
              })

              break
            }
            case 2: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              if (obj.records === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of RoundRecord.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 3: {
              if (opts.limits?.admissions != null && obj.admissions === opts.limits.admissions) {
                throw new MaxLengthError('Streaming decode error - repeated field "admissions" had too many elements')
              }

              if (obj.admissions === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "admissions" had too many elements')
              }

              for (const evt of Admission.codec().stream(reader, reader.uint32(), `${prefix}.admissions[]`, {
                limits: opts.limits?.admissions$
              })) {
                yield {
                  ...evt,
                  index: obj.admissions
                }
              }

              obj.admissions++

              break
            }
            case 10: {
              if (opts.limits?.queries != null && obj.queries === opts.limits.queries) {
                throw new MaxLengthError('Streaming decode error - repeated field "queries" had too many elements')
              }

              if (obj.queries === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "queries" had too many elements')
              }

              for (const evt of OrderedQuery.codec().stream(reader, reader.uint32(), `${prefix}.queries[]`, {
                limits: opts.limits?.queries$
              })) {
                yield {
                  ...evt,
                  index: obj.queries
                }
              }

              obj.queries++

              break
            }
            case 11: {
              if (opts.limits?.roundMessages != null && obj.roundMessages === opts.limits.roundMessages) {
                throw new MaxLengthError('Streaming decode error - repeated field "roundMessages" had too many elements')
              }

              if (obj.roundMessages === 4096) {
                throw new MaxLengthError('Streaming decode error - repeated field "roundMessages" had too many elements')
              }

              for (const evt of OrderedRoundMessage.codec().stream(reader, reader.uint32(), `${prefix}.roundMessages[]`, {
                limits: opts.limits?.roundMessages$
              })) {
                yield {
                  ...evt,
                  index: obj.roundMessages
                }
              }

              obj.roundMessages++

              break
            }
            case 20: {
              yield * LastCommit.codec().stream(reader, reader.uint32(), `${prefix}.lastCommit`, {
                limits: opts.limits?.lastCommit
              })

              break
            }
            case 21: {
              if (opts.limits?.evidence != null && obj.evidence === opts.limits.evidence) {
                throw new MaxLengthError('Streaming decode error - repeated field "evidence" had too many elements')
              }

              if (obj.evidence === 16) {
                throw new MaxLengthError('Streaming decode error - repeated field "evidence" had too many elements')
              }

              for (const evt of DoubleVote.codec().stream(reader, reader.uint32(), `${prefix}.evidence[]`, {
                limits: opts.limits?.evidence$
              })) {
                yield {
                  ...evt,
                  index: obj.evidence
                }
              }

              obj.evidence++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BlockHeaderHeightFieldEvent {
    field: '$.header.height'
    value: number
  }

  export interface BlockHeaderPrevHashFieldEvent {
    field: '$.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderRecordsRootFieldEvent {
    field: '$.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderStateRootFieldEvent {
    field: '$.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderTimeFieldEvent {
    field: '$.header.time'
    value: number
  }

  export interface BlockHeaderProposerFieldEvent {
    field: '$.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderQueriesRootFieldEvent {
    field: '$.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderRoundMessagesRootFieldEvent {
    field: '$.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderLastCommitHashFieldEvent {
    field: '$.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderEvidenceHashFieldEvent {
    field: '$.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockRecordsQueryIdFieldEvent {
    field: '$.records[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockRecordsIncludedMessageIdsFieldEvent {
    field: '$.records[].includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockRecordsCandidatesFieldEvent {
    field: '$.records[].candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockRecordsStrengthsPpmFieldEvent {
    field: '$.records[].strengthsPpm[]'
    index: number
    value: number
  }

  export interface BlockRecordsWinnerFieldEvent {
    field: '$.records[].winner'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockRecordsDeltasNodeFieldEvent {
    field: '$.records[].deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockRecordsDeltasDeltaPpmFieldEvent {
    field: '$.records[].deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface BlockRecordsDeltasQualifiesFieldEvent {
    field: '$.records[].deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface BlockRecordsParticipationsNodeFieldEvent {
    field: '$.records[].participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockRecordsParticipationsKindFieldEvent {
    field: '$.records[].participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface BlockRecordsParticipationsScorePpmFieldEvent {
    field: '$.records[].participations[].scorePpm'
    value: number
    index: number
  }

  export interface BlockAdmissionsNodeFieldEvent {
    field: '$.admissions[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockAdmissionsJoinMessageIdFieldEvent {
    field: '$.admissions[].joinMessageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockQueriesMessageIdFieldEvent {
    field: '$.queries[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockQueriesSubmitterFieldEvent {
    field: '$.queries[].submitter'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockRoundMessagesMessageIdFieldEvent {
    field: '$.roundMessages[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockRoundMessagesQueryIdFieldEvent {
    field: '$.roundMessages[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockLastCommitRoundFieldEvent {
    field: '$.lastCommit.round'
    value: number
  }

  export interface BlockLastCommitPrecommitsFieldEvent {
    field: '$.lastCommit.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockEvidenceFirstFieldEvent {
    field: '$.evidence[].first'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockEvidenceSecondFieldEvent {
    field: '$.evidence[].second'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Block>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Block.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Block>): Block {
    return decodeMessage(buf, Block.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Block>): Generator<BlockHeaderHeightFieldEvent | BlockHeaderPrevHashFieldEvent | BlockHeaderRecordsRootFieldEvent | BlockHeaderStateRootFieldEvent | BlockHeaderTimeFieldEvent | BlockHeaderProposerFieldEvent | BlockHeaderQueriesRootFieldEvent | BlockHeaderRoundMessagesRootFieldEvent | BlockHeaderLastCommitHashFieldEvent | BlockHeaderEvidenceHashFieldEvent | BlockRecordsQueryIdFieldEvent | BlockRecordsIncludedMessageIdsFieldEvent | BlockRecordsCandidatesFieldEvent | BlockRecordsStrengthsPpmFieldEvent | BlockRecordsWinnerFieldEvent | BlockRecordsDeltasNodeFieldEvent | BlockRecordsDeltasDeltaPpmFieldEvent | BlockRecordsDeltasQualifiesFieldEvent | BlockRecordsParticipationsNodeFieldEvent | BlockRecordsParticipationsKindFieldEvent | BlockRecordsParticipationsScorePpmFieldEvent | BlockAdmissionsNodeFieldEvent | BlockAdmissionsJoinMessageIdFieldEvent | BlockQueriesMessageIdFieldEvent | BlockQueriesSubmitterFieldEvent | BlockRoundMessagesMessageIdFieldEvent | BlockRoundMessagesQueryIdFieldEvent | BlockLastCommitRoundFieldEvent | BlockLastCommitPrecommitsFieldEvent | BlockEvidenceFirstFieldEvent | BlockEvidenceSecondFieldEvent> {
    return streamMessage(buf, Block.codec(), opts)
  }
}

export interface BlockProposal {
  height: number
  round: number
  block?: Block
  validRound: number
}

export namespace BlockProposal {
  let _codec: Codec<BlockProposal>

  export const codec = (): Codec<BlockProposal> => {
    if (_codec == null) {
      _codec = message<BlockProposal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.height)
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(16)
          w.uint32(obj.round)
        }

        if (obj.block != null) {
          w.uint32(26)
          Block.codec().encode(obj.block, w)
        }

        if ((obj.validRound != null && obj.validRound !== 0)) {
          w.uint32(32)
          w.sint32(obj.validRound)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          height: 0,
          round: 0,
          validRound: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.height = reader.uint64Number()
              break
            }
            case 2: {
              obj.round = reader.uint32()
              break
            }
            case 3: {
              obj.block = Block.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.block
              })
              break
            }
            case 4: {
              obj.validRound = reader.sint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.round`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield * Block.codec().stream(reader, reader.uint32(), `${prefix}.block`, {
                limits: opts.limits?.block
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.validRound`,
                value: reader.sint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BlockProposalHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export interface BlockProposalRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export interface BlockProposalBlockHeaderHeightFieldEvent {
    field: '$.block.header.height'
    value: number
  }

  export interface BlockProposalBlockHeaderPrevHashFieldEvent {
    field: '$.block.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderRecordsRootFieldEvent {
    field: '$.block.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderStateRootFieldEvent {
    field: '$.block.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderTimeFieldEvent {
    field: '$.block.header.time'
    value: number
  }

  export interface BlockProposalBlockHeaderProposerFieldEvent {
    field: '$.block.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderQueriesRootFieldEvent {
    field: '$.block.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderRoundMessagesRootFieldEvent {
    field: '$.block.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderLastCommitHashFieldEvent {
    field: '$.block.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockHeaderEvidenceHashFieldEvent {
    field: '$.block.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockRecordsQueryIdFieldEvent {
    field: '$.block.records[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockRecordsIncludedMessageIdsFieldEvent {
    field: '$.block.records[].includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockRecordsCandidatesFieldEvent {
    field: '$.block.records[].candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockRecordsStrengthsPpmFieldEvent {
    field: '$.block.records[].strengthsPpm[]'
    index: number
    value: number
  }

  export interface BlockProposalBlockRecordsWinnerFieldEvent {
    field: '$.block.records[].winner'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockRecordsDeltasNodeFieldEvent {
    field: '$.block.records[].deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockRecordsDeltasDeltaPpmFieldEvent {
    field: '$.block.records[].deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface BlockProposalBlockRecordsDeltasQualifiesFieldEvent {
    field: '$.block.records[].deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface BlockProposalBlockRecordsParticipationsNodeFieldEvent {
    field: '$.block.records[].participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockRecordsParticipationsKindFieldEvent {
    field: '$.block.records[].participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface BlockProposalBlockRecordsParticipationsScorePpmFieldEvent {
    field: '$.block.records[].participations[].scorePpm'
    value: number
    index: number
  }

  export interface BlockProposalBlockAdmissionsNodeFieldEvent {
    field: '$.block.admissions[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockAdmissionsJoinMessageIdFieldEvent {
    field: '$.block.admissions[].joinMessageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockQueriesMessageIdFieldEvent {
    field: '$.block.queries[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockQueriesSubmitterFieldEvent {
    field: '$.block.queries[].submitter'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockRoundMessagesMessageIdFieldEvent {
    field: '$.block.roundMessages[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockRoundMessagesQueryIdFieldEvent {
    field: '$.block.roundMessages[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockLastCommitRoundFieldEvent {
    field: '$.block.lastCommit.round'
    value: number
  }

  export interface BlockProposalBlockLastCommitPrecommitsFieldEvent {
    field: '$.block.lastCommit.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockProposalBlockEvidenceFirstFieldEvent {
    field: '$.block.evidence[].first'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalBlockEvidenceSecondFieldEvent {
    field: '$.block.evidence[].second'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockProposalValidRoundFieldEvent {
    field: '$.validRound'
    value: number
  }

  export function encode (obj: Partial<BlockProposal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlockProposal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockProposal>): BlockProposal {
    return decodeMessage(buf, BlockProposal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockProposal>): Generator<BlockProposalHeightFieldEvent | BlockProposalRoundFieldEvent | BlockProposalBlockHeaderHeightFieldEvent | BlockProposalBlockHeaderPrevHashFieldEvent | BlockProposalBlockHeaderRecordsRootFieldEvent | BlockProposalBlockHeaderStateRootFieldEvent | BlockProposalBlockHeaderTimeFieldEvent | BlockProposalBlockHeaderProposerFieldEvent | BlockProposalBlockHeaderQueriesRootFieldEvent | BlockProposalBlockHeaderRoundMessagesRootFieldEvent | BlockProposalBlockHeaderLastCommitHashFieldEvent | BlockProposalBlockHeaderEvidenceHashFieldEvent | BlockProposalBlockRecordsQueryIdFieldEvent | BlockProposalBlockRecordsIncludedMessageIdsFieldEvent | BlockProposalBlockRecordsCandidatesFieldEvent | BlockProposalBlockRecordsStrengthsPpmFieldEvent | BlockProposalBlockRecordsWinnerFieldEvent | BlockProposalBlockRecordsDeltasNodeFieldEvent | BlockProposalBlockRecordsDeltasDeltaPpmFieldEvent | BlockProposalBlockRecordsDeltasQualifiesFieldEvent | BlockProposalBlockRecordsParticipationsNodeFieldEvent | BlockProposalBlockRecordsParticipationsKindFieldEvent | BlockProposalBlockRecordsParticipationsScorePpmFieldEvent | BlockProposalBlockAdmissionsNodeFieldEvent | BlockProposalBlockAdmissionsJoinMessageIdFieldEvent | BlockProposalBlockQueriesMessageIdFieldEvent | BlockProposalBlockQueriesSubmitterFieldEvent | BlockProposalBlockRoundMessagesMessageIdFieldEvent | BlockProposalBlockRoundMessagesQueryIdFieldEvent | BlockProposalBlockLastCommitRoundFieldEvent | BlockProposalBlockLastCommitPrecommitsFieldEvent | BlockProposalBlockEvidenceFirstFieldEvent | BlockProposalBlockEvidenceSecondFieldEvent | BlockProposalValidRoundFieldEvent> {
    return streamMessage(buf, BlockProposal.codec(), opts)
  }
}

export enum VoteType {
  VOTE_TYPE_UNSPECIFIED = 'VOTE_TYPE_UNSPECIFIED',
  PREVOTE = 'PREVOTE',
  PRECOMMIT = 'PRECOMMIT'
}

enum __VoteTypeValues {
  VOTE_TYPE_UNSPECIFIED = 0,
  PREVOTE = 1,
  PRECOMMIT = 2
}

export namespace VoteType {
  export const codec = (): Codec<VoteType> => {
    return enumeration<VoteType>(__VoteTypeValues)
  }
}

export interface Vote {
  type: VoteType
  height: number
  round: number
  blockHash: Uint8Array<ArrayBuffer>
}

export namespace Vote {
  let _codec: Codec<Vote>

  export const codec = (): Codec<Vote> => {
    if (_codec == null) {
      _codec = message<Vote>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __VoteTypeValues[obj.type] !== 0) {
          w.uint32(8)
          VoteType.codec().encode(obj.type, w)
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.height)
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(24)
          w.uint32(obj.round)
        }

        if ((obj.blockHash != null && obj.blockHash.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.blockHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: VoteType.VOTE_TYPE_UNSPECIFIED,
          height: 0,
          round: 0,
          blockHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = VoteType.codec().decode(reader)
              break
            }
            case 2: {
              obj.height = reader.uint64Number()
              break
            }
            case 3: {
              obj.round = reader.uint32()
              break
            }
            case 4: {
              obj.blockHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: VoteType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.round`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.blockHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface VoteTypeFieldEvent {
    field: '$.type'
    value: VoteType
  }

  export interface VoteHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export interface VoteRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export interface VoteBlockHashFieldEvent {
    field: '$.blockHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Vote>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Vote.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Vote>): Vote {
    return decodeMessage(buf, Vote.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Vote>): Generator<VoteTypeFieldEvent | VoteHeightFieldEvent | VoteRoundFieldEvent | VoteBlockHashFieldEvent> {
    return streamMessage(buf, Vote.codec(), opts)
  }
}

export interface CommitCertificate {
  header?: BlockHeader
  round: number
  precommits: Uint8Array<ArrayBuffer>[]
}

export namespace CommitCertificate {
  let _codec: Codec<CommitCertificate>

  export const codec = (): Codec<CommitCertificate> => {
    if (_codec == null) {
      _codec = message<CommitCertificate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.header != null) {
          w.uint32(10)
          BlockHeader.codec().encode(obj.header, w)
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(16)
          w.uint32(obj.round)
        }

        if (obj.precommits != null && obj.precommits.length > 0) {
          for (const value of obj.precommits) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          round: 0,
          precommits: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.header = BlockHeader.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.header
              })
              break
            }
            case 2: {
              obj.round = reader.uint32()
              break
            }
            case 3: {
              if (opts.limits?.precommits != null && obj.precommits.length === opts.limits.precommits) {
                throw new MaxLengthError('Decode error - repeated field "precommits" had too many elements')
              }

              if (obj.precommits.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "precommits" had too many elements')
              }

              obj.precommits.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          precommits: 1024
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * BlockHeader.codec().stream(reader, reader.uint32(), `${prefix}.header`, {
                limits: opts.limits?.header
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.round`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              if (opts.limits?.precommits != null && obj.precommits === opts.limits.precommits) {
                throw new MaxLengthError('Streaming decode error - repeated field "precommits" had too many elements')
              }

              if (obj.precommits === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "precommits" had too many elements')
              }

              yield {
                field: `${prefix}.precommits[]`,
                index: obj.precommits,
                value: reader.bytes()
              }

              obj.precommits++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CommitCertificateHeaderHeightFieldEvent {
    field: '$.header.height'
    value: number
  }

  export interface CommitCertificateHeaderPrevHashFieldEvent {
    field: '$.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderRecordsRootFieldEvent {
    field: '$.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderStateRootFieldEvent {
    field: '$.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderTimeFieldEvent {
    field: '$.header.time'
    value: number
  }

  export interface CommitCertificateHeaderProposerFieldEvent {
    field: '$.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderQueriesRootFieldEvent {
    field: '$.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderLastCommitHashFieldEvent {
    field: '$.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateHeaderEvidenceHashFieldEvent {
    field: '$.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitCertificateRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export interface CommitCertificatePrecommitsFieldEvent {
    field: '$.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CommitCertificate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitCertificate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitCertificate>): CommitCertificate {
    return decodeMessage(buf, CommitCertificate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitCertificate>): Generator<CommitCertificateHeaderHeightFieldEvent | CommitCertificateHeaderPrevHashFieldEvent | CommitCertificateHeaderRecordsRootFieldEvent | CommitCertificateHeaderStateRootFieldEvent | CommitCertificateHeaderTimeFieldEvent | CommitCertificateHeaderProposerFieldEvent | CommitCertificateHeaderQueriesRootFieldEvent | CommitCertificateHeaderRoundMessagesRootFieldEvent | CommitCertificateHeaderLastCommitHashFieldEvent | CommitCertificateHeaderEvidenceHashFieldEvent | CommitCertificateRoundFieldEvent | CommitCertificatePrecommitsFieldEvent> {
    return streamMessage(buf, CommitCertificate.codec(), opts)
  }
}

export interface StatusRequest {}

export namespace StatusRequest {
  let _codec: Codec<StatusRequest>

  export const codec = (): Codec<StatusRequest> => {
    if (_codec == null) {
      _codec = message<StatusRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<StatusRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StatusRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): StatusRequest {
    return decodeMessage(buf, StatusRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): Generator<{}> {
    return streamMessage(buf, StatusRequest.codec(), opts)
  }
}

export interface BlocksRequest {
  fromHeight: number
  max: number
}

export namespace BlocksRequest {
  let _codec: Codec<BlocksRequest>

  export const codec = (): Codec<BlocksRequest> => {
    if (_codec == null) {
      _codec = message<BlocksRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.fromHeight != null && obj.fromHeight !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.fromHeight)
        }

        if ((obj.max != null && obj.max !== 0)) {
          w.uint32(16)
          w.uint32(obj.max)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          fromHeight: 0,
          max: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fromHeight = reader.uint64Number()
              break
            }
            case 2: {
              obj.max = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.fromHeight`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.max`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BlocksRequestFromHeightFieldEvent {
    field: '$.fromHeight'
    value: number
  }

  export interface BlocksRequestMaxFieldEvent {
    field: '$.max'
    value: number
  }

  export function encode (obj: Partial<BlocksRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlocksRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlocksRequest>): BlocksRequest {
    return decodeMessage(buf, BlocksRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlocksRequest>): Generator<BlocksRequestFromHeightFieldEvent | BlocksRequestMaxFieldEvent> {
    return streamMessage(buf, BlocksRequest.codec(), opts)
  }
}

export interface MessagesRequest {
  ids: Uint8Array<ArrayBuffer>[]
}

export namespace MessagesRequest {
  let _codec: Codec<MessagesRequest>

  export const codec = (): Codec<MessagesRequest> => {
    if (_codec == null) {
      _codec = message<MessagesRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              if (obj.ids.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          ids: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              if (obj.ids === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.bytes()
              }

              obj.ids++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MessagesRequestIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MessagesRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MessagesRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessagesRequest>): MessagesRequest {
    return decodeMessage(buf, MessagesRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessagesRequest>): Generator<MessagesRequestIdsFieldEvent> {
    return streamMessage(buf, MessagesRequest.codec(), opts)
  }
}

export interface ConsensusRequest {
  height: number
}

export namespace ConsensusRequest {
  let _codec: Codec<ConsensusRequest>

  export const codec = (): Codec<ConsensusRequest> => {
    if (_codec == null) {
      _codec = message<ConsensusRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.height)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          height: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.height = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ConsensusRequestHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export function encode (obj: Partial<ConsensusRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ConsensusRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsensusRequest>): ConsensusRequest {
    return decodeMessage(buf, ConsensusRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ConsensusRequest>): Generator<ConsensusRequestHeightFieldEvent> {
    return streamMessage(buf, ConsensusRequest.codec(), opts)
  }
}

export interface SnapshotRequest {
  from: number
  to: number
  offset: number
}

export namespace SnapshotRequest {
  let _codec: Codec<SnapshotRequest>

  export const codec = (): Codec<SnapshotRequest> => {
    if (_codec == null) {
      _codec = message<SnapshotRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.from)
        }

        if ((obj.to != null && obj.to !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.to)
        }

        if ((obj.offset != null && obj.offset !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.offset)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: 0,
          to: 0,
          offset: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.uint64Number()
              break
            }
            case 2: {
              obj.to = reader.uint64Number()
              break
            }
            case 3: {
              obj.offset = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.from`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SnapshotRequestFromFieldEvent {
    field: '$.from'
    value: number
  }

  export interface SnapshotRequestToFieldEvent {
    field: '$.to'
    value: number
  }

  export interface SnapshotRequestOffsetFieldEvent {
    field: '$.offset'
    value: number
  }

  export function encode (obj: Partial<SnapshotRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SnapshotRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SnapshotRequest>): SnapshotRequest {
    return decodeMessage(buf, SnapshotRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SnapshotRequest>): Generator<SnapshotRequestFromFieldEvent | SnapshotRequestToFieldEvent | SnapshotRequestOffsetFieldEvent> {
    return streamMessage(buf, SnapshotRequest.codec(), opts)
  }
}

export interface SyncRequest {
  status?: StatusRequest
  blocks?: BlocksRequest
  messages?: MessagesRequest
  consensus?: ConsensusRequest
  snapshot?: SnapshotRequest
}

export namespace SyncRequest {
  let _codec: Codec<SyncRequest>

  export const codec = (): Codec<SyncRequest> => {
    if (_codec == null) {
      _codec = message<SyncRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.snapshot != null) {
          obj.consensus = undefined
          obj.messages = undefined
          obj.blocks = undefined
          obj.status = undefined
        }

        if (obj.consensus != null) {
          obj.snapshot = undefined
          obj.messages = undefined
          obj.blocks = undefined
          obj.status = undefined
        }

        if (obj.messages != null) {
          obj.snapshot = undefined
          obj.consensus = undefined
          obj.blocks = undefined
          obj.status = undefined
        }

        if (obj.blocks != null) {
          obj.snapshot = undefined
          obj.consensus = undefined
          obj.messages = undefined
          obj.status = undefined
        }

        if (obj.status != null) {
          obj.snapshot = undefined
          obj.consensus = undefined
          obj.messages = undefined
          obj.blocks = undefined
        }

        if (obj.status != null) {
          w.uint32(10)
          StatusRequest.codec().encode(obj.status, w)
        }

        if (obj.blocks != null) {
          w.uint32(18)
          BlocksRequest.codec().encode(obj.blocks, w)
        }

        if (obj.messages != null) {
          w.uint32(26)
          MessagesRequest.codec().encode(obj.messages, w)
        }

        if (obj.consensus != null) {
          w.uint32(34)
          ConsensusRequest.codec().encode(obj.consensus, w)
        }

        if (obj.snapshot != null) {
          w.uint32(42)
          SnapshotRequest.codec().encode(obj.snapshot, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = StatusRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status
              })
              break
            }
            case 2: {
              obj.blocks = BlocksRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.blocks
              })
              break
            }
            case 3: {
              obj.messages = MessagesRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.messages
              })
              break
            }
            case 4: {
              obj.consensus = ConsensusRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.consensus
              })
              break
            }
            case 5: {
              obj.snapshot = SnapshotRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.snapshot
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.snapshot != null) {
          delete obj.consensus
          delete obj.messages
          delete obj.blocks
          delete obj.status
        }

        if (obj.consensus != null) {
          delete obj.snapshot
          delete obj.messages
          delete obj.blocks
          delete obj.status
        }

        if (obj.messages != null) {
          delete obj.snapshot
          delete obj.consensus
          delete obj.blocks
          delete obj.status
        }

        if (obj.blocks != null) {
          delete obj.snapshot
          delete obj.consensus
          delete obj.messages
          delete obj.status
        }

        if (obj.status != null) {
          delete obj.snapshot
          delete obj.consensus
          delete obj.messages
          delete obj.blocks
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * StatusRequest.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                limits: opts.limits?.status
              })

              break
            }
            case 2: {
              yield * BlocksRequest.codec().stream(reader, reader.uint32(), `${prefix}.blocks`, {
                limits: opts.limits?.blocks
              })

              break
            }
            case 3: {
              yield * MessagesRequest.codec().stream(reader, reader.uint32(), `${prefix}.messages`, {
                limits: opts.limits?.messages
              })

              break
            }
            case 4: {
              yield * ConsensusRequest.codec().stream(reader, reader.uint32(), `${prefix}.consensus`, {
                limits: opts.limits?.consensus
              })

              break
            }
            case 5: {
              yield * SnapshotRequest.codec().stream(reader, reader.uint32(), `${prefix}.snapshot`, {
                limits: opts.limits?.snapshot
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SyncRequestBlocksFromHeightFieldEvent {
    field: '$.blocks.fromHeight'
    value: number
  }

  export interface SyncRequestBlocksMaxFieldEvent {
    field: '$.blocks.max'
    value: number
  }

  export interface SyncRequestMessagesIdsFieldEvent {
    field: '$.messages.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestConsensusHeightFieldEvent {
    field: '$.consensus.height'
    value: number
  }

  export interface SyncRequestSnapshotFromFieldEvent {
    field: '$.snapshot.from'
    value: number
  }

  export interface SyncRequestSnapshotToFieldEvent {
    field: '$.snapshot.to'
    value: number
  }

  export interface SyncRequestSnapshotOffsetFieldEvent {
    field: '$.snapshot.offset'
    value: number
  }

  export function encode (obj: Partial<SyncRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): SyncRequest {
    return decodeMessage(buf, SyncRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): Generator<SyncRequestBlocksFromHeightFieldEvent | SyncRequestBlocksMaxFieldEvent | SyncRequestMessagesIdsFieldEvent | SyncRequestConsensusHeightFieldEvent | SyncRequestSnapshotFromFieldEvent | SyncRequestSnapshotToFieldEvent | SyncRequestSnapshotOffsetFieldEvent> {
    return streamMessage(buf, SyncRequest.codec(), opts)
  }
}

export interface StatusResponse {
  height: number
  headHash: Uint8Array<ArrayBuffer>
  snapshotHeight: number
}

export namespace StatusResponse {
  let _codec: Codec<StatusResponse>

  export const codec = (): Codec<StatusResponse> => {
    if (_codec == null) {
      _codec = message<StatusResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.height)
        }

        if ((obj.headHash != null && obj.headHash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.headHash)
        }

        if ((obj.snapshotHeight != null && obj.snapshotHeight !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.snapshotHeight)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          height: 0,
          headHash: uint8ArrayAlloc(0),
          snapshotHeight: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.height = reader.uint64Number()
              break
            }
            case 2: {
              obj.headHash = reader.bytes()
              break
            }
            case 3: {
              obj.snapshotHeight = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.headHash`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.snapshotHeight`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StatusResponseHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export interface StatusResponseHeadHashFieldEvent {
    field: '$.headHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusResponseSnapshotHeightFieldEvent {
    field: '$.snapshotHeight'
    value: number
  }

  export function encode (obj: Partial<StatusResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StatusResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusResponse>): StatusResponse {
    return decodeMessage(buf, StatusResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusResponse>): Generator<StatusResponseHeightFieldEvent | StatusResponseHeadHashFieldEvent | StatusResponseSnapshotHeightFieldEvent> {
    return streamMessage(buf, StatusResponse.codec(), opts)
  }
}

export interface SnapshotStep {
  certificate?: CommitCertificate
  ledger: Uint8Array<ArrayBuffer>
  offset: number
  ledgerBytes: number
}

export namespace SnapshotStep {
  let _codec: Codec<SnapshotStep>

  export const codec = (): Codec<SnapshotStep> => {
    if (_codec == null) {
      _codec = message<SnapshotStep>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.certificate != null) {
          w.uint32(10)
          CommitCertificate.codec().encode(obj.certificate, w)
        }

        if ((obj.ledger != null && obj.ledger.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ledger)
        }

        if ((obj.offset != null && obj.offset !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.offset)
        }

        if ((obj.ledgerBytes != null && obj.ledgerBytes !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.ledgerBytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ledger: uint8ArrayAlloc(0),
          offset: 0,
          ledgerBytes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.certificate = CommitCertificate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.certificate
              })
              break
            }
            case 2: {
              obj.ledger = reader.bytes()
              break
            }
            case 3: {
              obj.offset = reader.uint64Number()
              break
            }
            case 4: {
              obj.ledgerBytes = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * CommitCertificate.codec().stream(reader, reader.uint32(), `${prefix}.certificate`, {
                limits: opts.limits?.certificate
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.ledger`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ledgerBytes`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SnapshotStepCertificateHeaderHeightFieldEvent {
    field: '$.certificate.header.height'
    value: number
  }

  export interface SnapshotStepCertificateHeaderPrevHashFieldEvent {
    field: '$.certificate.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderRecordsRootFieldEvent {
    field: '$.certificate.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderStateRootFieldEvent {
    field: '$.certificate.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderTimeFieldEvent {
    field: '$.certificate.header.time'
    value: number
  }

  export interface SnapshotStepCertificateHeaderProposerFieldEvent {
    field: '$.certificate.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderQueriesRootFieldEvent {
    field: '$.certificate.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.certificate.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderLastCommitHashFieldEvent {
    field: '$.certificate.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateHeaderEvidenceHashFieldEvent {
    field: '$.certificate.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepCertificateRoundFieldEvent {
    field: '$.certificate.round'
    value: number
  }

  export interface SnapshotStepCertificatePrecommitsFieldEvent {
    field: '$.certificate.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepLedgerFieldEvent {
    field: '$.ledger'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotStepOffsetFieldEvent {
    field: '$.offset'
    value: number
  }

  export interface SnapshotStepLedgerBytesFieldEvent {
    field: '$.ledgerBytes'
    value: number
  }

  export function encode (obj: Partial<SnapshotStep>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SnapshotStep.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SnapshotStep>): SnapshotStep {
    return decodeMessage(buf, SnapshotStep.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SnapshotStep>): Generator<SnapshotStepCertificateHeaderHeightFieldEvent | SnapshotStepCertificateHeaderPrevHashFieldEvent | SnapshotStepCertificateHeaderRecordsRootFieldEvent | SnapshotStepCertificateHeaderStateRootFieldEvent | SnapshotStepCertificateHeaderTimeFieldEvent | SnapshotStepCertificateHeaderProposerFieldEvent | SnapshotStepCertificateHeaderQueriesRootFieldEvent | SnapshotStepCertificateHeaderRoundMessagesRootFieldEvent | SnapshotStepCertificateHeaderLastCommitHashFieldEvent | SnapshotStepCertificateHeaderEvidenceHashFieldEvent | SnapshotStepCertificateRoundFieldEvent | SnapshotStepCertificatePrecommitsFieldEvent | SnapshotStepLedgerFieldEvent | SnapshotStepOffsetFieldEvent | SnapshotStepLedgerBytesFieldEvent> {
    return streamMessage(buf, SnapshotStep.codec(), opts)
  }
}

export interface SnapshotResponse {
  steps: SnapshotStep[]
}

export namespace SnapshotResponse {
  let _codec: Codec<SnapshotResponse>

  export const codec = (): Codec<SnapshotResponse> => {
    if (_codec == null) {
      _codec = message<SnapshotResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.steps != null && obj.steps.length > 0) {
          for (const value of obj.steps) {
            w.uint32(10)
            SnapshotStep.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          steps: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.steps != null && obj.steps.length === opts.limits.steps) {
                throw new MaxLengthError('Decode error - repeated field "steps" had too many elements')
              }

              if (obj.steps.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "steps" had too many elements')
              }

              obj.steps.push(SnapshotStep.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.steps$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          steps: 1024
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.steps != null && obj.steps === opts.limits.steps) {
                throw new MaxLengthError('Streaming decode error - repeated field "steps" had too many elements')
              }

              if (obj.steps === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "steps" had too many elements')
              }

              for (const evt of SnapshotStep.codec().stream(reader, reader.uint32(), `${prefix}.steps[]`, {
                limits: opts.limits?.steps$
              })) {
                yield {
                  ...evt,
                  index: obj.steps
                }
              }

              obj.steps++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SnapshotResponseStepsCertificateHeaderHeightFieldEvent {
    field: '$.steps[].certificate.header.height'
    value: number
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderPrevHashFieldEvent {
    field: '$.steps[].certificate.header.prevHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderRecordsRootFieldEvent {
    field: '$.steps[].certificate.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderStateRootFieldEvent {
    field: '$.steps[].certificate.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderTimeFieldEvent {
    field: '$.steps[].certificate.header.time'
    value: number
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderProposerFieldEvent {
    field: '$.steps[].certificate.header.proposer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderQueriesRootFieldEvent {
    field: '$.steps[].certificate.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.steps[].certificate.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderLastCommitHashFieldEvent {
    field: '$.steps[].certificate.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateHeaderEvidenceHashFieldEvent {
    field: '$.steps[].certificate.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsCertificateRoundFieldEvent {
    field: '$.steps[].certificate.round'
    value: number
    index: number
  }

  export interface SnapshotResponseStepsCertificatePrecommitsFieldEvent {
    field: '$.steps[].certificate.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SnapshotResponseStepsLedgerFieldEvent {
    field: '$.steps[].ledger'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SnapshotResponseStepsOffsetFieldEvent {
    field: '$.steps[].offset'
    value: number
    index: number
  }

  export interface SnapshotResponseStepsLedgerBytesFieldEvent {
    field: '$.steps[].ledgerBytes'
    value: number
    index: number
  }

  export function encode (obj: Partial<SnapshotResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SnapshotResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SnapshotResponse>): SnapshotResponse {
    return decodeMessage(buf, SnapshotResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SnapshotResponse>): Generator<SnapshotResponseStepsCertificateHeaderHeightFieldEvent | SnapshotResponseStepsCertificateHeaderPrevHashFieldEvent | SnapshotResponseStepsCertificateHeaderRecordsRootFieldEvent | SnapshotResponseStepsCertificateHeaderStateRootFieldEvent | SnapshotResponseStepsCertificateHeaderTimeFieldEvent | SnapshotResponseStepsCertificateHeaderProposerFieldEvent | SnapshotResponseStepsCertificateHeaderQueriesRootFieldEvent | SnapshotResponseStepsCertificateHeaderRoundMessagesRootFieldEvent | SnapshotResponseStepsCertificateHeaderLastCommitHashFieldEvent | SnapshotResponseStepsCertificateHeaderEvidenceHashFieldEvent | SnapshotResponseStepsCertificateRoundFieldEvent | SnapshotResponseStepsCertificatePrecommitsFieldEvent | SnapshotResponseStepsLedgerFieldEvent | SnapshotResponseStepsOffsetFieldEvent | SnapshotResponseStepsLedgerBytesFieldEvent> {
    return streamMessage(buf, SnapshotResponse.codec(), opts)
  }
}

export interface CertifiedBlock {
  block?: Block
  certificate?: CommitCertificate
}

export namespace CertifiedBlock {
  let _codec: Codec<CertifiedBlock>

  export const codec = (): Codec<CertifiedBlock> => {
    if (_codec == null) {
      _codec = message<CertifiedBlock>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.block != null) {
          w.uint32(10)
          Block.codec().encode(obj.block, w)
        }

        if (obj.certificate != null) {
          w.uint32(18)
          CommitCertificate.codec().encode(obj.certificate, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.block = Block.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.block
              })
              break
            }
            case 2: {
              obj.certificate = CommitCertificate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.certificate
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Block.codec().stream(reader, reader.uint32(), `${prefix}.block`, {
                limits: opts.limits?.block
              })

              break
            }
            case 2: {
              yield * CommitCertificate.codec().stream(reader, reader.uint32(), `${prefix}.certificate`, {
                limits: opts.limits?.certificate
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CertifiedBlockBlockHeaderHeightFieldEvent {
    field: '$.block.header.height'
    value: number
  }

  export interface CertifiedBlockBlockHeaderPrevHashFieldEvent {
    field: '$.block.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderRecordsRootFieldEvent {
    field: '$.block.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderStateRootFieldEvent {
    field: '$.block.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderTimeFieldEvent {
    field: '$.block.header.time'
    value: number
  }

  export interface CertifiedBlockBlockHeaderProposerFieldEvent {
    field: '$.block.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderQueriesRootFieldEvent {
    field: '$.block.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderRoundMessagesRootFieldEvent {
    field: '$.block.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderLastCommitHashFieldEvent {
    field: '$.block.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockHeaderEvidenceHashFieldEvent {
    field: '$.block.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockRecordsQueryIdFieldEvent {
    field: '$.block.records[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockRecordsIncludedMessageIdsFieldEvent {
    field: '$.block.records[].includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockRecordsCandidatesFieldEvent {
    field: '$.block.records[].candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockRecordsStrengthsPpmFieldEvent {
    field: '$.block.records[].strengthsPpm[]'
    index: number
    value: number
  }

  export interface CertifiedBlockBlockRecordsWinnerFieldEvent {
    field: '$.block.records[].winner'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockRecordsDeltasNodeFieldEvent {
    field: '$.block.records[].deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockRecordsDeltasDeltaPpmFieldEvent {
    field: '$.block.records[].deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface CertifiedBlockBlockRecordsDeltasQualifiesFieldEvent {
    field: '$.block.records[].deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface CertifiedBlockBlockRecordsParticipationsNodeFieldEvent {
    field: '$.block.records[].participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockRecordsParticipationsKindFieldEvent {
    field: '$.block.records[].participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface CertifiedBlockBlockRecordsParticipationsScorePpmFieldEvent {
    field: '$.block.records[].participations[].scorePpm'
    value: number
    index: number
  }

  export interface CertifiedBlockBlockAdmissionsNodeFieldEvent {
    field: '$.block.admissions[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockAdmissionsJoinMessageIdFieldEvent {
    field: '$.block.admissions[].joinMessageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockQueriesMessageIdFieldEvent {
    field: '$.block.queries[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockQueriesSubmitterFieldEvent {
    field: '$.block.queries[].submitter'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockRoundMessagesMessageIdFieldEvent {
    field: '$.block.roundMessages[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockRoundMessagesQueryIdFieldEvent {
    field: '$.block.roundMessages[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockLastCommitRoundFieldEvent {
    field: '$.block.lastCommit.round'
    value: number
  }

  export interface CertifiedBlockBlockLastCommitPrecommitsFieldEvent {
    field: '$.block.lastCommit.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockBlockEvidenceFirstFieldEvent {
    field: '$.block.evidence[].first'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockBlockEvidenceSecondFieldEvent {
    field: '$.block.evidence[].second'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CertifiedBlockCertificateHeaderHeightFieldEvent {
    field: '$.certificate.header.height'
    value: number
  }

  export interface CertifiedBlockCertificateHeaderPrevHashFieldEvent {
    field: '$.certificate.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderRecordsRootFieldEvent {
    field: '$.certificate.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderStateRootFieldEvent {
    field: '$.certificate.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderTimeFieldEvent {
    field: '$.certificate.header.time'
    value: number
  }

  export interface CertifiedBlockCertificateHeaderProposerFieldEvent {
    field: '$.certificate.header.proposer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderQueriesRootFieldEvent {
    field: '$.certificate.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.certificate.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderLastCommitHashFieldEvent {
    field: '$.certificate.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateHeaderEvidenceHashFieldEvent {
    field: '$.certificate.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CertifiedBlockCertificateRoundFieldEvent {
    field: '$.certificate.round'
    value: number
  }

  export interface CertifiedBlockCertificatePrecommitsFieldEvent {
    field: '$.certificate.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CertifiedBlock>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CertifiedBlock.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CertifiedBlock>): CertifiedBlock {
    return decodeMessage(buf, CertifiedBlock.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CertifiedBlock>): Generator<CertifiedBlockBlockHeaderHeightFieldEvent | CertifiedBlockBlockHeaderPrevHashFieldEvent | CertifiedBlockBlockHeaderRecordsRootFieldEvent | CertifiedBlockBlockHeaderStateRootFieldEvent | CertifiedBlockBlockHeaderTimeFieldEvent | CertifiedBlockBlockHeaderProposerFieldEvent | CertifiedBlockBlockHeaderQueriesRootFieldEvent | CertifiedBlockBlockHeaderRoundMessagesRootFieldEvent | CertifiedBlockBlockHeaderLastCommitHashFieldEvent | CertifiedBlockBlockHeaderEvidenceHashFieldEvent | CertifiedBlockBlockRecordsQueryIdFieldEvent | CertifiedBlockBlockRecordsIncludedMessageIdsFieldEvent | CertifiedBlockBlockRecordsCandidatesFieldEvent | CertifiedBlockBlockRecordsStrengthsPpmFieldEvent | CertifiedBlockBlockRecordsWinnerFieldEvent | CertifiedBlockBlockRecordsDeltasNodeFieldEvent | CertifiedBlockBlockRecordsDeltasDeltaPpmFieldEvent | CertifiedBlockBlockRecordsDeltasQualifiesFieldEvent | CertifiedBlockBlockRecordsParticipationsNodeFieldEvent | CertifiedBlockBlockRecordsParticipationsKindFieldEvent | CertifiedBlockBlockRecordsParticipationsScorePpmFieldEvent | CertifiedBlockBlockAdmissionsNodeFieldEvent | CertifiedBlockBlockAdmissionsJoinMessageIdFieldEvent | CertifiedBlockBlockQueriesMessageIdFieldEvent | CertifiedBlockBlockQueriesSubmitterFieldEvent | CertifiedBlockBlockRoundMessagesMessageIdFieldEvent | CertifiedBlockBlockRoundMessagesQueryIdFieldEvent | CertifiedBlockBlockLastCommitRoundFieldEvent | CertifiedBlockBlockLastCommitPrecommitsFieldEvent | CertifiedBlockBlockEvidenceFirstFieldEvent | CertifiedBlockBlockEvidenceSecondFieldEvent | CertifiedBlockCertificateHeaderHeightFieldEvent | CertifiedBlockCertificateHeaderPrevHashFieldEvent | CertifiedBlockCertificateHeaderRecordsRootFieldEvent | CertifiedBlockCertificateHeaderStateRootFieldEvent | CertifiedBlockCertificateHeaderTimeFieldEvent | CertifiedBlockCertificateHeaderProposerFieldEvent | CertifiedBlockCertificateHeaderQueriesRootFieldEvent | CertifiedBlockCertificateHeaderRoundMessagesRootFieldEvent | CertifiedBlockCertificateHeaderLastCommitHashFieldEvent | CertifiedBlockCertificateHeaderEvidenceHashFieldEvent | CertifiedBlockCertificateRoundFieldEvent | CertifiedBlockCertificatePrecommitsFieldEvent> {
    return streamMessage(buf, CertifiedBlock.codec(), opts)
  }
}

export interface BlocksResponse {
  blocks: CertifiedBlock[]
}

export namespace BlocksResponse {
  let _codec: Codec<BlocksResponse>

  export const codec = (): Codec<BlocksResponse> => {
    if (_codec == null) {
      _codec = message<BlocksResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.blocks != null && obj.blocks.length > 0) {
          for (const value of obj.blocks) {
            w.uint32(10)
            CertifiedBlock.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          blocks: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.blocks != null && obj.blocks.length === opts.limits.blocks) {
                throw new MaxLengthError('Decode error - repeated field "blocks" had too many elements')
              }

              if (obj.blocks.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "blocks" had too many elements')
              }

              obj.blocks.push(CertifiedBlock.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.blocks$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          blocks: 64
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.blocks != null && obj.blocks === opts.limits.blocks) {
                throw new MaxLengthError('Streaming decode error - repeated field "blocks" had too many elements')
              }

              if (obj.blocks === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "blocks" had too many elements')
              }

              for (const evt of CertifiedBlock.codec().stream(reader, reader.uint32(), `${prefix}.blocks[]`, {
                limits: opts.limits?.blocks$
              })) {
                yield {
                  ...evt,
                  index: obj.blocks
                }
              }

              obj.blocks++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BlocksResponseBlocksBlockHeaderHeightFieldEvent {
    field: '$.blocks[].block.header.height'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderPrevHashFieldEvent {
    field: '$.blocks[].block.header.prevHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderRecordsRootFieldEvent {
    field: '$.blocks[].block.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderStateRootFieldEvent {
    field: '$.blocks[].block.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderTimeFieldEvent {
    field: '$.blocks[].block.header.time'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderProposerFieldEvent {
    field: '$.blocks[].block.header.proposer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderQueriesRootFieldEvent {
    field: '$.blocks[].block.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderRoundMessagesRootFieldEvent {
    field: '$.blocks[].block.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderLastCommitHashFieldEvent {
    field: '$.blocks[].block.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockHeaderEvidenceHashFieldEvent {
    field: '$.blocks[].block.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsQueryIdFieldEvent {
    field: '$.blocks[].block.records[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsIncludedMessageIdsFieldEvent {
    field: '$.blocks[].block.records[].includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlocksResponseBlocksBlockRecordsCandidatesFieldEvent {
    field: '$.blocks[].block.records[].candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlocksResponseBlocksBlockRecordsStrengthsPpmFieldEvent {
    field: '$.blocks[].block.records[].strengthsPpm[]'
    index: number
    value: number
  }

  export interface BlocksResponseBlocksBlockRecordsWinnerFieldEvent {
    field: '$.blocks[].block.records[].winner'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsDeltasNodeFieldEvent {
    field: '$.blocks[].block.records[].deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsDeltasDeltaPpmFieldEvent {
    field: '$.blocks[].block.records[].deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsDeltasQualifiesFieldEvent {
    field: '$.blocks[].block.records[].deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsParticipationsNodeFieldEvent {
    field: '$.blocks[].block.records[].participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsParticipationsKindFieldEvent {
    field: '$.blocks[].block.records[].participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface BlocksResponseBlocksBlockRecordsParticipationsScorePpmFieldEvent {
    field: '$.blocks[].block.records[].participations[].scorePpm'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksBlockAdmissionsNodeFieldEvent {
    field: '$.blocks[].block.admissions[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockAdmissionsJoinMessageIdFieldEvent {
    field: '$.blocks[].block.admissions[].joinMessageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockQueriesMessageIdFieldEvent {
    field: '$.blocks[].block.queries[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockQueriesSubmitterFieldEvent {
    field: '$.blocks[].block.queries[].submitter'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRoundMessagesMessageIdFieldEvent {
    field: '$.blocks[].block.roundMessages[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockRoundMessagesQueryIdFieldEvent {
    field: '$.blocks[].block.roundMessages[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockLastCommitRoundFieldEvent {
    field: '$.blocks[].block.lastCommit.round'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksBlockLastCommitPrecommitsFieldEvent {
    field: '$.blocks[].block.lastCommit.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlocksResponseBlocksBlockEvidenceFirstFieldEvent {
    field: '$.blocks[].block.evidence[].first'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksBlockEvidenceSecondFieldEvent {
    field: '$.blocks[].block.evidence[].second'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderHeightFieldEvent {
    field: '$.blocks[].certificate.header.height'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderPrevHashFieldEvent {
    field: '$.blocks[].certificate.header.prevHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderRecordsRootFieldEvent {
    field: '$.blocks[].certificate.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderStateRootFieldEvent {
    field: '$.blocks[].certificate.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderTimeFieldEvent {
    field: '$.blocks[].certificate.header.time'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderProposerFieldEvent {
    field: '$.blocks[].certificate.header.proposer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderQueriesRootFieldEvent {
    field: '$.blocks[].certificate.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.blocks[].certificate.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderLastCommitHashFieldEvent {
    field: '$.blocks[].certificate.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateHeaderEvidenceHashFieldEvent {
    field: '$.blocks[].certificate.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlocksResponseBlocksCertificateRoundFieldEvent {
    field: '$.blocks[].certificate.round'
    value: number
    index: number
  }

  export interface BlocksResponseBlocksCertificatePrecommitsFieldEvent {
    field: '$.blocks[].certificate.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BlocksResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlocksResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlocksResponse>): BlocksResponse {
    return decodeMessage(buf, BlocksResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlocksResponse>): Generator<BlocksResponseBlocksBlockHeaderHeightFieldEvent | BlocksResponseBlocksBlockHeaderPrevHashFieldEvent | BlocksResponseBlocksBlockHeaderRecordsRootFieldEvent | BlocksResponseBlocksBlockHeaderStateRootFieldEvent | BlocksResponseBlocksBlockHeaderTimeFieldEvent | BlocksResponseBlocksBlockHeaderProposerFieldEvent | BlocksResponseBlocksBlockHeaderQueriesRootFieldEvent | BlocksResponseBlocksBlockHeaderRoundMessagesRootFieldEvent | BlocksResponseBlocksBlockHeaderLastCommitHashFieldEvent | BlocksResponseBlocksBlockHeaderEvidenceHashFieldEvent | BlocksResponseBlocksBlockRecordsQueryIdFieldEvent | BlocksResponseBlocksBlockRecordsIncludedMessageIdsFieldEvent | BlocksResponseBlocksBlockRecordsCandidatesFieldEvent | BlocksResponseBlocksBlockRecordsStrengthsPpmFieldEvent | BlocksResponseBlocksBlockRecordsWinnerFieldEvent | BlocksResponseBlocksBlockRecordsDeltasNodeFieldEvent | BlocksResponseBlocksBlockRecordsDeltasDeltaPpmFieldEvent | BlocksResponseBlocksBlockRecordsDeltasQualifiesFieldEvent | BlocksResponseBlocksBlockRecordsParticipationsNodeFieldEvent | BlocksResponseBlocksBlockRecordsParticipationsKindFieldEvent | BlocksResponseBlocksBlockRecordsParticipationsScorePpmFieldEvent | BlocksResponseBlocksBlockAdmissionsNodeFieldEvent | BlocksResponseBlocksBlockAdmissionsJoinMessageIdFieldEvent | BlocksResponseBlocksBlockQueriesMessageIdFieldEvent | BlocksResponseBlocksBlockQueriesSubmitterFieldEvent | BlocksResponseBlocksBlockRoundMessagesMessageIdFieldEvent | BlocksResponseBlocksBlockRoundMessagesQueryIdFieldEvent | BlocksResponseBlocksBlockLastCommitRoundFieldEvent | BlocksResponseBlocksBlockLastCommitPrecommitsFieldEvent | BlocksResponseBlocksBlockEvidenceFirstFieldEvent | BlocksResponseBlocksBlockEvidenceSecondFieldEvent | BlocksResponseBlocksCertificateHeaderHeightFieldEvent | BlocksResponseBlocksCertificateHeaderPrevHashFieldEvent | BlocksResponseBlocksCertificateHeaderRecordsRootFieldEvent | BlocksResponseBlocksCertificateHeaderStateRootFieldEvent | BlocksResponseBlocksCertificateHeaderTimeFieldEvent | BlocksResponseBlocksCertificateHeaderProposerFieldEvent | BlocksResponseBlocksCertificateHeaderQueriesRootFieldEvent | BlocksResponseBlocksCertificateHeaderRoundMessagesRootFieldEvent | BlocksResponseBlocksCertificateHeaderLastCommitHashFieldEvent | BlocksResponseBlocksCertificateHeaderEvidenceHashFieldEvent | BlocksResponseBlocksCertificateRoundFieldEvent | BlocksResponseBlocksCertificatePrecommitsFieldEvent> {
    return streamMessage(buf, BlocksResponse.codec(), opts)
  }
}

export interface MessagesResponse {
  envelopes: Uint8Array<ArrayBuffer>[]
}

export namespace MessagesResponse {
  let _codec: Codec<MessagesResponse>

  export const codec = (): Codec<MessagesResponse> => {
    if (_codec == null) {
      _codec = message<MessagesResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.envelopes != null && obj.envelopes.length > 0) {
          for (const value of obj.envelopes) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements')
              }

              if (obj.envelopes.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements')
              }

              obj.envelopes.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          envelopes: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements')
              }

              if (obj.envelopes === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements')
              }

              yield {
                field: `${prefix}.envelopes[]`,
                index: obj.envelopes,
                value: reader.bytes()
              }

              obj.envelopes++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MessagesResponseEnvelopesFieldEvent {
    field: '$.envelopes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MessagesResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MessagesResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessagesResponse>): MessagesResponse {
    return decodeMessage(buf, MessagesResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessagesResponse>): Generator<MessagesResponseEnvelopesFieldEvent> {
    return streamMessage(buf, MessagesResponse.codec(), opts)
  }
}

export interface SyncResponse {
  status?: StatusResponse
  blocks?: BlocksResponse
  messages?: MessagesResponse
  error?: string
  snapshot?: SnapshotResponse
}

export namespace SyncResponse {
  let _codec: Codec<SyncResponse>

  export const codec = (): Codec<SyncResponse> => {
    if (_codec == null) {
      _codec = message<SyncResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.snapshot != null) {
          obj.error = undefined
          obj.messages = undefined
          obj.blocks = undefined
          obj.status = undefined
        }

        if (obj.error != null) {
          obj.snapshot = undefined
          obj.messages = undefined
          obj.blocks = undefined
          obj.status = undefined
        }

        if (obj.messages != null) {
          obj.snapshot = undefined
          obj.error = undefined
          obj.blocks = undefined
          obj.status = undefined
        }

        if (obj.blocks != null) {
          obj.snapshot = undefined
          obj.error = undefined
          obj.messages = undefined
          obj.status = undefined
        }

        if (obj.status != null) {
          obj.snapshot = undefined
          obj.error = undefined
          obj.messages = undefined
          obj.blocks = undefined
        }

        if (obj.status != null) {
          w.uint32(10)
          StatusResponse.codec().encode(obj.status, w)
        }

        if (obj.blocks != null) {
          w.uint32(18)
          BlocksResponse.codec().encode(obj.blocks, w)
        }

        if (obj.messages != null) {
          w.uint32(26)
          MessagesResponse.codec().encode(obj.messages, w)
        }

        if (obj.error != null) {
          w.uint32(34)
          w.string(obj.error)
        }

        if (obj.snapshot != null) {
          w.uint32(42)
          SnapshotResponse.codec().encode(obj.snapshot, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = StatusResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status
              })
              break
            }
            case 2: {
              obj.blocks = BlocksResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.blocks
              })
              break
            }
            case 3: {
              obj.messages = MessagesResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.messages
              })
              break
            }
            case 4: {
              obj.error = reader.string()
              break
            }
            case 5: {
              obj.snapshot = SnapshotResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.snapshot
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.snapshot != null) {
          delete obj.error
          delete obj.messages
          delete obj.blocks
          delete obj.status
        }

        if (obj.error != null) {
          delete obj.snapshot
          delete obj.messages
          delete obj.blocks
          delete obj.status
        }

        if (obj.messages != null) {
          delete obj.snapshot
          delete obj.error
          delete obj.blocks
          delete obj.status
        }

        if (obj.blocks != null) {
          delete obj.snapshot
          delete obj.error
          delete obj.messages
          delete obj.status
        }

        if (obj.status != null) {
          delete obj.snapshot
          delete obj.error
          delete obj.messages
          delete obj.blocks
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * StatusResponse.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                limits: opts.limits?.status
              })

              break
            }
            case 2: {
              yield * BlocksResponse.codec().stream(reader, reader.uint32(), `${prefix}.blocks`, {
                limits: opts.limits?.blocks
              })

              break
            }
            case 3: {
              yield * MessagesResponse.codec().stream(reader, reader.uint32(), `${prefix}.messages`, {
                limits: opts.limits?.messages
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.error`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield * SnapshotResponse.codec().stream(reader, reader.uint32(), `${prefix}.snapshot`, {
                limits: opts.limits?.snapshot
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SyncResponseStatusHeightFieldEvent {
    field: '$.status.height'
    value: number
  }

  export interface SyncResponseStatusHeadHashFieldEvent {
    field: '$.status.headHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseStatusSnapshotHeightFieldEvent {
    field: '$.status.snapshotHeight'
    value: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderHeightFieldEvent {
    field: '$.blocks.blocks[].block.header.height'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderPrevHashFieldEvent {
    field: '$.blocks.blocks[].block.header.prevHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderRecordsRootFieldEvent {
    field: '$.blocks.blocks[].block.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderStateRootFieldEvent {
    field: '$.blocks.blocks[].block.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderTimeFieldEvent {
    field: '$.blocks.blocks[].block.header.time'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderProposerFieldEvent {
    field: '$.blocks.blocks[].block.header.proposer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderQueriesRootFieldEvent {
    field: '$.blocks.blocks[].block.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderRoundMessagesRootFieldEvent {
    field: '$.blocks.blocks[].block.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderLastCommitHashFieldEvent {
    field: '$.blocks.blocks[].block.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockHeaderEvidenceHashFieldEvent {
    field: '$.blocks.blocks[].block.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsQueryIdFieldEvent {
    field: '$.blocks.blocks[].block.records[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsIncludedMessageIdsFieldEvent {
    field: '$.blocks.blocks[].block.records[].includedMessageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseBlocksBlocksBlockRecordsCandidatesFieldEvent {
    field: '$.blocks.blocks[].block.records[].candidates[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseBlocksBlocksBlockRecordsStrengthsPpmFieldEvent {
    field: '$.blocks.blocks[].block.records[].strengthsPpm[]'
    index: number
    value: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsWinnerFieldEvent {
    field: '$.blocks.blocks[].block.records[].winner'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsDeltasNodeFieldEvent {
    field: '$.blocks.blocks[].block.records[].deltas[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsDeltasDeltaPpmFieldEvent {
    field: '$.blocks.blocks[].block.records[].deltas[].deltaPpm'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsDeltasQualifiesFieldEvent {
    field: '$.blocks.blocks[].block.records[].deltas[].qualifies'
    value: boolean
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsParticipationsNodeFieldEvent {
    field: '$.blocks.blocks[].block.records[].participations[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsParticipationsKindFieldEvent {
    field: '$.blocks.blocks[].block.records[].participations[].kind'
    value: ParticipationKind
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRecordsParticipationsScorePpmFieldEvent {
    field: '$.blocks.blocks[].block.records[].participations[].scorePpm'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockAdmissionsNodeFieldEvent {
    field: '$.blocks.blocks[].block.admissions[].node'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockAdmissionsJoinMessageIdFieldEvent {
    field: '$.blocks.blocks[].block.admissions[].joinMessageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockQueriesMessageIdFieldEvent {
    field: '$.blocks.blocks[].block.queries[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockQueriesSubmitterFieldEvent {
    field: '$.blocks.blocks[].block.queries[].submitter'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRoundMessagesMessageIdFieldEvent {
    field: '$.blocks.blocks[].block.roundMessages[].messageId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockRoundMessagesQueryIdFieldEvent {
    field: '$.blocks.blocks[].block.roundMessages[].queryId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockLastCommitRoundFieldEvent {
    field: '$.blocks.blocks[].block.lastCommit.round'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockLastCommitPrecommitsFieldEvent {
    field: '$.blocks.blocks[].block.lastCommit.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseBlocksBlocksBlockEvidenceFirstFieldEvent {
    field: '$.blocks.blocks[].block.evidence[].first'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksBlockEvidenceSecondFieldEvent {
    field: '$.blocks.blocks[].block.evidence[].second'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderHeightFieldEvent {
    field: '$.blocks.blocks[].certificate.header.height'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderPrevHashFieldEvent {
    field: '$.blocks.blocks[].certificate.header.prevHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderRecordsRootFieldEvent {
    field: '$.blocks.blocks[].certificate.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderStateRootFieldEvent {
    field: '$.blocks.blocks[].certificate.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderTimeFieldEvent {
    field: '$.blocks.blocks[].certificate.header.time'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderProposerFieldEvent {
    field: '$.blocks.blocks[].certificate.header.proposer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderQueriesRootFieldEvent {
    field: '$.blocks.blocks[].certificate.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.blocks.blocks[].certificate.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderLastCommitHashFieldEvent {
    field: '$.blocks.blocks[].certificate.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateHeaderEvidenceHashFieldEvent {
    field: '$.blocks.blocks[].certificate.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificateRoundFieldEvent {
    field: '$.blocks.blocks[].certificate.round'
    value: number
    index: number
  }

  export interface SyncResponseBlocksBlocksCertificatePrecommitsFieldEvent {
    field: '$.blocks.blocks[].certificate.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseMessagesEnvelopesFieldEvent {
    field: '$.messages.envelopes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseErrorFieldEvent {
    field: '$.error'
    value: string
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderHeightFieldEvent {
    field: '$.snapshot.steps[].certificate.header.height'
    value: number
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderPrevHashFieldEvent {
    field: '$.snapshot.steps[].certificate.header.prevHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderRecordsRootFieldEvent {
    field: '$.snapshot.steps[].certificate.header.recordsRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderStateRootFieldEvent {
    field: '$.snapshot.steps[].certificate.header.stateRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderTimeFieldEvent {
    field: '$.snapshot.steps[].certificate.header.time'
    value: number
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderProposerFieldEvent {
    field: '$.snapshot.steps[].certificate.header.proposer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderQueriesRootFieldEvent {
    field: '$.snapshot.steps[].certificate.header.queriesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderRoundMessagesRootFieldEvent {
    field: '$.snapshot.steps[].certificate.header.roundMessagesRoot'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderLastCommitHashFieldEvent {
    field: '$.snapshot.steps[].certificate.header.lastCommitHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateHeaderEvidenceHashFieldEvent {
    field: '$.snapshot.steps[].certificate.header.evidenceHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificateRoundFieldEvent {
    field: '$.snapshot.steps[].certificate.round'
    value: number
    index: number
  }

  export interface SyncResponseSnapshotStepsCertificatePrecommitsFieldEvent {
    field: '$.snapshot.steps[].certificate.precommits[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncResponseSnapshotStepsLedgerFieldEvent {
    field: '$.snapshot.steps[].ledger'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncResponseSnapshotStepsOffsetFieldEvent {
    field: '$.snapshot.steps[].offset'
    value: number
    index: number
  }

  export interface SyncResponseSnapshotStepsLedgerBytesFieldEvent {
    field: '$.snapshot.steps[].ledgerBytes'
    value: number
    index: number
  }

  export function encode (obj: Partial<SyncResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncResponse>): SyncResponse {
    return decodeMessage(buf, SyncResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncResponse>): Generator<SyncResponseStatusHeightFieldEvent | SyncResponseStatusHeadHashFieldEvent | SyncResponseStatusSnapshotHeightFieldEvent | SyncResponseBlocksBlocksBlockHeaderHeightFieldEvent | SyncResponseBlocksBlocksBlockHeaderPrevHashFieldEvent | SyncResponseBlocksBlocksBlockHeaderRecordsRootFieldEvent | SyncResponseBlocksBlocksBlockHeaderStateRootFieldEvent | SyncResponseBlocksBlocksBlockHeaderTimeFieldEvent | SyncResponseBlocksBlocksBlockHeaderProposerFieldEvent | SyncResponseBlocksBlocksBlockHeaderQueriesRootFieldEvent | SyncResponseBlocksBlocksBlockHeaderRoundMessagesRootFieldEvent | SyncResponseBlocksBlocksBlockHeaderLastCommitHashFieldEvent | SyncResponseBlocksBlocksBlockHeaderEvidenceHashFieldEvent | SyncResponseBlocksBlocksBlockRecordsQueryIdFieldEvent | SyncResponseBlocksBlocksBlockRecordsIncludedMessageIdsFieldEvent | SyncResponseBlocksBlocksBlockRecordsCandidatesFieldEvent | SyncResponseBlocksBlocksBlockRecordsStrengthsPpmFieldEvent | SyncResponseBlocksBlocksBlockRecordsWinnerFieldEvent | SyncResponseBlocksBlocksBlockRecordsDeltasNodeFieldEvent | SyncResponseBlocksBlocksBlockRecordsDeltasDeltaPpmFieldEvent | SyncResponseBlocksBlocksBlockRecordsDeltasQualifiesFieldEvent | SyncResponseBlocksBlocksBlockRecordsParticipationsNodeFieldEvent | SyncResponseBlocksBlocksBlockRecordsParticipationsKindFieldEvent | SyncResponseBlocksBlocksBlockRecordsParticipationsScorePpmFieldEvent | SyncResponseBlocksBlocksBlockAdmissionsNodeFieldEvent | SyncResponseBlocksBlocksBlockAdmissionsJoinMessageIdFieldEvent | SyncResponseBlocksBlocksBlockQueriesMessageIdFieldEvent | SyncResponseBlocksBlocksBlockQueriesSubmitterFieldEvent | SyncResponseBlocksBlocksBlockRoundMessagesMessageIdFieldEvent | SyncResponseBlocksBlocksBlockRoundMessagesQueryIdFieldEvent | SyncResponseBlocksBlocksBlockLastCommitRoundFieldEvent | SyncResponseBlocksBlocksBlockLastCommitPrecommitsFieldEvent | SyncResponseBlocksBlocksBlockEvidenceFirstFieldEvent | SyncResponseBlocksBlocksBlockEvidenceSecondFieldEvent | SyncResponseBlocksBlocksCertificateHeaderHeightFieldEvent | SyncResponseBlocksBlocksCertificateHeaderPrevHashFieldEvent | SyncResponseBlocksBlocksCertificateHeaderRecordsRootFieldEvent | SyncResponseBlocksBlocksCertificateHeaderStateRootFieldEvent | SyncResponseBlocksBlocksCertificateHeaderTimeFieldEvent | SyncResponseBlocksBlocksCertificateHeaderProposerFieldEvent | SyncResponseBlocksBlocksCertificateHeaderQueriesRootFieldEvent | SyncResponseBlocksBlocksCertificateHeaderRoundMessagesRootFieldEvent | SyncResponseBlocksBlocksCertificateHeaderLastCommitHashFieldEvent | SyncResponseBlocksBlocksCertificateHeaderEvidenceHashFieldEvent | SyncResponseBlocksBlocksCertificateRoundFieldEvent | SyncResponseBlocksBlocksCertificatePrecommitsFieldEvent | SyncResponseMessagesEnvelopesFieldEvent | SyncResponseErrorFieldEvent | SyncResponseSnapshotStepsCertificateHeaderHeightFieldEvent | SyncResponseSnapshotStepsCertificateHeaderPrevHashFieldEvent | SyncResponseSnapshotStepsCertificateHeaderRecordsRootFieldEvent | SyncResponseSnapshotStepsCertificateHeaderStateRootFieldEvent | SyncResponseSnapshotStepsCertificateHeaderTimeFieldEvent | SyncResponseSnapshotStepsCertificateHeaderProposerFieldEvent | SyncResponseSnapshotStepsCertificateHeaderQueriesRootFieldEvent | SyncResponseSnapshotStepsCertificateHeaderRoundMessagesRootFieldEvent | SyncResponseSnapshotStepsCertificateHeaderLastCommitHashFieldEvent | SyncResponseSnapshotStepsCertificateHeaderEvidenceHashFieldEvent | SyncResponseSnapshotStepsCertificateRoundFieldEvent | SyncResponseSnapshotStepsCertificatePrecommitsFieldEvent | SyncResponseSnapshotStepsLedgerFieldEvent | SyncResponseSnapshotStepsOffsetFieldEvent | SyncResponseSnapshotStepsLedgerBytesFieldEvent> {
    return streamMessage(buf, SyncResponse.codec(), opts)
  }
}
