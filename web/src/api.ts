/**
 * The portal's one door to the API: types of what the server sends, the token store, and a
 * fetch wrapper that attaches the access token, refreshes it once on a 401 and retries, and
 * turns the server's error shape into an `ApiError`.
 *
 * Tokens live in localStorage so a reload (or a second tab) keeps the session. Refresh tokens
 * rotate on every use and the server revokes the whole family when an old one is presented
 * again, so two tabs must never refresh with the same token: refreshes are serialised with the
 * Web Locks API (one at a time across tabs), and a tab that finds fresher tokens in storage than
 * the ones its request used simply retries with those.
 */

import type { Role } from "../../server/auth/roles";
export { ROLES, type Role } from "../../server/auth/roles";

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  provinceCode: string | null;
  communeCode: string | null;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface AuthResponse {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token, in seconds. */
  expiresIn: number;
  user: User;
}

export interface AdminUnit {
  code: string;
  name: string;
  level: "province" | "commune";
  parentCode: string | null;
  population: number | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorUserId: string | null;
  actorUsername: string | null;
  actorRole: Role | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  provinceCode: string | null;
  communeCode: string | null;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

/** One page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** An error the portal can show: the server's code and message, or a local one. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Token store

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  expiresAt: number;
}

const TOKENS_KEY = "php.portal.tokens";
/** Refresh a little before the access token expires, so requests do not bounce off a 401. */
const EXPIRY_MARGIN_MS = 15_000;

export function readTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(TOKENS_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    if (typeof parsed.accessToken !== "string" || typeof parsed.refreshToken !== "string") return null;
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      expiresAt: typeof parsed.expiresAt === "number" ? parsed.expiresAt : Number.MAX_SAFE_INTEGER,
    };
  } catch {
    return null;
  }
}

function storeTokens(auth: AuthResponse): Tokens {
  const seconds = Number.isFinite(auth.expiresIn) && auth.expiresIn > 0 ? auth.expiresIn : null;
  const tokens: Tokens = {
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    expiresAt: seconds === null ? Number.MAX_SAFE_INTEGER : Date.now() + seconds * 1000,
  };
  localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  return tokens;
}

export function clearTokens(): void {
  localStorage.removeItem(TOKENS_KEY);
}

export function hasTokens(): boolean {
  return readTokens() !== null;
}

/** Lets the session react when another tab logs in or out. */
export function onTokensChangedElsewhere(listener: (signedIn: boolean) => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === TOKENS_KEY || event.key === null) listener(hasTokens());
  };
  window.addEventListener("storage", handler);
  return () => window.removeEventListener("storage", handler);
}

let unauthorizedHandler: (() => void) | null = null;

/** Called when the session is gone for good (refresh refused); the app sends the user to /login. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

// ---------------------------------------------------------------------------------------------
// Transport

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

interface SendOptions {
  body?: unknown;
  query?: Query;
  token?: string;
  signal?: AbortSignal;
  /** The Accept header; JSON unless a file is asked for. */
  accept?: string;
  /** A body sent as it is (a CSV file), with its content type, instead of JSON. */
  raw?: RawBody;
}

/** A request body sent untouched: a file's text with its type ("text/csv"). */
export interface RawBody {
  body: Blob | string;
  type: string;
}

async function send(method: string, path: string, options: SendOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.raw) headers["Content-Type"] = options.raw.type;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  else if (options.raw) init.body = options.raw.body;
  if (options.signal) init.signal = options.signal;
  try {
    return await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network", "Network error");
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads `{"error":{code,message,requestId,details?}}`; tolerates anything else. */
async function toApiError(res: Response): Promise<ApiError> {
  const headerRequestId = res.headers.get("x-request-id");
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to a generic error.
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (!error) return new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`, headerRequestId);
  const details: FieldIssue[] = Array.isArray(error.details)
    ? error.details.filter(isRecord).map((d) => ({
        path: typeof d.path === "string" ? d.path : Array.isArray(d.path) ? d.path.join(".") : "",
        message: typeof d.message === "string" ? d.message : "",
      }))
    : [];
  return new ApiError(
    res.status,
    typeof error.code === "string" ? error.code : `http_${res.status}`,
    typeof error.message === "string" ? error.message : "",
    typeof error.requestId === "string" ? error.requestId : headerRequestId,
    details,
  );
}

async function readJson<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------------------------------------
// Refresh

let refreshInFlight: Promise<Tokens | null> | null = null;

function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (locks?.request) return locks.request("php.portal.refresh", task) as Promise<T>;
  return task();
}

/**
 * Returns usable tokens: fresher ones already stored by another tab, or new ones from
 * /api/auth/refresh. Null means the session is over (no refresh token, or the server refused it).
 * Network and server failures throw, so a flaky connection does not log anyone out.
 */
function refreshTokens(staleAccessToken: string | null): Promise<Tokens | null> {
  if (!refreshInFlight) {
    refreshInFlight = withRefreshLock(async () => {
      const current = readTokens();
      if (!current) return null;
      const fresh = current.expiresAt - EXPIRY_MARGIN_MS > Date.now();
      if (current.accessToken !== staleAccessToken && fresh) return current;
      const res = await send("POST", "/api/auth/refresh", { body: { refreshToken: current.refreshToken } });
      if (res.ok) return storeTokens(await readJson<AuthResponse>(res));
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        // Only forget the tokens if nobody replaced them meanwhile.
        if (readTokens()?.refreshToken === current.refreshToken) clearTokens();
        return null;
      }
      throw await toApiError(res);
    }).finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

function sessionOver(): ApiError {
  clearTokens();
  unauthorizedHandler?.();
  return new ApiError(401, "unauthorized", "Session expired");
}

interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  accept?: string;
  raw?: RawBody;
}

/** An authenticated call: bearer token, one refresh-and-retry on 401, errors as `ApiError`. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return readJson<T>(await authorized(method, path, options));
}

/** A downloaded file: its bytes and the name the server suggests (Content-Disposition). */
export interface Download {
  blob: Blob;
  filename: string | null;
}

/** Like `request`, for a file (posters): the body as a Blob, authenticated the same way. */
export async function requestBlob(method: string, path: string, options: RequestOptions = {}): Promise<Download> {
  const res = await authorized(method, path, { accept: "*/*", ...options });
  return { blob: await res.blob(), filename: filenameFrom(res.headers.get("content-disposition")) };
}

/** `attachment; filename*=UTF-8''a%20b.pdf` or `attachment; filename="a b.pdf"` → "a b.pdf". */
function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ""));
    } catch {
      // Malformed escapes: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = (plain?.[2] ?? plain?.[1] ?? "").trim();
  return name || null;
}

async function authorized(method: string, path: string, options: RequestOptions): Promise<Response> {
  let tokens = readTokens();
  if (!tokens) throw sessionOver();
  if (tokens.expiresAt - EXPIRY_MARGIN_MS <= Date.now()) {
    tokens = await refreshTokens(tokens.accessToken);
    if (!tokens) throw sessionOver();
  }
  let res = await send(method, path, { ...options, token: tokens.accessToken });
  if (res.status === 401) {
    const renewed = await refreshTokens(tokens.accessToken);
    if (!renewed) throw sessionOver();
    res = await send(method, path, { ...options, token: renewed.accessToken });
    if (res.status === 401) throw sessionOver();
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export interface UserListQuery {
  q?: string;
  role?: Role | "";
  provinceCode?: string;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  provinceCode?: string | null;
  communeCode?: string | null;
}

export interface UserPatch {
  displayName?: string;
  disabled?: boolean;
  role?: Role;
  provinceCode?: string | null;
  communeCode?: string | null;
  password?: string;
}

export interface AuditQuery {
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actorUserId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string | null;
}

export interface AdminUnitQuery {
  level?: "province" | "commune";
  parent?: string;
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export async function login(username: string, password: string): Promise<User> {
  const res = await send("POST", "/api/auth/login", { body: { username, password } });
  if (!res.ok) throw await toApiError(res);
  const auth = await readJson<AuthResponse>(res);
  storeTokens(auth);
  return auth.user;
}

/** Revokes the refresh token on the server (best effort) and forgets the tokens. */
export async function logout(): Promise<void> {
  const tokens = readTokens();
  clearTokens();
  if (!tokens) return;
  try {
    await send("POST", "/api/auth/logout", { body: { refreshToken: tokens.refreshToken }, token: tokens.accessToken });
  } catch {
    // Offline: the refresh token will expire on its own.
  }
}

export const getMe = () => request<User>("GET", "/api/me");

export const listAdminUnits = (query: AdminUnitQuery) =>
  request<Page<AdminUnit>>("GET", "/api/admin-units", { query: { ...query } });

export const listUsers = (query: UserListQuery, signal?: AbortSignal) =>
  request<Page<User>>("GET", "/api/users", { query: { ...query }, ...(signal ? { signal } : {}) });

export const createUser = (input: NewUser) => request<User>("POST", "/api/users", { body: input });

export const updateUser = (id: string, patch: UserPatch) =>
  request<User>("PATCH", `/api/users/${encodeURIComponent(id)}`, { body: patch });

export const listAudit = (query: AuditQuery, signal?: AbortSignal) =>
  request<Page<AuditEntry>>("GET", "/api/audit", { query: { ...query }, ...(signal ? { signal } : {}) });

// ---------------------------------------------------------------------------------------------
// Venues and check-in (staff side)

export const VENUE_CATEGORIES = [
  "market",
  "shop",
  "restaurant",
  "school",
  "office",
  "hospital",
  "station",
  "worship",
  "other",
] as const;
export type VenueCategory = (typeof VENUE_CATEGORIES)[number];

export const VENUE_STATUSES = ["pending", "active", "suspended"] as const;
export type VenueStatus = (typeof VENUE_STATUSES)[number];

export interface Venue {
  id: string;
  provinceCode: string;
  /** Always set for venues registered through the API (the server's schema allows null). */
  communeCode: string | null;
  name: string;
  category: VenueCategory;
  address: string;
  capacity: number | null;
  /** Local opening hours, "HH:MM". */
  openingTime: string | null;
  closingTime: string | null;
  status: VenueStatus;
  statusReason: string | null;
  qrVersion: number;
  createdAt: string;
  todayCheckins: number;
  insideNow: number;
}

export interface VenueListQuery {
  q?: string;
  status?: VenueStatus | "";
  category?: VenueCategory | "";
  provinceCode?: string;
  communeCode?: string;
  limit?: number;
  cursor?: string | null;
}

export interface VenueFields {
  name: string;
  category: VenueCategory;
  address: string;
  capacity?: number | null;
  openingTime?: string | null;
  closingTime?: string | null;
}

export interface NewVenue extends VenueFields {
  provinceCode: string;
  communeCode: string;
}

export type VenueStatusAction = "approve" | "suspend" | "reopen";

export type PosterFormat = "pdf-a4" | "pdf-a5" | "png" | "svg";

/** Today's confirmation colour, the same on every visitor's screen. */
export interface DayColour {
  hex: string;
  nameVi: string;
  nameEn: string;
}

export interface Visitor {
  id: string;
  personId: string;
  fullName: string;
  phone: string | null;
  birthYear: number | null;
  checkedInAt: string;
  checkedOutAt: string | null;
  autoCheckout: boolean;
  method: string;
  inside: boolean;
}

export interface VisitorsPage extends Page<Visitor> {
  day: string;
  todayCheckins: number;
  insideNow: number;
  capacity: number | null;
  overCapacity: boolean;
  colour: DayColour;
}

export interface VisitorsQuery {
  day?: string;
  limit?: number;
  cursor?: string | null;
}

export interface ScreenCode {
  url: string;
  token: string;
  expiresAt: string;
}

export interface TypedInPerson {
  fullName: string;
  phone: string;
  birthYear: number;
  communeCode?: string;
}

export type StaffCheckin = { id: string; personalQr: string } | { id: string; person: TypedInPerson };

export interface CheckinConfirmation {
  id: string;
  checkedInAt: string;
  venue: { id: string; name: string; address: string };
  colour: DayColour;
  date: string;
  personalQr?: string;
  replay?: boolean;
}

const venuePath = (id: string, rest = "") => `/api/venues/${encodeURIComponent(id)}${rest}`;

export const listVenues = (query: VenueListQuery, signal?: AbortSignal) =>
  request<Page<Venue>>("GET", "/api/venues", { query: { ...query }, ...(signal ? { signal } : {}) });

export const createVenue = (input: NewVenue) => request<Venue>("POST", "/api/venues", { body: input });

export const getVenue = (id: string, signal?: AbortSignal) =>
  request<Venue>("GET", venuePath(id), signal ? { signal } : {});

export const updateVenue = (id: string, patch: Partial<VenueFields>) =>
  request<Venue>("PATCH", venuePath(id), { body: patch });

export const setVenueStatus = (id: string, action: VenueStatusAction, reason?: string) =>
  request<Venue>("POST", venuePath(id, "/status"), { body: reason ? { action, reason } : { action } });

export const rotateVenueCode = (id: string) =>
  request<{ qrVersion: number; url: string }>("POST", venuePath(id, "/rotate"));

export function downloadPoster(id: string, format: PosterFormat): Promise<Download> {
  switch (format) {
    case "pdf-a4":
      return requestBlob("GET", venuePath(id, "/poster.pdf"), { query: { size: "A4" } });
    case "pdf-a5":
      return requestBlob("GET", venuePath(id, "/poster.pdf"), { query: { size: "A5" } });
    case "png":
      return requestBlob("GET", venuePath(id, "/poster.png"));
    case "svg":
      return requestBlob("GET", venuePath(id, "/poster.svg"));
  }
}

export const getScreenCode = (id: string, signal?: AbortSignal) =>
  request<ScreenCode>("GET", venuePath(id, "/code"), signal ? { signal } : {});

export const listVisitors = (id: string, query: VisitorsQuery, signal?: AbortSignal) =>
  request<VisitorsPage>("GET", venuePath(id, "/visitors"), { query: { ...query }, ...(signal ? { signal } : {}) });

/** What a personal health QR says: status colour, initials, birth year (POST /api/health-qr/verify). */
export interface HealthStatus {
  initials: string;
  birthYear: number | null;
  status: "green" | "yellow" | "red";
  colour: string;
  expiresAt: string;
}
export const verifyHealthQr = (token: string) => request<HealthStatus>("POST", "/api/health-qr/verify", { body: { token } });

export const checkInAtVenue = (venueId: string, input: StaffCheckin) =>
  request<CheckinConfirmation>("POST", venuePath(venueId, "/checkins"), { body: input });
