import { z } from "@hono/zod-openapi";
import { CASE_STATUSES, CONFIRMATION_METHODS, CONTACT_SOURCES, CONTACT_STATUSES } from "../../db/schema";
import { PersonDetails } from "../checkins/schemas";
import { Day, Phone } from "../http/fields";
import { PageQuery, pageSchema } from "../http/pagination";
import { CommuneCode, ProvinceCode } from "../users/schemas";

const Instant = z.string().datetime({ offset: true, message: "A date and time in ISO 8601, e.g. 2026-11-20T08:30:00+07:00" });
const Id = (what: string) => z.string().uuid(`Not a ${what} id`);

/** The person a case or hand-added contact is about: an existing record, or new details. */
export const PersonRef = z
  .union([
    z.object({ personId: Id("person") }),
    z.object({
      person: PersonDetails.extend({
        birthDate: Day.nullish(),
        sex: z.enum(["male", "female", "other"]).nullish(),
      }),
    }),
  ])
  .openapi("PersonRef");

export const PersonSummary = z
  .object({
    id: z.string().uuid(),
    fullName: z.string(),
    phone: z.string().nullable(),
    birthYear: z.number().int().nullable(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
  })
  .openapi("PersonSummary");

export const PeopleLookupQuery = z.object({ phone: Phone });
export const PeopleLookupResult = z.object({ items: z.array(PersonSummary) }).openapi("PeopleLookup");

const caseFields = {
  confirmedOn: Day,
  method: z.enum(CONFIRMATION_METHODS),
  symptomOnset: Day.nullish(),
  sampleDate: Day.nullish(),
  isolatedAt: Instant.nullish(),
  treatmentPlace: z.string().trim().max(200).nullish(),
  notes: z.string().trim().max(2000).nullish(),
};

export const CreateCase = z
  .intersection(
    PersonRef,
    z.object({
      ...caseFields,
      /** The case's area; default the person's commune. */
      communeCode: CommuneCode.nullish(),
      /** Run the F1 trace at once. */
      trace: z.boolean().default(false),
    }),
  )
  .openapi("CreateCase");

export const UpdateCase = z
  .object({
    confirmedOn: Day.optional(),
    method: z.enum(CONFIRMATION_METHODS).optional(),
    symptomOnset: Day.nullish(),
    sampleDate: Day.nullish(),
    isolatedAt: Instant.nullish(),
    treatmentPlace: z.string().trim().max(200).nullish(),
    notes: z.string().trim().max(2000).nullish(),
    status: z.enum(CASE_STATUSES).optional(),
  })
  .openapi("UpdateCase");

export const CaseSchema = z
  .object({
    id: z.string().uuid(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    person: PersonSummary,
    confirmedOn: z.string(),
    method: z.enum(CONFIRMATION_METHODS),
    symptomOnset: z.string().nullable(),
    sampleDate: z.string().nullable(),
    isolatedAt: z.string().nullable(),
    treatmentPlace: z.string().nullable(),
    status: z.enum(CASE_STATUSES),
    sourceCaseId: z.string().uuid().nullable(),
    sourceContactId: z.string().uuid().nullable(),
    notes: z.string().nullable(),
    tracedAt: z.string().nullable(),
    tracedDegree: z.number().int(),
    window: z.object({ from: z.string(), to: z.string() }),
    contacts: z.object({ f1: z.number().int(), f2: z.number().int() }),
    createdAt: z.string(),
  })
  .openapi("Case");

export const CaseList = pageSchema(CaseSchema).openapi("CaseList");
export const CaseListQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: "Name or phone of the person" }),
  status: z.enum(CASE_STATUSES).optional(),
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCode.optional(),
  ...PageQuery,
});
export const CaseIdParam = z.object({ id: Id("case") });

export const TraceRequest = z
  .object({
    degree: z.union([z.literal(1), z.literal(2)]).default(1).openapi({ description: "1: F1 from the case's visits; 2: F2 from the F1s' visits" }),
    marginMinutes: z.number().int().min(0).max(24 * 60).optional().openapi({ description: "Default TRACE_MARGIN_MINUTES" }),
  })
  .openapi("TraceRequest");

export const ExposureSchema = z
  .object({
    venueId: z.string().uuid(),
    venueName: z.string(),
    provinceCode: z.string(),
    overlapStart: z.string(),
    overlapEnd: z.string(),
    minutes: z.number().int(),
  })
  .openapi("Exposure");

export const ContactSchema = z
  .object({
    id: z.string().uuid(),
    caseId: z.string().uuid(),
    caseProvinceCode: z.string(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    person: PersonSummary,
    degree: z.number().int(),
    source: z.enum(CONTACT_SOURCES),
    viaContactId: z.string().uuid().nullable(),
    venue: z.object({ id: z.string().uuid(), name: z.string() }).nullable(),
    firstExposureAt: z.string(),
    lastExposureAt: z.string(),
    minutesTogether: z.number().int(),
    status: z.enum(CONTACT_STATUSES),
    quarantineUntil: z.string(),
    notifiedAt: z.string().nullable(),
    notes: z.string().nullable(),
    lastFollowUp: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Contact");

export const TraceVisit = z
  .object({
    checkinId: z.string().uuid(),
    venueId: z.string().uuid(),
    venueName: z.string(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    start: z.string(),
    end: z.string(),
    contacts: z.number().int(),
  })
  .openapi("TraceVisit");

export const TraceResult = z
  .object({
    caseId: z.string().uuid(),
    degree: z.number().int(),
    window: z.object({ from: z.string(), to: z.string() }),
    marginMinutes: z.number().int(),
    visits: z.array(TraceVisit),
    /** Counts over every province, whoever asks (the trace summary). */
    summary: z.object({
      f1: z.number().int(),
      f2: z.number().int(),
      byProvince: z.array(z.object({ provinceCode: z.string(), f1: z.number().int(), f2: z.number().int() })),
      newContacts: z.number().int(),
      ms: z.number(),
    }),
    /** Contacts of the caller's area only, with their evidence: the first 100 (F1 first, then F2; the rest through GET /api/contacts?caseId=). */
    contacts: z.array(ContactSchema.extend({ exposures: z.array(ExposureSchema) })),
    /** More contacts than shown: page through GET /api/contacts?caseId=. */
    moreContacts: z.boolean(),
  })
  .openapi("TraceResult");

export const AddContact = z
  .intersection(
    PersonRef,
    z.object({
      source: z.enum(["household", "workplace", "declared"]),
      exposedAt: Instant.optional().openapi({ description: "Last contact with the case; default now" }),
      notes: z.string().trim().max(2000).nullish(),
    }),
  )
  .openapi("AddContact");

export const ContactList = pageSchema(ContactSchema).openapi("ContactList");
export const ContactListQuery = z.object({
  caseId: Id("case").optional(),
  degree: z.coerce.number().int().min(1).max(2).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  communeCode: CommuneCode.optional(),
  q: z.string().max(100).optional(),
  ...PageQuery,
});
export const WorklistQuery = z.object({
  day: Day.optional().openapi({ description: "Vietnam calendar day; default today" }),
  communeCode: CommuneCode.optional(),
  ...PageQuery,
});
export const ContactIdParam = z.object({ id: Id("contact") });

export const UpdateContact = z
  .object({
    status: z.enum(CONTACT_STATUSES).exclude(["became_f0"]).optional(),
    quarantineUntil: Day.optional(),
    communeCode: CommuneCode.optional().openapi({ description: "Assign to another commune team of the same province" }),
    notes: z.string().trim().max(2000).nullish(),
  })
  .openapi("UpdateContact");

export const FollowUpInput = z
  .object({
    day: Day.optional().openapi({ description: "Default today (Vietnam time)" }),
    reached: z.boolean(),
    temperature: z.number().min(34, "Temperature in °C, 34–43").max(43, "Temperature in °C, 34–43").nullish(),
    symptoms: z.array(z.enum(["fever", "cough", "breathless", "sore_throat", "taste_smell_loss", "fatigue", "other"])).max(7).default([]),
    note: z.string().trim().max(1000).nullish(),
  })
  .openapi("FollowUpInput");

export const FollowUpSchema = z
  .object({
    id: z.string().uuid(),
    day: z.string(),
    reached: z.boolean(),
    temperature: z.number().nullable(),
    symptoms: z.array(z.string()),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("FollowUp");

export const ContactDetail = ContactSchema.extend({
  exposures: z.array(ExposureSchema),
  followUps: z.array(FollowUpSchema),
}).openapi("ContactDetail");

export const ConfirmContact = z.object({ ...caseFields, trace: z.boolean().default(true) }).openapi("ConfirmContact");

export const GraphQuery = z.object({
  f2: z.enum(["collapsed", "expanded"]).default("collapsed"),
  limit: z.coerce.number().int().min(10).max(2000).default(400),
});
export const GraphSchema = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(["case", "venue", "contact"]),
        label: z.string(),
        degree: z.number().int().nullable(),
        status: z.string().nullable(),
        provinceCode: z.string().nullable(),
        /** Collapsed F2s behind an F1 node. */
        hidden: z.number().int(),
      }),
    ),
    edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.enum(["visited", "exposed", "contact", "infected", "via"]) })),
    truncated: z.boolean(),
  })
  .openapi("TransmissionGraph");

export const RiskyVenuesQuery = z.object({
  days: z.coerce.number().int().min(1).max(60).default(14),
  communeCode: CommuneCode.optional(),
  ...PageQuery,
});
export const RiskyVenue = z
  .object({
    venueId: z.string().uuid(),
    name: z.string(),
    address: z.string(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    cases: z.number().int(),
    visits: z.number().int(),
    lastVisitAt: z.string(),
    contacts: z.number().int(),
  })
  .openapi("RiskyVenue");
export const RiskyVenueList = pageSchema(RiskyVenue).openapi("RiskyVenueList");

export const NoticeLookup = z
  .object({ checkinIds: z.array(Id("check-in")).min(1).max(200) })
  .openapi("NoticeLookup");
export const NoticeList = z
  .object({
    items: z.array(
      z.object({
        checkinId: z.string().uuid(),
        venue: z.object({ name: z.string(), address: z.string() }),
        day: z.string(),
        from: z.string(),
        to: z.string(),
        quarantineUntil: z.string(),
        status: z.enum(CONTACT_STATUSES),
      }),
    ),
  })
  .openapi("ExposureNotices");
