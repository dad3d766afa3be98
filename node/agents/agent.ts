/**
 * What a node asks of its model (DESIGN §5). Both calls may take seconds (a real model) and may
 * fail; the round gives up on them at its deadlines.
 */
export interface AgentQuery {
  queryId: string
  prompt: string
}

export interface AgentVerdict {
  verdict: 'A' | 'B' | 'TIE'
  /** a short reason, kept in the ranker's revealed comparisons */
  reason: string
}

export interface Agent {
  readonly description: string
  answer: (query: AgentQuery, signal?: AbortSignal) => Promise<string>
  compare: (query: AgentQuery, answerA: string, answerB: string, signal?: AbortSignal) => Promise<AgentVerdict>
}
