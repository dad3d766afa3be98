import type { HashStream } from '../random.js'

/** A question with a known right answer and the wrong answers a weak agent tends to give. */
export interface Task {
  prompt: string
  answer: string
  /** Plausible wrong answers (off-by-one, digit slips, wrong operation). */
  distractors: string[]
}

/**
 * A seeded family of arithmetic word problems: easy to check, hard enough that simulated agents
 * with a skill below 1 get them wrong in realistic, clustered ways (so wrong answers coincide and
 * majority voting can be fooled, as with real models).
 */
export function drawTask (rng: HashStream): Task {
  const a = 12 + rng.nextInt(88)
  const b = 3 + rng.nextInt(27)
  const kind = rng.nextInt(3)
  const prompt = kind === 0
    ? `A crate holds ${b} boxes of ${a} apples. How many apples are in the crate?`
    : kind === 1
      ? `${a * b + (b - 1)} tickets are shared equally among ${b} people; leftovers are kept. How many tickets does each person get?`
      : `Compute ${a} + ${b} × ${2 + rng.nextInt(9)}.`
  return solveTask(prompt) as Task
}

function unique (values: number[], right: number): string[] {
  return [...new Set(values.filter(v => v !== right && v >= 0))].map(String)
}

/**
 * The right answer to a prompt of the task family, or undefined for any other prompt. The
 * builtin agents use it to know the truth they then get right or wrong by skill.
 */
export function solveTask (prompt: string): Task | undefined {
  let m = /^A crate holds (\d+) boxes of (\d+) apples\. How many apples are in the crate\?$/.exec(prompt)
  if (m !== null) {
    const [b, a] = [Number(m[1]), Number(m[2])]
    const right = a * b
    return { prompt, answer: String(right), distractors: unique([right + b, right - a, a * (b - 1), a + b, right + 10], right) }
  }
  m = /^(\d+) tickets are shared equally among (\d+) people; leftovers are kept\. How many tickets does each person get\?$/.exec(prompt)
  if (m !== null) {
    const [total, b] = [Number(m[1]), Number(m[2])]
    const right = Math.floor(total / b)
    return { prompt, answer: String(right), distractors: unique([right + 1, right - 1, total % b, Math.round(total / b) + 2], right) }
  }
  m = /^Compute (\d+) \+ (\d+) × (\d+)\.$/.exec(prompt)
  if (m !== null) {
    const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const right = a + b * c
    return { prompt, answer: String(right), distractors: unique([(a + b) * c, right + c, right - b, a * b + c], right) }
  }
  return undefined
}
