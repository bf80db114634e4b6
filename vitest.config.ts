import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "api", include: ["tests/api/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], environment: "node", fileParallelism: false },
      },
      {
        // Fault tests (docs/OPERATIONS.md): each file starts, stops and crashes its own PostgreSQL
        // cluster and server process (never the run's shared cluster), one file at a time.
        test: { name: "faults", include: ["tests/faults/**/*.test.ts"], environment: "node", fileParallelism: false, testTimeout: 90_000, hookTimeout: 120_000 },
      },
    ],
  },
});
