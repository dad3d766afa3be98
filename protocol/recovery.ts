import { defaultAdmissionParams } from './admission.js'
import { networkIdHex } from './genesis.js'
import type { Genesis, GenesisMember, GenesisValidator } from './genesis.js'
import { toHex } from './hash.js'
import { defaultJailingParams } from './jailing.js'
import { stateRootHex } from './ledger.js'
import type { LedgerState } from './ledger.js'

/**
 * Recovery from a halt (DESIGN §8.8): when more than 1/3 of the voting power is gone at once, no
 * block can be committed, so nothing on the chain can remove it (jailing needs blocks). The
 * operators then restart the network from a new genesis written from the last committed state,
 * with a validator set they choose. Everything in the ledger is carried over — every member's
 * reputation and probation state — except voting power, which only the chosen validators hold at
 * the start; the other settled members start jailed and get power back by asking with a Join once
 * they are running again (protocol/jailing.ts), so a validator that is really gone stays out.
 *
 * Deterministic: the same ledger, old genesis and choices give the same bytes, so every operator
 * can write the file and compare network ids instead of trusting whoever sent it.
 */

/** A recovery the operators asked for that cannot be written; the message says what to change. */
export class RecoveryError extends Error {
  override name = 'RecoveryError'
}

export interface RecoveryChoice {
  /** the validators of the recovered network; a reputation overrides the one in the ledger (needed for a node outside it) */
  validators: Array<{ peerId: string, reputationPpm?: number }>
  /** the new network's name; default the old one with "-r<height>" */
  network?: string
}

export function recoverGenesis (old: Genesis, state: LedgerState, choice: RecoveryChoice): Genesis {
  if (choice.validators.length === 0) throw new RecoveryError('choose at least one validator')
  if (state.height === 0) throw new RecoveryError('nothing was committed yet: restart from the genesis you have')
  const seen = new Set<string>()
  const validators: GenesisValidator[] = []
  for (const v of choice.validators) {
    if (seen.has(v.peerId)) throw new RecoveryError(`validator ${v.peerId} is named twice`)
    seen.add(v.peerId)
    const entry = state.reputations.get(v.peerId)
    const reputationPpm = v.reputationPpm ?? entry?.reputationPpm
    if (reputationPpm === undefined) throw new RecoveryError(`${v.peerId} is not in the ledger at height ${state.height}: give it a reputation (PEERID=PPM) or leave it out`)
    if (!Number.isSafeInteger(reputationPpm) || reputationPpm < 1 || reputationPpm > 1_000_000) throw new RecoveryError(`${v.peerId} has reputation ${reputationPpm}; a validator needs 1 to 1000000 (give one with PEERID=PPM)`)
    if (v.reputationPpm === undefined && entry?.onProbation === true) throw new RecoveryError(`${v.peerId} is on probation at height ${state.height}; give it a reputation (PEERID=PPM) to make it a validator anyway`)
    validators.push({ peerId: v.peerId, reputationPpm })
  }
  const members: GenesisMember[] = [...state.reputations]
    .filter(([id]) => !seen.has(id))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([peerId, e]) => ({ peerId, reputationPpm: e.reputationPpm, qualifiedRounds: e.qualifiedRounds, onProbation: e.onProbation }))
  const network = choice.network ?? `${old.network}-r${state.height}`.slice(0, 64)
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(network)) throw new RecoveryError('the network name must be 1–64 characters of a-z, 0-9, ".", "_" or "-"')
  // Jailing keeps the members left out from getting power back unasked; a network started
  // without it gets the defaults (the recovered network is a new one, with its own rules).
  const params = { ...old.params, jailing: old.params.jailing ?? defaultJailingParams, admission: old.params.admission ?? defaultAdmissionParams }
  return {
    network,
    params,
    validators: validators.sort((a, b) => (a.peerId < b.peerId ? -1 : 1)),
    members,
    recoveredFrom: { network: old.network, networkId: networkIdHex(old), height: state.height, blockHash: toHex(state.lastBlockHash), stateRoot: stateRootHex(state) }
  }
}

/** What the operators should know about a recovered genesis before they share it. */
export function describeRecovery (old: Genesis, state: LedgerState, recovered: Genesis): string[] {
  const total = [...state.validators.values()].reduce((s, p) => s + p, 0)
  const chosen = new Set(recovered.validators.map(v => v.peerId))
  const keptPower = [...state.validators].filter(([id]) => chosen.has(id)).reduce((s, [, p]) => s + p, 0)
  const dropped = [...state.validators.keys()].filter(id => !chosen.has(id))
  return [
    `recovered from ${old.network} (${networkIdHex(old).slice(0, 16)}…) at height ${state.height}, block ${toHex(state.lastBlockHash).slice(0, 16)}…`,
    `new network "${recovered.network}" (${networkIdHex(recovered).slice(0, 16)}…): ${recovered.validators.length} validator(s), ${recovered.members?.length ?? 0} other member(s) carried over`,
    `the chosen validators held ${keptPower} of the old set's ${total} voting power${dropped.length > 0 ? `; left out: ${dropped.join(', ')}` : ''}`
  ]
}
