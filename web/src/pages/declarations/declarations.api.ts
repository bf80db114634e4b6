/**
 * The officers' declarations API as the portal calls it (docs/CITIZENS.md). The JSON shapes are
 * the server's own zod schemas (server/declarations/schemas.ts), imported as types only: nothing
 * of zod reaches the bundle, and a change of the contract breaks the type check, not a page.
 */
import type { z } from "@hono/zod-openapi";
import type * as S from "../../../../server/declarations/schemas";
import { request, type Page } from "../../api";

type Out<T extends z.ZodTypeAny> = z.output<T>;
type In<T extends z.ZodTypeAny> = z.input<T>;

export type Declaration = Out<typeof S.DeclarationSchema>;
export type DeclarationStats = Out<typeof S.DeclarationStats>;
export type DeclarationStatsDay = DeclarationStats["days"][number];
export type ReviewInput = In<typeof S.ReviewDeclaration>;
export type DomesticTravel = NonNullable<Declaration["travel"]>;
export type EntryDetails = NonNullable<Declaration["entry"]>;

export type DeclarationKind = Declaration["kind"];
export type RiskLevel = Declaration["risk"];
export type RiskReason = Declaration["riskReasons"][number];
export type ReviewStatus = Declaration["review"];
export type DeclarationSymptom = Declaration["symptoms"][number];
export type TravelMeans = DomesticTravel["means"];
export type Sex = NonNullable<Declaration["sex"]>;

// The server's enums (db/schema/declarations.ts) repeated as values, checked against the contract both ways.
type Exactly<A extends readonly string[], U extends string> = [U] extends [A[number]] ? A : never;
/** In the order the list sorts them: the risky first. */
export const RISK_LEVELS = ["follow_up", "watch", "none"] as const satisfies readonly RiskLevel[];
export const RISK_REASONS = ["symptoms", "contact_f0", "open_contact", "outbreak_area", "contact_symptomatic", "entry"] as const satisfies readonly RiskReason[];
export const DECLARATION_KINDS = ["domestic", "entry", "venue"] as const satisfies readonly DeclarationKind[];
export const REVIEW_STATUSES = ["new", "contacted", "closed"] as const satisfies readonly ReviewStatus[];
/** What an officer may set (a declaration starts as "new"). */
export const REVIEW_ACTIONS = ["contacted", "closed"] as const satisfies readonly ReviewInput["review"][];
export const TRAVEL_MEANS = ["car", "motorbike", "bus", "train", "plane", "ship", "other"] as const satisfies readonly TravelMeans[];
const _exhaustive: [
  Exactly<typeof RISK_LEVELS, RiskLevel>,
  Exactly<typeof RISK_REASONS, RiskReason>,
  Exactly<typeof DECLARATION_KINDS, DeclarationKind>,
  Exactly<typeof REVIEW_STATUSES, ReviewStatus>,
  Exactly<typeof TRAVEL_MEANS, TravelMeans>,
] = [RISK_LEVELS, RISK_REASONS, DECLARATION_KINDS, REVIEW_STATUSES, TRAVEL_MEANS];
void _exhaustive;

export interface DeclarationListQuery {
  from?: string;
  to?: string;
  risk?: RiskLevel | "";
  kind?: DeclarationKind | "";
  review?: ReviewStatus | "";
  provinceCode?: string;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

export interface DeclarationStatsQuery {
  from?: string;
  to?: string;
  provinceCode?: string;
  communeCode?: string;
}

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
const declarationPath = (id: string) => `/api/declarations/${encodeURIComponent(id)}`;

export const listDeclarations = (query: DeclarationListQuery, signal?: AbortSignal) =>
  request<Page<Declaration>>("GET", "/api/declarations", { query: { ...query }, ...withSignal(signal) });
export const getDeclarationStats = (query: DeclarationStatsQuery, signal?: AbortSignal) =>
  request<DeclarationStats>("GET", "/api/declarations/stats", { query: { ...query }, ...withSignal(signal) });
export const getDeclaration = (id: string, signal?: AbortSignal) => request<Declaration>("GET", declarationPath(id), withSignal(signal));
export const reviewDeclaration = (id: string, input: ReviewInput) => request<Declaration>("PATCH", declarationPath(id), { body: input });
