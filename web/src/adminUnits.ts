/**
 * Provinces and communes, fetched once per session and kept by code, so any screen can show
 * "Phường Ba Đình, Hà Nội" instead of raw codes. Names fill in reactively as lists arrive.
 */
import { createStore } from "solid-js/store";
import { listAdminUnits, type AdminUnit } from "./api";
import { t } from "./i18n";

/** The province code the server puts on audit rows of national-level subjects. */
const NATIONAL = "00";

const [names, setNames] = createStore<Record<string, string>>({});

let provinces: Promise<AdminUnit[]> | null = null;
const communes = new Map<string, Promise<AdminUnit[]>>();

async function loadAll(level: "province" | "commune", parent: string | undefined, limit: number) {
  const all: AdminUnit[] = [];
  let cursor: string | null = null;
  // Follow the cursor a few times in case a province has more communes than one page holds.
  for (let page = 0; page < 20; page++) {
    const res = await listAdminUnits({ level, parent, limit, cursor });
    all.push(...res.items);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  setNames(Object.fromEntries(all.map((u) => [u.code, u.name])));
  return all;
}

export function loadProvinces(): Promise<AdminUnit[]> {
  if (!provinces) {
    provinces = loadAll("province", undefined, 100).catch((error: unknown) => {
      provinces = null; // let the next caller try again
      throw error;
    });
  }
  return provinces;
}

export function loadCommunes(provinceCode: string): Promise<AdminUnit[]> {
  let pending = communes.get(provinceCode);
  if (!pending) {
    pending = loadAll("commune", provinceCode, 500).catch((error: unknown) => {
      communes.delete(provinceCode);
      throw error;
    });
    communes.set(provinceCode, pending);
  }
  return pending;
}

/** Loads the names an area label needs; failures leave the codes on screen. */
export function ensureAreaNames(provinceCode: string | null, communeCode: string | null): void {
  if (provinceCode && provinceCode !== NATIONAL && !(provinceCode in names)) loadProvinces().catch(() => undefined);
  if (provinceCode && communeCode && !(communeCode in names)) loadCommunes(provinceCode).catch(() => undefined);
}

export const unitName = (code: string): string => names[code] ?? code;

/** "Commune, Province", "Province", or "Nationwide". Reactive. */
export function areaLabel(provinceCode: string | null, communeCode: string | null): string {
  if (provinceCode === NATIONAL && !communeCode) return t("area.national");
  if (communeCode && provinceCode) return `${unitName(communeCode)}, ${unitName(provinceCode)}`;
  if (communeCode) return unitName(communeCode);
  if (provinceCode) return unitName(provinceCode);
  return t("area.national");
}
