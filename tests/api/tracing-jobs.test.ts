/** The hourly release of contacts: quarantine over and no symptom ever reported → released; others stay. */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, followUps } from "../../db/schema";
import { vnDay } from "../../server/checkins/colour";
import { releaseContacts } from "../../server/tracing/contacts";
import { addDays } from "../../server/tracing/window";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

describe.each(engines())("release of contacts on %s", (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform(engine);
  });
  afterAll(() => t?.close());

  async function contact(quarantineUntil: string, status: (typeof contacts.$inferSelect)["status"] = "quarantined") {
    const [row] = await t.deps.db
      .insert(contacts)
      .values({
        caseId: randomUUID(),
        caseProvinceCode: "01",
        provinceCode: "01",
        communeCode: "00070",
        personId: randomUUID(),
        degree: 1,
        source: "household",
        firstExposureAt: new Date(Date.now() - 10 * 86400_000),
        lastExposureAt: new Date(Date.now() - 8 * 86400_000),
        quarantineUntil,
        status,
      })
      .returning({ id: contacts.id });
    return row!.id;
  }
  const statusOf = async (id: string) =>
    (await t.deps.database.query<{ status: string }>(sql`select status from contacts where id = ${id}`))[0]!.status;

  it("releases ended quarantines without symptoms, keeps the rest", async () => {
    const today = vnDay(t.deps.now());
    const ended = await contact(addDays(today, -1));
    const endsToday = await contact(today);
    const sick = await contact(addDays(today, -1), "notified");
    const positive = await contact(addDays(today, -1), "became_f0");
    await t.deps.db.insert(followUps).values([
      { provinceCode: "01", communeCode: "00070", contactId: sick, day: addDays(today, -3), reached: true, symptoms: ["fever"] },
      { provinceCode: "01", communeCode: "00070", contactId: ended, day: addDays(today, -3), reached: true, symptoms: [] },
    ]);
    expect(await releaseContacts(t.deps)).toBe(1);
    expect(await statusOf(ended)).toBe("released");
    expect(await statusOf(endsToday)).toBe("quarantined");
    expect(await statusOf(sick)).toBe("notified");
    expect(await statusOf(positive)).toBe("became_f0");
    expect(await releaseContacts(t.deps)).toBe(0);
  });
});
