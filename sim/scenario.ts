import type { SimAgent } from './agents.js'
import type { ChurnSpec, SimConfig } from './config.js'
import type { EventQueue } from './event-queue.js'
import { Prng } from './prng.js'

/** A simulated node as the scenario sees it. */
export interface ScenarioNode {
  index: number
  id: string
  online: boolean
  /** left for good (replaced by a fresh identity) */
  left: boolean
}

/** What the scenario does to the simulated swarm (SwarmSim implements it). */
export interface ScenarioTarget {
  readonly clock: EventQueue
  readonly nodes: readonly ScenarioNode[]
  /** the validator set at the tip of the decided chain */
  validatorsNow: () => ReadonlyMap<string, number>
  crash: (node: ScenarioNode) => void
  restore: (node: ScenarioNode) => void
  leave: (node: ScenarioNode) => void
  joinWave: (wave: { count: number, agent: SimAgent, group: string }) => void
  partition: (side: (index: number) => 0 | 1) => void
  heal: () => void
}

/** What happened, for the report. */
export interface FaultCounts { crashes: number, returns: number, leaves: number, freshJoins: number, partitions: number }

/**
 * The faults of a run (DESIGN §6), scheduled from the seed: churn (crashes that return, leaves
 * replaced by fresh identities) as a Poisson process that always keeps more than 2/3 of the
 * validator power up, waves of joins, and partitions that heal.
 */
export class Scenario {
  readonly faults: FaultCounts = { crashes: 0, returns: 0, leaves: 0, freshJoins: 0, partitions: 0 }
  private readonly cfg: SimConfig
  private readonly rng: Prng

  constructor (cfg: SimConfig) {
    this.cfg = cfg
    // The run's seed stream, forked per purpose (churn, each partition): the same schedules per
    // seed as before the scenario had a module of its own.
    this.rng = new Prng(`sim/${cfg.seed}`)
  }

  schedule (target: ScenarioTarget, lastAsk: number): void {
    for (const wave of this.cfg.joins ?? []) {
      target.clock.at(wave.atMs, () => {
        this.faults.freshJoins += wave.count
        target.joinWave(wave)
      })
    }
    for (const p of this.cfg.partitions ?? []) {
      target.clock.at(p.atMs, () => {
        this.faults.partitions++
        const rng = this.rng.fork('partition')
        const sides = target.nodes.map(() => (rng.next() < p.share ? 1 : 0) as 0 | 1)
        target.partition(i => sides[i] ?? 0)
      })
      target.clock.at(p.healAtMs, () => target.heal())
    }
    if (this.cfg.churn !== undefined && this.cfg.churn.perMinute > 0) this.scheduleChurn(target, this.cfg.churn, lastAsk)
    const d = this.cfg.departures
    if (d !== undefined) {
      const rng = this.rng.fork('departures')
      for (let k = 0; k < d.count; k++) target.clock.at(d.startMs + k * d.everyMs, () => this.depart(target, rng))
    }
  }

  /** One validator with power leaves for good, whatever the power already gone (no fault budget: the chain must cope). */
  private depart (target: ScenarioTarget, rng: Prng): void {
    const validators = target.validatorsNow()
    const candidates = target.nodes.filter(n => n.online && !n.left && (validators.get(n.id) ?? 0) > 0)
    if (candidates.length <= 1) return
    this.faults.leaves++
    target.leave(rng.pick(candidates))
  }

  private scheduleChurn (target: ScenarioTarget, churn: ChurnSpec, until: number): void {
    const rng = this.rng.fork('churn')
    const meanGapMs = 60_000 / (churn.perMinute * this.cfg.nodes.length)
    let t = 1_000
    for (;;) {
      t += -Math.log(1 - rng.next()) * meanGapMs
      if (t > until) break
      const returns = rng.next() < churn.returnShare
      target.clock.at(t, () => this.churnEvent(target, rng, returns, churn))
    }
  }

  private churnEvent (target: ScenarioTarget, rng: Prng, returns: boolean, churn: ChurnSpec): void {
    // Keep more than 2/3 of the validator power up, as an operator's fault budget would.
    const validators = target.validatorsNow()
    const byId = new Map(target.nodes.map(n => [n.id, n]))
    const total = [...validators.values()].reduce((s, p) => s + p, 0)
    const up = [...validators].filter(([id]) => byId.get(id)?.online === true).reduce((s, [, p]) => s + p, 0)
    const candidates = target.nodes.filter(n => n.online && !n.left && (up - (validators.get(n.id) ?? 0)) * 3 > total * 2)
    if (candidates.length === 0) return
    const node = rng.pick(candidates)
    if (returns) {
      this.faults.crashes++
      target.crash(node)
      target.clock.after(churn.returnAfterMs, () => {
        this.faults.returns++
        target.restore(node)
      })
    } else {
      this.faults.leaves++
      this.faults.freshJoins++
      target.leave(node)
      target.joinWave({ count: 1, agent: churn.freshAgent(), group: 'fresh' })
    }
  }
}
