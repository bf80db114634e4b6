/**
 * One throwaway PostgreSQL cluster for the whole test run; each test file makes its own
 * database in it. In CI the cluster is required; elsewhere, without PostgreSQL binaries,
 * the PostgreSQL half of the API tests is skipped with a warning.
 */
import type { TestProject } from "vitest/node";
import { findPostgresBin, startTempPostgres, type TempPostgres } from "../../scripts/lib/temp-postgres";

let pg: TempPostgres | undefined;

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL ?? "";
  if (!url) {
    if (findPostgresBin()) {
      pg = await startTempPostgres();
      url = pg.url;
    } else if (process.env.CI) {
      throw new Error("CI needs PostgreSQL binaries for the API tests (see .ci/run)");
    } else {
      console.warn("\n[tests] PostgreSQL binaries not found: API tests run on PGlite only.\n");
    }
  }
  project.provide("postgresUrl", url);
}

export async function teardown() {
  pg?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
