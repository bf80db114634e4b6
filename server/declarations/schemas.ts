import { z } from "@hono/zod-openapi";
import { DECLARATION_KINDS, DECLARATION_REVIEW, RISK_LEVELS, SYMPTOMS, TRAVEL_MEANS } from "../../db/schema";
import { vnDay } from "../checkins/colour";
import { Day, msg, Phone } from "../http/fields";
import { PageQuery, pageSchema } from "../http/pagination";
import { CommuneCode as CommuneCodeBase, ProvinceCode } from "../users/schemas";

export { msg, Day, Phone };

export const RISK_REASONS = ["symptoms", "contact_f0", "open_contact", "outbreak_area", "contact_symptomatic", "entry"] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

const thisYear = new Date().getUTCFullYear();

/** A day not after today (Vietnam time). */
const PastDay = Day.refine((d) => d <= vnDay(new Date()), msg("Ngày không được ở tương lai", "The date cannot be in the future"));

const CommuneCode = z
  .string({ error: msg("Chọn xã/phường", "Choose the commune") })
  .regex(/^\d{5}$/, msg("Mã xã/phường gồm 5 chữ số", "Commune code is 5 digits"))
  .openapi({ example: "00070" });

const FullName = z
  .string({ error: msg("Nhập họ tên", "Enter the full name") })
  .trim()
  .min(2, msg("Nhập họ tên", "Enter the full name"))
  .max(120, msg("Họ tên tối đa 120 ký tự", "The full name is at most 120 characters"));

const BirthYear = z
  .number({ error: msg("Nhập năm sinh", "Enter the year of birth") })
  .int(msg("Năm sinh là số nguyên", "The year of birth is a whole number"))
  .min(1900, msg("Năm sinh từ 1900", "Year of birth from 1900"))
  .max(thisYear, msg("Năm sinh không được ở tương lai", "The year of birth cannot be in the future"));

const Sex = z.enum(["male", "female", "other"], { error: msg("Giới tính: male, female hoặc other", "Sex: male, female or other") });

/** ISO 3166-1 alpha-2, upper case. */
const Country = z
  .string({ error: msg("Nhập mã quốc gia 2 chữ cái", "Enter a 2-letter country code") })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, msg("Mã quốc gia 2 chữ cái (VN, US…)", "A 2-letter country code (VN, US…)"))
  .openapi({ example: "VN" });

/** CCCD (12 digits) or a passport number; stored only as a keyed hash, never shown back. */
const IdNumber = z
  .string({ error: msg("Nhập số CCCD hoặc hộ chiếu", "Enter the ID card or passport number") })
  .trim()
  .toUpperCase()
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[A-Z0-9]{6,20}$/, msg("Số CCCD (12 chữ số) hoặc hộ chiếu: 6–20 chữ và số", "ID card (12 digits) or passport number: 6–20 letters and digits")));

const text = (max: number, vi: string, en: string) =>
  z.string({ error: msg(vi, en) }).trim().min(1, msg(vi, en)).max(max, msg(`Tối đa ${max} ký tự`, `At most ${max} characters`));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, msg(`Tối đa ${max} ký tự`, `At most ${max} characters`))
    .nullish()
    .transform((s) => (s ? s : null));

export const DomesticTravel = z
  .object(
    {
      means: z.enum(TRAVEL_MEANS, { error: msg("Chọn phương tiện", "Choose the means of travel") }),
      from: text(200, "Nhập nơi đi", "Enter where the journey started"),
      to: text(200, "Nhập nơi đến", "Enter the destination"),
      route: optionalText(500),
      date: PastDay.nullish(),
    },
    { error: msg("Nhập thông tin di chuyển", "Enter the travel details") },
  )
  .openapi("DomesticTravel");

export const EntryDetails = z
  .object(
    {
      departureCountry: Country,
      flightOrVehicle: text(40, "Nhập số hiệu chuyến bay hoặc phương tiện", "Enter the flight number or vehicle"),
      portOfEntry: text(120, "Nhập cửa khẩu nhập cảnh", "Enter the port of entry"),
      entryDate: PastDay,
    },
    { error: msg("Nhập thông tin nhập cảnh", "Enter the entry details") },
  )
  .openapi("EntryDetails");

const health = {
  /** Symptoms in the last 14 days. */
  symptoms: z
    .array(z.enum(SYMPTOMS, { error: msg("Triệu chứng không hợp lệ", "Unknown symptom") }))
    .max(SYMPTOMS.length)
    .default([])
    .openapi({ description: "Symptoms in the last 14 days" }),
  contactWithCase: z.boolean().default(false).openapi({ description: "Contact with a confirmed case (F0) in the last 14 days" }),
  fromOutbreakArea: z.boolean().default(false).openapi({ description: "Came from, or through, an outbreak area in the last 14 days" }),
  contactWithSymptomatic: z.boolean().default(false).openapi({ description: "Contact with someone with fever, cough or breathing trouble" }),
  placesVisited: optionalText(2000).openapi({ description: "Places visited in the last 14 days" }),
};

/** What every declaration carries, whoever files it. */
const personFields = {
  fullName: FullName,
  birthYear: BirthYear,
  sex: Sex.nullish(),
  nationality: Country.default("VN"),
  idNumber: IdNumber.nullish().openapi({ description: "CCCD or passport number; stored only as a keyed hash" }),
  phone: Phone,
  address: optionalText(300),
  /** Where the person lives (for an entry declaration: the commune of destination); the declaration's area. */
  communeCode: CommuneCode,
  ...health,
};

const kindOf = <K extends (typeof DECLARATION_KINDS)[number]>(k: K) =>
  z.literal(k, { error: msg("Loại tờ khai: domestic, entry hoặc venue", "Kind: domestic, entry or venue") });

function byKind<S extends z.ZodRawShape>(shape: S) {
  return z.discriminatedUnion(
    "kind",
    [
      z.object({ ...shape, kind: kindOf("domestic"), travel: DomesticTravel }),
      z.object({
        ...shape,
        kind: kindOf("entry"),
        idNumber: IdNumber.openapi({ description: "Passport or CCCD number (required on entry)" }),
        entry: EntryDetails,
      }),
      z.object({ ...shape, kind: kindOf("venue"), venueId: z.string({ error: msg("Chọn địa điểm", "Choose the venue") }).uuid(msg("Mã địa điểm không hợp lệ", "Not a venue id")) }),
    ],
    { error: msg("Loại tờ khai: domestic, entry hoặc venue", "Kind: domestic, entry or venue") },
  );
}

/** POST /api/declarations: anyone, no account; creates a person record. */
export const PublicDeclarationInput = byKind(personFields).openapi("PublicDeclarationInput");

/**
 * POST /api/me/declarations: a signed-in citizen for themselves or a family member. Name, birth
 * year, phone and commune default to the person's record (phone: the account's).
 */
export const CitizenDeclarationInput = byKind({
  ...personFields,
  personId: z.string({ error: msg("Chọn người khai", "Choose who the declaration is for") }).uuid(msg("Mã người không hợp lệ", "Not a person id")),
  fullName: FullName.optional(),
  birthYear: BirthYear.optional(),
  phone: Phone.optional(),
  communeCode: CommuneCode.optional(),
}).openapi("CitizenDeclarationInput");

export type PublicDeclarationInputT = z.infer<typeof PublicDeclarationInput>;
export type CitizenDeclarationInputT = z.infer<typeof CitizenDeclarationInput>;

/** The answer to a public filing: the classification, no personal data back. */
export const DeclarationReceipt = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(DECLARATION_KINDS),
    risk: z.enum(RISK_LEVELS),
    riskReasons: z.array(z.enum(RISK_REASONS)),
    day: z.string(),
    createdAt: z.string(),
  })
  .openapi("DeclarationReceipt");

const declarationFields = {
  id: z.string().uuid(),
  kind: z.enum(DECLARATION_KINDS),
  personId: z.string().uuid(),
  provinceCode: z.string(),
  communeCode: z.string().nullable(),
  venue: z.object({ id: z.string().uuid(), name: z.string() }).nullable(),
  fullName: z.string(),
  birthYear: z.number().int(),
  sex: Sex.nullable(),
  nationality: z.string(),
  /** The ID number is never shown back, only whether one was given. */
  idNumberSet: z.boolean(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  symptoms: z.array(z.enum(SYMPTOMS)),
  contactWithCase: z.boolean(),
  fromOutbreakArea: z.boolean(),
  contactWithSymptomatic: z.boolean(),
  placesVisited: z.string().nullable(),
  travel: DomesticTravel.nullable(),
  entry: EntryDetails.nullable(),
  risk: z.enum(RISK_LEVELS),
  riskReasons: z.array(z.enum(RISK_REASONS)),
  day: z.string(),
  createdAt: z.string(),
};

/** A declaration as its citizen sees it (own or a family member's). */
export const MyDeclaration = z.object(declarationFields).openapi("MyDeclaration");
export const MyDeclarationList = pageSchema(MyDeclaration).openapi("MyDeclarationList");
export const MyDeclarationsQuery = z.object({
  personId: z.string().uuid(msg("Mã người không hợp lệ", "Not a person id")).optional().openapi({ description: "Only this person's (own or a family member)" }),
  ...PageQuery,
});

/** A declaration as officers see it. */
export const DeclarationSchema = z
  .object({
    ...declarationFields,
    filedBy: z.string().uuid().nullable(),
    review: z.enum(DECLARATION_REVIEW),
    reviewNote: z.string().nullable(),
  })
  .openapi("Declaration");
export const DeclarationList = pageSchema(DeclarationSchema).openapi("DeclarationList");

export const DeclarationListQuery = z.object({
  from: Day.optional().openapi({ description: "First day (Vietnam calendar day of filing)" }),
  to: Day.optional().openapi({ description: "Last day, inclusive" }),
  risk: z.enum(RISK_LEVELS).optional(),
  kind: z.enum(DECLARATION_KINDS).optional(),
  review: z.enum(DECLARATION_REVIEW).optional(),
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCodeBase.optional(),
  ...PageQuery,
});

export const DeclarationIdParam = z.object({
  id: z.string().uuid(msg("Mã tờ khai không hợp lệ", "Not a declaration id")).openapi({ param: { name: "id", in: "path" } }),
});

export const ReviewDeclaration = z
  .object({
    review: z.enum(["contacted", "closed"], { error: msg("Trạng thái: contacted hoặc closed", "Review: contacted or closed") }),
    /** Absent keeps the note; null or "" clears it. */
    reviewNote: z.string().trim().max(2000, msg("Tối đa 2000 ký tự", "At most 2000 characters")).nullish(),
  })
  .openapi("ReviewDeclaration");

export const DeclarationStatsQuery = z.object({
  from: Day.optional().openapi({ description: "Default 13 days before `to`" }),
  to: Day.optional().openapi({ description: "Default today (Vietnam time)" }),
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCodeBase.optional(),
});

export const DeclarationStats = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.array(z.object({ day: z.string(), total: z.number().int(), followUp: z.number().int(), watch: z.number().int() })),
    totals: z.object({ total: z.number().int(), followUp: z.number().int(), watch: z.number().int() }),
  })
  .openapi("DeclarationStats");
