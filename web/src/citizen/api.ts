/**
 * The citizen API as the app calls it (docs/CITIZENS.md). The JSON shapes are the server's own
 * zod schemas, imported as types only: nothing of zod or the server reaches the bundle, and a
 * change of the contract breaks the type check instead of a screen.
 */
import type { z } from "@hono/zod-openapi";
import type * as C from "../../../server/citizens/schemas";
import type * as D from "../../../server/declarations/schemas";
import type * as R from "../../../server/reports/schemas";
import { call, publicCall, signedIn } from "./session";

type Out<T extends z.ZodTypeAny> = z.output<T>;
type In<T extends z.ZodTypeAny> = z.input<T>;

export type OtpSent = Out<typeof C.OtpSent>;
export type CitizenSession = Out<typeof C.CitizenSession>;
export type Profile = Out<typeof C.ProfileSchema>;
export type ProfileInput = In<typeof C.UpdateProfile>;
export type FamilyMember = Out<typeof C.FamilyMemberSchema>;
export type NewFamilyMember = In<typeof C.AddFamilyMember>;
export type Exposure = Out<typeof C.MyExposureList>["items"][number];
export type HealthQr = Out<typeof C.HealthQrSchema>;
export type HealthStatus = HealthQr["status"];
export type HealthReason = HealthQr["reasons"][number];

export type DeclarationInput = In<typeof D.CitizenDeclarationInput>;
export type DeclarationKind = DeclarationInput["kind"];
export type MyDeclaration = Out<typeof D.MyDeclaration>;
export type Risk = MyDeclaration["risk"];
export type RiskReason = MyDeclaration["riskReasons"][number];
export type Symptom = MyDeclaration["symptoms"][number];
export type TravelMeans = NonNullable<MyDeclaration["travel"]>["means"];
/** The answer to a filing: at least the classification (the full declaration or its receipt). */
export type Filed = Out<typeof D.DeclarationReceipt>;

export type NewReport = In<typeof R.CreateReport>;
export type ReportKind = NewReport["kind"];
export type ReportReceipt = Out<typeof R.ReportReceipt>;
export type PublicReport = Out<typeof R.PublicReport>;
export type ReportStatus = PublicReport["status"];

export type Sex = NonNullable<Profile["sex"]>;
export type Relation = FamilyMember["relation"];

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// The server's enums repeated as values (db/schema), checked against the contract both ways.
type Exactly<A extends readonly string[], U extends string> = [U] extends [A[number]] ? A : never;
export const SYMPTOMS = ["fever", "cough", "breathless", "sore_throat", "taste_smell_loss", "fatigue"] as const satisfies readonly Symptom[];
export const KINDS = ["domestic", "entry", "venue"] as const satisfies readonly DeclarationKind[];
export const MEANS = ["car", "motorbike", "bus", "train", "plane", "ship", "other"] as const satisfies readonly TravelMeans[];
export const SEXES = ["male", "female", "other"] as const satisfies readonly Sex[];
export const RELATIONS = ["child", "parent", "grandparent", "spouse", "sibling", "other"] as const satisfies readonly Relation[];
export const REPORT_KINDS = ["suspected_case", "arrival_from_outbreak", "violation", "other"] as const satisfies readonly ReportKind[];
export const HEALTH_REASONS = ["active_case", "open_f1", "open_f2", "declaration_follow_up", "declaration_watch", "no_recent_declaration"] as const satisfies readonly HealthReason[];
export const RISK_REASONS = ["symptoms", "contact_f0", "open_contact", "outbreak_area", "contact_symptomatic", "entry"] as const satisfies readonly RiskReason[];
const _exhaustive: [
  Exactly<typeof SYMPTOMS, Symptom>,
  Exactly<typeof KINDS, DeclarationKind>,
  Exactly<typeof MEANS, TravelMeans>,
  Exactly<typeof SEXES, Sex>,
  Exactly<typeof RELATIONS, Relation>,
  Exactly<typeof REPORT_KINDS, ReportKind>,
  Exactly<typeof HEALTH_REASONS, HealthReason>,
  Exactly<typeof RISK_REASONS, RiskReason>,
] = [SYMPTOMS, KINDS, MEANS, SEXES, RELATIONS, REPORT_KINDS, HEALTH_REASONS, RISK_REASONS];
void _exhaustive;

const enc = encodeURIComponent;

// ---- sign-in ----
export const requestCode = (phone: string) => publicCall<OtpSent>("POST", "/api/citizen/otp", { phone });
export async function verifyCode(phone: string, code: string): Promise<CitizenSession> {
  const s = await publicCall<CitizenSession>("POST", "/api/citizen/verify", { phone, code });
  signedIn(s);
  return s;
}

// ---- me ----
export const getProfile = () => call<Profile>("GET", "/api/me/profile");
export const saveProfile = (p: ProfileInput) => call<Profile>("PUT", "/api/me/profile", p);
export const listFamily = () => call<{ items: FamilyMember[] }>("GET", "/api/me/family");
export const addFamily = (m: NewFamilyMember) => call<FamilyMember>("POST", "/api/me/family", m);
export const removeFamily = (personId: string) => call<void>("DELETE", `/api/me/family/${enc(personId)}`);
export const healthQr = (personId?: string) => call<HealthQr>("GET", `/api/me/health-qr${personId ? `?personId=${enc(personId)}` : ""}`);
export const myExposures = () => call<{ items: Exposure[] }>("GET", "/api/me/exposures");
export const declare = (d: DeclarationInput) => call<Filed>("POST", "/api/me/declarations", d);
export const myDeclarations = (cursor?: string | null) =>
  call<Page<MyDeclaration>>("GET", `/api/me/declarations?limit=20${cursor ? `&cursor=${enc(cursor)}` : ""}`);

// ---- community reports (no account needed) ----
export const sendReport = (r: NewReport) => publicCall<ReportReceipt>("POST", "/api/reports", r);
export const followReport = (receipt: string) => publicCall<PublicReport>("GET", `/api/reports/receipt/${enc(receipt)}`);
