/**
 * What an import file would do to the registry, row by row: create (a new person and the dose),
 * merge (a dose for a person already registered), unchanged (that dose is already recorded) or
 * rejected (with the reasons). The same planning answers the preview and runs again inside the
 * commit's transaction, so whatever changed in between is seen before anything is written.
 *
 * Work is set-based: a handful of queries for the whole file (products, lots, people by ID hash,
 * people by phone + birth date, their doses), never a query per row. The dose rules are
 * `checkDose` (server/vaccination/doses/rules.ts), asked per person in dose-number order against
 * the recorded doses plus the rows of the file accepted before.
 */
import { sql, type SQL } from "drizzle-orm";
import { pgArray, rowsOf, type Db } from "../../../db/client";
import type { Keyring } from "../../auth/keys";
import { hashIdNumber, normaliseIdNumber } from "../../declarations/id-hash";
import { msg, Phone } from "../../http/fields";
import { checkDose, type DoseFact, type ProductRule } from "../doses/rules";
import { columnName, readCsv, type CsvFile, type Field } from "./csv";

/** A database or a transaction: all the planning needs is raw SQL. */
export type Queryable = Pick<Db, "execute">;

export type RowAction = "create" | "merge" | "unchanged" | "rejected";

export interface RowError {
  column: string;
  message: string;
}

/** A person the file introduces (no match in the registry), shared by all of their rows. */
export interface NewPerson {
  fullName: string;
  birthDate: string;
  phone: string | null;
  idHash: string | null;
  /** Whether any row of the person is accepted (else nobody is created). */
  accepted: boolean;
}

export interface PlannedRow {
  row: number;
  cells: string[];
  action: RowAction;
  errors: RowError[];
  fullName: string | null;
  doseNumber: number | null;
  productCode: string | null;
  givenOn: string | null;
  /** For create and merge rows: what to write. */
  lotId?: string;
  personId?: string;
  newPerson?: NewPerson;
}

export interface ImportCounts {
  totalRows: number;
  createRows: number;
  mergeRows: number;
  unchangedRows: number;
  rejectedRows: number;
}

export interface ImportPlan {
  file: CsvFile;
  rows: PlannedRow[];
  counts: ImportCounts;
  /** The new people with at least one accepted row, in the order of their first row. */
  newPeople: NewPerson[];
}

interface Product extends ProductRule {
  name: string;
  manufacturer: string;
}

interface Lot {
  id: string;
  productCode: string;
  lotNumber: string;
  expiresOn: string;
}

/** A row whose cells all read well: what the rules and the matching work on. */
interface ParsedRow {
  planned: PlannedRow;
  fullName: string;
  nameKey: string;
  birthDate: string;
  phone: string | null;
  idHash: string | null;
  productCode: string;
  lot: Lot;
  givenOn: string;
  doseNumber: number;
}

const query = async <T>(q: Queryable, statement: SQL): Promise<T[]> => rowsOf<T>(await q.execute(statement));

const pad2 = (n: string) => n.padStart(2, "0");

/** YYYY-MM-DD or DD/MM/YYYY (D/M/YYYY too), a day that exists; else null. */
export function parseDay(text: string): string | null {
  let iso: string | null = null;
  const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (a) iso = text;
  const b = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (b) iso = `${b[3]}-${pad2(b[2]!)}-${pad2(b[1]!)}`;
  if (!iso) return null;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === iso ? iso : null;
}

/** Names compare with case and spacing ignored ("NGUYỄN  Văn a" = "Nguyễn Văn A"). */
export const nameKey = (name: string) => name.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();

const productKey = (s: string) => s.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();

/**
 * A product by what sites write: its code (PF), its name (Comirnaty (Pfizer-BioNTech)), the brand
 * or the maker in it (Comirnaty, Pfizer-BioNTech) or the manufacturer. A word two products share
 * names neither.
 */
function productIndex(products: Product[]): Map<string, Product | null> {
  const index = new Map<string, Product | null>();
  const add = (alias: string, p: Product, strong = false) => {
    const k = productKey(alias);
    if (!k) return;
    const seen = index.get(k);
    if (strong || seen === undefined) index.set(k, p);
    else if (seen && seen.code !== p.code) index.set(k, null);
  };
  for (const p of products) {
    add(p.name, p);
    const paren = /^(.*?)\s*\((.*)\)\s*$/.exec(p.name);
    if (paren) {
      add(paren[1]!, p);
      add(paren[2]!, p);
    }
    add(p.manufacturer, p);
  }
  // Codes win over any alias.
  for (const p of products) add(p.code, p, true);
  return index;
}

export interface PlanContext {
  keys: Pick<Keyring, "hashSecret">;
  /** Today in Vietnam (YYYY-MM-DD): no dose after it, no one born after it. */
  today: string;
}

/** Reads and plans a whole file. Throws CsvFileError when the file itself cannot be read. */
export async function planImport(q: Queryable, ctx: PlanContext, csvText: string): Promise<ImportPlan> {
  const file = readCsv(csvText);
  const col = (f: Field) => columnName(file, f);
  const cell = (cells: string[], f: Field) => {
    const i = file.index[f];
    return i === undefined ? "" : (cells[i] ?? "");
  };

  const productRows = await query<{
    code: string;
    name: string;
    manufacturer: string;
    primary_doses: number;
    min_interval_days: number;
    mixable_with: string[] | string;
    booster_allowed: boolean;
    active: boolean;
  }>(q, sql`select code, name, manufacturer, primary_doses, min_interval_days, mixable_with, booster_allowed, active from vaccine_products`);
  const products: Product[] = productRows.map((p) => ({
    code: p.code,
    name: p.name,
    manufacturer: p.manufacturer,
    primaryDoses: Number(p.primary_doses),
    minIntervalDays: Number(p.min_interval_days),
    mixableWith: Array.isArray(p.mixable_with) ? p.mixable_with : parseTextArray(p.mixable_with),
    boosterAllowed: p.booster_allowed,
    active: p.active,
  }));
  const rules = new Map<string, ProductRule>(products.map((p) => [p.code, p]));
  const byAlias = productIndex(products);

  const lotNumbers = [...new Set(file.rows.map((r) => cell(r.cells, "lot").toUpperCase()).filter(Boolean))];
  const lots = lotNumbers.length
    ? await query<{ id: string; product_code: string; lot_number: string; expires_on: string }>(
        q,
        sql`select id, product_code, lot_number, expires_on::text as expires_on from vaccine_lots
            where upper(lot_number) = any(${pgArray(lotNumbers)}::text[]) order by created_at, id`,
      )
    : [];
  /** Lots by product and number, case ignored (an exact spelling first), and by number alone. */
  const lotsByKey = new Map<string, Lot[]>();
  for (const l of lots) {
    const lot = { id: l.id, productCode: l.product_code, lotNumber: l.lot_number, expiresOn: l.expires_on };
    for (const key of [`${l.product_code}|${l.lot_number.toUpperCase()}`, `*|${l.lot_number.toUpperCase()}`]) lotsByKey.set(key, [...(lotsByKey.get(key) ?? []), lot]);
  }
  const findLot = (productCode: string, text: string) => {
    const list = lotsByKey.get(`${productCode}|${text.toUpperCase()}`) ?? lotsByKey.get(`*|${text.toUpperCase()}`);
    return list?.find((l) => l.lotNumber === text) ?? list?.[0];
  };

  // 1. Each row on its own: every cell that does not read is named.
  const planned: PlannedRow[] = [];
  const parsed: ParsedRow[] = [];
  for (const { row, cells } of file.rows) {
    const errors: RowError[] = [];
    const fail = (f: Field, vi: string, en: string) => errors.push({ column: col(f), message: msg(vi, en) });

    const fullName = cell(cells, "fullName").normalize("NFC").replace(/\s+/g, " ").trim();
    if (!fullName) fail("fullName", "Thiếu họ tên", "The name is missing");
    else if (fullName.length > 120) fail("fullName", "Họ tên tối đa 120 ký tự", "The name is at most 120 characters");

    const birthText = cell(cells, "birthDate");
    const birthDate = parseDay(birthText);
    if (!birthText) fail("birthDate", "Thiếu ngày sinh", "The birth date is missing");
    else if (!birthDate) fail("birthDate", `Ngày sinh "${birthText}" không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY`, `Birth date "${birthText}" is not YYYY-MM-DD or DD/MM/YYYY`);
    else if (birthDate > ctx.today || birthDate < "1900-01-01") fail("birthDate", "Ngày sinh không hợp lý", "The birth date is not plausible");

    const phoneText = cell(cells, "phone");
    let phone: string | null = null;
    if (phoneText) {
      const p = Phone.safeParse(phoneText);
      if (p.success) phone = p.data;
      else fail("phone", `Số điện thoại "${phoneText}" không hợp lệ (10 chữ số, bắt đầu bằng 0)`, `Phone "${phoneText}" is not valid (10 digits starting with 0)`);
    }
    const idText = cell(cells, "idNumber");
    let idHash: string | null = null;
    if (idText) {
      if (/^[0-9A-Z]{6,20}$/.test(normaliseIdNumber(idText))) idHash = hashIdNumber(ctx.keys, idText);
      else fail("idNumber", "Số CCCD/hộ chiếu không hợp lệ", "The ID number is not valid");
    }
    if (!phoneText && !idText) fail("phone", "Cần số điện thoại hoặc số CCCD", "A phone or an ID number is needed");

    const productText = cell(cells, "product");
    const product = productText ? byAlias.get(productKey(productText)) : undefined;
    if (!productText) fail("product", "Thiếu vắc xin", "The product is missing");
    else if (!product) fail("product", `Không có vắc xin "${productText}"`, `Unknown product "${productText}"`);

    const lotText = cell(cells, "lot");
    let lot: Lot | undefined;
    if (!lotText) fail("lot", "Thiếu số lô", "The lot number is missing");
    else if (product) {
      // A lot of another product is left to the rules (lot_product_mismatch) so it reads the same everywhere.
      lot = findLot(product.code, lotText);
      if (!lot) fail("lot", `Không có lô "${lotText}" của vắc xin ${product.code}`, `No lot "${lotText}" of ${product.code}`);
    }

    const givenText = cell(cells, "givenOn");
    const givenOn = parseDay(givenText);
    if (!givenText) fail("givenOn", "Thiếu ngày tiêm", "The vaccination date is missing");
    else if (!givenOn) fail("givenOn", `Ngày tiêm "${givenText}" không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY`, `Date "${givenText}" is not YYYY-MM-DD or DD/MM/YYYY`);
    else if (birthDate && givenOn < birthDate) fail("givenOn", "Ngày tiêm trước ngày sinh", "The vaccination date is before the birth date");

    const doseText = cell(cells, "dose");
    const doseNumber = /^\d{1,2}$/.test(doseText) ? Number(doseText) : NaN;
    if (!doseText) fail("dose", "Thiếu mũi tiêm", "The dose number is missing");
    else if (!(doseNumber >= 1 && doseNumber <= 10)) fail("dose", `Mũi "${doseText}" phải là số từ 1 đến 10`, `Dose "${doseText}" must be a number from 1 to 10`);

    const p: PlannedRow = {
      row,
      cells,
      action: "rejected",
      errors,
      fullName: fullName || null,
      doseNumber: Number.isInteger(doseNumber) ? doseNumber : null,
      productCode: product?.code ?? null,
      givenOn,
    };
    planned.push(p);
    if (!errors.length)
      parsed.push({ planned: p, fullName, nameKey: nameKey(fullName), birthDate: birthDate!, phone, idHash, productCode: product!.code, lot: lot!, givenOn: givenOn!, doseNumber });
  }

  // 2. Who each row is about: an ID number first, then name + birth date + phone; else someone new.
  const hashes = [...new Set(parsed.flatMap((r) => (r.idHash ? [r.idHash] : [])))];
  const byHash = new Map<string, string>();
  if (hashes.length) {
    const found = await query<{ id: string; hash: string }>(
      q,
      sql`select id, id_number_hash as hash from people where id_number_hash = any(${pgArray(hashes)}::text[]) order by created_at, id`,
    );
    for (const f of found) if (!byHash.has(f.hash)) byHash.set(f.hash, f.id);
  }
  const pairs = new Map<string, [string, string]>();
  for (const r of parsed) if (r.phone && !(r.idHash && byHash.has(r.idHash))) pairs.set(`${r.phone}|${r.birthDate}`, [r.phone, r.birthDate]);
  const byTriple = new Map<string, { id: string; hash: string | null }[]>();
  if (pairs.size) {
    const list = [...pairs.values()];
    const found = await query<{ id: string; full_name: string; birth_date: string; phone: string; hash: string | null }>(
      q,
      sql`select p.id, p.full_name, p.birth_date::text as birth_date, p.phone, p.id_number_hash as hash
          from people p
          join unnest(${pgArray(list.map((x) => x[0]))}::text[], ${pgArray(list.map((x) => x[1]))}::date[]) as t(phone, birth_date)
            on p.phone = t.phone and p.birth_date = t.birth_date
          order by p.created_at, p.id`,
    );
    for (const f of found) {
      const k = `${nameKey(f.full_name)}|${f.birth_date}|${f.phone}`;
      byTriple.set(k, [...(byTriple.get(k) ?? []), { id: f.id, hash: f.hash }]);
    }
  }

  /** Rows of each person: an existing id, or a NewPerson shared by rows naming the same human. */
  const groups = new Map<string | NewPerson, ParsedRow[]>();
  const newById = new Map<string, NewPerson>();
  const newByTriple = new Map<string, NewPerson>();
  for (const r of parsed) {
    const triple = r.phone ? `${r.nameKey}|${r.birthDate}|${r.phone}` : null;
    let who: string | NewPerson | undefined = r.idHash ? byHash.get(r.idHash) : undefined;
    // A record with another ID number is another human, whatever the name and phone say.
    if (!who && triple) who = byTriple.get(triple)?.find((c) => !c.hash || !r.idHash || c.hash === r.idHash)?.id;
    if (!who) {
      let n = r.idHash ? newById.get(r.idHash) : undefined;
      if (!n && triple) {
        const t = newByTriple.get(triple);
        if (t && (!t.idHash || !r.idHash || t.idHash === r.idHash)) n = t;
      }
      if (!n) n = { fullName: r.fullName, birthDate: r.birthDate, phone: r.phone, idHash: r.idHash, accepted: false };
      n.idHash ??= r.idHash;
      n.phone ??= r.phone;
      if (r.idHash) newById.set(r.idHash, n);
      if (triple && !newByTriple.has(triple)) newByTriple.set(triple, n);
      who = n;
    }
    const list = groups.get(who);
    if (list) list.push(r);
    else groups.set(who, [r]);
  }

  // 3. The doses already recorded for the people found.
  const existingIds = [...groups.keys()].filter((k): k is string => typeof k === "string");
  const recorded = new Map<string, (DoseFact & { lotId: string })[]>();
  if (existingIds.length) {
    const doses = await query<{ person_id: string; dose_number: number; product_code: string; given_on: string; lot_id: string }>(
      q,
      sql`select person_id, dose_number, product_code, given_on::text as given_on, lot_id from vaccinations
          where person_id = any(${pgArray(existingIds)}::uuid[])`,
    );
    for (const d of doses) {
      const fact = { doseNumber: Number(d.dose_number), productCode: d.product_code, givenOn: d.given_on, lotId: d.lot_id };
      recorded.set(d.person_id, [...(recorded.get(d.person_id) ?? []), fact]);
    }
  }

  // 4. The rules, person by person in dose order: the recorded doses plus the rows accepted so far.
  const ruleColumn: Record<string, Field> = { lotId: "lot", doseNumber: "dose", givenOn: "givenOn", productCode: "product" };
  for (const [who, list] of groups) {
    const existing = typeof who === "string" ? (recorded.get(who) ?? []) : [];
    const history: DoseFact[] = existing.map(({ doseNumber, productCode, givenOn }) => ({ doseNumber, productCode, givenOn }));
    const firstRowOfDose = new Map<number, number>();
    list.sort((a, b) => a.doseNumber - b.doseNumber || a.planned.row - b.planned.row);
    for (const r of list) {
      const p = r.planned;
      const first = firstRowOfDose.get(r.doseNumber);
      if (first !== undefined) {
        p.errors.push({ column: col("dose"), message: msg(`Trùng mũi ${r.doseNumber} với dòng ${first}`, `Dose ${r.doseNumber} repeats row ${first}`) });
        continue;
      }
      firstRowOfDose.set(r.doseNumber, p.row);
      const same = existing.find((d) => d.doseNumber === r.doseNumber);
      if (same && same.productCode === r.productCode && same.givenOn === r.givenOn && same.lotId === r.lot.id) {
        p.action = "unchanged";
        continue;
      }
      if (same) {
        p.errors.push({
          column: col("dose"),
          message: msg(
            `Đã ghi nhận mũi ${r.doseNumber} khác (${same.productCode}, ${same.givenOn})`,
            `A different dose ${r.doseNumber} is already recorded (${same.productCode}, ${same.givenOn})`,
          ),
        });
        continue;
      }
      const broken = checkDose(history, { doseNumber: r.doseNumber, productCode: r.productCode, givenOn: r.givenOn, lot: r.lot }, rules, ctx.today);
      if (broken) {
        p.errors.push({ column: col(ruleColumn[broken.path] ?? "dose"), message: broken.message });
        continue;
      }
      history.push({ doseNumber: r.doseNumber, productCode: r.productCode, givenOn: r.givenOn });
      p.lotId = r.lot.id;
      if (typeof who === "string") {
        p.action = "merge";
        p.personId = who;
      } else {
        p.action = "create";
        p.newPerson = who;
        who.accepted = true;
      }
    }
  }

  const counts: ImportCounts = { totalRows: planned.length, createRows: 0, mergeRows: 0, unchangedRows: 0, rejectedRows: 0 };
  for (const p of planned) counts[`${p.action}Rows`]++;
  const newPeople = [...new Set(planned.flatMap((p) => (p.newPerson ? [p.newPerson] : [])))];
  return { file, rows: planned, counts, newPeople };
}

/** A text[] PGlite may hand back as its literal ("{PF,MO}"). */
function parseTextArray(v: string): string[] {
  const inner = v.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}
