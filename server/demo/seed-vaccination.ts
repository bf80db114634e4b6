/**
 * Demo vaccination data: sites with their staff, lots (one expired, to show the rule), a week of
 * slots at the first site and two doses for some of the demo people.
 */
import type { Deps } from "../deps";
import { siteStaff, vaccinationSites, vaccinationSlots, vaccinations, vaccineLots } from "../../db/schema";
import { addDays } from "../vaccination/doses/rules";
import { vnDay, vnDayRange } from "../checkins/colour";

export const DEMO_SITES = [
  { name: "Trạm Y tế phường Hoàn Kiếm", address: "2 Hàng Bài, Hoàn Kiếm", provinceCode: "01", communeCode: "00070", capacityPerDay: 300, staff: "hn.site" },
  { name: "Trung tâm Y tế Cửa Nam", address: "35 Nguyễn Thái Học, Cửa Nam", provinceCode: "01", communeCode: "00082", capacityPerDay: 500, staff: null },
  { name: "Trạm Y tế phường Sài Gòn", address: "12 Nguyễn Huệ, Sài Gòn", provinceCode: "79", communeCode: "26734", capacityPerDay: 400, staff: "hcm.site" },
] as const;

export async function seedVaccinationDemo(deps: Deps, demoUsers: { id: string; username: string }[], demoPeople: { id: string; provinceCode: string; communeCode: string | null }[]) {
  const today = vnDay(deps.now());
  const sites = await deps.db
    .insert(vaccinationSites)
    .values(DEMO_SITES.map(({ staff: _s, ...s }) => s))
    .returning();
  const staffRows = DEMO_SITES.flatMap((s, i) => {
    const user = demoUsers.find((u) => u.username === s.staff);
    const site = sites[i];
    return user && site ? [{ siteId: site.id, userId: user.id }] : [];
  });
  if (staffRows.length) await deps.db.insert(siteStaff).values(staffRows);

  const lots = await deps.db
    .insert(vaccineLots)
    .values([
      { productCode: "AZ", lotNumber: "AZ-2026-001", expiresOn: addDays(today, 365), dosesReceived: 5000 },
      { productCode: "PF", lotNumber: "PF-2026-001", expiresOn: addDays(today, 180), dosesReceived: 3000 },
      { productCode: "MO", lotNumber: "MO-2026-001", expiresOn: addDays(today, 200), dosesReceived: 2000 },
      { productCode: "VC", lotNumber: "VC-2026-001", expiresOn: addDays(today, 300), dosesReceived: 2000 },
      { productCode: "AZ", lotNumber: "AZ-2025-EXP", expiresOn: addDays(today, -30), dosesReceived: 1000 },
    ])
    .returning();

  const first = sites[0]!;
  const slots = [];
  for (let d = 0; d < 7; d++) {
    const { start } = vnDayRange(addDays(today, d));
    for (let h = 8; h < 11; h++) {
      slots.push({
        siteId: first.id,
        startsAt: new Date(start.getTime() + h * 3600_000),
        endsAt: new Date(start.getTime() + (h + 1) * 3600_000),
        capacity: 20,
        productCode: "PF",
      });
    }
  }
  await deps.db.insert(vaccinationSlots).values(slots);

  // Two doses (AZ then PF, 60 and 20 days ago) for the first twelve demo people of each province.
  const az = lots.find((l) => l.lotNumber === "AZ-2026-001")!;
  const pf = lots.find((l) => l.lotNumber === "PF-2026-001")!;
  const doses = [];
  for (const province of ["01", "79"]) {
    const site = sites.find((s) => s.provinceCode === province)!;
    for (const p of demoPeople.filter((x) => x.provinceCode === province).slice(0, 12)) {
      const area = { provinceCode: site.provinceCode, communeCode: site.communeCode };
      doses.push({ ...area, personId: p.id, productCode: "AZ", lotId: az.id, doseNumber: 1, givenOn: addDays(today, -60), siteId: site.id, vaccinator: "BS. Nguyễn Thu Hà" });
      doses.push({ ...area, personId: p.id, productCode: "PF", lotId: pf.id, doseNumber: 2, givenOn: addDays(today, -20), siteId: site.id, vaccinator: "BS. Nguyễn Thu Hà" });
    }
  }
  await deps.db.insert(vaccinations).values(doses);
  return { sites: sites.length, lots: lots.length, slots: slots.length, doses: doses.length };
}
