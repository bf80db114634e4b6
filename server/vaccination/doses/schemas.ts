/** Request and answer shapes of dose records, reactions, a person's record and coverage (docs/VACCINATION.md). */
import { z } from "@hono/zod-openapi";
import { ADVERSE_SEVERITIES, ADVERSE_STATUSES, DOSE_SOURCES } from "../../../db/schema";
import { Day, msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";
import { PersonRef, PersonSummary } from "../../tracing/schemas";
import { CommuneCode, ProvinceCode } from "../../users/schemas";

const Id = (vi: string, en: string) => z.string().uuid(msg(vi, en));
const idParam = (vi: string, en: string) => z.object({ id: Id(vi, en).openapi({ param: { name: "id", in: "path" } }) });

export const DoseIdParam = idParam("Mã mũi tiêm không hợp lệ", "Not a dose id");
export const PersonIdParam = idParam("Mã người không hợp lệ", "Not a person id");
export const AdverseEventIdParam = idParam("Mã phản ứng sau tiêm không hợp lệ", "Not an adverse event id");

const DoseNumber = z
  .number({ error: msg("Mũi số là số nguyên từ 1", "The dose number is a whole number from 1") })
  .int(msg("Mũi số là số nguyên", "The dose number is a whole number"))
  .min(1, msg("Mũi số từ 1", "Dose numbers start at 1"))
  .max(20, msg("Mũi số tối đa 20", "At most dose 20"));

const Vaccinator = z
  .string()
  .trim()
  .max(120, msg("Tối đa 120 ký tự", "At most 120 characters"))
  .nullish()
  .transform((s) => (s ? s : null));

const Instant = z.string().datetime({ offset: true, message: msg("Ngày giờ theo ISO 8601, ví dụ 2026-11-20T08:30:00+07:00", "A date and time in ISO 8601, e.g. 2026-11-20T08:30:00+07:00") });

export const Dose = z
  .object({
    id: z.string().uuid(),
    personId: z.string().uuid(),
    productCode: z.string(),
    productName: z.string(),
    lotId: z.string().uuid(),
    lotNumber: z.string(),
    doseNumber: z.number().int(),
    givenOn: z.string().openapi({ example: "2026-11-20" }),
    siteId: z.string().uuid(),
    siteName: z.string(),
    vaccinator: z.string().nullable(),
    source: z.enum(DOSE_SOURCES),
    createdAt: z.string(),
  })
  .openapi("Dose");

export const NextDose = z
  .object({
    doseNumber: z.number().int(),
    earliestOn: z.string().nullable(),
    allowedProducts: z.array(z.string()),
  })
  .nullable()
  .openapi("NextDose");

export const CreateDose = z
  .intersection(
    PersonRef,
    z.object({
      siteId: Id("Chọn điểm tiêm", "Choose the vaccination site"),
      lotId: Id("Chọn lô vắc xin", "Choose the vaccine lot"),
      doseNumber: DoseNumber.optional().openapi({ description: "Default: the person's next dose" }),
      givenOn: Day.optional().openapi({ description: "Default: today (Vietnam)" }),
      vaccinator: Vaccinator,
      appointmentId: Id("Mã lịch hẹn không hợp lệ", "Not an appointment id").nullish().openapi({ description: "The appointment this dose fulfils (it becomes vaccinated)" }),
    }),
  )
  .openapi("CreateDose");
export type CreateDoseT = z.infer<typeof CreateDose>;

export const UpdateDose = z
  .object({
    lotId: Id("Chọn lô vắc xin", "Choose the vaccine lot").optional(),
    givenOn: Day.optional(),
    vaccinator: Vaccinator.optional(),
  })
  .refine((v) => v.lotId !== undefined || v.givenOn !== undefined || v.vaccinator !== undefined, {
    message: msg("Không có gì để sửa", "Nothing to correct"),
    path: ["(body)"],
  })
  .openapi("UpdateDose");
export type UpdateDoseT = z.infer<typeof UpdateDose>;

export const DoseListItem = Dose.extend({
  personName: z.string(),
  birthYear: z.number().int().nullable(),
  provinceCode: z.string(),
  communeCode: z.string().nullable(),
}).openapi("DoseListItem");
export const DoseList = pageSchema(DoseListItem).openapi("DoseList");

export const DoseListQuery = z.object({
  siteId: Id("Mã điểm tiêm không hợp lệ", "Not a site id").optional(),
  communeCode: CommuneCode.optional(),
  from: Day.optional().openapi({ description: "First day given, inclusive" }),
  to: Day.optional().openapi({ description: "Last day given, inclusive" }),
  productCode: z.string().trim().toUpperCase().max(10).optional(),
  doseNumber: z.coerce.number().int().min(1).max(20).optional(),
  q: z.string().trim().max(120).optional().openapi({ description: "Part of the person's name, or the start of their phone number" }),
  ...PageQuery,
});

export const AdverseEvent = z
  .object({
    id: z.string().uuid(),
    vaccinationId: z.string().uuid(),
    personId: z.string().uuid(),
    personName: z.string(),
    provinceCode: z.string(),
    communeCode: z.string().nullable(),
    doseNumber: z.number().int(),
    productCode: z.string(),
    givenOn: z.string(),
    siteName: z.string(),
    onsetAt: z.string(),
    severity: z.enum(ADVERSE_SEVERITIES),
    symptoms: z.array(z.string()),
    description: z.string().nullable(),
    hospitalised: z.boolean(),
    status: z.enum(ADVERSE_STATUSES),
    outcome: z.string().nullable(),
    reportedByCitizen: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("AdverseEvent");
export const AdverseEventList = pageSchema(AdverseEvent).openapi("AdverseEventList");

export const AdverseEventNote = z
  .object({ id: z.string().uuid(), note: z.string(), authorId: z.string().uuid().nullable(), authorName: z.string().nullable(), createdAt: z.string() })
  .openapi("AdverseEventNote");

export const AdverseEventDetail = AdverseEvent.extend({
  dose: Dose,
  person: PersonSummary,
  notes: z.array(AdverseEventNote),
}).openapi("AdverseEventDetail");

export const CreateAdverseEvent = z
  .object({
    onsetAt: Instant,
    severity: z.enum(ADVERSE_SEVERITIES, { error: msg("Mức độ: mild, moderate, severe hoặc serious", "Severity: mild, moderate, severe or serious") }),
    symptoms: z
      .array(z.string().trim().min(1, msg("Triệu chứng không được để trống", "A symptom may not be empty")).max(80, msg("Tối đa 80 ký tự", "At most 80 characters")), {
        error: msg("Liệt kê các triệu chứng", "List the symptoms"),
      })
      .min(1, msg("Nêu ít nhất một triệu chứng", "Name at least one symptom"))
      .max(20, msg("Tối đa 20 triệu chứng", "At most 20 symptoms")),
    description: z
      .string()
      .trim()
      .max(4000, msg("Tối đa 4000 ký tự", "At most 4000 characters"))
      .nullish()
      .transform((s) => (s ? s : null)),
    hospitalised: z.boolean().default(false),
  })
  .openapi("CreateAdverseEvent");
export type CreateAdverseEventT = z.infer<typeof CreateAdverseEvent>;

export const UpdateAdverseEvent = z
  .object({
    status: z.enum(ADVERSE_STATUSES, { error: msg("Trạng thái: open, following_up hoặc resolved", "Status: open, following_up or resolved") }).optional(),
    severity: z.enum(ADVERSE_SEVERITIES, { error: msg("Mức độ: mild, moderate, severe hoặc serious", "Severity: mild, moderate, severe or serious") }).optional(),
    outcome: z
      .string()
      .trim()
      .max(2000, msg("Tối đa 2000 ký tự", "At most 2000 characters"))
      .nullish()
      .transform((s) => (s === undefined ? undefined : s ? s : null)),
  })
  .refine((v) => v.status !== undefined || v.severity !== undefined || v.outcome !== undefined, {
    message: msg("Không có gì để thay đổi", "Nothing to change"),
    path: ["(body)"],
  })
  .openapi("UpdateAdverseEvent");
export type UpdateAdverseEventT = z.infer<typeof UpdateAdverseEvent>;

export const AddAdverseEventNote = z
  .object({
    note: z
      .string({ error: msg("Nhập ghi chú", "Enter the note") })
      .trim()
      .min(1, msg("Nhập ghi chú", "Enter the note"))
      .max(2000, msg("Tối đa 2000 ký tự", "At most 2000 characters")),
  })
  .openapi("AddAdverseEventNote");

export const AdverseEventListQuery = z.object({
  status: z.enum(ADVERSE_STATUSES).optional(),
  severity: z.enum(ADVERSE_SEVERITIES).optional(),
  communeCode: CommuneCode.optional(),
  ...PageQuery,
});

export const DoseDetail = Dose.extend({
  provinceCode: z.string(),
  communeCode: z.string().nullable(),
  person: PersonSummary,
  adverseEvents: z.array(AdverseEvent),
}).openapi("DoseDetail");

export const PersonVaccinations = z
  .object({
    person: PersonSummary,
    doses: z.array(Dose),
    adverseEvents: z.array(AdverseEvent),
    nextDose: NextDose,
  })
  .openapi("PersonVaccinations");

export const MyVaccination = z
  .object({
    people: z.array(
      z.object({
        person: z.object({ id: z.string().uuid(), fullName: z.string(), birthYear: z.number().int().nullable() }),
        doses: z.array(Dose),
        nextDose: NextDose,
        adverseEvents: z.array(AdverseEvent),
      }),
    ),
  })
  .openapi("MyVaccination");

export const CoverageQuery = z.object({
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCode.optional(),
  from: Day.optional().openapi({ description: "First day of the daily series (default: 29 days before `to`)" }),
  to: Day.optional().openapi({ description: "Last day of the daily series, inclusive (default: today)" }),
});

export const Coverage = z
  .object({
    unit: z.object({ code: z.string(), name: z.string(), level: z.enum(["country", "province", "commune"]), population: z.number().int().nullable() }),
    byDose: z.array(z.object({ doseNumber: z.number().int(), people: z.number().int(), pct: z.number().nullable() })),
    units: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        population: z.number().int().nullable(),
        dose1: z.number().int(),
        dose2: z.number().int(),
        dose3: z.number().int(),
        dose1Pct: z.number().nullable(),
        dose2Pct: z.number().nullable(),
        dose3Pct: z.number().nullable(),
      }),
    ),
    daily: z.array(z.object({ day: z.string(), dose1: z.number().int(), dose2: z.number().int(), dose3plus: z.number().int() })),
  })
  .openapi("Coverage");
