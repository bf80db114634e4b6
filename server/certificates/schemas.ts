/** Request and answer shapes of health-card certificates (docs/VACCINATION.md "Certificates", docs/TESTING.md "Test certificates"). */
import { z } from "@hono/zod-openapi";
import { msg } from "../http/fields";
import { Dose } from "../vaccination/doses/schemas";
import { TEST_RESULTS, TEST_TYPES } from "../../db/schema";
import { VERIFY_REASONS } from "./shc";

const PersonId = z.string().uuid(msg("Mã người không hợp lệ", "Not a person id"));

export const CardPersonQuery = z.object({
  personId: PersonId.optional().openapi({ description: "A family member's person id; default the account's own" }),
});

const SampleId = z
  .string()
  .uuid(msg("Mã mẫu xét nghiệm không hợp lệ", "Not a sample id"))
  .optional()
  .openapi({ description: "A sample of that person (default: the person's latest final result)" });

export const TestCardQuery = z.object({
  personId: PersonId.optional().openapi({ description: "A family member's person id; default the account's own" }),
  sampleId: SampleId,
});

export const TestCardPersonQuery = z.object({ sampleId: SampleId });

export const CardPersonParam = z.object({ id: PersonId.openapi({ param: { name: "id", in: "path" } }) });

export const CertificateSchema = z
  .object({
    jws: z.string().openapi({ description: "The SMART Health Card: compact JWS (ES256, zip DEF, kid = the shc key's thumbprint)" }),
    qr: z.string().openapi({ description: "The QR text: shc:/ then two digits per JWS character (byte segment + numeric segment, error correction L)", example: "shc:/5676290952432060346029243740446031222959532654603460292540772804336028702864716745222809286133314564376531415906402203064504590856435503414245413640370636654171372412363803043756220467374075323239254334433260573601064529315312707424283950386922127667665" }),
    issuedAt: z.string().openapi({ description: "The card's nbf as an ISO instant" }),
    doses: z.array(Dose),
  })
  .openapi("Certificate");

export const TestCertificateSchema = z
  .object({
    jws: z.string().openapi({ description: "The SMART Health Card (vc.type health-card, laboratory, covid19): compact JWS, ES256, zip DEF" }),
    qr: z.string().openapi({ description: "The QR text: shc:/ then two digits per JWS character" }),
    issuedAt: z.string().openapi({ description: "The card's nbf as an ISO instant" }),
    test: z.object({
      sampleId: z.string().uuid(),
      testType: z.enum(TEST_TYPES),
      takenAt: z.string().openapi({ description: "When the sample was taken (ISO instant)" }),
      result: z.enum(TEST_RESULTS),
      resultAt: z.string().nullable().openapi({ description: "When the result was recorded (the sample's own, or its pool's)" }),
      performer: z.string().openapi({ description: "The lab that ran the test, or the testing site (a rapid test)" }),
    }),
  })
  .openapi("TestCertificate");

export const RevokeRequest = z
  .object({
    personId: PersonId,
    reason: z
      .string({ error: msg("Nhập lý do thu hồi", "Give the reason for revoking") })
      .trim()
      .min(3, msg("Nhập lý do thu hồi (ít nhất 3 ký tự)", "Give the reason for revoking (at least 3 characters)"))
      .max(500, msg("Tối đa 500 ký tự", "At most 500 characters")),
  })
  .openapi("RevokeCertificates");

export const Revocation = z
  .object({
    personId: z.string().uuid(),
    kid: z.string(),
    entry: z.string().openapi({ description: "The entry added to the revocation list: rid.<seconds>", example: "MKyCxh7p6uQ.1792450800" }),
    revokedBefore: z.string().openapi({ description: "Cards with an earlier nbf no longer verify" }),
    ctr: z.number().int().openapi({ description: "The revocation list's counter (the key's crlVersion)" }),
  })
  .openapi("Revocation");

export const VerifyRequest = z
  .object({
    qr: z
      .string({ error: msg("Nhập nội dung mã QR (shc:/…)", "Give the QR text (shc:/…)") })
      .trim()
      .min(1, msg("Nhập nội dung mã QR (shc:/…)", "Give the QR text (shc:/…)"))
      .max(8000, msg("Mã QR quá dài", "The QR text is too long"))
      .openapi({ description: "The scanned text (shc:/…) or the JWS itself" }),
  })
  .openapi("VerifyCertificate");

export const VerifiedCard = z
  .object({
    valid: z.boolean(),
    reason: z.enum(VERIFY_REASONS).optional().openapi({ description: "Why the card is not valid" }),
    kind: z.enum(["vaccination", "test"]).openapi({ description: "A test-result card (vc.type #laboratory) or a vaccination card" }),
    issuer: z.string().nullable(),
    name: z.string().nullable(),
    birthDate: z.string().nullable(),
    doses: z.array(
      z.object({
        date: z.string().nullable(),
        product: z.string(),
        cvx: z.string().nullable(),
        lot: z.string().nullable(),
        performer: z.string().nullable(),
      }),
    ),
    tests: z.array(
      z.object({
        date: z.string().nullable().openapi({ description: "YYYY-MM-DD the sample was taken" }),
        takenAt: z.string().nullable().openapi({ description: "When the sample was taken, as the card gives it (e.g. 2026-10-18T09:30:00+07:00)" }),
        testType: z.enum(TEST_TYPES).nullable().openapi({ description: "From the LOINC code (94309-2 PCR, 94558-4 antigen); null when unknown" }),
        code: z.string().nullable(),
        system: z.string().nullable(),
        result: z.enum(TEST_RESULTS).nullable().openapi({ description: "From the SNOMED code (260385009 negative, 10828004 positive, 455371000124106 invalid)" }),
        resultCode: z.string().nullable(),
        performer: z.string().nullable(),
      }),
    ),
  })
  .openapi("VerifiedCard");
