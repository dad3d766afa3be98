import { defineConfig } from 'vitest/config'

// Tests by layer (CONVENTIONS §7): `unit` is the pure protocol and runs in seconds;
// `sim` runs small versions of the simulator's experiments;
// `e2e` starts the CLI as child processes from the compiled dist/ (npm test builds first).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // attack tests of DESIGN §8 against the pure protocol (a forged message among honest ones)
      { test: { name: 'adversary', include: ['tests/adversary/**/*.test.ts'] } },
      { test: { name: 'sim', include: ['tests/sim/**/*.test.ts'], testTimeout: 120_000 } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 60_000 } }
    ]
  }
})
