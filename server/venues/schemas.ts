import { z } from "@hono/zod-openapi";
import { VENUE_CATEGORIES, VENUE_STATUSES } from "../../db/schema";
import { Day } from "../http/fields";
import { PageQuery, pageSchema } from "../http/pagination";
import { CommuneCode, ProvinceCode } from "../users/schemas";

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Time as HH:MM (24 h)");

export const VenueSchema = z
  .object({
    id: z.string().uuid(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    name: z.string(),
    category: z.enum(VENUE_CATEGORIES),
    address: z.string(),
    capacity: z.number().int().nullable(),
    openingTime: z.string().nullable(),
    closingTime: z.string().nullable(),
    status: z.enum(VENUE_STATUSES),
    statusReason: z.string().nullable(),
    qrVersion: z.number().int(),
    createdAt: z.string(),
    todayCheckins: z.number().int(),
    insideNow: z.number().int(),
  })
  .openapi("Venue");

export const VenueList = pageSchema(VenueSchema).openapi("VenueList");

export const VenueListQuery = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(VENUE_STATUSES).optional(),
  category: z.enum(VENUE_CATEGORIES).optional(),
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCode.optional(),
  ...PageQuery,
});

const editable = {
  name: z.string().trim().min(2, "At least 2 characters").max(200),
  category: z.enum(VENUE_CATEGORIES),
  address: z.string().trim().min(3, "At least 3 characters").max(300),
  capacity: z.number().int().min(1).max(1_000_000).nullish(),
  openingTime: Time.nullish(),
  closingTime: Time.nullish(),
};

export const CreateVenue = z.object({ ...editable, provinceCode: ProvinceCode, communeCode: CommuneCode }).openapi("CreateVenue");
export const UpdateVenue = z.object(editable).partial().openapi("UpdateVenue");
export const VenueStatusChange = z
  .object({ action: z.enum(["approve", "suspend", "reopen"]), reason: z.string().trim().max(500).optional() })
  .openapi("VenueStatusChange");
export const VenueIdParam = z.object({ id: z.string().uuid("Not a venue id") });

export const RotateResult = z.object({ qrVersion: z.number().int(), url: z.string() }).openapi("VenueCodeRotated");
export const ScreenCode = z.object({ url: z.string(), token: z.string(), expiresAt: z.string() }).openapi("VenueScreenCode");

export const DayColourSchema = z.object({ hex: z.string(), nameVi: z.string(), nameEn: z.string() }).openapi("DayColour");

export const VisitorSchema = z
  .object({
    id: z.string().uuid(),
    personId: z.string().uuid(),
    fullName: z.string(),
    phone: z.string().nullable(),
    birthYear: z.number().int().nullable(),
    checkedInAt: z.string(),
    checkedOutAt: z.string().nullable(),
    autoCheckout: z.boolean(),
    method: z.string(),
    inside: z.boolean(),
  })
  .openapi("Visitor");

export const VisitorsQuery = z.object({
  // a day that exists in the calendar (2026-19-23 used to reach the database and answer 500)
  day: Day.optional(),
  ...PageQuery,
});

export const VisitorList = pageSchema(VisitorSchema)
  .extend({
    day: z.string(),
    todayCheckins: z.number().int(),
    insideNow: z.number().int(),
    capacity: z.number().int().nullable(),
    overCapacity: z.boolean(),
    colour: DayColourSchema,
  })
  .openapi("VisitorList");

export const PosterQuery = z.object({ size: z.enum(["A4", "A5"]).default("A4") });
