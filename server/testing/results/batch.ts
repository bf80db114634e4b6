/**
 * Results in bulk (docs/TESTING.md, POST /api/test-results/batch and /import): rows of
 * `{code, result, resultAt?}` where the code is a pool code or a sample barcode. All or nothing:
 * the rows are checked inside ONE transaction with the pools and samples named locked; any
 * rejected row → 422 import_rejected (details: one per rejected row; the report beside the error)
 * and nothing is written. A dry run checks the same way without locking or writing and answers the
 * report (200, rejected rows listed). Writes are set-based (one statement for the pools, one for
 * their members, one for the samples); each positive sample then opens its F0 case (positive.ts).
 *
 * Rejected reasons: unknown_code (no such code, or outside the caller's area), not_your_lab (a code
 * of the caller's province at another lab, or a sample not sent to a lab), pool_not_sealed,
 * result_conflict (another result already recorded), bad_result, bad_time (not a time, in the
 * future, or before the sample was taken / the pool sealed), duplicate_in_file (the same code again),
 * in_pool (a sample of a pool: the pool's result is what is recorded).
 */
import { eq, sql } from "drizzle-orm";
import { pgArray, type Db } from "../../../db/client";
import { labStaff, testPools, testSamples, type TestPool, type TestSample } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { inArea, NATIONAL } from "../../auth/scope";
import type { Deps } from "../../deps";
import { AppError, type ErrorDetail } from "../../http/errors";
import { msg } from "../../http/fields";
import { normaliseCode, parseResultTime, parseResultWord } from "./csv";
import { writePoolResults, type PoolWrite } from "./pools";
import { afterCasesOpened, openCaseForSample, wouldOpenCase, type CaseLink } from "./positive";
import type { RejectReason, ReportT } from "./schemas";
import { CLOCK_SKEW_MS, mayRecordSample, type SignedIn } from "./service";

type TestResult = NonNullable<TestSample["result"]>;

export interface BatchRow {
  /** The row's number: the file's line (header = 1), or the item's position from 1. */
  line: number;
  code: string;
  result: string;
  resultAt?: string | null | undefined;
}

const REASON_TEXT: Record<RejectReason, [string, string]> = {
  unknown_code: ["Không có mẫu hay mẫu gộp mang mã này", "No sample or pool has this code"],
  not_your_lab: ["Mã này không được gửi tới phòng xét nghiệm của bạn", "This code was not sent to your lab"],
  pool_not_sealed: ["Mẫu gộp chưa được niêm phong", "The pool has not been sealed"],
  result_conflict: ["Đã ghi kết quả khác", "A different result is already recorded"],
  bad_result: ["Kết quả phải là âm tính, dương tính hoặc không xác định", "The result must be negative, positive or invalid"],
  bad_time: ["Thời gian không hợp lệ (ISO hoặc dd/mm/yyyy hh:mm; không ở tương lai, không trước khi lấy mẫu)", "Not a valid time (ISO or dd/mm/yyyy hh:mm; not in the future, not before the sample)"],
  duplicate_in_file: ["Mã này đã có ở dòng trước", "This code is on an earlier row"],
  in_pool: ["Mẫu nằm trong mẫu gộp: ghi kết quả của mẫu gộp", "The sample is in a pool: record the pool's result"],
};

/** The answer of a batch or file with a rejected row: 422 import_rejected, with the report. */
export class BatchRejected extends AppError {
  constructor(readonly report: ReportT) {
    const details: ErrorDetail[] = report.rejected.map((r) => ({ path: `line ${r.line}`, message: `${r.reason}: ${msg(...REASON_TEXT[r.reason])} (${r.code})` }));
    super("import_rejected", msg(`${report.rejected.length} dòng bị từ chối; không ghi gì`, `${report.rejected.length} row(s) rejected; nothing was written`), details);
  }
}

type PoolRow = Pick<TestPool, "id" | "code" | "provinceCode" | "communeCode" | "status" | "labId" | "sealedAt" | "result">;
type SampleRow = Pick<TestSample, "id" | "barcode" | "provinceCode" | "communeCode" | "personId" | "testType" | "takenAt" | "poolId" | "labId" | "result"> & {
  /** The lab of the sample's pool: lab staff see the members of their pools. */
  poolLabId: string | null;
};

interface Plan {
  report: ReportT;
  pools: PoolWrite[];
  samples: (SampleRow & { result: TestResult; resultAt: Date })[];
}

/** Checks every row against the registry (locking what it names when `lock`); nothing is written. */
async function plan(q: Db, deps: Deps, actor: SignedIn, rows: BatchRow[], lock: boolean, dryRun: boolean): Promise<Plan> {
  const { user } = actor;
  const now = deps.now();
  const codes = [...new Set(rows.map((r) => normaliseCode(r.code)).filter(Boolean))];
  const anyOf = (col: typeof testPools.code | typeof testSamples.barcode) => sql`${col} = any(${pgArray(codes)}::text[])`;
  const poolQuery = q
    .select({
      id: testPools.id,
      code: testPools.code,
      provinceCode: testPools.provinceCode,
      communeCode: testPools.communeCode,
      status: testPools.status,
      labId: testPools.labId,
      sealedAt: testPools.sealedAt,
      result: testPools.result,
    })
    .from(testPools)
    .where(anyOf(testPools.code))
    .orderBy(testPools.id);
  const sampleQuery = q
    .select({
      id: testSamples.id,
      barcode: testSamples.barcode,
      provinceCode: testSamples.provinceCode,
      communeCode: testSamples.communeCode,
      personId: testSamples.personId,
      testType: testSamples.testType,
      takenAt: testSamples.takenAt,
      poolId: testSamples.poolId,
      labId: testSamples.labId,
      poolLabId: sql<string | null>`(select p.lab_id from test_pools p where p.id = ${testSamples.poolId})`,
      result: testSamples.result,
    })
    .from(testSamples)
    .where(anyOf(testSamples.barcode))
    .orderBy(testSamples.id);
  // Pools first, then samples, each by id: every writer locks in the same order.
  const pools: PoolRow[] = !codes.length ? [] : lock ? await poolQuery.for("update") : await poolQuery;
  const samples: SampleRow[] = !codes.length ? [] : lock ? await sampleQuery.for("update") : await sampleQuery;
  const poolByCode = new Map(pools.map((p) => [p.code, p]));
  const sampleByCode = new Map(samples.map((s) => [s.barcode, s]));
  const myLabs =
    user.role === "lab_staff" ? new Set((await q.select({ labId: labStaff.labId }).from(labStaff).where(eq(labStaff.userId, user.id))).map((r) => r.labId)) : null;

  /** unknown_code outside what the caller may know of; not_your_lab for a code of their own province elsewhere. */
  const visible = (row: { provinceCode: string; communeCode: string | null; labId: string | null }): RejectReason | null => {
    if (myLabs) {
      if (row.labId && myLabs.has(row.labId)) return null;
      return row.provinceCode === user.provinceCode ? "not_your_lab" : "unknown_code";
    }
    return inArea(user, row) ? null : "unknown_code";
  };

  const report: ReportT = { rows: rows.length, pools: 0, samples: 0, negative: 0, positive: 0, invalid: 0, casesOpened: 0, rejected: [], dryRun };
  const out: Plan = { report, pools: [], samples: [] };
  const seen = new Set<string>();
  for (const r of rows) {
    const code = normaliseCode(r.code);
    const reject = (reason: RejectReason) => report.rejected.push({ line: r.line, code: code || r.code, reason });
    if (!code) {
      reject("unknown_code");
      continue;
    }
    if (seen.has(code)) {
      reject("duplicate_in_file");
      continue;
    }
    seen.add(code);
    const result = parseResultWord(r.result);
    if (!result) {
      reject("bad_result");
      continue;
    }
    const at = r.resultAt?.trim() ? parseResultTime(r.resultAt) : now;
    if (!at || at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      reject("bad_time");
      continue;
    }
    const pool = poolByCode.get(code);
    const sample = sampleByCode.get(code);
    if (pool) {
      const hidden = visible(pool);
      if (hidden) reject(hidden);
      else if (pool.status === "open") reject("pool_not_sealed");
      else if (pool.result && pool.result !== result) reject("result_conflict");
      else if (pool.sealedAt && at < pool.sealedAt) reject("bad_time");
      else {
        report.pools++;
        report[result]++;
        if (!pool.result) out.pools.push({ id: pool.id, result, resultAt: at });
      }
    } else if (sample) {
      const hidden = visible({ ...sample, labId: sample.labId ?? sample.poolLabId });
      if (hidden) reject(hidden);
      else if (sample.poolId) reject("in_pool");
      else if (!mayRecordSample(user, sample) || (sample.testType === "pcr" && !sample.labId)) reject("not_your_lab");
      else if (sample.result && sample.result !== result) reject("result_conflict");
      else if (at < sample.takenAt) reject("bad_time");
      else {
        report.samples++;
        report[result]++;
        if (!sample.result) out.samples.push({ ...sample, result, resultAt: at });
      }
    } else reject("unknown_code");
  }
  return out;
}

async function writeSampleResults(tx: Db, now: Date, userId: string, rows: Plan["samples"]) {
  if (!rows.length) return;
  await tx.execute(sql`
    update test_samples s set result = u.result, result_at = u.result_at, result_by = ${userId}::uuid, updated_at = ${now.toISOString()}::timestamptz
    from unnest(${pgArray(rows.map((r) => r.id))}::uuid[], ${pgArray(rows.map((r) => r.result))}::text[], ${pgArray(rows.map((r) => r.resultAt.toISOString()))}::timestamptz[])
      as u(id, result, result_at)
    where s.id = u.id`);
}

/** Records the rows (or, for a dry run, only checks them) and answers the report; rejected rows → BatchRejected (422). */
export async function recordBatch(deps: Deps, actor: SignedIn, rows: BatchRow[], options: { dryRun: boolean; source: "batch" | "import" }): Promise<ReportT> {
  if (options.dryRun) {
    const p = await plan(deps.db, deps, actor, rows, false, true);
    const persons = new Set<string>();
    for (const s of p.samples) if (s.result === "positive" && !persons.has(s.personId) && (await wouldOpenCase(deps.db, s))) persons.add(s.personId);
    p.report.casesOpened = persons.size;
    await audit(deps, actor, options.source, p, true);
    return p.report;
  }

  const { p, links } = await deps.db.transaction(async (tx) => {
    const p = await plan(tx, deps, actor, rows, true, false);
    if (p.report.rejected.length) throw new BatchRejected(p.report);
    const now = deps.now();
    await writePoolResults(tx, now, actor.user.id, p.pools);
    await writeSampleResults(tx, now, actor.user.id, p.samples);
    const links: CaseLink[] = [];
    for (const s of p.samples) if (s.result === "positive") links.push(await openCaseForSample(tx, now, actor.user.id, s));
    return { p, links };
  });
  p.report.casesOpened = links.filter((l) => l.created).length;
  await audit(deps, actor, options.source, p, false, links);
  await afterCasesOpened(deps, actor, links);
  return p.report;
}

async function audit(deps: Deps, actor: SignedIn, source: "batch" | "import", p: Plan, dryRun: boolean, links: CaseLink[] = []) {
  const { rejected, ...counts } = p.report;
  await recordAudit(deps, actor, {
    action: dryRun ? `test_results.${source}.check` : `test_results.${source}`,
    subjectType: "test_result",
    area: { provinceCode: actor.user.provinceCode ?? NATIONAL, communeCode: actor.user.communeCode },
    details: {
      ...counts,
      rejected: rejected.length,
      ...(dryRun
        ? {}
        : {
            poolIds: p.pools.map((x) => x.id),
            sampleIds: p.samples.map((x) => x.id),
            caseIds: links.filter((l) => l.created).map((l) => l.caseId),
          }),
    },
  });
}
