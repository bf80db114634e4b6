/** Request and answer shapes of health-card certificates (docs/VACCINATION.md "Certificates"). */
import { z } from "@hono/zod-openapi";
import { msg } from "../http/fields";
import { Dose } from "../vaccination/doses/schemas";
import { VERIFY_REASONS } from "./shc";

const PersonId = z.string().uuid(msg("Mã người không hợp lệ", "Not a person id"));

export const CardPersonQuery = z.object({
  personId: PersonId.optional().openapi({ description: "A family member's person id; default the account's own" }),
});

export const CardPersonParam = z.object({ id: PersonId.openapi({ param: { name: "id", in: "path" } }) });

export const CertificateSchema = z
  .object({
    jws: z.string().openapi({ description: "The SMART Health Card: compact JWS (ES256, zip DEF, kid = the shc key's thumbprint)" }),
    qr: z.string().openapi({ description: "The QR text: shc:/ then two digits per JWS character (byte segment + numeric segment, error correction L)", example: "shc:/5676290952432060346029243740446031222959532654603460292540772804336028702864716745222809286133314564376531415906402203064504590856435503414245413640370636654171372412363803043756220467374075323239254334433260573601064529315312707424283950386922127667665" }),
    issuedAt: z.string().openapi({ description: "The card's nbf as an ISO instant" }),
    doses: z.array(Dose),
  })
  .openapi("Certificate");

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
  })
  .openapi("VerifiedCard");
