import { sha256, uint64Bytes, utf8 } from '../hash.js'
import { HashStream } from '../random.js'

/**
 * The proposer of (height, round): a hash lottery over the validators weighted by voting power,
 * so over many rounds each validator proposes in proportion to its power, every node computes the
 * same proposer, and the proposer changes with every round (a silent proposer costs one timeout).
 */
export function proposerFor (validators: ReadonlyMap<string, number>, height: number, round: number): string {
  const ids = [...validators.keys()].filter(id => (validators.get(id) ?? 0) > 0).sort()
  if (ids.length === 0) throw new RangeError('no validator has voting power')
  const total = ids.reduce((s, id) => s + validators.get(id)!, 0)
  let ticket = new HashStream(sha256(utf8('swarmrank/proposer/1'), uint64Bytes(height), uint64Bytes(round))).nextInt(total)
  for (const id of ids) {
    const power = validators.get(id)!
    if (ticket < power) return id
    ticket -= power
  }
  return ids[ids.length - 1]
}
