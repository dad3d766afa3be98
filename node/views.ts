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

/** The block a final view names, with what a client needs to verify the answer offline. */
export interface FinalBlockRef { height: number, hash: string, certificate: CommitCertificate, recordHashes: string[] }

/**
 * What a final view shows that its block does not hold: the query's fields, the committees this
 * node saw, the answer texts and who revealed each (from the reveals), when it became final here.
 * The rest of the view is computed from the record and its block (assembleFinalView), so a view
 * can be stored without them and rebuilt from the stored block (node/stored-view.ts).
 */
export interface FinalViewFacts {
  prompt: string
  createdAt: number
  anchorHeight: number
  answerers?: string[]
  rankers?: string[]
  /** the winner's text; null when there is no winner or its reveal is not held */
  answer: string | null
  /** by candidate id: its text and who revealed it, for the candidates whose reveals are held */
  texts: ReadonlyMap<string, { answer: string, answerers: string[] }>
  finalizedAt: number
}

/**
 * The final view of a query from its committed record and the messages it names (answer texts
 * come from the reveals; a node that synced the block without the messages shows ids only).
 */
export function finalView (record: RoundRecord, messages: ReadonlyMap<string, SignedMessage>, block: FinalBlockRef, before: QueryView | undefined, now: number): QueryView {
  const query = messages.get(toHex(record.queryId))?.payload.query
  const texts = new Map<string, { answer: string, answerers: string[] }>()
  for (const mid of record.includedMessageIds) {
    const m = messages.get(toHex(mid))
    const reveal = m?.payload.answerReveal
    if (m === undefined || reveal === undefined) continue
    const cid = candidateId(reveal.answer)
    texts.set(cid, { answer: reveal.answer, answerers: [...(texts.get(cid)?.answerers ?? []), m.signerId] })
  }
  const winner = record.winner.length === 0 ? null : toHex(record.winner)
  return assembleFinalView(record, {
    prompt: query?.prompt ?? before?.prompt ?? '',
    createdAt: query?.createdAt ?? before?.createdAt ?? 0,
    anchorHeight: query?.anchorHeight ?? before?.anchorHeight ?? 0,
    answerers: before?.answerers,
    rankers: before?.rankers,
    answer: winner === null ? null : (texts.get(winner)?.answer ?? null),
    texts,
    finalizedAt: now
  }, block)
}

/** The final view from its record, its block and the facts the block does not hold (the one place a final view is built). */
export function assembleFinalView (record: RoundRecord, facts: FinalViewFacts, block: FinalBlockRef): QueryView {
  const total = record.strengthsPpm.reduce((s, x) => s + x, 0)
  const candidates = record.candidates
    .map((c, k) => ({ id: toHex(c), answer: facts.texts.get(toHex(c))?.answer ?? '', strengthPpm: record.strengthsPpm[k], strength: total > 0 ? record.strengthsPpm[k] / total : 0, answerers: facts.texts.get(toHex(c))?.answerers ?? [] }))
    .sort((x, y) => y.strengthPpm - x.strengthPpm || (x.id < y.id ? -1 : 1))
  const winner = record.winner.length === 0 ? null : toHex(record.winner)
  // Candidates sharing the top strength: the winner among them is only the id tie-break.
  const top = Math.max(0, ...record.strengthsPpm)
  const tiedTop = candidates.filter(c => c.strengthPpm === top)
  return {
    id: toHex(record.queryId),
    prompt: facts.prompt,
    status: 'final',
    phase: 'final',
    createdAt: facts.createdAt,
    anchorHeight: facts.anchorHeight,
    answerers: facts.answerers,
    rankers: facts.rankers,
    answer: facts.answer,
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
    finalizedAt: facts.finalizedAt
  }
}
