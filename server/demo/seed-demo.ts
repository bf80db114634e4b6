/**
 * Demo data for a first start: communes of Hà Nội and Hồ Chí Minh City, officers of each
 * role, venues, people and a few days of check-ins, so a newcomer can click through at once.
 * Runs only on a platform with no communes yet.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { fullName, phone, pick, prng } from "../../db/seed/names";
import { adminUnits, checkins, people, users, venues, venueStaff, type Role } from "../../db/schema";
import { importCommunes } from "../admin-units/import";
import { hashPassword } from "../auth/passwords";
import type { Deps } from "../deps";
import { vnDay } from "../checkins/colour";
import { ensurePartitions } from "../checkins/partitions";
import { seedVaccinationDemo } from "./seed-vaccination";
import { DEMO_LAB_USER, seedTestingDemo } from "./seed-testing";

const DEMO_COMMUNES = fileURLToPath(new URL("../../db/seed/demo-communes.csv", import.meta.url));

export const DEMO_USERS: { username: string; displayName: string; role: Role; provinceCode: string; communeCode: string | null }[] = [
  { username: "hn.province", displayName: "Tổ công nghệ Hà Nội", role: "province_officer", provinceCode: "01", communeCode: null },
  { username: "hn.health", displayName: "CDC Hà Nội", role: "health_officer", provinceCode: "01", communeCode: null },
  { username: "hn.commune", displayName: "Tổ cộng đồng Hoàn Kiếm", role: "commune_officer", provinceCode: "01", communeCode: "00070" },
  { username: "hn.venue", displayName: "Chợ Đồng Xuân — quầy cửa", role: "venue_staff", provinceCode: "01", communeCode: "00070" },
  { username: "hcm.province", displayName: "Tổ công nghệ TP. Hồ Chí Minh", role: "province_officer", provinceCode: "79", communeCode: null },
  { username: "hcm.commune", displayName: "Tổ cộng đồng Sài Gòn", role: "commune_officer", provinceCode: "79", communeCode: "26734" },
  { username: "hn.site", displayName: "Trạm Y tế phường Hoàn Kiếm — bàn tiêm", role: "site_staff", provinceCode: "01", communeCode: "00070" },
  { username: "hcm.site", displayName: "Trạm Y tế phường Sài Gòn — bàn tiêm", role: "site_staff", provinceCode: "79", communeCode: "26734" },
];

const DEMO_VENUES = [
  { name: "Chợ Đồng Xuân", category: "market", address: "Phố Đồng Xuân, Hoàn Kiếm", communeCode: "00070", provinceCode: "01", capacity: 800, openingTime: "06:00", closingTime: "18:00" },
  { name: "Nhà sách Tràng Tiền", category: "shop", address: "44 Tràng Tiền, Hoàn Kiếm", communeCode: "00070", provinceCode: "01", capacity: 120 },
  { name: "Ga Hà Nội", category: "station", address: "120 Lê Duẩn, Cửa Nam", communeCode: "00082", provinceCode: "01", capacity: 2000 },
  { name: "Bệnh viện Bạch Mai", category: "hospital", address: "78 Giải Phóng, Bạch Mai", communeCode: "00118", provinceCode: "01", capacity: 3000 },
  { name: "Chợ Bến Thành", category: "market", address: "Lê Lợi, Bến Thành", communeCode: "26740", provinceCode: "79", capacity: 1500 },
  { name: "Nhà thờ Tân Định", category: "worship", address: "289 Hai Bà Trưng, Tân Định", communeCode: "26737", provinceCode: "79", capacity: 600 },
] as const;

export interface DemoSummary {
  communes: number;
  venues: number;
  people: number;
  checkins: number;
  users: { username: string; role: Role; area: string }[];
}

export async function seedDemo(deps: Deps): Promise<DemoSummary | null> {
  const [c] = await deps.db.select({ n: count() }).from(adminUnits).where(eq(adminUnits.level, "commune"));
  if (Number(c?.n ?? 0) > 0) return null;
  const report = await importCommunes(deps.db, readFileSync(DEMO_COMMUNES, "utf8"));
  const passwordHash = await hashPassword(deps.config.demoPassword);
  const created = await deps.db
    .insert(users)
    .values(DEMO_USERS.map((u) => ({ ...u, passwordHash })))
    .onConflictDoNothing()
    .returning();
  const venueRows = await deps.db
    .insert(venues)
    .values(DEMO_VENUES.map((v) => ({ ...v, status: "active" as const })))
    .returning();
  const staff = created.find((u) => u.username === "hn.venue");
  const market = venueRows[0];
  if (staff && market) await deps.db.insert(venueStaff).values({ venueId: market.id, userId: staff.id });

  const rand = prng(2021);
  const personRows = await deps.db
    .insert(people)
    .values(
      Array.from({ length: 60 }, (_, i) => {
        const hanoi = i < 40;
        return {
          provinceCode: hanoi ? "01" : "79",
          communeCode: hanoi ? pick(rand, ["00070", "00082", "00118", "00091"]) : pick(rand, ["26734", "26737", "26740"]),
          fullName: fullName(rand),
          birthYear: 1950 + Math.floor(rand() * 55),
          sex: rand() < 0.5 ? ("male" as const) : ("female" as const),
          phone: phone(rand),
        };
      }),
    )
    .returning({ id: people.id, provinceCode: people.provinceCode, communeCode: people.communeCode });

  const now = deps.now().getTime();
  const visits = [];
  for (const p of personRows) {
    const local = venueRows.filter((v) => v.provinceCode === p.provinceCode);
    for (let k = 0; k < 4; k++) {
      const v = pick(rand, local);
      const at = new Date(now - Math.floor(rand() * 5 * 86400_000));
      visits.push({
        id: randomUUID(),
        provinceCode: v.provinceCode,
        venueId: v.id,
        personId: p.id,
        checkedInAt: at,
        checkedOutAt: rand() < 0.6 ? new Date(at.getTime() + (10 + Math.floor(rand() * 80)) * 60_000) : null,
        method: "citizen_scan" as const,
      });
    }
  }
  await ensurePartitions(deps.database, vnDay(new Date(now - 6 * 86400_000)), vnDay(new Date(now)));
  await deps.db.insert(checkins).values(visits);
  await seedVaccinationDemo(deps, created, personRows);
  await seedTestingDemo(deps, created, personRows);
  return {
    communes: report.created,
    venues: venueRows.length,
    people: personRows.length,
    checkins: visits.length,
    users: [...DEMO_USERS, DEMO_LAB_USER].map((u) => ({ username: u.username, role: u.role, area: u.communeCode ? `${u.provinceCode}/${u.communeCode}` : u.provinceCode })),
  };
}
