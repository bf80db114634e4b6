/**
 * The citizen's session and the one door to the API.
 *
 * The session lives in localStorage under "phc.citizen.session" as {accessToken, refreshToken,
 * user, expiresAt}: the check-in page (web/src/checkin) reads the same key for one-tap check-in.
 * Refresh tokens rotate on every use and the server ends the whole family when an old one comes
 * back, so refreshes are serialised across tabs (and with the check-in page) by the Web Lock
 * "phc.citizen.refresh"; a tab that finds fresher tokens in storage than the ones its request
 * used retries with those instead of refreshing again.
 */
import { createSignal } from "solid-js";

export const SESSION_KEY = "phc.citizen.session";
const LOCK = "phc.citizen.refresh";
/** Refresh a little before the access token expires, so requests do not bounce off a 401. */
const MARGIN_MS = 15_000;

export interface SessionUser {
  id: string;
  username: string;
  displayName?: string | null;
  role: string;
  [k: string]: unknown;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
  /** Epoch ms after which the access token is refused. */
  expiresAt: number;
  /** The account's person, once the profile has been read (for the check-in page's one-tap check-in). */
  person?: { personId: string; fullName: string | null; birthYear: number | null };
}

interface AuthAnswer {
  accessToken: string;
  refreshToken: string;
  expiresIn?: number;
  user: SessionUser;
}

function read(): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null") as Partial<Session> | null;
    if (!s || typeof s.accessToken !== "string" || typeof s.refreshToken !== "string" || !s.user) return null;
    return { ...(s as Session), expiresAt: typeof s.expiresAt === "number" ? s.expiresAt : Number.MAX_SAFE_INTEGER };
  } catch {
    return null;
  }
}

const [session, setSession] = createSignal<Session | null>(read());
export { session };

function store(auth: AuthAnswer): Session {
  const ttl = typeof auth.expiresIn === "number" && auth.expiresIn > 0 ? auth.expiresIn : 900;
  const before = read();
  const s: Session = {
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    user: auth.user,
    expiresAt: Date.now() + ttl * 1000,
    // The same account refreshed: its person stays known to the check-in page.
    ...(before?.person && before.user.id === auth.user.id ? { person: before.person } : {}),
  };
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  } catch {
    /* storage blocked: the session lasts as long as the page */
  }
  setSession(s);
  return s;
}

function clear(): void {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    /* nothing stored */
  }
  setSession(null);
}

/** Another tab signed in or out (or refreshed): follow it. */
addEventListener("storage", (e) => {
  if (e.key === SESSION_KEY || e.key === null) setSession(read());
});

// ---- errors ----

export interface Issue {
  path: string;
  message: string;
  messageVi?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Issue[] = [],
    /** Seconds, from Retry-After (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } | null = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const e = body?.error;
  const retry = Number(res.headers.get("retry-after"));
  const details: Issue[] = Array.isArray(e?.details)
    ? (e.details as Record<string, unknown>[]).filter((d) => d && typeof d === "object").map((d) => ({
        path: Array.isArray(d.path) ? d.path.join(".") : String(d.path ?? ""),
        message: String(d.message ?? ""),
        ...(typeof d.messageVi === "string" ? { messageVi: d.messageVi } : {}),
      }))
    : [];
  return new ApiError(
    res.status,
    typeof e?.code === "string" ? e.code : `http_${res.status}`,
    typeof e?.message === "string" ? e.message : res.statusText,
    details,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

// ---- transport ----

async function send(method: string, path: string, body?: unknown, token?: string, accept = "application/json"): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError(0, "network", "Network error");
  }
}

async function json<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function withLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks?.request ? (locks.request(LOCK, task) as Promise<T>) : task();
}

let refreshing: Promise<Session | null> | null = null;

/** Fresh tokens (another tab's, or new ones); null when the session is over. Network errors throw. */
function refresh(stale: string | null): Promise<Session | null> {
  refreshing ??= withLock(async () => {
    const current = read();
    if (!current) return null;
    if (current.accessToken !== stale && current.expiresAt - MARGIN_MS > Date.now()) {
      setSession(current);
      return current;
    }
    const res = await send("POST", "/api/auth/refresh", { refreshToken: current.refreshToken });
    if (res.ok) return store(await json<AuthAnswer>(res));
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      if (read()?.refreshToken === current.refreshToken) clear();
      return null;
    }
    throw await toError(res);
  }).finally(() => (refreshing = null));
  return refreshing;
}

const over = () => {
  clear();
  return new ApiError(401, "unauthorized", "Session expired");
};

/** A call as the signed-in citizen: bearer token, one refresh-and-retry on 401. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return json<T>(await authorized(method, path, body));
}

/** A file as the signed-in citizen (an SVG, a PDF, a health card): the body as a Blob. */
export async function callBlob(path: string): Promise<Blob> {
  const res = await authorized("GET", path, undefined, "*/*");
  try {
    return await res.blob();
  } catch {
    throw new ApiError(0, "network", "Network error");
  }
}

/** The response of a request with the bearer token (refreshed first when due, once more on 401); errors thrown. */
async function authorized(method: string, path: string, body?: unknown, accept?: string): Promise<Response> {
  let s = read();
  if (!s) throw over();
  if (s.expiresAt - MARGIN_MS <= Date.now()) {
    s = await refresh(s.accessToken);
    if (!s) throw over();
  }
  let res = await send(method, path, body, s.accessToken, accept);
  if (res.status === 401) {
    const renewed = await refresh(s.accessToken);
    if (!renewed) throw over();
    res = await send(method, path, body, renewed.accessToken, accept);
    if (res.status === 401) throw over();
  }
  if (!res.ok) throw await toError(res);
  return res;
}

/** A call without an account (sign-in, reports, the receipt): the token rides along when there is one. */
export async function publicCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (read()) {
    try {
      return await call<T>(method, path, body);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    }
  }
  const res = await send(method, path, body);
  if (!res.ok) throw await toError(res);
  return json<T>(res);
}

/**
 * Adds the account's person to the stored session ({personId, fullName, birthYear}), so the
 * check-in page can check this person in with one tap and check them out again.
 */
export function rememberPerson(person: { personId: string; fullName: string | null; birthYear: number | null }): void {
  const s = read();
  if (!s) return;
  const next = { ...s, person };
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(next));
  } catch {
    /* storage blocked */
  }
}

/** Keeps the session a sign-in answered with. */
export const signedIn = (auth: AuthAnswer) => store(auth);

/** Revokes the refresh token (best effort) and forgets the session. */
export async function signOut(): Promise<void> {
  const s = read();
  clear();
  if (s) await send("POST", "/api/auth/logout", { refreshToken: s.refreshToken }, s.accessToken).catch(() => undefined);
}
