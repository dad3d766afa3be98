import { checkProposedBlock, messagesNeeded } from '../protocol/bft/block-check.js'
import type { BlockCheck } from '../protocol/bft/block-check.js'
import { makeCertificate } from '../protocol/bft/certificate.js'
import { heightDriverLimits } from '../protocol/bft/height-driver.js'
import { consensusMessageOf } from '../protocol/bft/height-io.js'
import type { ConsensusMessage, HeightEffect, HeightEvent } from '../protocol/bft/height-io.js'
import { fromHex, sha256, toHex } from '../protocol/hash.js'
import { embeddedEnvelopes, makeDoubleVote, offenceKey } from '../protocol/jailing.js'
import { blockHash } from '../protocol/ledger.js'
import { encodeBlock } from '../protocol/wire/codec.js'
import { syncLimits } from '../protocol/wire/limits.js'
import type { SignedMessage } from '../protocol/wire/envelope.js'
import { VoteType } from '../protocol/wire/messages.js'
import type { Block, CommitCertificate } from '../protocol/wire/messages.js'
import type { Validation } from '../protocol/wire/validate.js'
import { Prng } from './prng.js'
import type { SimCarrier, SimNode, SimWorld } from './world.js'

/**
 * The simulator's shell around each validator's height driver (protocol/bft/height-driver.ts),
 * as node/consensus.ts is the node's: proposals (sized like signed ones) and signed votes gossiped
 * to the validators of their height, block checks (fetching what a node lacks from the builder),
 * timers, decisions checked against the decided chain (the agreement oracle), block sync and
 * vote catch-up, each costing simulated round trips. On networks with `params.jailing` it keeps
 * each validator's last commit growing after the commit (protocol/bft/last-commit.ts, late
 * precommits included) and turns double votes into evidence, as the node's shell does, so the
 * simulated chain jails and slashes as the node's does.
 */
export class SimConsensus {
  private readonly w: SimWorld
  private readonly pullRng: Prng
  private readonly checks = new Map<string, BlockCheck>()
  /** each decided block's certificate (the first decider's precommits): what a node importing the block takes up as its last commit */
  private readonly certificates = new Map<number, CommitCertificate>()
  private messageCounter = 0

  constructor (world: SimWorld) {
    this.w = world
    this.pullRng = new Prng(`sim/pulls/${world.cfg.seed}`)
  }

  validatorsAt (height: number): SimNode[] {
    return [...this.w.chain.states[height].validators.keys()].map(id => this.w.byId.get(id)!)
  }

  isValidator (node: SimNode): boolean {
    return node.driver.isValidator()
  }

  private get recordsCommits (): boolean {
    return this.w.cfg.params.jailing !== undefined
  }

  feed (node: SimNode, event: HeightEvent<SimCarrier>): Validation<void> | undefined {
    if (!node.online) return undefined
    const { effects, verdict } = node.driver.handle(event, this.w.nowMs())
    for (const e of effects) this.carryOut(node, e)
    return verdict
  }

  /**
   * A proposal or vote reaching a validator. As in node/consensus.ts onMessage: a precommit for
   * the block this node committed last, arriving after it moved on, only joins its last commit.
   */
  private deliver (node: SimNode, message: ConsensusMessage<SimCarrier>): void {
    const lc = node.lastCommit
    if (this.recordsCommits && message.kind === 'vote' && message.carrier !== null && message.height === lc.committedHeight && (message.height < node.driver.height || node.driver.uselessBecause(message.height) !== undefined)) {
      if (lc.add(message.carrier)) this.feed(node, { type: 'last-commit', height: message.height, lastCommit: lc.lastCommit(), complete: lc.complete })
      return
    }
    this.feed(node, { type: 'message', message })
  }

  /** Take up block `h`'s certificate as the last commit (on import, and back from a crash). */
  takeCommit (node: SimNode, h: number): void {
    const cert = this.certificates.get(h)
    const certifiers = this.w.chain.states[h].jailing?.certifiers
    if (!this.recordsCommits || cert === undefined || certifiers === undefined) return
    node.lastCommit.reset(cert, certifiers)
    this.feed(node, { type: 'last-commit', height: h, lastCommit: node.lastCommit.lastCommit(), complete: node.lastCommit.complete })
  }

  private carryOut (node: SimNode, e: HeightEffect<SimCarrier>): void {
    const gen = node.gen
    const later = (ms: number, event: HeightEvent<SimCarrier>): void => {
      this.w.clock.after(ms, () => { if (node.online && node.gen === gen) this.feed(node, event) })
    }
    switch (e.type) {
      case 'publish-proposal': {
        const proposal = { round: e.round, value: e.block, id: toHex(blockHash(e.block.header!)), validRound: e.validRound, from: node.id }
        this.broadcastConsensus(node, encodeBlock(e.block).length + this.w.voteBytes, { kind: 'proposal', key: this.nextKey(), height: e.height, from: node.id, proposal, carrier: null })
        break
      }
      case 'save-sign-state':
        node.signState = structuredClone(e.memory)
        break
      case 'publish-vote': {
        const vote = (id: string | null): SignedMessage => this.w.sign(node, { vote: { type: e.kind === 'prevote' ? VoteType.PREVOTE : VoteType.PRECOMMIT, height: e.height, round: e.round, blockHash: id === null ? new Uint8Array(0) : fromHex(id) } })
        const msg = vote(e.id)
        this.broadcastConsensus(node, msg.bytes.length, consensusMessageOf(msg)!)
        if (node.agent.behaviour === 'equivocator') {
          // a second, conflicting vote for the same step (nil against a block, a made-up block against nil), not delivered back to itself
          const second = vote(e.id === null ? toHex(sha256(msg.bytes)) : null)
          this.broadcastConsensus(node, second.bytes.length, consensusMessageOf(second)!, node)
        }
        break
      }
      case 'check-block':
        this.checkBlock(node, e.height, e.id, e.block, e.fresh)
        break
      case 'schedule-timeout':
        later(e.delayMs, { type: 'timeout', height: e.height, kind: e.kind, round: e.round })
        break
      case 'commit':
        this.commit(node, e.block, e.id, e.round, e.precommits)
        break
      case 'sync':
        this.sync(node)
        break
      case 'pull-votes':
        this.pullVotes(node, e.height)
        break
      case 'wake-at':
        // One pending tick per node: the earliest asked for (the driver asks again at every step).
        if (e.at < node.wakeAt) {
          node.wakeAt = e.at
          this.w.clock.after(Math.max(0, e.at - this.w.nowMs()), () => {
            if (node.wakeAt !== e.at) return
            node.wakeAt = Infinity
            if (node.online && node.gen === gen) this.feed(node, { type: 'tick' })
          })
        }
        break
      case 'equivocation': {
        this.w.stats.equivocations++
        // Both signed votes become evidence for the next blocks (DESIGN §8.9), as in the node's shell.
        const a = e.first.evidence
        const b = e.second.evidence
        const v = a?.payload.vote
        if (this.recordsCommits && a !== null && b !== null && v !== undefined && b.payload.vote !== undefined) {
          this.feed(node, { type: 'evidence', offender: a.signerId, key: offenceKey(a.signerId, v.height, v.round, v.type), height: v.height, evidence: makeDoubleVote(a, b) })
        }
        break
      }
      case 'note':
        break
    }
  }

  private nextKey (): string {
    return `m${this.messageCounter++}`
  }

  private broadcastConsensus (from: SimNode, bytes: number, msg: ConsensusMessage<SimCarrier>, skip?: SimNode): void {
    const arrival = this.w.net.broadcast(from.index, bytes)
    // Validators of this height act on it; the rest only relay (counted in the flood).
    for (const v of this.validatorsAt(Math.min(msg.height - 1, this.w.chain.tip))) {
      const delay = arrival[v.index]
      if (delay === Infinity || v === skip) continue
      const gen = v.gen
      this.w.clock.after(delay, () => { if (v.online && v.gen === gen) this.deliver(v, msg) })
    }
  }

  /** valid(v): the node's block check, after fetching any named message it lacks from the block's builder. */
  private checkBlock (node: SimNode, height: number, id: string, block: Block, fresh: boolean): void {
    const builder = this.w.byId.get(new TextDecoder().decode(block.header?.proposer ?? new Uint8Array()))
    const named = new Set(messagesNeeded(block, this.w.chain.states[height - 1]))
    let fetched = 0
    let missing = false
    for (const m of named) {
      if (node.have.has(m)) continue
      if (this.w.messages.has(m) && builder?.online === true) fetched++
      else missing = true
    }
    const delay = fetched > 0 ? this.w.net.rttMs() : 0
    let result: BlockCheck
    const base = height - 1
    if (missing) {
      result = { valid: false, code: 'missing_message', reason: 'a named message is missing' }
    } else {
      // checkProposedBlock is a pure function of the block and the state it extends: honest
      // validators holding every named message get the same answer, so it is computed once.
      const key = `${base}/${id}/${fresh}`
      let cached = this.checks.get(key)
      if (cached === undefined) {
        const messages = new Map([...named].map(m => [m, this.w.messages.get(m)!]))
        // the signed votes it embeds (LastCommit, evidence): every envelope the simulator signed is genuine
        for (const bytes of embeddedEnvelopes(block)) {
          const m = this.w.messages.get(toHex(sha256(bytes)))
          if (m !== undefined) messages.set(m.idHex, m)
        }
        cached = checkProposedBlock(block, {
          state: this.w.chain.states[base],
          params: this.w.cfg.params,
          validators: this.w.chain.states[base].validators,
          messages,
          tableAt: h => this.w.chain.states[h]?.reputations,
          isFinalized: q => this.finalizedBy(q, base),
          // every simulated node reads one clock, so the time check is only ever about the proposer's choice
          clock: { now: this.w.nowMs(), fresh }
        })
        this.checks.set(key, cached)
      }
      result = cached
      for (const m of named) node.have.add(m)
    }
    const gen = node.gen
    this.w.clock.after(delay, () => {
      if (!node.online || node.gen !== gen) return
      // as the node does: round messages fetched for the check join its pool (it follows their rounds)
      if (!missing) for (const m of block.roundMessages) this.feed(node, { type: 'round-message', message: this.w.messages.get(toHex(m.messageId))! })
      this.feed(node, { type: 'validated', height, id, valid: result.valid })
    })
  }

  private finalizedBy (qid: string, height: number): boolean {
    const h = this.w.queryByHex.get(qid)?.height
    return h !== undefined && h <= height
  }

  /** A node decided a block: check agreement, extend the chain if it is the first, and import it. */
  private commit (node: SimNode, block: Block, id: string, round: number, precommits: SimCarrier[]): void {
    const h = block.header!.height
    if (this.recordsCommits) {
      const cert = makeCertificate(block.header!, round, precommits.filter((m): m is SignedMessage => m !== null))
      // Precommits arriving from here on still count for the next block's last commit.
      if (this.w.heightOf(node) === h - 1) node.lastCommit.reset(cert, this.w.chain.states[h - 1].validators)
      if (!this.certificates.has(h) && h === this.w.chain.tip + 1) this.certificates.set(h, cert)
    }
    if (this.w.chain.decide(node.id, block, id, this.w.clock.now)) this.extended(h)
    // The node imports the chain's block at that height (its own, unless agreement was violated).
    if (h <= this.w.chain.tip) this.importBlock(node, h)
  }

  private importBlock (node: SimNode, h: number): void {
    if (h !== this.w.heightOf(node) + 1) return
    // the commit first: a proposal the next height starts with carries it
    this.takeCommit(node, h)
    this.feed(node, { type: 'committed', block: this.w.chain.blocks[h], state: this.w.chain.states[h] })
    for (const r of this.w.chain.blocks[h].records) this.w.rounds.feed(node, { type: 'final', queryIdHex: toHex(r.queryId) })
    this.w.rounds.startOrdered(node, h)
  }

  private extended (h: number): void {
    this.checks.clear()
    this.w.rounds.ordered(h)
    // Observers learn of the block as they follow the chain; validators start its rounds as they import it.
    for (const n of this.w.nodes) if (n.online && !this.isValidator(n)) this.w.rounds.startOrdered(n, h)
    for (const record of this.w.chain.blocks[h].records) {
      const info = this.w.queryByHex.get(toHex(record.queryId))
      if (info === undefined || info.height !== undefined) continue
      info.height = h
      info.finalAtMs = this.w.clock.now
      if (info.flood !== true) this.w.stats.finals++
      for (const p of info.participants) {
        const node = this.w.nodes[p]
        // Observers learn of the block as they follow the chain; validators import it as they decide it.
        if (!this.isValidator(node)) this.w.rounds.feed(node, { type: 'final', queryIdHex: info.query.idHex })
        for (const m of record.includedMessageIds) node.have.delete(toHex(m))
      }
    }
    this.w.chain.sample(h, this.w.clock.now, id => this.w.byId.get(id)!.group, id => this.w.byId.get(id)!.online)
    this.w.onExtended(h)
  }

  /** Block sync: one round trip per batch of blocks (the node's sync batch), then the blocks are imported in order. */
  sync (node: SimNode): void {
    if (node.syncing || this.w.heightOf(node) >= this.w.chain.tip) return
    node.syncing = true
    const gen = node.gen
    const blocks = this.w.chain.tip - this.w.heightOf(node)
    this.w.clock.after(this.w.net.rttMs() * (1 + Math.ceil(blocks / heightDriverLimits.syncBatchBlocks)), () => {
      if (node.gen !== gen || !node.online) return
      node.syncing = false
      const target = this.w.chain.tip
      for (let h = this.w.heightOf(node) + 1; h <= target; h++) this.importBlock(node, h)
    })
  }

  /**
   * Vote catch-up: the driver asks when its height stalled (or sits idle); up to three peers
   * deciding the same height hand over the proposals and votes they hold, and the queries they
   * are waiting to have ordered (node/sync.ts), which the node takes as gossip and gossips on.
   */
  private pullVotes (node: SimNode, height: number): void {
    // a request to a peer: none across a partition
    const group = this.w.net.group[node.index]
    // the proposals and votes of the height come from a peer deciding it; waiting queries from any peer (node/sync.ts)
    const peers = this.validatorsAt(this.w.heightOf(node)).filter(v => v !== node && v.online && this.w.net.group[v.index] === group && ((v.driver.height === height && v.driver.messagesOfHeight(height).length > 0) || v.driver.pendingQueries > 0))
    const gen = node.gen
    for (let k = 0; k < 3 && peers.length > 0; k++) {
      const peer = peers.splice(this.pullRng.int(peers.length), 1)[0]
      const held = peer.driver.height === height ? peer.driver.heldMessages() : []
      const queries = peer.driver.waitingQueries(syncLimits.maxWaitingQueriesPerResponse).flatMap(id => this.w.queryByHex.get(id)?.query ?? [])
      this.w.stats.votePulls++
      this.w.net.bytesIn[node.index] += held.length * this.w.voteBytes + queries.reduce((sum, q) => sum + q.bytes.length, 0)
      this.w.clock.after(this.w.net.rttMs(), () => {
        if (node.gen !== gen || !node.online) return
        for (const q of queries) this.w.rounds.takePulledQuery(node, q)
        for (const m of held) this.deliver(node, m)
      })
    }
  }
}
