import { proposerFor } from '../protocol/bft/proposer.js'
import { checkProposedBlock } from '../protocol/bft/block-check.js'
import { makeCertificate } from '../protocol/bft/certificate.js'
import { Tendermint } from '../protocol/bft/tendermint.js'
import type { TendermintAction, TendermintEvent, ValueId } from '../protocol/bft/tendermint.js'
import type { Genesis } from '../protocol/genesis.js'
import { fromHex, toHex } from '../protocol/hash.js'
import type { Bytes } from '../protocol/hash.js'
import { blockHash, proposeBlock, recordHash } from '../protocol/ledger.js'
import { nodeIdFromBytes } from '../protocol/record.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { decodeBlock, encodeBlock } from '../protocol/wire/codec.js'
import { VoteType } from '../protocol/wire/messages.js'
import type { Block, CommitCertificate, Payload, RoundRecord } from '../protocol/wire/messages.js'
import { accept, ignore, reject } from '../protocol/wire/validate.js'
import type { Validation } from '../protocol/wire/validate.js'
import type { LedgerKeeper } from './ledger-keeper.js'
import type { Logger } from './logger.js'
import type { NodeStore } from './store.js'

export interface ConsensusComponents {
  self: string
  networkId: Bytes
  genesis: Genesis
  ledger: LedgerKeeper
  store: NodeStore
  /** the validator's last-sign state, saved durably (and synchronously) before each vote */
  signState: { get: () => ConsensusMemory | undefined, save: (memory: ConsensusMemory) => void }
  logger: Logger
  now: () => number
  /** sign and gossip on the consensus topic; returns the signed message */
  publish: (payload: Payload) => Promise<SignedMessage | undefined>
  /** the named messages, from the store or from peers (`prefer` asked first); missing ones are left out */
  fetchMessages: (idsHex: string[], prefer?: string) => Promise<Map<string, SignedMessage>>
  /** persist a committed block (the ledger has not been advanced yet) */
  onCommit: (block: Block, certificate: CommitCertificate) => Promise<void>
  /** we saw traffic for a height above ours from `peer`: catch up by block sync */
  onBehind: (height: number, peer: string) => void
  /** ask a few peers for the proposals and votes they hold for this height (already validated envelopes) */
  pullConsensus: (height: number, known: (idHex: string) => boolean) => Promise<SignedMessage[]>
}

/** A round this node finished, waiting for a block. */
interface ReadyRound {
  record: RoundRecord
  messages: readonly SignedMessage[]
}

/** What is persisted (synced) before every vote, so a restart never signs against it. */
export interface ConsensusMemory {
  height: number
  round: number
  lockedRound: number
  lockedId: ValueId
  lockedBlock?: string
  validRound: number
  validId: ValueId
  validBlock?: string
  /** "round/kind" → the value id voted */
  votes: Record<string, ValueId>
}

/** Messages for heights above ours kept until we get there (bounded). */
const MAX_FUTURE = 2_000
/** Pending Join requests kept (bounded against floods of fresh identities). */
const MAX_PENDING_JOINS = 256
/** Proposals and votes of the current height kept to serve peers catching up on votes. */
const MAX_HEIGHT_MESSAGES = 4_096
/**
 * A height that sits in one round and step this long asks peers for their votes. Gossip does
 * not resend old messages: a validator back from a restart after the others voted would
 * otherwise never complete the quorum they wait for (the simulator's churn experiment found
 * heights stalled for good that way).
 */
const STALL_MS = 3_000
/**
 * Votes for the next height reach a validator that has not yet seen the last precommits all the
 * time: it commits from gossip a moment later. Block sync starts only if it has not after this
 * long (at once when traffic is two or more heights ahead, or on an observer, which has no other
 * way to commit).
 */
const BEHIND_GRACE_MS = 1_000

/** Recently finalized query ids kept in memory to keep late records out of proposals. */
const MAX_FINALIZED_MEMORY = 10_000

/**
 * Drives Tendermint (protocol/bft) for one height at a time: turns gossip into events and its
 * actions into proposals, persisted-then-signed votes, block checks, timers and commits. A
 * height starts only when this node has a finished round waiting or hears from the others about
 * that height, so no empty blocks are made while nothing is ready.
 */
export class ConsensusRunner {
  private readonly c: ConsensusComponents
  private readonly pool = new Map<string, ReadyRound>()
  /** queries with a record in a committed block (recent ones; the store answers for older) */
  private readonly finalized = new Set<string>()
  /** Join requests of identities not yet in the ledger, by node id */
  private readonly joins = new Map<string, SignedMessage>()
  /** hashes of records recomputed here and found equal (later proposals reuse most records) */
  private readonly verifiedRecords = new Set<string>()
  /** who proposed each block id seen at this height */
  private readonly lastProposers = new Map<string, string>()
  private tm?: Tendermint<Block, SignedMessage>
  private timers: NodeJS.Timeout[] = []
  private future: SignedMessage[] = []
  /** accepted proposals and votes of the current height (served to peers catching up) */
  private heightMessages: SignedMessage[] = []
  private readonly heightMessageIds = new Set<string>()
  private stallWatch?: NodeJS.Timeout
  private behindTimer?: NodeJS.Timeout
  private lastProgress = { key: '', at: 0 }
  private pendingValueRound?: number
  private memory?: ConsensusMemory
  private committing = false
  /** the last height not started because the sign state is ahead of it (logged once per height) */
  private lastSkippedHeight?: number
  private stopped = false
  /** double votes seen from validators (reported in /v1/status) */
  equivocations = 0
  /**
   * When a validator's proposal or vote for our height last arrived, or we last committed. While
   * such traffic flows we are at the network's height (traffic for later heights starts block
   * sync by itself), so the periodic height check can skip asking peers.
   */
  lastInSyncAt = 0

  constructor (components: ConsensusComponents) {
    this.c = components
  }

  get height (): number {
    return this.c.ledger.height + 1
  }

  get readyRounds (): number {
    return this.pool.size
  }

  async open (): Promise<void> {
    // Data directories from before the sign-state file kept it in the database.
    this.memory = this.c.signState.get() ?? await this.c.store.getMeta<ConsensusMemory>('consensus')
    this.stallWatch = setInterval(() => { void this.checkStall() }, 1_000)
    this.stallWatch.unref()
  }

  stop (): void {
    this.stopped = true
    clearInterval(this.stallWatch)
    clearTimeout(this.behindTimer)
    for (const t of this.timers) clearTimeout(t)
  }

  /** Envelopes of the proposals and votes this node accepted for `height`, if it is deciding it. */
  messagesOfHeight (height: number): Uint8Array[] {
    return height === this.height ? this.heightMessages.map(m => m.bytes) : []
  }

  /**
   * Every second: if this validator's height has sat in one round and step for STALL_MS — or it
   * has not started the height at all (nothing ready here: it may have been down when the others
   * started it) — ask peers for the height's proposals and votes.
   */
  private async checkStall (): Promise<void> {
    if (this.stopped || this.committing || !this.isValidator()) return
    const tm = this.tm
    const height = this.height
    const key = tm === undefined ? `${height}/idle` : `${height}/${tm.round}/${tm.step}`
    const now = this.c.now()
    if (key !== this.lastProgress.key) {
      this.lastProgress = { key, at: now }
      return
    }
    if (now - this.lastProgress.at < STALL_MS) return
    this.lastProgress.at = now
    const pulled = await this.c.pullConsensus(height, id => this.heightMessageIds.has(id)).catch(() => [])
    let fed = 0
    for (const m of pulled) {
      if (this.height !== height || this.tm !== tm && tm !== undefined) break
      if (this.heightMessageIds.has(m.idHex)) continue
      if (this.onMessage(m).result === 'ACCEPT') fed++
    }
    if (fed > 0) this.c.logger.info(`height ${height} ${tm === undefined ? 'was not started here' : `stalled in round ${tm.round} (${tm.step})`}; caught up on ${fed} proposal(s) and vote(s) from peers`)
  }

  /** A round finished here: its record waits for a block (unless a block already holds one). */
  async addReady (queryIdHex: string, record: RoundRecord, messages: readonly SignedMessage[]): Promise<void> {
    // A round can finish here after another record for the same query was committed (this node
    // was late, restarted, or resumed the query): proposing it would only earn nil prevotes.
    if (this.finalized.has(queryIdHex) || await this.c.store.isFinalized(queryIdHex)) return
    this.pool.set(queryIdHex, { record, messages })
    this.somethingReady()
  }

  /**
   * A round record or a Join arrived: start the height if it had not started, and if we are the
   * proposer still waiting for something to propose (no empty blocks), propose now.
   */
  private somethingReady (): void {
    this.ensureStarted()
    if (this.tm !== undefined && this.pendingValueRound === this.tm.round && this.tm.step === 'propose' && this.tm.isProposer()) {
      this.pendingValueRound = undefined
      const block = this.makeBlock()
      if (block !== undefined) this.feed({ type: 'value', round: this.tm.round, value: block, id: toHex(blockHash(block.header!)) })
    }
  }

  /** A validated Join: the identity waits for a block to admit it (a Join is something ready, like a round). */
  onJoin (msg: SignedMessage): Validation<void> {
    // [IGNORE] members need no admission; one pending Join per identity is enough
    if (this.c.ledger.current.reputations.has(msg.signerId)) return ignore('already in the ledger')
    if (this.joins.has(msg.signerId)) return ignore('a join from this node is pending')
    if (this.joins.size >= MAX_PENDING_JOINS) return ignore('too many pending joins')
    this.joins.set(msg.signerId, msg)
    this.somethingReady()
    return accept(undefined)
  }

  /**
   * Why a proposal or vote can no longer matter here, if it cannot: its height is committed, or
   * decided and being written. Checked before the signature (node/swarm-node.ts), so the late
   * votes of a decided height — a third of them arrive after the quorum — cost no verification.
   */
  uselessBecause (p: Payload): string | undefined {
    const height = p.vote?.height ?? p.blockProposal?.height
    if (height === undefined) return undefined
    if (height < this.height) return `height ${height} is already committed`
    if (height === this.height && this.committing) return `height ${height} is decided`
    return undefined
  }

  /** A validated consensus message from gossip (or from ourselves). */
  onMessage (msg: SignedMessage): Validation<void> {
    const p = msg.payload
    const height = p.vote?.height ?? p.blockProposal?.height
    if (height === undefined) return reject('not a consensus message on the consensus topic')
    // [IGNORE] heights already decided
    if (height < this.height) return ignore(`height ${height} is already committed`)
    if (height > this.height) {
      // [IGNORE] kept until we reach that height; far ahead means we must sync
      if (this.future.length < MAX_FUTURE) this.future.push(msg)
      this.noteAhead(height, msg.signerId)
      return ignore(`height ${height} is ahead of ours (${this.height})`)
    }
    const validators = this.c.ledger.current.validators
    // [REJECT] only validators vote and propose
    if (!validators.has(msg.signerId)) return reject('signer is not a validator at this height')
    this.lastInSyncAt = this.c.now()
    // An observer (no voting power) does not run consensus: it follows committed blocks by sync.
    if (!this.isValidator()) return accept(undefined)
    if (this.heightMessages.length < MAX_HEIGHT_MESSAGES && !this.heightMessageIds.has(msg.idHex)) {
      this.heightMessages.push(msg)
      this.heightMessageIds.add(msg.idHex)
    }
    this.ensureStarted(true)
    if (p.vote !== undefined) {
      const v = p.vote
      this.feed({ type: 'vote', vote: { kind: v.type === VoteType.PREVOTE ? 'prevote' : 'precommit', round: v.round, id: v.blockHash.length === 0 ? null : toHex(v.blockHash), from: msg.signerId, evidence: msg } })
      return accept(undefined)
    }
    const bp = p.blockProposal!
    const expected = proposerFor(validators, bp.height, bp.round)
    // [REJECT] a proposal from anyone but the round's proposer
    if (msg.signerId !== expected) return reject('proposal from a validator that is not the proposer of its round')
    const id = toHex(blockHash(bp.block!.header!))
    this.lastProposers.set(id, msg.signerId)
    this.c.logger.debug(`proposal ${id.slice(0, 12)} for ${bp.height}/${bp.round} from ${msg.signerId.slice(-8)} (${bp.block!.records.length} records, valid round ${bp.validRound}); we are in round ${this.tm?.round}`)
    this.feed({ type: 'proposal', proposal: { round: bp.round, value: bp.block!, id, validRound: bp.validRound, from: msg.signerId } })
    return accept(undefined)
  }

  private noteAhead (height: number, peer: string): void {
    // An observer commits only by sync; a validator one height behind commits from gossip in a moment.
    if (height > this.height + 1 || !this.isValidator()) {
      this.c.onBehind(height, peer)
      return
    }
    if (this.behindTimer !== undefined) return
    const at = this.height
    this.behindTimer = setTimeout(() => {
      this.behindTimer = undefined
      if (this.height === at && !this.stopped) this.c.onBehind(height, peer)
    }, BEHIND_GRACE_MS)
    this.behindTimer.unref()
  }

  /** Blocks arrived by sync (or we committed): drop what they finalized and move on. */
  afterCommit (block: Block): void {
    this.lastInSyncAt = this.c.now()
    for (const r of block.records) {
      const qid = toHex(r.queryId)
      this.pool.delete(qid)
      this.finalized.add(qid)
    }
    for (const a of block.admissions) this.joins.delete(nodeIdFromBytes(a.node))
    if (this.finalized.size > MAX_FINALIZED_MEMORY) for (const q of this.finalized) { this.finalized.delete(q); if (this.finalized.size <= MAX_FINALIZED_MEMORY / 2) break }
    for (const t of this.timers) clearTimeout(t)
    this.timers = []
    this.tm = undefined
    this.lastProposers.clear()
    this.heightMessages = []
    this.heightMessageIds.clear()
    this.pendingValueRound = undefined
    const h = this.height
    const replay = this.future.filter(m => (m.payload.vote?.height ?? m.payload.blockProposal?.height) === h)
    this.future = this.future.filter(m => (m.payload.vote?.height ?? m.payload.blockProposal?.height)! > h)
    this.ensureStarted()
    for (const m of replay) this.onMessage(m)
  }

  private ensureStarted (force = false): void {
    if (this.tm !== undefined || this.stopped || this.committing || !this.isValidator()) return
    if (!force && this.pool.size === 0 && this.joins.size === 0) return
    const height = this.height
    // This validator signed at a later height before (its database was wiped or lost while the
    // sign state was kept): the heights up to there are decided, and block sync brings them.
    // Voting on them again could only contradict what it signed; the sign state stays as it is.
    if (this.memory !== undefined && this.memory.height > height) {
      if (this.lastSkippedHeight !== height) this.c.logger.info(`not voting at height ${height}: this validator signed at height ${this.memory.height} before (database wiped?); catching up by block sync`)
      this.lastSkippedHeight = height
      return
    }
    const validators = this.c.ledger.current.validators
    const mem = this.memory?.height === height ? this.memory : undefined
    this.tm = new Tendermint<Block, SignedMessage>({
      height,
      self: this.c.self,
      validators,
      proposer: round => proposerFor(validators, height, round),
      params: this.c.genesis.params.bft, // BftParams carries Tendermint's timeouts
      restored: mem === undefined
        ? undefined
        : {
            round: mem.round,
            lockedRound: mem.lockedRound,
            lockedId: mem.lockedId,
            lockedValue: mem.lockedBlock === undefined ? undefined : decodeBlock(fromHex(mem.lockedBlock)),
            validRound: mem.validRound,
            validId: mem.validId,
            validValue: mem.validBlock === undefined ? undefined : decodeBlock(fromHex(mem.validBlock))
          }
    })
    if (mem === undefined) this.memory = { height, round: 0, lockedRound: -1, lockedId: null, validRound: -1, validId: null, votes: {} }
    this.feed({ type: 'start' })
  }

  private feed (event: TendermintEvent<Block, SignedMessage>): void {
    const tm = this.tm
    if (tm === undefined || this.stopped) return
    const actions = tm.handle(event)
    void this.carryOut(tm, actions)
  }

  private isValidator (): boolean {
    return (this.c.ledger.current.validators.get(this.c.self) ?? 0) > 0
  }

  private makeBlock (): Block | undefined {
    const ready = [...this.pool].filter(([qid]) => !this.finalized.has(qid)).map(([qid, r]) => [qid, r.record] as [string, RoundRecord])
    return proposeBlock(this.c.ledger.current, ready, this.joins.values(), this.c.self, this.c.now(), this.c.genesis.params)
  }

  private async carryOut (tm: Tendermint<Block, SignedMessage>, actions: Array<TendermintAction<Block, SignedMessage>>): Promise<void> {
    for (const a of actions) {
      if (this.tm !== tm || this.stopped) return
      try {
        switch (a.type) {
          case 'request-value': {
            const block = this.makeBlock()
            if (block === undefined) this.pendingValueRound = a.round
            else this.feed({ type: 'value', round: a.round, value: block, id: toHex(blockHash(block.header!)) })
            break
          }
          case 'broadcast-proposal': {
            if (!this.isValidator()) break
            const msg = await this.c.publish({ networkId: this.c.networkId, blockProposal: { height: tm.height, round: a.round, block: a.value, validRound: a.validRound } })
            if (msg !== undefined) this.onMessage(msg)
            break
          }
          case 'broadcast-vote': {
            if (!this.isValidator()) break
            if (!this.remember(tm, a.kind, a.round, a.id)) break
            const msg = await this.c.publish({
              networkId: this.c.networkId,
              vote: { type: a.kind === 'prevote' ? VoteType.PREVOTE : VoteType.PRECOMMIT, height: tm.height, round: a.round, blockHash: a.id === null ? new Uint8Array(0) : fromHex(a.id) }
            })
            if (msg !== undefined) this.onMessage(msg)
            break
          }
          case 'validate':
            void this.validate(tm, a.id, a.value, this.proposerOfValue(tm, a.id))
            break
          case 'schedule-timeout':
            if (a.kind === 'propose' && a.round > 0) this.c.logger.debug(`height ${tm.height}: round ${a.round} (proposer ${proposerFor(this.c.ledger.current.validators, tm.height, a.round).slice(-8)})`)
            this.timers.push(setTimeout(() => { if (this.tm === tm) this.feed({ type: 'timeout', kind: a.kind, round: a.round }) }, a.delayMs))
            break
          case 'decide':
            await this.commit(a.value, makeCertificate(a.value.header!, a.round, a.precommits))
            break
          case 'equivocation':
            this.equivocations++
            this.c.logger.warn(`validator ${a.second.from} voted twice in round ${a.second.round} (${a.first.id?.slice(0, 12) ?? 'nil'} and ${a.second.id?.slice(0, 12) ?? 'nil'})`)
            break
        }
      } catch (err) {
        this.c.logger.error(`consensus at height ${tm.height}: ${(err as Error).stack ?? String(err)}`)
      }
    }
  }

  /**
   * Persist the vote (and the lock it rests on) before it is signed. A vote that contradicts
   * one persisted earlier for the same height, round and kind is refused: after a crash the
   * node never signs two different votes. Synchronous (~0.3 ms, node/sign-state.ts): the vote
   * goes out without waiting for the event loop to come back to it.
   */
  private remember (tm: Tendermint<Block, SignedMessage>, kind: string, round: number, id: ValueId): boolean {
    const mem = this.memory!
    const key = `${round}/${kind}`
    if (key in mem.votes && mem.votes[key] !== id) {
      this.c.logger.error(`refusing to sign a ${kind} for ${id ?? 'nil'} at ${tm.height}/${round}: already signed one for ${mem.votes[key] ?? 'nil'}`)
      return false
    }
    mem.votes[key] = id
    mem.round = tm.round
    mem.lockedRound = tm.lockedRound
    mem.lockedId = tm.lockedId
    mem.lockedBlock = tm.lockedValue === undefined ? undefined : toHex(encodeBlock(tm.lockedValue))
    mem.validRound = tm.validRound
    mem.validId = tm.validId
    mem.validBlock = tm.validValue === undefined ? undefined : toHex(encodeBlock(tm.validValue))
    this.c.signState.save(mem)
    return true
  }

  private rememberVerified (hash: string): void {
    this.verifiedRecords.add(hash)
    if (this.verifiedRecords.size > MAX_FINALIZED_MEMORY) this.verifiedRecords.delete(this.verifiedRecords.values().next().value as string)
  }

  /** Who proposed the value with this id at the current height (the peer sure to hold its messages). */
  private proposerOfValue (tm: Tendermint<Block, SignedMessage>, id: string): string | undefined {
    return this.lastProposers.get(id) ?? (tm.isProposer() ? this.c.self : undefined)
  }

  private async validate (tm: Tendermint<Block, SignedMessage>, id: string, block: Block, prefer?: string): Promise<void> {
    let verdict: { valid: boolean, reason?: string }
    const started = Date.now()
    try {
      const ids = [...new Set([...block.records.flatMap(r => r.includedMessageIds.map(toHex)), ...block.admissions.map(a => toHex(a.joinMessageId))])]
      const messages = await this.c.fetchMessages(ids, prefer)
      const tables = new Map<number, Awaited<ReturnType<LedgerKeeper['tableAt']>>>()
      for (const m of messages.values()) {
        const anchor = m.payload.query?.anchorHeight
        if (anchor !== undefined && !tables.has(anchor)) tables.set(anchor, await this.c.ledger.tableAt(anchor))
      }
      const finalized = new Set<string>()
      for (const r of block.records) if (await this.c.store.isFinalized(toHex(r.queryId))) finalized.add(toHex(r.queryId))
      verdict = checkProposedBlock(block, {
        state: this.c.ledger.current,
        params: this.c.genesis.params,
        validators: this.c.ledger.current.validators,
        messages,
        tableAt: h => tables.get(h) ?? undefined,
        isFinalized: q => finalized.has(q),
        alreadyVerified: h => this.verifiedRecords.has(h)
      })
      if (verdict.valid) for (const r of block.records) this.rememberVerified(toHex(recordHash(r)))
    } catch (err) {
      verdict = { valid: false, reason: (err as Error).message }
    }
    if (this.stopped) return
    this.c.logger.debug(`block ${id.slice(0, 12)} at ${tm.height} checked in ${Date.now() - started} ms: ${verdict.valid ? 'valid' : verdict.reason}`)
    if (!verdict.valid) this.c.logger.warn(`block ${id.slice(0, 12)} at height ${tm.height} is invalid: ${verdict.reason}; prevoting nil`)
    if (this.tm === tm) this.feed({ type: 'validated', id, valid: verdict.valid })
  }

  /** Commit a decided (or synced) block: persist, advance the ledger, start the next height. */
  async commit (block: Block, certificate: CommitCertificate): Promise<void> {
    if (block.header!.height !== this.height || this.committing) return
    this.committing = true
    try {
      await this.c.onCommit(block, certificate)
    } finally {
      this.committing = false
    }
    this.c.logger.info(`committed block ${block.header!.height} (${block.records.length} record${block.records.length === 1 ? '' : 's'}${block.admissions.length > 0 ? `, ${block.admissions.length} admission(s)` : ''}, round ${certificate.round}, ${certificate.precommits.length} precommits)`)
    this.afterCommit(block)
  }
}
