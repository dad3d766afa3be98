import { toHex } from '../protocol/hash.js'
import { candidateId, nodeIdFromBytes } from '../protocol/record.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import type { CommitCertificate, RoundRecord } from '../protocol/wire/messages.js'
import { encodeCommitCertificate, encodeRoundRecord } from '../protocol/wire/codec.js'
import type { QueryView } from './store.js'

/** What the API shows of a query, built from the query and its record. */
export function pendingView (query: SignedMessage): QueryView {
  const q = query.payload.query!
  return { id: query.idHex, prompt: q.prompt, status: 'pending', phase: 'answering', createdAt: q.createdAt, anchorHeight: q.anchorHeight }
}

/**
 * The final view of a query from its committed record and the messages it names (answer texts
 * come from the reveals; a node that synced the block without the messages shows ids only).
 */
export function finalView (record: RoundRecord, messages: ReadonlyMap<string, SignedMessage>, block: { height: number, hash: string, certificate: CommitCertificate, recordHashes: string[] }, before: QueryView | undefined, now: number): QueryView {
  const id = toHex(record.queryId)
  const query = messages.get(id)?.payload.query
  const textOf = new Map<string, string>()
  const answerersOf = new Map<string, string[]>()
  for (const mid of record.includedMessageIds) {
    const m = messages.get(toHex(mid))
    const reveal = m?.payload.answerReveal
    if (m === undefined || reveal === undefined) continue
    const cid = candidateId(reveal.answer)
    textOf.set(cid, reveal.answer)
    answerersOf.set(cid, [...(answerersOf.get(cid) ?? []), m.signerId])
  }
  const total = record.strengthsPpm.reduce((s, x) => s + x, 0)
  const candidates = record.candidates
    .map((c, k) => ({ id: toHex(c), answer: textOf.get(toHex(c)) ?? '', strengthPpm: record.strengthsPpm[k], strength: total > 0 ? record.strengthsPpm[k] / total : 0, answerers: answerersOf.get(toHex(c)) ?? [] }))
    .sort((x, y) => y.strengthPpm - x.strengthPpm || (x.id < y.id ? -1 : 1))
  const winner = record.winner.length === 0 ? null : toHex(record.winner)
  // Candidates sharing the top strength: the winner among them is only the id tie-break.
  const top = Math.max(0, ...record.strengthsPpm)
  const tiedTop = candidates.filter(c => c.strengthPpm === top)
  return {
    id,
    prompt: query?.prompt ?? before?.prompt ?? '',
    status: 'final',
    phase: 'final',
    createdAt: query?.createdAt ?? before?.createdAt ?? 0,
    anchorHeight: query?.anchorHeight ?? before?.anchorHeight ?? 0,
    answerers: before?.answerers,
    rankers: before?.rankers,
    answer: winner === null ? null : (textOf.get(winner) ?? null),
    winner,
    ...(tiedTop.length > 1 ? { tie: tiedTop.map(c => c.id) } : {}),
    candidates,
    strengths: Object.fromEntries(candidates.map(c => [c.id, c.strengthPpm])),
    record: {
      height: block.height,
      includedMessages: record.includedMessageIds.length,
      deltas: record.deltas.map(d => ({ peerId: nodeIdFromBytes(d.node), deltaPpm: d.deltaPpm }))
    },
    block: { height: block.height, hash: block.hash, round: block.certificate.round, certificate: toHex(encodeCommitCertificate(block.certificate)), record: toHex(encodeRoundRecord(record)), recordHashes: block.recordHashes },
    finalizedAt: now
  }
}
