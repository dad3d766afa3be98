import { toHex } from '../protocol/hash.js'
import { nodeIdFromBytes } from '../protocol/record.js'
import type { Block, CommitCertificate } from '../protocol/wire/messages.js'
import type { QueryView } from './store.js'
import type { SwarmNode } from './swarm-node.js'

export interface BlockSummary {
  height: number
  hash: string
  time: number
  proposer: string
  records: number
  admissions: number
  /** the Tendermint round that decided it, and how many precommits its certificate carries */
  round: number
  precommits: number
  stateRoot: string
}

export interface RoundSummary {
  id: string
  prompt: string
  answer: string | null
  /** the top candidates tie: the answer shown is only the tie-break */
  tie: boolean
  candidates: Array<{ answer: string, strength: number, answerers: number }>
  height: number
  createdAt: number
  finalizedAt: number
}

export interface ReputationPoint {
  height: number
  time: number
  /** reputation by peer id, parts per million */
  reputations: Record<string, number>
}

const KEEP = 100
const TOP_NODES = 32

/**
 * What the dashboard shows: the node's recent blocks, final rounds and reputation history, kept
 * in memory from the node's own events (bounded rings, newest last). Started with the node, so
 * a freshly started node shows what happened since.
 */
export class NodeActivity {
  readonly blocks: BlockSummary[] = []
  readonly rounds: RoundSummary[] = []
  readonly reputation: ReputationPoint[] = []
  private readonly node: SwarmNode
  private readonly onBlock: (e: Event) => void
  private readonly onRound: (e: Event) => void

  constructor (node: SwarmNode) {
    this.node = node
    this.onBlock = e => { this.block((e as CustomEvent<{ height: number, hash: string, block: Block, certificate: CommitCertificate }>).detail) }
    this.onRound = e => { this.round((e as CustomEvent<{ view: QueryView }>).detail.view) }
    node.addEventListener('block', this.onBlock)
    node.addEventListener('round-final', this.onRound)
  }

  close (): void {
    this.node.removeEventListener('block', this.onBlock)
    this.node.removeEventListener('round-final', this.onRound)
  }

  private block (d: { height: number, hash: string, block: Block, certificate: CommitCertificate }): void {
    const h = d.block.header!
    push(this.blocks, {
      height: d.height,
      hash: d.hash,
      time: h.time,
      proposer: nodeIdFromBytes(h.proposer),
      records: d.block.records.length,
      admissions: d.block.admissions.length,
      round: d.certificate.round,
      precommits: d.certificate.precommits.length,
      stateRoot: toHex(h.stateRoot)
    })
    // The chart shows the leading nodes: keep the top 32 (and this node), so the feed stays small in big networks.
    const ranked = [...this.node.ledgerSnapshot().reputations].sort((x, y) => y.reputationPpm - x.reputationPpm || (x.peerId < y.peerId ? -1 : 1))
    const kept = ranked.filter((r, i) => i < TOP_NODES || r.peerId === this.node.peerId)
    push(this.reputation, { height: d.height, time: h.time, reputations: Object.fromEntries(kept.map(r => [r.peerId, r.reputationPpm])) })
  }

  private round (view: QueryView): void {
    push(this.rounds, {
      id: view.id,
      prompt: view.prompt,
      answer: view.answer ?? null,
      tie: view.tie !== undefined,
      candidates: (view.candidates ?? []).slice(0, 5).map(c => ({ answer: c.answer, strength: c.strength, answerers: c.answerers.length })),
      height: view.block?.height ?? 0,
      createdAt: view.createdAt,
      finalizedAt: view.finalizedAt ?? 0
    })
  }
}

function push<T> (ring: T[], item: T): void {
  ring.push(item)
  if (ring.length > KEEP) ring.shift()
}
