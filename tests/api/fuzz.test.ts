/**
 * Property-based fuzzing of every route of the OpenAPI document (fast-check): path parameters,
 * query parameters and bodies generated from the route's own schemas (tests/support/fuzz), with
 * boundary and hostile values (empty and huge strings, RTL marks, zero-width joiners, emoji, lone
 * surrogates, NUL, injection strings, numbers past their bounds, wrong types, deep nesting, bodies
 * that are not JSON), sent by an authorised role of the route (tests/support/access.ts) or by
 * nobody. Every answer must be below 500, carry a request id, and be the one JSON error shape when
 * it is a 4xx; after each route the platform must still answer /healthz and a signed-in read.
 *
 * Runs are bounded (FUZZ_RUNS per route, default 25) and seeded: the seed is printed, and
 * FUZZ_SEED=<seed> npx vitest run tests/api/fuzz.test.ts -t "<route>" replays a failure.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS, authorisedRole, type Caller } from "../support/access";
import { engines } from "../support/platform";
import { answerProblems, describeRequest, requestArbitrary, send } from "../support/fuzz/requests";
import { buildWorld, operations, type World } from "../support/fuzz/world";

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

describe.each(engines())("fuzzing every route on %s", (engine) => {
  let w: World;
  /** Answers by status, per route: printed at the end, to see how deep the requests reached. */
  const seen = new Map<string, Map<number, number>>();
  beforeAll(async () => {
    console.log(`[fuzz] ${engine}: seed ${SEED}, ${RUNS} runs per route (replay: FUZZ_SEED=${SEED})`);
    w = await buildWorld(engine);
  }, 180_000);
  afterAll(async () => {
    const reached = [...seen.values()].filter((m) => [...m.keys()].some((s) => s < 300)).length;
    const total = [...seen.values()].flatMap((m) => [...m.entries()]).reduce<Record<number, number>>((acc, [s, n]) => ((acc[s] = (acc[s] ?? 0) + n), acc), {});
    console.log(`[fuzz] ${engine}: ${seen.size} routes, ${reached} answered 2xx at least once; answers by status ${JSON.stringify(total)}`);
    await w?.t.close();
  });

  it("knows every route of the OpenAPI document (tests/support/access.ts)", () => {
    expect(operations(w.doc).map((o) => o.key).filter((k) => !ACCESS[k])).toEqual([]);
  });

  it.each(Object.keys(ACCESS).sort())(
    "%s: no 5xx, one error shape, the server keeps answering",
    async (key) => {
      const op = operations(w.doc).find((o) => o.key === key);
      expect(op, `${key} is not in the OpenAPI document`).toBeDefined();
      const access = ACCESS[key]!;
      const role = authorisedRole(access);
      const callers: Caller[] = role === "anonymous" ? ["anonymous", "citizen", "national_admin"] : [role, role, role, "anonymous"];
      const statuses = new Map<number, number>();
      seen.set(key, statuses);
      const property = fc.asyncProperty(requestArbitrary(w, op!.method, op!.path, op!.op, callers), async (req) => {
        const res = await send(w, req);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const problems = await answerProblems(res);
        if (problems.length) throw new Error(`${problems.join("; ")}\n  request: ${describeRequest(req)}\n  replay: FUZZ_SEED=${SEED}`);
      });
      await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
      // the platform still answers: health, and a signed-in read
      const health = await w.t.request("GET", "/healthz");
      expect(health.status).toBe(200);
      const me = await w.t.request("GET", "/api/me", { token: w.tokens.national_admin });
      expect(me.status).toBe(200);
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    },
    120_000,
  );
});
