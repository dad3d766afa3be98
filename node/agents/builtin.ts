import { setTimeout as sleep } from 'node:timers/promises'
import { agentProfiles, builtinAnswer, builtinJudge } from '../../protocol/agents/builtin.js'
import type { AgentProfile } from '../../protocol/agents/builtin.js'
import { fromHex } from '../../protocol/hash.js'
import type { Agent, AgentQuery, AgentVerdict } from './agent.js'

export interface BuiltinAgentInit {
  /** a profile name from protocol/agents/builtin.ts */
  profile: string
  /** seeds the agent's luck; the node passes its peer id so each node errs differently */
  seed: string
  /** simulated thinking time per call. Default 0: instant, for tests and local clusters. */
  delayMs?: number
}

export class UnknownProfileError extends Error {
  override name = 'UnknownProfileError'
}

/** The builtin agent: no model, a skill profile over the demo task family. */
export function builtinAgent (init: BuiltinAgentInit): Agent {
  const profile: AgentProfile | undefined = agentProfiles[init.profile]
  if (profile === undefined) throw new UnknownProfileError(`unknown builtin profile "${init.profile}" (known: ${Object.keys(agentProfiles).join(', ')})`)
  const delay = async (signal?: AbortSignal): Promise<void> => {
    if ((init.delayMs ?? 0) > 0) await sleep(init.delayMs, undefined, { signal })
  }
  return {
    description: `builtin agent, profile ${profile.name}`,
    async answer (query: AgentQuery, signal?: AbortSignal): Promise<string> {
      await delay(signal)
      return builtinAnswer(profile, init.seed, fromHex(query.queryId), query.prompt)
    },
    async compare (query: AgentQuery, answerA: string, answerB: string, signal?: AbortSignal): Promise<AgentVerdict> {
      await delay(signal)
      return builtinJudge(profile, init.seed, fromHex(query.queryId), query.prompt, answerA, answerB)
    }
  }
}
