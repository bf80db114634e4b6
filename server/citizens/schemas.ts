/**
 * Request and response shapes of the citizen routes (docs/CITIZENS.md: "Citizen account" and
 * "Personal health QR"): sign-in by one-time code, profile, family, exposure notices, health QR.
 */
import { z } from "@hono/zod-openapi";
import { CONTACT_SOURCES, CONTACT_STATUSES, FAMILY_RELATIONS } from "../../db/schema";
import { Day, Phone } from "../http/fields";
import { UserSchema, CommuneCode } from "../users/schemas";

const thisYear = new Date().getUTCFullYear();

export { Phone };

export const SexSchema = z.enum(["male", "female", "other"]).openapi("Sex");
export const FamilyRelationSchema = z.enum(FAMILY_RELATIONS).openapi("FamilyRelation");

// ---- sign-in by one-time code ----

export const OtpRequest = z.object({ phone: Phone }).openapi("OtpRequest");

export const OtpSent = z
  .object({
    sent: z.literal(true),
    expiresIn: z.number().int().openapi({ description: "Seconds the code stays valid (OTP_TTL)" }),
  })
  .openapi("OtpSent");

export const OtpVerify = z
  .object({
    phone: Phone,
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "The code is 6 digits"),
  })
  .openapi("OtpVerify");

/** Same as the officers' login session, plus whether the account was created by this sign-in. */
export const CitizenSession = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    user: UserSchema,
    created: z.boolean().openapi({ description: "True when this sign-in created the account" }),
  })
  .openapi("CitizenSession");

// ---- profile ----

export const ProfileSchema = z
  .object({
    personId: z.string().uuid(),
    phone: z.string(),
    fullName: z.string().nullable().openapi({ description: "Null until the citizen sets it" }),
    birthDate: z.string().nullable(),
    birthYear: z.number().int().nullable(),
    sex: SexSchema.nullable(),
    provinceCode: z.string().nullable().openapi({ description: "Null until a commune is set" }),
    communeCode: z.string().nullable(),
    idNumberSet: z.boolean().openapi({ description: "Whether an ID number is on file (it is never shown back)" }),
  })
  .openapi("Profile");

/** CCCD (12 digits) or old CMND (9 digits). */
export const IdNumber = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s/g, ""))
  .pipe(z.string().regex(/^(\d{12}|\d{9})$/, "ID number: 12 digits (CCCD) or 9 digits (CMND)"));

export const UpdateProfile = z
  .object({
    fullName: z.string().trim().min(2, "Enter the full name").max(120),
    birthDate: Day.nullish(),
    sex: SexSchema.nullish(),
    communeCode: CommuneCode.nullish(),
    idNumber: IdNumber.nullish().openapi({ description: "Absent: keep the one on file; null: remove it" }),
  })
  .openapi("UpdateProfile");

// ---- family ----

export const FamilyMemberSchema = z
  .object({
    personId: z.string().uuid(),
    relation: FamilyRelationSchema,
    fullName: z.string(),
    birthYear: z.number().int().nullable(),
    sex: SexSchema.nullable(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("FamilyMember");

export const FamilyList = z.object({ items: z.array(FamilyMemberSchema) }).openapi("FamilyList");

export const AddFamilyMember = z
  .object({
    relation: FamilyRelationSchema,
    fullName: z.string().trim().min(2, "Enter the full name").max(120),
    birthYear: z.number().int().min(1900, "Year of birth from 1900").max(thisYear, "Year of birth cannot be in the future"),
    sex: SexSchema.nullish(),
    communeCode: CommuneCode.nullish().openapi({ description: "Default: the account's commune" }),
  })
  .openapi("AddFamilyMember");

export const FamilyPersonParam = z.object({ personId: z.string().uuid("Not a person id") });

// ---- exposure notices ----

export const MyExposureList = z
  .object({
    items: z.array(
      z.object({
        personId: z.string().uuid().openapi({ description: "The account's person or a family member" }),
        degree: z.number().int().openapi({ description: "1 = close contact (F1), 2 = contact of a contact (F2)" }),
        source: z.enum(CONTACT_SOURCES),
        venue: z.object({ name: z.string(), address: z.string() }).nullable(),
        day: z.string(),
        from: z.string(),
        to: z.string(),
        quarantineUntil: z.string(),
        status: z.enum(CONTACT_STATUSES),
      }),
    ),
  })
  .openapi("MyExposures");

// ---- personal health QR ----

export const HEALTH_STATUSES = ["green", "yellow", "red"] as const;
export const HealthStatusSchema = z.enum(HEALTH_STATUSES).openapi("HealthStatus");
export const HEALTH_REASONS = ["active_case", "open_f1", "open_f2", "declaration_follow_up", "declaration_watch", "no_recent_declaration"] as const;

export const HealthQrQuery = z.object({
  personId: z.string().uuid("Not a person id").optional().openapi({ description: "A family member's person id; default the account's own" }),
});

export const HealthQrSchema = z
  .object({
    token: z.string().openapi({ description: "Compact JWS (ES256, the person key): {pid, ini, by, st, iat, exp}" }),
    status: HealthStatusSchema,
    colour: z.string().openapi({ description: "Hex colour of the status", example: "#15803d" }),
    reasons: z.array(z.enum(HEALTH_REASONS)),
    expiresAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("HealthQr");

export const HealthQrVerifyRequest = z.object({ token: z.string().min(10).max(2000) }).openapi("HealthQrVerifyRequest");

export const HealthQrVerified = z
  .object({
    initials: z.string(),
    birthYear: z.number().int().nullable(),
    status: HealthStatusSchema,
    colour: z.string(),
    expiresAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("HealthQrVerified");
