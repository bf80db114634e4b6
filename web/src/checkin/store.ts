/**
 * What the check-in page keeps on the phone (localStorage, falling back to memory when storage is
 * blocked): the guest's details and personId, the latest personal QR, the language, the queue of
 * check-ins not yet acknowledged, the last visit per venue, and the recent check-ins' ids (which
 * only this phone knows: the exposure lookup asks about them).
 */

export interface Guest {
  personId: string;
  fullName: string;
  phone: string;
  birthYear: number;
}

export interface Colour {
  hex: string;
  nameVi: string;
  nameEn: string;
}

/** A check-in tapped but not yet acknowledged by the server. `id` is the idempotency key. */
export interface Pending {
  id: string;
  token: string;
  tapAt: number;
  venueKey: string;
  guest: Guest;
  /** Sent as the signed-in citizen (bearer token, no guest details); `guest` is then the account's person. */
  citizen?: boolean;
}

/** The last visit at one venue, so reopening the page shows its confirmation. */
export interface Visit {
  id: string;
  venueKey: string;
  personId: string;
  fullName: string;
  checkedInAt: string;
  checkedOutAt?: string | undefined;
  date: string;
  venue: { name: string; address: string };
  colour: Colour;
}

const PREFIX = "vnph.checkin.";
const memory = new Map<string, string>();

function read<T>(key: string, fallback: T): T {
  let raw: string | null | undefined;
  try {
    raw = localStorage.getItem(PREFIX + key);
  } catch {
    raw = memory.get(key);
  }
  if (raw == null) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  const raw = value === undefined ? undefined : JSON.stringify(value);
  if (raw === undefined) memory.delete(key);
  else memory.set(key, raw);
  try {
    if (raw === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, raw);
  } catch {
    /* storage blocked or full: the in-memory copy lasts as long as the page */
  }
}

/** crypto.randomUUID needs a secure context; plain-http LAN set-ups still get a v4 UUID. */
export function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const getLang = () => (read<string>("lang", "vi") === "en" ? "en" : "vi");
export const setLang = (lang: "vi" | "en") => write("lang", lang);

export function getGuest(): Guest | undefined {
  const g = read<Guest | null>("guest", null);
  return g && typeof g.personId === "string" && g.fullName && g.phone && g.birthYear ? g : undefined;
}
export const setGuest = (guest: Guest) => write("guest", guest);

/** The personId of this phone's guest, made once (kept when details are edited, new after "not you?"). */
export function personId(): string {
  let id = read<string | null>("personId", null);
  if (!id) write("personId", (id = uuid()));
  return id;
}

/** Someone else uses the phone: forget the details, the personal QR, and start a new person. */
export function forgetGuest(): void {
  write("guest", undefined);
  write("personalQr", undefined);
  write("personId", uuid());
}

export const getPersonalQr = () => read<string | null>("personalQr", null);
export const setPersonalQr = (qr: string) => write("personalQr", qr);

export const getQueue = () => read<Pending[]>("queue", []).filter((p) => p && p.id && p.token);
export function enqueue(item: Pending): void {
  write("queue", [...getQueue().filter((p) => p.id !== item.id), item]);
}
export function dequeue(id: string): void {
  write("queue", getQueue().filter((p) => p.id !== id));
}

/** How long a reopened page still shows a visit's confirmation (same Vietnam day as well). */
export const VISIT_SHOWN_MS = 4 * 3600_000;

export function getVisit(venueKey: string): Visit | undefined {
  return read<Record<string, Visit>>("visits", {})[venueKey];
}
export function saveVisit(visit: Visit): void {
  const visits = read<Record<string, Visit>>("visits", {});
  const now = Date.now();
  // Keep one visit per venue, and only recent ones: the phone is no place for a visit history.
  for (const [key, v] of Object.entries(visits)) {
    if (!(now - Date.parse(v.checkedInAt) < 24 * 3600_000)) delete visits[key];
  }
  visits[visit.venueKey] = visit;
  write("visits", visits);
  remember({ id: visit.id, venue: visit.venue.name, at: visit.checkedInAt, name: visit.fullName });
}

/**
 * A check-in the server acknowledged, kept for the exposure lookup and the "recent check-ins"
 * list. Kept per phone (also after "not you?": a family sharing a phone must still hear about an
 * exposure), with the name it was made for; as long as the server keeps check-ins, at most 200.
 */
export interface Past {
  id: string;
  venue: string;
  at: string;
  name?: string | undefined;
}
export const HISTORY_DAYS = 30;
export const HISTORY_MAX = 200;

/** The recent check-ins, newest first (with the visits saved before the history existed). */
export function getHistory(now = Date.now()): Past[] {
  const recent = (p: Past | undefined): p is Past =>
    !!p && typeof p.id === "string" && typeof p.venue === "string" && now - Date.parse(p.at) < HISTORY_DAYS * 24 * 3600_000;
  const list = read<Past[]>("history", []).filter(recent);
  const known = new Set(list.map((p) => p.id));
  for (const v of Object.values(read<Record<string, Visit>>("visits", {}))) {
    const p = v && { id: v.id, venue: v.venue?.name, at: v.checkedInAt, name: v.fullName };
    if (recent(p) && !known.has(p.id)) list.push(p);
  }
  return list.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, HISTORY_MAX);
}

function remember(p: Past): void {
  write("history", [p, ...getHistory().filter((q) => q.id !== p.id)].slice(0, HISTORY_MAX));
}

/** A visit still worth showing: not checked out, tapped within VISIT_SHOWN_MS, on the same Vietnam day. */
export function isCurrent(v: Visit | undefined, now = Date.now()): boolean {
  if (!v || v.checkedOutAt) return false;
  const at = Date.parse(v.checkedInAt);
  return now - at < VISIT_SHOWN_MS && sameDayVN(at, now);
}

/** The latest current visit at any venue (shown under an error screen, e.g. an expired screen code). */
export function latestCurrentVisit(): Visit | undefined {
  const all = Object.values(read<Record<string, Visit>>("visits", {})).filter((v) => isCurrent(v));
  return all.sort((a, b) => Date.parse(b.checkedInAt) - Date.parse(a.checkedInAt))[0];
}

const sameDayVN = (a: number, b: number) => Math.floor((a + 7 * 3600_000) / 86400_000) === Math.floor((b + 7 * 3600_000) / 86400_000);

// ---- the citizen app's session (web/src/citizen/session.ts): one-tap check-in as the account ----

const CITIZEN_KEY = "phc.citizen.session";

/** A signed-in citizen whose person the citizen app has read (so a check-out can name it). */
export interface Citizen {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  phone: string;
  personId: string;
  fullName: string;
  birthYear: number | null;
}

function readCitizen(): Record<string, any> | null {
  try {
    return JSON.parse(localStorage.getItem(CITIZEN_KEY) ?? "null");
  } catch {
    return null;
  }
}

export function getCitizen(): Citizen | undefined {
  const s = readCitizen();
  if (!s || typeof s.accessToken !== "string" || typeof s.refreshToken !== "string" || typeof s.person?.personId !== "string") return undefined;
  const phone = String(s.user?.username ?? "");
  return {
    accessToken: s.accessToken,
    refreshToken: s.refreshToken,
    expiresAt: typeof s.expiresAt === "number" ? s.expiresAt : 0,
    phone,
    personId: s.person.personId,
    fullName: s.person.fullName || phone,
    birthYear: typeof s.person.birthYear === "number" ? s.person.birthYear : null,
  };
}

/** New tokens from POST /api/auth/refresh, the rest of the citizen app's session kept. */
export function setCitizenTokens(a: { accessToken: string; refreshToken: string; expiresIn?: number; user?: unknown }): void {
  const s = readCitizen();
  if (!s) return;
  const ttl = typeof a.expiresIn === "number" && a.expiresIn > 0 ? a.expiresIn : 900;
  try {
    localStorage.setItem(CITIZEN_KEY, JSON.stringify({ ...s, accessToken: a.accessToken, refreshToken: a.refreshToken, user: a.user ?? s.user, expiresAt: Date.now() + ttl * 1000 }));
  } catch {
    /* storage blocked */
  }
}

/** The session is over (the server refused its refresh token). */
export function forgetCitizen(refreshToken: string): void {
  try {
    if (readCitizen()?.refreshToken === refreshToken) localStorage.removeItem(CITIZEN_KEY);
  } catch {
    /* storage blocked */
  }
}
