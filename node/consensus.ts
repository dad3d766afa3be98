import { checkProposedBlock, messagesNeeded } from '../protocol/bft/block-check.js'
import type { BlockCheck } from '../protocol/bft/block-check.js'
import { makeCertificate } from '../protocol/bft/certificate.js'
import { HeightDriver } from '../protocol/bft/height-driver.js'
import { consensusMessageOf } from '../protocol/bft/height-io.js'
import type { ConsensusMemory, HeightEffect, HeightEvent } from '../protocol/bft/height-io.js'
import type { ConsensusMetrics } from '../protocol/bft/metrics.js'
import type { ValueId } from '../protocol/bft/tendermint.js'
import type { ChainRoundInput } from '../protocol/chain-round.js'
import type { Genesis } from '../protocol/genesis.js'
import { embeddedEnvelopes, makeDoubleVote, offenceKey } from '../protocol/jailing.js'
import { fromHex, sha256, toHex } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { nodeIdFromBytes } from '../protocol/record.js'
import type { ReputationEntry } from '../protocol/reputation.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { decodeBlock, encodeBlock } from '../protocol/wire/codec.js'
import { VoteType } from '../protocol/wire/messages.js'
import { queryIdHexOf } from '../protocol/round.js'
import type { Block, CommitCertificate, Payload } from '../protocol/wire/messages.js'
import { ignore, reject, validateEnvelope } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { Chain, ImportedBlock } from './chain.js'
import { LastCommitCollector } from '../protocol/bft/last-commit.js'
import type { ChainSync } from './chain-sync.js'
import type { Logger } from './logger.js'
import type { MessageFetcher } from './message-fetcher.js'
import type { Publisher } from './publisher.js'

/** The last-sign state as stored (flat, blocks hex-encoded: the format of earlier versions' files), tagged with its network: a data directory reused for another network must not carry it over. */
export interface StoredConsensusMemory {
  height: number
  round: number
  lockedRound: number
  lockedId: ValueId
  lockedBlock?: string
  validRound: number
  validId: ValueId
  validBlock?: string
  votes: Record<string, ValueId>
}
export interface SignState { networkId: string, memory: StoredConsensusMemory }

/** Where the validator's last-sign state is kept: saved durably and synchronously before each vote. */
export interface SignStateStore {
  get: () => StoredConsensusMemory | undefined
  save: (memory: StoredConsensusMemory) => void
}

export interface ConsensusComponents {
  self: string
  networkId: Bytes
  genesis: Genesis
  chain: Chain
  fetcher: MessageFetcher
  chainSync: ChainSync
  publisher: Publisher
  signState: SignStateStore
  logger: Logger
  now: () => number
  metrics?: ConsensusMetrics
  /** queries a vote catch-up brought from peers' pools: taken as the query topic takes gossip (node/gossip.ts) */
  takeQueries?: (queries: SignedMessage[]) => Promise<void>
}

/**
 * The node's shell around the height driver (protocol/bft/height-driver.ts): it feeds the driver
 * gossip, closed rounds, Joins, timer expiries and imported blocks, and carries out what the
 * driver asks — sign and gossip proposals and votes (the sign state saved first), check proposed
 * blocks, keep timers, hand decided blocks to the chain, sync and pull votes from peers.
 */
export class ConsensusRunner {
  private readonly c: ConsensusComponents
  private readonly driver: HeightDriver<SignedMessage>
  private readonly timers = new Set<NodeJS.Timeout>()
  private wake?: { at: number, timer: NodeJS.Timeout }
  /** the last block's precommits, growing after the commit: the next block's LastCommit (protocol/jailing.ts) */
  private readonly lastCommit = new LastCommitCollector()
  private stopped = false

  constructor (components: ConsensusComponents, init: { censor?: (message: SignedMessage) => boolean } = {}) {
    this.c = components
    const stored = components.signState.get()
    this.driver = new HeightDriver<SignedMessage>({
      self: components.self,
      params: components.genesis.params,
      state: components.chain.current,
      memory: stored === undefined ? undefined : fromStored(stored),
      metrics: components.metrics,
      censor: init.censor
    })
    components.chain.onImport(imported => this.onImport(imported))
  }

  /** Start the stall checks, and take up the last block's commit from the store. */
  start (): void {
    this.run({ type: 'tick' })
    const height = this.c.chain.height
    if (this.recordsCommits() && height > 0) {
      void this.c.chain.certificateOf(height).then(cert => {
        if (cert !== undefined && this.c.chain.height === height && this.lastCommit.committedHeight < height) this.takeCommit(cert, this.c.chain.current.jailing?.certifiers)
      }).catch(err => this.c.logger.warn(`loading the commit of block ${height} failed: ${(err as Error).message}`))
    }
  }

  private recordsCommits (): boolean {
    return this.c.genesis.params.jailing !== undefined
  }

  private takeCommit (certificate: CommitCertificate, certifiers: ReadonlyMap<string, number> | undefined): void {
    this.lastCommit.reset(certificate, certifiers ?? new Map())
    this.run({ type: 'last-commit', height: certificate.header!.height, lastCommit: this.lastCommit.lastCommit(), complete: this.lastCommit.complete })
  }

  stop (): void {
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    clearTimeout(this.wake?.timer)
  }

  get height (): number {
    return this.driver.height
  }

  /** Rounds open on the chain, waiting for their records. */
  get openRounds (): number {
    return this.driver.openRounds
  }

  get equivocations (): number {
    return this.driver.equivocations
  }

  /** When consensus traffic for our height last arrived (we are at the network's height while it flows). */
  get lastInSyncAt (): number {
    return this.driver.lastInSyncAt
  }

  /** Envelopes of the proposals and votes this node accepted for `height`, if it is deciding it (vote catch-up). */
  messagesOfHeight (height: number): Uint8Array[] {
    return this.driver.messagesOfHeight(height).map(m => m.bytes)
  }

  /** Asked before a consensus message's signature is checked: why it can no longer matter, if it cannot. */
  uselessBecause (p: Payload): string | undefined {
    // A late precommit for the last block still counts: the next block records who signed.
    if (this.lastCommit.wants(p)) return undefined
    const height = p.vote?.height ?? p.blockProposal?.height
    return height === undefined ? undefined : this.driver.uselessBecause(height)
  }

  /** A validated proposal or vote (from gossip, a peer's catch-up answer, or ourselves). */
  onMessage (msg: SignedMessage): Validation<void> {
    const message = consensusMessageOf(msg)
    // [REJECT] only proposals (with a block) and votes travel as consensus messages
    if (message === undefined) return reject('not a consensus message on the consensus topic', 'wrong_topic')
    if (message.kind === 'vote' && message.height === this.lastCommit.committedHeight && (message.height < this.driver.height || this.driver.uselessBecause(message.height) !== undefined)) {
      if (this.lastCommit.add(msg)) this.run({ type: 'last-commit', height: message.height, lastCommit: this.lastCommit.lastCommit(), complete: this.lastCommit.complete })
      // [IGNORE] the height is committed; the precommit only joins the next block's LastCommit
      return ignore(`height ${message.height} is already committed`, 'late_precommit')
    }
    return this.run({ type: 'message', message }) ?? ignore('the node is stopping', 'stopping')
  }

  /** Whether the query waits here for a block to order it, or a block ordered it and its round is open. */
  knowsQuery (queryIdHex: string): boolean {
    return this.driver.knowsQuery(queryIdHex)
  }

  /** Queries waiting for a block to order them. */
  get pendingQueries (): number {
    return this.driver.pendingQueries
  }

  /** Ids of up to `max` queries waiting to be ordered, longest-waiting first (served with a vote catch-up). */
  waitingQueries (max: number): string[] {
    return this.driver.waitingQueries(max)
  }

  /** A validated Query from a member: it waits for a block to order it (DESIGN §8.2). */
  onQuery (msg: SignedMessage): Validation<void> {
    return this.run({ type: 'query', message: msg }) ?? ignore('the node is stopping', 'stopping')
  }

  /** A validated Join: the identity waits for a block to admit it. */
  onJoin (msg: SignedMessage): Validation<void> {
    return this.run({ type: 'join', message: msg }) ?? ignore('the node is stopping', 'stopping')
  }

  /** A block ordered the query: follow its round on the chain (`messages`: its round messages held here already). */
  openRound (input: ChainRoundInput, messages: SignedMessage[]): void {
    this.run({ type: 'round-opened', input, messages })
  }

  /** A round message that may count: it waits for a block to order it (DESIGN §8.6). */
  onRoundMessage (msg: SignedMessage): void {
    this.run({ type: 'round-message', message: msg })
  }

  /** A round closed here: a block can likely record it now. */
  roundClosed (queryIdHex: string): void {
    this.run({ type: 'round-ready', queryIdHex })
  }

  private onImport (imported: ImportedBlock): void {
    const { block, certificate } = imported
    this.c.logger.info(`committed block ${block.header!.height} (${block.records.length} record${block.records.length === 1 ? '' : 's'}, ${block.queries.length} quer${block.queries.length === 1 ? 'y' : 'ies'} and ${block.roundMessages.length} round message${block.roundMessages.length === 1 ? '' : 's'} ordered${block.admissions.length > 0 ? `, ${block.admissions.length} admission(s)` : ''}, round ${certificate.round}, ${certificate.precommits.length} precommits${imported.origin === 'synced' ? ', by sync' : ''})`)
    // the commit first: a proposal the next height starts with carries it
    if (this.recordsCommits()) this.takeCommit(certificate, imported.state.jailing?.certifiers)
    this.run({ type: 'committed', block, state: imported.state })
  }

  private run (event: HeightEvent<SignedMessage>): Validation<void> | undefined {
    if (this.stopped) return undefined
    const { effects, verdict } = this.driver.handle(event, this.c.now())
    for (const effect of effects) {
      try {
        this.carryOut(effect)
      } catch (err) {
        this.c.logger.error(`consensus at height ${this.driver.height}: ${(err as Error).stack ?? String(err)}`)
      }
    }
    return verdict
  }

  private carryOut (e: HeightEffect<SignedMessage>): void {
    switch (e.type) {
      case 'publish-proposal':
        this.publish({ networkId: this.c.networkId, blockProposal: { height: e.height, round: e.round, block: e.block, validRound: e.validRound } })
        break
      case 'save-sign-state':
        this.c.signState.save(toStored(e.memory))
        break
      case 'publish-vote':
        this.publish({ networkId: this.c.networkId, vote: { type: e.kind === 'prevote' ? VoteType.PREVOTE : VoteType.PRECOMMIT, height: e.height, round: e.round, blockHash: e.id === null ? new Uint8Array(0) : fromHex(e.id) } })
        break
      case 'check-block':
        void this.checkBlock(e.height, e.id, e.block, e.fresh, e.prefer)
        break
      case 'schedule-timeout':
        this.after(e.delayMs, { type: 'timeout', height: e.height, kind: e.kind, round: e.round })
        break
      case 'commit':
        void this.commit(e.height, e.block, e.round, e.precommits)
        break
      case 'sync':
        void this.c.chainSync.catchUp(e.peer)
        break
      case 'pull-votes':
        void this.pullVotes(e.height)
        break
      case 'wake-at':
        this.wakeAt(e.at)
        break
      case 'equivocation': {
        // Both signed votes become evidence for the next blocks (DESIGN §8.9).
        const a = e.first.evidence
        const b = e.second.evidence
        const v = a.payload.vote
        if (this.recordsCommits() && v !== undefined && b.payload.vote !== undefined) {
          this.run({ type: 'evidence', offender: a.signerId, key: offenceKey(a.signerId, v.height, v.round, v.type), height: v.height, evidence: makeDoubleVote(a, b) })
        }
        break
      }
      case 'note':
        this.c.logger[e.level](e.text)
        break
    }
  }

  private publish (payload: Payload): void {
    this.c.publisher.publish(payload)
      .then(msg => this.onMessage(msg))
      .catch(err => this.c.logger.warn(`publishing a consensus message failed: ${(err as Error).message}`))
  }

  private after (ms: number, event: HeightEvent<SignedMessage>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.run(event)
    }, ms)
    this.timers.add(timer)
  }

  /** One timer for the earliest wake-up asked for. */
  private wakeAt (at: number): void {
    if (this.wake !== undefined && this.wake.at <= at) return
    clearTimeout(this.wake?.timer)
    const timer = setTimeout(() => {
      this.wake = undefined
      this.run({ type: 'tick' })
    }, Math.max(0, at - this.c.now()) + 2)
    timer.unref()
    this.wake = { at, timer }
  }

  private async commit (height: number, block: Block, round: number, precommits: SignedMessage[]): Promise<void> {
    try {
      const certificate = makeCertificate(block.header!, round, precommits)
      // Precommits arriving while the block is stored still count for the next block's LastCommit.
      if (this.recordsCommits() && this.c.chain.height === height - 1) this.lastCommit.reset(certificate, this.c.chain.current.validators)
      const result = await this.c.chain.importDecided(block, certificate)
      // not_next: block sync imported this height first (the chain told the driver already)
      if (!result.imported && result.code !== 'not_next') {
        this.c.logger.error(`storing decided block ${height} failed: ${result.reason}`)
        this.run({ type: 'commit-failed', height })
      }
    } catch (err) {
      this.c.logger.error(`storing decided block ${height} failed: ${(err as Error).stack ?? String(err)}`)
      this.run({ type: 'commit-failed', height })
    }
  }

  private async pullVotes (height: number): Promise<void> {
    const waiting = new Set(this.driver.waitingQueries(Number.MAX_SAFE_INTEGER))
    const pulled = await this.c.chainSync.pullConsensus(height, id => this.driver.hasMessage(id) || waiting.has(id)).catch(() => ({ messages: [], queries: [] }))
    // A query only a peer holds (acknowledged while it was cut off; gossip does not resend it) is
    // work this height should order: taking it starts the height here (docs/reliability.md).
    if (pulled.queries.length > 0) await this.c.takeQueries?.(pulled.queries)
    let fed = 0
    for (const m of pulled.messages) {
      if (this.driver.height !== height) break
      if (this.onMessage(m).result === 'ACCEPT') fed++
    }
    if (fed > 0) this.c.logger.info(`height ${height}: caught up on ${fed} proposal(s) and vote(s) from peers`)
  }

  /** valid(v): fetch what the block names and recompute it (protocol/bft/block-check.ts). */
  private async checkBlock (height: number, id: string, block: Block, fresh: boolean, prefer?: string): Promise<void> {
    const started = performance.now()
    let verdict: BlockCheck
    try {
      const state = this.c.chain.current
      const messages = await this.c.fetcher.fetch(messagesNeeded(block, state), prefer)
      // Signed votes the block embeds (its LastCommit, evidence): verified here, reused when held already.
      for (const bytes of embeddedEnvelopes(block)) {
        const id = toHex(sha256(bytes))
        if (messages.has(id)) continue
        const held = this.lastCommit.verified(id)
        if (held !== undefined) { messages.set(id, held); continue }
        const v = await validateEnvelope(bytes, { networkId: this.c.networkId, now: 0 })
        if (v.result === 'ACCEPT') messages.set(id, v.value)
      }
      // each round runs over the ledger after the block that ordered its query
      const tables = new Map<number, ReadonlyMap<string, ReputationEntry> | undefined>()
      for (const qid of [...block.records.map(r => r.queryId), ...block.roundMessages.map(m => m.queryId)].map(toHex)) {
        const at = state.ordered.get(qid)?.height
        if (at !== undefined && !tables.has(at)) tables.set(at, await this.c.chain.loadTable(at))
      }
      // all at once: one read after another, each behind a busy event loop, overran the propose timeout
      const finalFlags = await Promise.all(block.records.map(async r => this.c.chain.isFinal(toHex(r.queryId))))
      const finalized = new Set(block.records.filter((_, i) => finalFlags[i]).map(r => toHex(r.queryId)))
      verdict = checkProposedBlock(block, {
        state,
        params: this.c.genesis.params,
        validators: state.validators,
        messages,
        tableAt: h => tables.get(h),
        isFinalized: q => finalized.has(q),
        clock: { now: this.c.now(), fresh }
      })
      // The round messages fetched for the check: the pool needs them to follow their rounds.
      for (const m of messages.values()) if (queryIdHexOf(m.payload) !== undefined) this.run({ type: 'round-message', message: m })
    } catch (err) {
      verdict = { valid: false, code: 'error', reason: (err as Error).message }
    }
    const seconds = (performance.now() - started) / 1000
    this.c.metrics?.blockCheck(seconds, verdict.valid ? 'valid' : verdict.code)
    if (this.stopped) return
    this.c.logger.debug(`block ${id.slice(0, 12)} at ${height} checked in ${Math.round(seconds * 1000)} ms: ${verdict.valid ? 'valid' : verdict.reason}`)
    if (!verdict.valid) this.c.logger.warn(`block ${id.slice(0, 12)} at height ${height} is invalid: ${verdict.reason}; prevoting nil`)
    this.run({ type: 'validated', height, id, valid: verdict.valid })
    // Our own block failed our own check because of one record: it can never be valid, so it
    // leaves the pool rather than poison every block we propose (DESIGN §8.4).
    if (!verdict.valid && verdict.queryIdHex !== undefined && nodeIdFromBytes(block.header!.proposer) === this.c.self) {
      this.run({ type: 'record-refused', queryIdHex: verdict.queryIdHex, reason: verdict.reason })
    }
  }
}

function toStored ({ height, votes, lock: l }: ConsensusMemory): StoredConsensusMemory {
  const hex = (b: Block | undefined): string | undefined => b === undefined ? undefined : toHex(encodeBlock(b))
  return { height, votes: { ...votes }, round: l.round, lockedRound: l.lockedRound, lockedId: l.lockedId, lockedBlock: hex(l.lockedValue), validRound: l.validRound, validId: l.validId, validBlock: hex(l.validValue) }
}

function fromStored (m: StoredConsensusMemory): ConsensusMemory {
  const block = (hex: string | undefined): Block | undefined => hex === undefined ? undefined : decodeBlock(fromHex(hex))
  return {
    height: m.height,
    votes: m.votes,
    lock: { round: m.round, lockedRound: m.lockedRound, lockedId: m.lockedId, lockedValue: block(m.lockedBlock), validRound: m.validRound, validId: m.validId, validValue: block(m.validBlock) }
  }
}
