/** Provinces and communes from the public GET /api/admin-units, fetched once per page load. */
import { createSignal } from "solid-js";
import { publicCall } from "./session";

export interface Unit {
  code: string;
  name: string;
  parentCode: string | null;
}

interface UnitPage {
  items: Unit[];
  nextCursor: string | null;
}

const cache = new Map<string, Promise<Unit[]>>();
const names = new Map<string, Unit>();
/** Bumped when names arrive, so unitName() re-renders. */
const [version, setVersion] = createSignal(0);

function loadAll(key: string, query: string): Promise<Unit[]> {
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const all: Unit[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        const page: UnitPage = await publicCall("GET", `/api/admin-units?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        all.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      for (const u of all) names.set(u.code, u);
      setVersion(version() + 1);
      return all;
    })().catch((e: unknown) => {
      cache.delete(key);
      throw e;
    });
    cache.set(key, p);
  }
  return p;
}

export const provinces = () => loadAll("p", "level=province");
export const communes = (province: string) => loadAll(`c${province}`, `level=commune&parent=${encodeURIComponent(province)}`);

/** The province of a commune (GET /api/admin-units/:code), for forms opened on a saved commune. */
export async function provinceOf(commune: string): Promise<string | null> {
  const known = names.get(commune);
  if (known) return known.parentCode;
  try {
    const u = await publicCall<Unit>("GET", `/api/admin-units/${encodeURIComponent(commune)}`);
    names.set(u.code, u);
    return u.parentCode;
  } catch {
    return null;
  }
}

/** The name of a unit (reactive: the code until its list has arrived). */
export function unitName(code: string | null | undefined, province?: string | null): string {
  if (!code) return "";
  version();
  if (!names.has(code) && province) void communes(province).catch(() => undefined);
  return names.get(code)?.name ?? code;
}
