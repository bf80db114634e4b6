/** Health-card certificates: citizens' and officers' downloads, revocation, verification (docs/VACCINATION.md, docs/TESTING.md "Test certificates"). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireAuth } from "../auth/middleware";
import { OFFICER_ROLES } from "../auth/roles";
import { perIpLimit } from "../declarations/limits";
import { actorOf } from "../http/actor";
import type { AppEnv } from "../http/env";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { certificatePdf, testCertificatePdf } from "./pdf";
import { CardPersonParam, CardPersonQuery, CertificateSchema, Revocation, RevokeRequest, TestCardPersonQuery, TestCardQuery, TestCertificateSchema, VerifiedCard, VerifyRequest } from "./schemas";
import { myVaccinationCard, personVaccinationCard, revokeCertificates, verifyPresentedCard, type IssuedCard } from "./service";
import { myTestCard, personTestCard, type IssuedTestCard } from "./tests";

const tags = ["Certificates"];
const citizen = requireAuth("citizen");
const officers = requireAuth(...OFFICER_ROLES);
const revokers = requireAuth("province_officer", "national_admin");
/** Checks per address: a verifier at a door scans one card every few seconds at most. */
const verifyLimit = perIpLimit("certificate-verify", 120, 60);

const file = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string().openapi({ format: "binary" }) } } });
const noDoses = { 404: { description: "Not found, outside the caller's area, or no dose recorded (no_doses)", content: errors[404].content } };
const noTests = { 404: { description: "Not found (a person or sample not the caller's, or outside their area), or no final test result (no_tests)", content: errors[404].content } };

/** The answer's doses are the registry's `Dose` (the CVX code stays inside the card). */
const present = (card: IssuedCard) => ({
  jws: card.jws,
  qr: card.qr,
  issuedAt: card.issuedAt,
  doses: card.doses.map(({ cvx: _cvx, ...d }) => d),
});

/** The answer's test: what the card says, in the registry's words. */
const presentTest = (card: IssuedTestCard) => ({
  jws: card.jws,
  qr: card.qr,
  issuedAt: card.issuedAt,
  test: {
    sampleId: card.test.sampleId,
    testType: card.test.testType,
    takenAt: card.test.takenAt,
    result: card.test.result,
    resultAt: card.test.resultAt,
    performer: card.test.performer,
  },
});

function fileName(person: { fullName: string }, ext: string, prefix = "giay-chung-nhan-tiem-chung") {
  const name = `${prefix}-${person.fullName}`;
  const ascii = name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
  return `attachment; filename="${ascii}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${name}.${ext}`)}`;
}

async function pdfOf(c: Context<AppEnv>, card: IssuedCard) {
  const deps = c.get("deps");
  const pdf = await certificatePdf({
    fullName: card.person.fullName,
    birthDate: card.person.birthDate ?? (card.person.birthYear ? String(card.person.birthYear) : null),
    doses: card.doses,
    jws: card.jws,
    issuedAt: new Date(card.issuedAt),
    issuer: deps.config.publicUrl,
    verifyUrl: `${deps.config.publicUrl}/verify`,
  });
  return c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": fileName(card.person, "pdf"), "cache-control": "no-store" });
}

async function testPdfOf(c: Context<AppEnv>, card: IssuedTestCard) {
  const deps = c.get("deps");
  const pdf = await testCertificatePdf({
    fullName: card.person.fullName,
    birthDate: card.person.birthDate ?? (card.person.birthYear ? String(card.person.birthYear) : null),
    test: card.test,
    jws: card.jws,
    issuedAt: new Date(card.issuedAt),
    issuer: deps.config.publicUrl,
    verifyUrl: `${deps.config.publicUrl}/verify`,
  });
  return c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": fileName(card.person, "pdf", "giay-xac-nhan-xet-nghiem"), "cache-control": "no-store" });
}

export const certificateRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/me/certificates/vaccination",
      tags,
      summary: "The citizen's (or a family member's) vaccination certificate as a SMART Health Card (audited)",
      security: bearer,
      middleware: [citizen] as const,
      request: { query: CardPersonQuery },
      responses: { 200: json(CertificateSchema, "The signed card and its QR text"), ...authErrors, ...noDoses },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      const card = await myVaccinationCard(c.get("deps"), actorOf(c), c.req.valid("query").personId, "json");
      return c.json(present(card), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/certificates/vaccination.pdf",
      tags,
      summary: "The citizen's (or a family member's) printable certificate: A4 PDF with the QR (audited)",
      security: bearer,
      middleware: [citizen] as const,
      request: { query: CardPersonQuery },
      responses: { 200: file("application/pdf", "The certificate"), ...authErrors, ...noDoses },
    }),
    async (c) => pdfOf(c, await myVaccinationCard(c.get("deps"), actorOf(c), c.req.valid("query").personId, "pdf")),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/certificates/vaccination.smart-health-card",
      tags,
      summary: "The citizen's (or a family member's) card as a .smart-health-card file for health wallets (audited)",
      security: bearer,
      middleware: [citizen] as const,
      request: { query: CardPersonQuery },
      responses: {
        200: file("application/smart-health-card", '{"verifiableCredential": [jws]}'),
        ...authErrors,
        ...noDoses,
      },
    }),
    async (c) => {
      const card = await myVaccinationCard(c.get("deps"), actorOf(c), c.req.valid("query").personId, "smart-health-card");
      return c.body(JSON.stringify({ verifiableCredential: [card.jws] }), 200, {
        "content-type": "application/smart-health-card",
        "content-disposition": fileName(card.person, "smart-health-card"),
        "cache-control": "no-store",
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/people/{id}/certificates/vaccination",
      tags,
      summary: "A person's vaccination certificate, for officers of the person's area (audited)",
      security: bearer,
      middleware: [officers] as const,
      request: { params: CardPersonParam },
      responses: { 200: json(CertificateSchema, "The signed card and its QR text"), ...authErrors, ...noDoses },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(present(await personVaccinationCard(c.get("deps"), actorOf(c), c.req.valid("param").id, "json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/people/{id}/certificates/vaccination.pdf",
      tags,
      summary: "Print a person's certificate (someone without a phone), for officers of the person's area (audited)",
      security: bearer,
      middleware: [officers] as const,
      request: { params: CardPersonParam },
      responses: { 200: file("application/pdf", "The certificate"), ...authErrors, ...noDoses },
    }),
    async (c) => pdfOf(c, await personVaccinationCard(c.get("deps"), actorOf(c), c.req.valid("param").id, "pdf")),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/certificates/test",
      tags,
      summary: "The citizen's (or a family member's) latest final test result, or the sample named, as a SMART Health Card (audited)",
      security: bearer,
      middleware: [citizen] as const,
      request: { query: TestCardQuery },
      responses: { 200: json(TestCertificateSchema, "The signed card, its QR text and the test"), ...authErrors, ...noTests },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(presentTest(await myTestCard(c.get("deps"), actorOf(c), c.req.valid("query"), "json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/certificates/test.pdf",
      tags,
      summary: "The citizen's (or a family member's) printable test certificate: A4 PDF with the QR (audited)",
      security: bearer,
      middleware: [citizen] as const,
      request: { query: TestCardQuery },
      responses: { 200: file("application/pdf", "The test certificate"), ...authErrors, ...noTests },
    }),
    async (c) => testPdfOf(c, await myTestCard(c.get("deps"), actorOf(c), c.req.valid("query"), "pdf")),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/people/{id}/certificates/test",
      tags,
      summary: "A person's test certificate (latest final result, or the sample named), for officers of the person's area (audited)",
      security: bearer,
      middleware: [officers] as const,
      request: { params: CardPersonParam, query: TestCardPersonQuery },
      responses: { 200: json(TestCertificateSchema, "The signed card, its QR text and the test"), ...authErrors, ...noTests },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(presentTest(await personTestCard(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("query").sampleId, "json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/people/{id}/certificates/test.pdf",
      tags,
      summary: "Print a person's test certificate (someone without a phone), for officers of the person's area (audited)",
      security: bearer,
      middleware: [officers] as const,
      request: { params: CardPersonParam, query: TestCardPersonQuery },
      responses: { 200: file("application/pdf", "The test certificate"), ...authErrors, ...noTests },
    }),
    async (c) => testPdfOf(c, await personTestCard(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("query").sampleId, "pdf")),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/certificates/revocations",
      tags,
      summary: "Revoke every card issued to a person so far (province officers, national admins; audited). Cards issued afterwards verify.",
      security: bearer,
      middleware: [revokers] as const,
      request: { body: jsonBody(RevokeRequest) },
      responses: { 201: json(Revocation, "The entry added to the revocation list"), ...authErrors },
    }),
    async (c) => c.json(await revokeCertificates(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/certificates/verify",
      tags,
      summary: "Check a SMART Health Card of this issuer: signature, revocation, expiry; what it says, doses or test results (no account needed)",
      middleware: [verifyLimit] as const,
      request: { body: jsonBody(VerifyRequest) },
      responses: { 200: json(VerifiedCard, "The verdict (valid or the reason) and the card's contents"), 400: errors[400], 429: errors[429] },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await verifyPresentedCard(c.get("deps"), c.req.valid("json").qr), 200);
    },
  );
