/**
 * Data of the venues pages: the filtered venue list, today's visitors of one venue (refreshed
 * every 15 s while the page is visible) and small helpers (local day, ids, time formats).
 */
import { createEffect, createSignal, on, onCleanup, type Accessor } from "solid-js";
import {
  ApiError,
  listVenues,
  listVisitors,
  type DayColour,
  type Venue,
  type VenueCategory,
  type VenueStatus,
  type Visitor,
} from "../api";
import { intlLocale, locale, t, type MessageKey } from "../i18n";
import { createKeysetList } from "../pagination";

export const VENUES_PAGE_SIZE = 25;
export const VISITORS_PAGE_SIZE = 30;
/** How often today's visitors are re-read while the page is visible. */
export const VISITORS_REFRESH_MS = 15_000;
/** Vietnam local time defines "today" for check-ins. */
export const VENUE_TIME_ZONE = "Asia/Ho_Chi_Minh";

// ---------------------------------------------------------------------------------------------
// Venue list

export interface VenueFilters {
  q: string;
  status: VenueStatus | "";
  category: VenueCategory | "";
  provinceCode: string;
  communeCode: string;
}

export const sameVenueFilters = (a: VenueFilters, b: VenueFilters) =>
  a.q === b.q && a.status === b.status && a.category === b.category && a.provinceCode === b.provinceCode && a.communeCode === b.communeCode;

export function createVenueList(filters: Accessor<VenueFilters>) {
  return createKeysetList<Venue, VenueFilters>(filters, (f, cursor, signal) =>
    listVenues({ ...f, limit: VENUES_PAGE_SIZE, cursor }, signal),
  );
}

export const isOverCapacity = (v: { insideNow: number; capacity: number | null }) =>
  v.capacity !== null && v.capacity > 0 && v.insideNow > v.capacity;

// ---------------------------------------------------------------------------------------------
// Visitors of one venue

export interface VisitorStats {
  day: string;
  todayCheckins: number;
  insideNow: number;
  capacity: number | null;
  overCapacity: boolean;
  colour: DayColour;
}

export interface VisitorsState {
  items: Accessor<Visitor[]>;
  stats: Accessor<VisitorStats | null>;
  loading: Accessor<boolean>;
  /** True once the first page of the current day has arrived. */
  loaded: Accessor<boolean>;
  error: Accessor<unknown>;
  hasMore: Accessor<boolean>;
  /** When the rows were last read from the server. */
  updatedAt: Accessor<Date | null>;
  loadMore: () => void;
  /** Re-reads the first page and merges it over what is shown (keeps pages loaded further down). */
  refresh: () => Promise<void>;
}

/**
 * Visitors of `venueId` on `day` ("" = today, live). Today's list refreshes itself every 15 s while
 * the tab is visible and at once when it becomes visible again; a past day is read once.
 */
export function createVisitors(venueId: Accessor<string>, day: Accessor<string>): VisitorsState {
  const [items, setItems] = createSignal<Visitor[]>([]);
  const [stats, setStats] = createSignal<VisitorStats | null>(null);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [updatedAt, setUpdatedAt] = createSignal<Date | null>(null);
  let generation = 0; // answers for a day or venue the page already left are dropped
  let controller: AbortController | null = null;
  let refreshing: Promise<void> | null = null;

  const keep = (page: { day: string; todayCheckins: number; insideNow: number; capacity: number | null; overCapacity: boolean; colour: DayColour }) =>
    setStats({
      day: page.day,
      todayCheckins: page.todayCheckins,
      insideNow: page.insideNow,
      capacity: page.capacity,
      overCapacity: page.overCapacity,
      colour: page.colour,
    });

  async function loadFirst() {
    const mine = ++generation;
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    setLoading(true);
    setLoaded(false);
    setError(null);
    try {
      const page = await listVisitors(venueId(), { day: day() || undefined, limit: VISITORS_PAGE_SIZE }, signal);
      if (mine !== generation) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      keep(page);
      setLoaded(true);
      setUpdatedAt(new Date());
    } catch (err) {
      if (mine !== generation || signal.aborted) return;
      setError(err);
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  const loadMore = () => {
    const next = cursor();
    if (loading() || next === null) return;
    const mine = generation;
    setLoading(true);
    setError(null);
    listVisitors(venueId(), { day: day() || undefined, limit: VISITORS_PAGE_SIZE, cursor: next })
      .then((page) => {
        if (mine !== generation) return;
        const seen = new Set(items().map((v) => v.id));
        setItems((prev) => [...prev, ...page.items.filter((v) => !seen.has(v.id))]);
        setCursor(page.nextCursor);
        keep(page);
      })
      .catch((err: unknown) => mine === generation && setError(err))
      .finally(() => mine === generation && setLoading(false));
  };

  const refresh = (): Promise<void> => {
    if (!loaded()) return loadFirst();
    if (refreshing) return refreshing;
    const mine = generation;
    refreshing = listVisitors(venueId(), { day: day() || undefined, limit: VISITORS_PAGE_SIZE })
      .then((page) => {
        if (mine !== generation) return;
        const fresh = new Map(page.items.map((v) => [v.id, v]));
        const shown = items();
        if (shown.length <= VISITORS_PAGE_SIZE) {
          // Only the first page was on screen: take the new one as it is.
          setItems(page.items);
          setCursor(page.nextCursor);
        } else {
          // Newer rows on top, updated rows in place, rows further down kept.
          const older = shown.filter((v) => !fresh.has(v.id));
          const oldestFresh = page.items[page.items.length - 1]?.checkedInAt ?? "";
          setItems([...page.items, ...older.filter((v) => !oldestFresh || v.checkedInAt <= oldestFresh)]);
        }
        keep(page);
        setError(null);
        setUpdatedAt(new Date());
      })
      .catch((err: unknown) => {
        // A failed background refresh keeps the rows; the error shows until the next success.
        if (mine === generation) setError(err);
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  createEffect(on([venueId, day], () => void loadFirst()));

  // Live refresh of today's list while the tab is visible.
  const tick = () => {
    if (day() !== "" || document.visibilityState !== "visible" || loading()) return;
    void refresh();
  };
  const timer = setInterval(tick, VISITORS_REFRESH_MS);
  const onVisible = () => {
    if (document.visibilityState === "visible") tick();
  };
  document.addEventListener("visibilitychange", onVisible);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
    controller?.abort();
    generation++;
  });

  return {
    items,
    stats,
    loading,
    loaded,
    error,
    hasMore: () => cursor() !== null,
    updatedAt,
    loadMore,
    refresh,
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Today in Vietnam as YYYY-MM-DD (en-CA formats dates that way). */
export function todayInVietnam(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: VENUE_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** "14:05" in Vietnam time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  void locale(); // re-render on a language switch
  return new Intl.DateTimeFormat(intlLocale(), { timeZone: VENUE_TIME_ZONE, hour: "2-digit", minute: "2-digit", hour12: false }).format(date);
}

/** "2026-05-01" → "01/05/2026" (vi) or "01/05/2026" (en-GB), without time-zone shifts. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** "08:00:00" or "08:00" → "08:00". */
export const hhmm = (time: string | null | undefined): string => (time ? time.slice(0, 5) : "");

/** An idempotency key for a check-in: crypto.randomUUID where it exists, else a v4 from getRandomValues. */
export function newId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Saves `blob` as `filename` through a temporary object URL; returns the URL (revoked later). */
export function saveBlob(blob: Blob, filename: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  return url;
}

/** A file-name-safe, accent-free version of a venue name: "Chợ Đồng Xuân" → "cho-dong-xuan". */
export function slug(name: string): string {
  return (
    name
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "venue"
  );
}

/** Server codes of the venue and check-in API whose (English) message the portal says in its own words. */
const VENUE_ERRORS: Partial<Record<string, MessageKey>> = {
  invalid_personal_qr: "venue.error.invalidPersonalQr",
  venue_not_active: "venue.error.notActive",
  venue_suspended: "venue.error.suspended",
};

/** The error with a translated message for the codes above; anything else unchanged. */
export function localiseVenueError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const key = VENUE_ERRORS[error.code];
  return key ? new ApiError(error.status, error.code, t(key), error.requestId, error.details) : error;
}

/** The server's rule for phone numbers: "+84 912 345 678" → "0912345678"; null if it is not one. */
export function normalisePhone(input: string): string | null {
  const phone = input.trim().replace(/[\s.-]/g, "").replace(/^\+84/, "0");
  return /^0\d{9}$/.test(phone) ? phone : null;
}
