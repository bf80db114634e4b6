/**
 * Dose records for the synthetic population of scripts/lib/synthetic.ts (the export benchmark's
 * line list): one vaccination site per commune, one lot per product, and `doses` rows of
 * `vaccinations`, deterministic per seed and streamed with `COPY … FROM STDIN` on PostgreSQL
 * (secondary indexes dropped and rebuilt around a load into an empty table, as the check-ins).
 *
 * Dose k goes to person k mod people as dose number ⌊k / people⌋ + 1, so (person, dose number)
 * is unique: up to `people` doses are all first doses, then second doses, and so on. Its area is
 * a commune of the person's province (drawn by population), its site that commune's, its day one
 * of the last `days` Vietnam days, its product the person's (one product per person).
 */
import type { Database } from "../../db/client";
import { prng } from "../../db/seed/names";
import { addDays } from "../../server/vaccination/doses/rules";
import { vnDay } from "../../server/checkins/colour";
import { copyFromStdin, makeUuid, personIdOf, searchCum, withBulkLoad, type Plan } from "./synthetic";

export interface DoseOptions {
  doses: number;
  /** Called with rows done after each chunk. */
  tick?: (rows: number) => void;
}

export interface DoseResult {
  doses: number;
  sites: number;
  seconds: number;
}

const PRODUCTS = ["PF", "AZ", "MO", "VC"] as const;
const CHUNK_CHARS = 256 * 1024;

/** The province (index into plan.areas.provinces) of person i. */
function provinceOfPerson(plan: Plan, i: number): number {
  let lo = 0;
  let hi = plan.peopleAt.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (plan.peopleAt[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Loads the sites, lots and doses (PostgreSQL only: the benchmarks' throwaway database). */
export async function seedDoses(database: Database, plan: Plan, o: DoseOptions): Promise<DoseResult> {
  const pg = database.pg;
  if (!pg) throw new Error("seedDoses needs PostgreSQL");
  const t0 = performance.now();
  const { seed, people, days, now } = plan.options;
  if (o.doses > 0 && people < 1) throw new Error("doses need people");
  const siteId = makeUuid((seed ^ 0x51735173) >>> 0);
  const doseId = makeUuid((seed ^ 0x0d05e5e5) >>> 0);
  const personId = personIdOf(seed);

  // One site per commune, in province order.
  const siteOf: string[][] = [];
  const siteRows: string[] = [];
  let s = 0;
  for (const p of plan.areas.provinces) {
    const ids: string[] = [];
    for (const c of p.communes) {
      const id = siteId(s++);
      ids.push(id);
      siteRows.push(`${id}\t${p.code}\t${c.code}\tTrạm Y tế ${c.name.replace(/[\t\n\r\\]/g, " ")}\tTrạm y tế ${c.code}\t500`);
    }
    siteOf.push(ids);
  }
  const lots = await pg.unsafe<{ id: string; product_code: string }[]>(
    `insert into vaccine_lots (product_code, lot_number, expires_on) values ${PRODUCTS.map((p, i) => `('${p}', 'BENCH-${p}-${seed}-${i}', date '2099-12-31')`).join(", ")}
     on conflict (product_code, lot_number) do update set expires_on = excluded.expires_on returning id::text, product_code`,
  );
  const lotOf = new Map(lots.map((l) => [l.product_code, l.id]));

  const today = vnDay(new Date(now));
  const dayList = Array.from({ length: days }, (_, i) => addDays(today, -(days - 1) + i));
  const rand = prng((seed ^ 0xd05e) >>> 0);

  await pg.begin(async (tx) => {
    const exec = (text: string) => tx.unsafe(text) as unknown as Promise<Record<string, unknown>[]>;
    await exec("set local maintenance_work_mem = '512MB'");
    await copyFromStdin(tx, "copy vaccination_sites (id, province_code, commune_code, name, address, capacity_per_day) from stdin", async (write) => {
      for (let i = 0; i < siteRows.length; i += 5000) await write(`${siteRows.slice(i, i + 5000).join("\n")}\n`);
    });
    await withBulkLoad(exec, "vaccinations", { rows: o.doses, deferIndexes: "auto" }, async () => {
      await copyFromStdin(
        tx,
        "copy vaccinations (id, province_code, commune_code, person_id, product_code, lot_id, dose_number, given_on, site_id) from stdin",
        async (write) => {
          let buf = "";
          let inChunk = 0;
          for (let k = 0; k < o.doses; k++) {
            const person = k % people;
            const doseNumber = Math.floor(k / people) + 1;
            const p = provinceOfPerson(plan, person);
            const province = plan.areas.provinces[p]!;
            const cum = plan.communeCum[p]!;
            const ci = searchCum(cum, rand() * cum[cum.length - 1]!);
            const product = PRODUCTS[(Math.imul(person, 0x9e3779b1) >>> 0) % PRODUCTS.length]!;
            buf += `${doseId(k)}\t${province.code}\t${province.communes[ci]!.code}\t${personId(person)}\t${product}\t${lotOf.get(product)}\t${doseNumber}\t${dayList[Math.floor(rand() * days)]}\t${siteOf[p]![ci]}\n`;
            inChunk++;
            if (buf.length >= CHUNK_CHARS) {
              await write(buf);
              o.tick?.(inChunk);
              buf = "";
              inChunk = 0;
            }
          }
          if (buf) {
            await write(buf);
            o.tick?.(inChunk);
          }
        },
      );
    });
  });
  await pg.unsafe("analyze vaccination_sites, vaccine_lots, vaccinations");
  return { doses: o.doses, sites: siteRows.length, seconds: (performance.now() - t0) / 1000 };
}
