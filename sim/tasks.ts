import type { HashStream } from '../protocol/random.js'

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
  if (kind === 0) {
    const right = a * b
    return {
      prompt: `A crate holds ${b} boxes of ${a} apples. How many apples are in the crate?`,
      answer: String(right),
      distractors: unique([right + b, right - a, a * (b - 1), a + b, right + 10], right)
    }
  }
  if (kind === 1) {
    const total = a * b + (b - 1)
    const right = Math.floor(total / b)
    return {
      prompt: `${total} tickets are shared equally among ${b} people; leftovers are kept. How many tickets does each person get?`,
      answer: String(right),
      distractors: unique([right + 1, right - 1, total % b, Math.round(total / b) + 2], right)
    }
  }
  const c = 2 + rng.nextInt(9)
  const right = a + b * c
  return {
    prompt: `Compute ${a} + ${b} × ${c}.`,
    answer: String(right),
    distractors: unique([(a + b) * c, right + c, right - b, a * b + c], right)
  }
}

function unique (values: number[], right: number): string[] {
  return [...new Set(values.filter(v => v !== right && v >= 0))].map(String)
}
