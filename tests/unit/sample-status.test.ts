/**
 * The derived sample status (server/testing/status.ts): every branch of sampleStatus(), and the
 * same rule in SQL (sampleStatusSql) agreeing with it on every combination, on PGlite.
 */
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../../db/client";
import * as schema from "../../db/schema";
import { testPools, testSamples } from "../../db/schema";
import { sampleStatus, sampleStatusSql, type StatusInput, type TestResult } from "../../server/testing/status";

const open = { status: "open", result: null } as const;
const sealed = { status: "sealed", result: null } as const;
const resulted = (result: TestResult) => ({ status: "resulted", result }) as const;
const base: StatusInput = { result: null, labId: null, pool: null, retested: false };
const LAB = "00000000-0000-4000-8000-00000000000a";

/** Every branch, by name, with what it must give. */
const CASES: [string, StatusInput, ReturnType<typeof sampleStatus>][] = [
  ["taken, alone, not sent anywhere", base, "collected"],
  ["alone, sent to a lab", { ...base, labId: LAB }, "in_lab"],
  ["in an open pool", { ...base, pool: open }, "pooled"],
  ["in a sealed pool without a result", { ...base, pool: sealed }, "in_lab"],
  ["in a sealed pool, and a lab id on the sample too", { ...base, labId: LAB, pool: sealed }, "in_lab"],
  ["in a negative pool", { ...base, pool: resulted("negative") }, "negative"],
  ["in a negative pool, even with a (stray) retest", { ...base, pool: resulted("negative"), retested: true }, "negative"],
  ["in a positive pool, not retested", { ...base, pool: resulted("positive") }, "retest_needed"],
  ["in a positive pool, retested", { ...base, pool: resulted("positive"), retested: true }, "retested"],
  ["in an invalid pool, not retested", { ...base, pool: resulted("invalid") }, "retest_needed"],
  ["in an invalid pool, retested", { ...base, pool: resulted("invalid"), retested: true }, "retested"],
  ["own result negative", { ...base, labId: LAB, result: "negative" }, "negative"],
  ["own result positive", { ...base, labId: LAB, result: "positive" }, "positive"],
  ["own result positive, even if retested", { ...base, result: "positive", retested: true }, "positive"],
  ["own result invalid, not retested", { ...base, result: "invalid" }, "invalid"],
  ["own result invalid, retested", { ...base, result: "invalid", retested: true }, "retested"],
  ["own result negative wins over an open pool", { ...base, result: "negative", pool: open }, "negative"],
  ["own result positive wins over a negative pool", { ...base, result: "positive", pool: resulted("negative") }, "positive"],
  ["own result negative wins over a positive pool", { ...base, result: "negative", pool: resulted("positive") }, "negative"],
];

describe("sampleStatus", () => {
  it.each(CASES)("%s", (_name, input, expected) => {
    expect(sampleStatus(input)).toBe(expected);
  });

  it("covers every status the schema knows", () => {
    expect(new Set(CASES.map((c) => c[2]))).toEqual(new Set(schema.SAMPLE_STATUSES));
  });
});

describe("sampleStatusSql agrees with sampleStatus", () => {
  let client: PGlite;
  let db: ReturnType<typeof drizzle<typeof schema>>;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    client = new PGlite();
    db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    const campaignId = crypto.randomUUID();
    const siteId = crypto.randomUUID();
    let n = 0;
    for (const [name, input] of CASES) {
      n++;
      let poolId: string | null = null;
      if (input.pool) {
        const [p] = await db
          .insert(testPools)
          .values({
            provinceCode: "01",
            communeCode: "00070",
            campaignId,
            siteId,
            code: `P${String(n).padStart(8, "0")}`,
            maxSize: 5,
            status: input.pool.status,
            result: input.pool.result,
            labId: input.pool.status === "open" ? null : LAB,
          })
          .returning();
        poolId = p!.id;
      }
      const sample = {
        provinceCode: "01",
        communeCode: "00070",
        campaignId,
        siteId,
        personId: crypto.randomUUID(),
        testType: "pcr" as const,
        takenAt: new Date(),
      };
      const [s] = await db
        .insert(testSamples)
        .values({ ...sample, barcode: `S${String(n).padStart(10, "0")}`, poolId, poolOpen: !!input.pool && !input.pool.result, labId: input.labId, result: input.result })
        .returning();
      if (input.retested)
        await db.insert(testSamples).values({ ...sample, personId: s!.personId, barcode: `S${String(n).padStart(9, "0")}R`, retestOf: s!.id, labId: LAB });
      ids.set(name, s!.id);
    }
  });
  afterAll(() => client?.close());

  it.each(CASES)("%s", async (name, _input, expected) => {
    const [row] = await db
      .select({ status: sampleStatusSql })
      .from(testSamples)
      .leftJoin(testPools, eq(testPools.id, testSamples.poolId))
      .where(eq(testSamples.id, ids.get(name)!));
    expect(row!.status).toBe(expected);
  });
});
