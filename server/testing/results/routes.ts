/** Results of pools and samples, bulk and CSV results, the path to an F0 case, a citizen's own tests (docs/TESTING.md). */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireAuth } from "../../auth/middleware";
import { actorOf } from "../../http/actor";
import type { AppEnv } from "../../http/env";
import { AppError } from "../../http/errors";
import { msg } from "../../http/fields";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import { BatchRejected, recordBatch, type BatchRow } from "./batch";
import { readResultsCsv, ResultsFileError } from "./csv";
import { myTests } from "./mine";
import { recordPoolResult } from "./pools";
import {
  BatchRequest,
  CsvBody,
  ImportQuery,
  MyTests,
  PoolIdParam,
  PoolResultAnswer,
  RecordResult,
  RejectedAnswer,
  Report,
  SampleIdParam,
  SampleResultAnswer,
} from "./schemas";
import { recordSampleResult } from "./service";

const tags = ["Testing"];
/** Lab results: lab staff (their lab's pools and samples), province officers and national admins (their area's). */
const labWriters = requireAuth("lab_staff", "province_officer", "national_admin");
/** A sample's own result: the lab's for a PCR, the site's for a rapid test (the service checks which). */
const sampleWriters = requireAuth("lab_staff", "site_staff", "commune_officer", "province_officer", "national_admin");
const citizen = requireAuth("citizen");
const conflict = { 409: errors[409] };
const rejected = { 422: { description: "import_rejected: a row was rejected, nothing was written (details: one per row; report beside the error)", content: { "application/json": { schema: RejectedAnswer } } } };

/** Runs a batch or a file; a rejected row answers 422 with the error and the report. */
async function answerBatch(c: Context<AppEnv>, rows: BatchRow[], dryRun: boolean, source: "batch" | "import") {
  try {
    return c.json(await recordBatch(c.get("deps"), actorOf(c), rows, { dryRun, source }), 200);
  } catch (e) {
    if (e instanceof BatchRejected)
      return c.json({ error: { code: "import_rejected" as const, message: e.message, requestId: c.get("requestId") ?? "", details: e.details ?? [] }, report: e.report }, 422);
    throw e;
  }
}

export const testResultRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/test-pools/{id}/result",
      tags,
      summary: "Record a sealed pool's result (lab staff of its lab, province and national officers of its area): negative clears every member, positive or invalid sends each to a retest",
      security: bearer,
      middleware: labWriters,
      request: { params: PoolIdParam, body: jsonBody(RecordResult) },
      responses: { 200: json(PoolResultAnswer, "The pool and its members' status (the same result again changes nothing)"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await recordPoolResult(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-samples/{id}/result",
      tags,
      summary:
        "Record a sample's own result: an individual PCR (lab staff of its lab, province and national officers), a rapid test (site staff of its site, officers of its area). A positive opens the person's F0 case (once), traced at once",
      security: bearer,
      middleware: sampleWriters,
      request: { params: SampleIdParam, body: jsonBody(RecordResult) },
      responses: { 200: json(SampleResultAnswer, "The sample (and the case of a positive)"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await recordSampleResult(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-results/batch",
      tags,
      summary: "Record many results at once by pool code or sample barcode: all or nothing (any rejected row → 422 import_rejected, nothing written); dryRun checks only",
      security: bearer,
      middleware: labWriters,
      request: { body: jsonBody(BatchRequest) },
      responses: { 200: json(Report, "What was written (or, for a dry run, would be)"), ...authErrors, ...rejected },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const rows = body.items.map((it, i) => ({ line: i + 1, code: it.code, result: it.result, resultAt: it.resultAt ?? null }));
      return answerBatch(c, rows, body.dryRun ?? false, "batch");
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-results/import",
      tags,
      summary: "Record results from a CSV file (header code,result,result_at; results in English or Vietnamese; times ISO or dd/mm/yyyy hh:mm): the same rules and answer as the batch",
      description: "Columns: code|ma, result|ket_qua, result_at|thoi_gian (optional). `,` `;` or tab separated; a BOM is fine. Rows are numbered by the file's lines (the header is line 1).",
      security: bearer,
      middleware: labWriters,
      request: { query: ImportQuery, body: CsvBody },
      responses: { 200: json(Report, "What was written (or, for a dry run, would be)"), ...authErrors, ...rejected, 413: errors[413] },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^text\/(csv|plain)/i.test(type)) throw new AppError("unsupported_media_type", msg("Gửi tệp dạng text/csv", "Send the file as text/csv"));
      let rows: BatchRow[];
      try {
        rows = readResultsCsv(await c.req.text());
      } catch (e) {
        if (e instanceof ResultsFileError) throw new AppError("validation_failed", e.message, [{ path: "(body)", message: e.message }]);
        throw e;
      }
      return answerBatch(c, rows, c.req.valid("query").dryRun, "import");
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/tests",
      tags,
      summary: "The citizen's and their family members' tests, newest first, with status and final result (audited)",
      security: bearer,
      middleware: citizen,
      responses: { 200: json(MyTests, "Samples of the account's people"), ...authErrors },
    }),
    async (c) => c.json(await myTests(c.get("deps"), actorOf(c)), 200),
  );
