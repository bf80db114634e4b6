/** Samples, labels, pools (add, remove, seal) (docs/TESTING.md). */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import { poolLabel, sampleLabel } from "./labels";
import { addToPool, createPool, getPool, getPoolByCode, listPools, removeFromPool, sealPool } from "./pools";
import {
  AddToPool,
  BarcodeParam,
  CreatePool,
  CreateSample,
  PoolCodeParam,
  PoolDetail,
  PoolIdParam,
  PoolList,
  PoolListQuery,
  PoolSampleParam,
  Sample,
  SampleDetail,
  SampleIdParam,
  SampleList,
  SampleListQuery,
  SealPool,
} from "./schemas";
import { createSample, getSample, getSampleByBarcode, listSamples } from "./service";

const tags = ["Testing"];
/** Read samples and pools: officers of the area, site staff of their sites, lab staff of their lab. */
const readers = requireAuth("site_staff", "lab_staff", ...OFFICER_ROLES);
/** Take samples and fill pools: site staff at their sites, commune/province/national officers at sites of their area. */
const workers = requireAuth("site_staff", "commune_officer", "province_officer", "national_admin");
const rules = { 409: errors[409] };
const pdf = (description: string) => ({ description, content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } } });
const sendPdf = (c: { body: (b: Uint8Array, s: 200, h: Record<string, string>) => Response }, out: { pdf: Buffer; fileName: string }) =>
  c.body(new Uint8Array(out.pdf), 200, { "content-type": "application/pdf", "content-disposition": `inline; filename="${out.fileName}"`, "cache-control": "private, no-store" });

export const testSampleRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/test-samples",
      tags,
      summary:
        "Register a sample at a testing site: a person by id, typed in, or by their personal health QR; or the retest of a sample (retestOf). Optionally into an open pool at once, or sent alone to a lab",
      security: bearer,
      middleware: workers,
      request: { body: jsonBody(CreateSample) },
      responses: { 201: json(Sample, "The sample with its new barcode"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await createSample(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-samples",
      tags,
      summary: "Samples the caller may see, newest first, with their derived status (audited)",
      security: bearer,
      middleware: readers,
      request: { query: SampleListQuery },
      responses: { 200: json(SampleList, "A page of samples"), ...authErrors },
    }),
    async (c) => c.json(await listSamples(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-samples/by-barcode/{barcode}",
      tags,
      summary: "The sample of a scanned label (audited)",
      security: bearer,
      middleware: readers,
      request: { params: BarcodeParam },
      responses: { 200: json(SampleDetail, "The sample"), ...authErrors },
    }),
    async (c) => c.json(await getSampleByBarcode(c.get("deps"), actorOf(c), c.req.valid("param").barcode), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-samples/{id}",
      tags,
      summary: "One sample with its person, pool, retest and case (audited)",
      security: bearer,
      middleware: readers,
      request: { params: SampleIdParam },
      responses: { 200: json(SampleDetail, "The sample"), ...authErrors },
    }),
    async (c) => c.json(await getSample(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-samples/{id}/label.pdf",
      tags,
      summary: "The sample's label, 50 × 30 mm: QR and barcode, initials, birth year, time taken (audited)",
      security: bearer,
      middleware: readers,
      request: { params: SampleIdParam },
      responses: { 200: pdf("The label"), ...authErrors },
    }),
    async (c) => sendPdf(c, await sampleLabel(c.get("deps"), actorOf(c), c.req.valid("param").id)),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-pools",
      tags,
      summary: "Open a pool at a testing site of a PCR campaign (its size is the campaign's pool size)",
      security: bearer,
      middleware: workers,
      request: { body: jsonBody(CreatePool) },
      responses: { 201: json(PoolDetail, "The open pool"), ...authErrors, ...rules },
    }),
    async (c) => c.json({ ...(await createPool(c.get("deps"), actorOf(c), c.req.valid("json").siteId)), members: [] }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-pools",
      tags,
      summary: "Pools the caller may see (lab staff: those sealed to their lab), newest first",
      security: bearer,
      middleware: readers,
      request: { query: PoolListQuery },
      responses: { 200: json(PoolList, "A page of pools"), ...authErrors },
    }),
    async (c) => c.json(await listPools(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-pools/by-code/{code}",
      tags,
      summary: "The pool of a scanned label, with its members (audited)",
      security: bearer,
      middleware: readers,
      request: { params: PoolCodeParam },
      responses: { 200: json(PoolDetail, "The pool"), ...authErrors },
    }),
    async (c) => c.json(await getPoolByCode(c.get("deps"), actorOf(c), c.req.valid("param").code), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-pools/{id}",
      tags,
      summary: "One pool with its members and their status (audited)",
      security: bearer,
      middleware: readers,
      request: { params: PoolIdParam },
      responses: { 200: json(PoolDetail, "The pool"), ...authErrors },
    }),
    async (c) => c.json(await getPool(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-pools/{id}/samples",
      tags,
      summary: "Add a sample of the pool's site (by id or scanned barcode); full → pool_full, sealed → pool_not_open, person in another open pool → person_in_open_pool",
      security: bearer,
      middleware: workers,
      request: { params: PoolIdParam, body: jsonBody(AddToPool) },
      responses: { 200: json(PoolDetail, "The pool"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await addToPool(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/test-pools/{id}/samples/{sampleId}",
      tags,
      summary: "Take a sample out of a pool while it is open",
      security: bearer,
      middleware: workers,
      request: { params: PoolSampleParam },
      responses: { 200: json(PoolDetail, "The pool"), ...authErrors, ...rules },
    }),
    async (c) => {
      const { id, sampleId } = c.req.valid("param");
      return c.json(await removeFromPool(c.get("deps"), actorOf(c), id, sampleId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-pools/{id}/seal",
      tags,
      summary: "Seal a pool (at least one sample) and send it to a lab of its province",
      security: bearer,
      middleware: workers,
      request: { params: PoolIdParam, body: jsonBody(SealPool) },
      responses: { 200: json(PoolDetail, "The sealed pool"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await sealPool(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json").labId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-pools/{id}/label.pdf",
      tags,
      summary: "The pool's label, 50 × 30 mm: QR and code, site, size, time opened",
      security: bearer,
      middleware: readers,
      request: { params: PoolIdParam },
      responses: { 200: pdf("The label"), ...authErrors },
    }),
    async (c) => sendPdf(c, await poolLabel(c.get("deps"), actorOf(c), c.req.valid("param").id)),
  );
