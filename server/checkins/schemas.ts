import { z } from "@hono/zod-openapi";
import { Phone } from "../http/fields";
import { CommuneCode } from "../users/schemas";
import { DayColourSchema } from "../venues/schemas";

const thisYear = new Date().getUTCFullYear();

export const PersonDetails = z.object({
  fullName: z.string().trim().min(2, "Enter the full name").max(120),
  phone: Phone,
  birthYear: z.number().int().min(1900, "Year of birth from 1900").max(thisYear + 1, "Year of birth cannot be in the future"),
  communeCode: CommuneCode.nullish(),
});

export const GuestSchema = PersonDetails.extend({ personId: z.string().uuid("Not a valid id") }).openapi("Guest");

export const CheckinRequest = z
  .object({
    token: z.string().min(10).max(1000).openapi({ description: "The venue code from the QR (the part after /c/)" }),
    id: z.string().uuid("Not a valid id").openapi({ description: "Idempotency key made at the tap; resend the same id on retry" }),
    ageMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600_000, "Queued check-ins older than 24 hours are not accepted")
      .optional()
      .openapi({ description: "How long ago the tap happened (queued offline check-ins)" }),
    guest: GuestSchema.optional().openapi({
      description: "The visitor's details; required unless a signed-in citizen's access token is sent (one-tap check-in as the account's person)",
    }),
  })
  .openapi("CheckinRequest");

export const StaffCheckinRequest = z
  .union([
    z.object({ id: z.string().uuid(), personalQr: z.string().min(10).max(2000) }),
    z.object({ id: z.string().uuid(), person: PersonDetails }),
  ])
  .openapi("StaffCheckinRequest");

export const CheckinConfirmation = z
  .object({
    id: z.string().uuid(),
    checkedInAt: z.string(),
    venue: z.object({ id: z.string().uuid(), name: z.string(), address: z.string() }),
    colour: DayColourSchema,
    date: z.string(),
    personalQr: z.string(),
    replay: z.boolean(),
  })
  .openapi("CheckinConfirmation");

export const CheckoutRequest = z.object({ personId: z.string().uuid("Not a valid id") }).openapi("CheckoutRequest");
export const CheckoutResult = z.object({ id: z.string().uuid(), checkedOutAt: z.string() }).openapi("CheckoutResult");
export const CheckinIdParam = z.object({ id: z.string().uuid("Not a check-in id") });
