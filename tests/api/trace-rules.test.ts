/**
 * The tracing rules of docs/TRACING.md at their edges, on both engines. Check-ins are written
 * straight into `checkins` at hand-made times (Vietnam time, UTC+7) around a fixed reference in
 * October 2026, at venues made for each test, so nothing else can touch them; each test asserts
 * exactly which people are contacts and the exact evidence.
 *
 * Reference case: symptom onset 2026-10-10 → infectious window from 2026-10-08 00:00 (VN);
 * isolated 2026-10-15 12:00 (VN).
 */
import { randomInt, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkins, people, venues } from "../../db/schema";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";
import { TRACE_PAGE } from "../../server/tracing/run-trace";

/** "2026-10-12 10:00" in Vietnam time → the instant. */
const vn = (local: string) => new Date(`${local.replace(" ", "T")}:00+07:00`);
const iso = (local: string) => vn(local).toISOString();
/** Any ISO 8601 string → the canonical UTC form, so the test does not depend on the server's format. */
const norm = (s: string | null | undefined) => (s == null ? s : new Date(s).toISOString());

const REF = { confirmedOn: "2026-10-14", method: "pcr", symptomOnset: "2026-10-10", isolatedAt: "2026-10-15T12:00:00+07:00" } as const;

describe.each(engines())("trace rules on %s", (engine) => {
  let t: TestPlatform;
  let officer: string;

  /** A person of Hoàn Kiếm with a phone nobody else has (same phone + birth year = same human). */
  async function person(name: string, over: { phone?: string; birthYear?: number } = {}) {
    const [row] = await t.deps.db
      .insert(people)
      .values({
        provinceCode: "01",
        communeCode: "00070",
        fullName: name,
        birthYear: over.birthYear ?? 1980 + randomInt(0, 20),
        phone: over.phone ?? `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`,
      })
      .returning({ id: people.id, phone: people.phone, birthYear: people.birthYear });
    return row!;
  }

  async function venue(name: string) {
    const [row] = await t.deps.db
      .insert(venues)
      .values({ provinceCode: "01", communeCode: "00070", name, category: "shop", address: `${name}, Hoàn Kiếm`, status: "active" })
      .returning({ id: venues.id });
    return row!.id;
  }

  /** A visit from `from` to `to` (VN local "YYYY-MM-DD HH:MM"), or without check-out. */
  async function visit(personId: string, venueId: string, from: string, to: string | null) {
    const id = randomUUID();
    await t.deps.db.insert(checkins).values({
      id,
      provinceCode: "01",
      venueId,
      personId,
      checkedInAt: vn(from),
      checkedOutAt: to ? vn(to) : null,
      method: "staff_typed",
    });
    return id;
  }

  async function registerCase(personId: string, over: Record<string, unknown> = {}) {
    const res = await t.request("POST", "/api/cases", { token: officer, body: { personId, ...REF, ...over } });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as any;
  }

  async function trace(caseId: string, degree: 1 | 2, marginMinutes?: number) {
    const res = await t.request("POST", `/api/cases/${caseId}/trace`, {
      token: officer,
      body: marginMinutes === undefined ? { degree } : { degree, marginMinutes },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as any;
  }

  const personIds = (result: any, degree = 1): string[] =>
    result.contacts
      .filter((c: any) => c.degree === degree)
      .map((c: any) => c.person.id)
      .sort();
  const contactOf = (result: any, personId: string) => result.contacts.find((c: any) => c.person.id === personId);
  const exposuresOf = (c: any) =>
    c.exposures.map((e: any) => ({ venueId: e.venueId, overlapStart: norm(e.overlapStart), overlapEnd: norm(e.overlapEnd), minutes: e.minutes }));
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    officer = await t.login("hn.province");
  });
  afterAll(() => t?.close());

  it("finds exactly the people whose visit at the same venue overlaps, with exact overlap, and not the case itself", async () => {
    const v = await venue("Quán Chồng Lấn");
    const w = await venue("Quán Bên Cạnh");
    const f0 = await person("Ca Bệnh Một");
    const [a, b, c, d, e] = await Promise.all(["Người A", "Người B", "Người C", "Người D", "Người E"].map((n) => person(n)));
    const f0Visit = await visit(f0.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    await visit(a!.id, v, "2026-10-12 10:30", "2026-10-12 11:30"); // overlaps the end
    await visit(b!.id, v, "2026-10-12 09:00", "2026-10-12 10:15"); // overlaps the start
    await visit(c!.id, v, "2026-10-12 10:10", "2026-10-12 10:20"); // inside
    await visit(d!.id, v, "2026-10-12 08:00", "2026-10-12 09:00"); // an hour before: not
    await visit(e!.id, w, "2026-10-12 10:00", "2026-10-12 11:00"); // same time, other venue: not
    const f = await registerCase(f0.id);
    const r = await trace(f.id, 1, 0);

    expect(r.caseId).toBe(f.id);
    expect(r.degree).toBe(1);
    expect(r.marginMinutes).toBe(0);
    expect({ from: norm(r.window.from), to: norm(r.window.to) }).toEqual({ from: iso("2026-10-08 00:00"), to: iso("2026-10-15 12:00") });
    expect(personIds(r)).toEqual(sorted([a!.id, b!.id, c!.id]));
    expect(personIds(r)).not.toContain(f0.id);
    expect(r.summary).toMatchObject({ f1: 3, f2: 0, byProvince: [{ provinceCode: "01", f1: 3, f2: 0 }], newContacts: 3 });
    expect(r.visits.map((x: any) => ({ checkinId: x.checkinId, venueId: x.venueId, start: norm(x.start), end: norm(x.end), contacts: x.contacts }))).toEqual([
      { checkinId: f0Visit, venueId: v, start: iso("2026-10-12 10:00"), end: iso("2026-10-12 11:00"), contacts: 3 },
    ]);

    const expected = {
      [a!.id]: ["2026-10-12 10:30", "2026-10-12 11:00", 30],
      [b!.id]: ["2026-10-12 10:00", "2026-10-12 10:15", 15],
      [c!.id]: ["2026-10-12 10:10", "2026-10-12 10:20", 10],
    } as const;
    for (const [pid, [start, end, minutes]] of Object.entries(expected)) {
      const k = contactOf(r, pid);
      expect(k, pid).toMatchObject({ caseId: f.id, degree: 1, source: "venue", viaContactId: null, status: "identified", provinceCode: "01", communeCode: "00070" });
      expect(k.venue.id).toBe(v);
      expect(exposuresOf(k)).toEqual([{ venueId: v, overlapStart: iso(start), overlapEnd: iso(end), minutes }]);
      expect(k.exposures[0]).toMatchObject({ venueName: "Quán Chồng Lấn", provinceCode: "01" });
      expect(norm(k.firstExposureAt)).toBe(iso(start));
      expect(norm(k.lastExposureAt)).toBe(iso(end));
      expect(k.minutesTogether).toBe(minutes);
      // Vietnam day of the last exposure (2026-10-12) + 7
      expect(k.quarantineUntil).toBe("2026-10-19");
    }
    // the case's own GET counts the same contacts
    const got = (await (await t.request("GET", `/api/cases/${f.id}`, { token: officer })).json()) as any;
    expect(got.contacts).toEqual({ f1: 3, f2: 0 });
    expect(got.tracedDegree).toBe(1);
    expect(got.tracedAt).not.toBeNull();
  });

  it("visits that only touch are not contacts with margin 0, and are with margin 1 (0 minutes together)", async () => {
    const v = await venue("Quán Chạm Nhau");
    const f0 = await person("Ca Bệnh Chạm");
    const after = await person("Đến Khi Ca Đi");
    const before = await person("Đi Khi Ca Đến");
    await visit(f0.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    await visit(after.id, v, "2026-10-12 11:00", "2026-10-12 12:00");
    await visit(before.id, v, "2026-10-12 09:00", "2026-10-12 10:00");
    const f = await registerCase(f0.id);
    const strict = await trace(f.id, 1, 0);
    expect(personIds(strict)).toEqual([]);
    expect(strict.summary).toMatchObject({ f1: 0, newContacts: 0 });
    expect(strict.visits).toHaveLength(1);
    expect(strict.visits[0].contacts).toBe(0);

    const loose = await trace(f.id, 1, 1);
    expect(loose.marginMinutes).toBe(1);
    expect(personIds(loose)).toEqual(sorted([after.id, before.id]));
    expect(loose.summary).toMatchObject({ f1: 2, newContacts: 2 });
    expect(exposuresOf(contactOf(loose, after.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 11:00"), overlapEnd: iso("2026-10-12 11:00"), minutes: 0 }]);
    expect(exposuresOf(contactOf(loose, before.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 10:00"), overlapEnd: iso("2026-10-12 10:00"), minutes: 0 }]);
  });

  it("with the default margin (15): a gap of exactly 15 minutes is not a contact, a gap of 14 is", async () => {
    const v = await venue("Quán Khoảng Cách");
    const f0 = await person("Ca Bệnh Khoảng Cách");
    const [late15, late14, early15, early14] = await Promise.all(["Sau 15", "Sau 14", "Trước 15", "Trước 14"].map((n) => person(n)));
    await visit(f0.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    await visit(late15!.id, v, "2026-10-12 11:15", "2026-10-12 12:00");
    await visit(late14!.id, v, "2026-10-12 11:14", "2026-10-12 12:00");
    await visit(early15!.id, v, "2026-10-12 09:00", "2026-10-12 09:45");
    await visit(early14!.id, v, "2026-10-12 09:00", "2026-10-12 09:46");
    const f = await registerCase(f0.id);
    const r = await trace(f.id, 1);
    expect(r.marginMinutes).toBe(15);
    expect(personIds(r)).toEqual(sorted([late14!.id, early14!.id]));
    expect(exposuresOf(contactOf(r, late14!.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 11:14"), overlapEnd: iso("2026-10-12 11:14"), minutes: 0 }]);
    expect(exposuresOf(contactOf(r, early14!.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 10:00"), overlapEnd: iso("2026-10-12 10:00"), minutes: 0 }]);
  });

  it("a visit without check-out lasts the dwell time (60 min): arriving 59 min after is a contact, 60 or 61 is not", async () => {
    const v = await venue("Quán Không Check-out");
    const f0 = await person("Ca Bệnh Quên Check-out");
    const [at59, at60, at61, openEarly, openTooEarly] = await Promise.all(["Sau 59", "Sau 60", "Sau 61", "Mở 59 trước", "Mở 61 trước"].map((n) => person(n)));
    await visit(f0.id, v, "2026-10-12 10:00", null);
    await visit(at59!.id, v, "2026-10-12 10:59", "2026-10-12 12:00");
    await visit(at60!.id, v, "2026-10-12 11:00", "2026-10-12 12:00");
    await visit(at61!.id, v, "2026-10-12 11:01", "2026-10-12 12:00");
    // the other side without check-out either: 09:01 → ends 10:01 (contact), 08:59 → ends 09:59 (not)
    await visit(openEarly!.id, v, "2026-10-12 09:01", null);
    await visit(openTooEarly!.id, v, "2026-10-12 08:59", null);
    const f = await registerCase(f0.id);
    const r = await trace(f.id, 1, 0);
    expect(personIds(r)).toEqual(sorted([at59!.id, openEarly!.id]));
    expect(r.visits.map((x: any) => [norm(x.start), norm(x.end)])).toEqual([[iso("2026-10-12 10:00"), iso("2026-10-12 11:00")]]);
    expect(exposuresOf(contactOf(r, at59!.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 10:59"), overlapEnd: iso("2026-10-12 11:00"), minutes: 1 }]);
    expect(exposuresOf(contactOf(r, openEarly!.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 10:00"), overlapEnd: iso("2026-10-12 10:01"), minutes: 1 }]);
  });

  it("a visit across midnight is one interval; quarantine counts from the Vietnam day of the last exposure", async () => {
    const v = await venue("Quán Đêm");
    const f0 = await person("Ca Bệnh Cú Đêm");
    const [afterMidnight, beforeMidnight, tooEarly] = await Promise.all(["Sau Nửa Đêm", "Trước Nửa Đêm", "Về Sớm"].map((n) => person(n)));
    await visit(f0.id, v, "2026-10-12 23:00", "2026-10-13 01:00");
    await visit(afterMidnight!.id, v, "2026-10-13 00:30", "2026-10-13 02:00");
    await visit(beforeMidnight!.id, v, "2026-10-12 22:30", "2026-10-12 23:30");
    await visit(tooEarly!.id, v, "2026-10-12 22:00", "2026-10-12 22:59");
    const f = await registerCase(f0.id);
    const r = await trace(f.id, 1, 0);
    expect(personIds(r)).toEqual(sorted([afterMidnight!.id, beforeMidnight!.id]));
    expect(r.visits.map((x: any) => [norm(x.start), norm(x.end)])).toEqual([[iso("2026-10-12 23:00"), iso("2026-10-13 01:00")]]);
    const late = contactOf(r, afterMidnight!.id);
    expect(exposuresOf(late)).toEqual([{ venueId: v, overlapStart: iso("2026-10-13 00:30"), overlapEnd: iso("2026-10-13 01:00"), minutes: 30 }]);
    // 01:00 on the 13th in Vietnam is still the 12th in UTC: the Vietnam day counts
    expect(late.quarantineUntil).toBe("2026-10-20");
    const early = contactOf(r, beforeMidnight!.id);
    expect(exposuresOf(early)).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 23:00"), overlapEnd: iso("2026-10-12 23:30"), minutes: 30 }]);
    expect(early.quarantineUntil).toBe("2026-10-19");
  });

  it("only visits inside the infectious window count, clipped to it (onset − 2 days … isolation)", async () => {
    const [v1, v2, v3, v4, v5] = await Promise.all(["Trước Cửa Sổ", "Mép Đầu", "Sau Cách Ly", "Mép Cuối", "Giữa Cửa Sổ"].map((n) => venue(`Quán ${n}`)));
    const f0 = await person("Ca Bệnh Cửa Sổ");
    const [a, b, c, d, e, f, g] = await Promise.all(["W A", "W B", "W C", "W D", "W E", "W F", "W G"].map((n) => person(n)));
    // before 2026-10-08 00:00: not
    await visit(f0.id, v1!, "2026-10-07 20:00", "2026-10-07 21:00");
    await visit(a!.id, v1!, "2026-10-07 20:00", "2026-10-07 21:00");
    // straddling the window's start: counts from 00:00 only
    const edgeStart = await visit(f0.id, v2!, "2026-10-07 23:30", "2026-10-08 00:30");
    await visit(c!.id, v2!, "2026-10-07 23:30", "2026-10-07 23:50");
    await visit(d!.id, v2!, "2026-10-07 23:40", "2026-10-08 00:10");
    // inside
    const inside = await visit(f0.id, v5!, "2026-10-09 09:00", "2026-10-09 10:00");
    await visit(b!.id, v5!, "2026-10-09 09:00", "2026-10-09 10:00");
    // straddling isolation (12:00 on the 15th): counts until 12:00 only
    const edgeEnd = await visit(f0.id, v4!, "2026-10-15 11:30", "2026-10-15 12:30");
    await visit(f!.id, v4!, "2026-10-15 12:10", "2026-10-15 12:40");
    await visit(g!.id, v4!, "2026-10-15 11:50", "2026-10-15 12:20");
    // after isolation: not
    await visit(f0.id, v3!, "2026-10-15 14:00", "2026-10-15 15:00");
    await visit(e!.id, v3!, "2026-10-15 14:00", "2026-10-15 15:00");

    const k = await registerCase(f0.id);
    const r = await trace(k.id, 1, 0);
    expect(personIds(r)).toEqual(sorted([b!.id, d!.id, g!.id]));
    expect(r.visits.map((x: any) => ({ checkinId: x.checkinId, start: norm(x.start), end: norm(x.end), contacts: x.contacts }))).toEqual([
      { checkinId: edgeStart, start: iso("2026-10-08 00:00"), end: iso("2026-10-08 00:30"), contacts: 1 },
      { checkinId: inside, start: iso("2026-10-09 09:00"), end: iso("2026-10-09 10:00"), contacts: 1 },
      { checkinId: edgeEnd, start: iso("2026-10-15 11:30"), end: iso("2026-10-15 12:00"), contacts: 1 },
    ]);
    expect(exposuresOf(contactOf(r, d!.id))).toEqual([{ venueId: v2, overlapStart: iso("2026-10-08 00:00"), overlapEnd: iso("2026-10-08 00:10"), minutes: 10 }]);
    expect(exposuresOf(contactOf(r, b!.id))).toEqual([{ venueId: v5, overlapStart: iso("2026-10-09 09:00"), overlapEnd: iso("2026-10-09 10:00"), minutes: 60 }]);
    expect(exposuresOf(contactOf(r, g!.id))).toEqual([{ venueId: v4, overlapStart: iso("2026-10-15 11:50"), overlapEnd: iso("2026-10-15 12:00"), minutes: 10 }]);
    expect(contactOf(r, b!.id).quarantineUntil).toBe("2026-10-16");
    expect(contactOf(r, g!.id).quarantineUntil).toBe("2026-10-22");
  });

  it("without an onset the window starts 14 days before the sample date (00:00 Vietnam time)", async () => {
    const v = await venue("Quán Không Triệu Chứng 1");
    const w = await venue("Quán Không Triệu Chứng 2");
    const f0 = await person("Ca Bệnh Không Triệu Chứng");
    const out = await person("Trước 14 Ngày");
    const inn = await person("Trong 14 Ngày");
    await visit(f0.id, v, "2026-09-27 22:00", "2026-09-27 23:00");
    await visit(out.id, v, "2026-09-27 22:00", "2026-09-27 23:00");
    await visit(f0.id, w, "2026-09-28 08:00", "2026-09-28 09:00");
    await visit(inn.id, w, "2026-09-28 08:30", "2026-09-28 09:30");
    const k = await registerCase(f0.id, { symptomOnset: null, sampleDate: "2026-10-12", confirmedOn: "2026-10-13", isolatedAt: "2026-10-13T18:00:00+07:00" });
    expect(norm(k.window.from)).toBe(iso("2026-09-28 00:00"));
    const r = await trace(k.id, 1, 0);
    expect(norm(r.window.from)).toBe(iso("2026-09-28 00:00"));
    expect(personIds(r)).toEqual([inn.id]);
  });

  it("a visit counts at most 480 minutes, on either side", async () => {
    const v = await venue("Quán Ở Lâu");
    const f0 = await person("Ca Bệnh Ở Cả Ngày");
    const [inside, afterCap, longStay] = await Promise.all(["Trong 8 Giờ", "Sau 8 Giờ", "Ở Từ Sáng"].map((n) => person(n)));
    await visit(f0.id, v, "2026-10-12 08:00", "2026-10-12 20:00"); // counts 08:00–16:00
    await visit(inside!.id, v, "2026-10-12 15:00", "2026-10-12 15:30");
    await visit(afterCap!.id, v, "2026-10-12 16:30", "2026-10-12 17:00");
    await visit(longStay!.id, v, "2026-10-12 06:00", "2026-10-12 23:00"); // counts 06:00–14:00
    const k = await registerCase(f0.id);
    const r = await trace(k.id, 1, 0);
    expect(personIds(r)).toEqual(sorted([inside!.id, longStay!.id]));
    expect(r.visits.map((x: any) => [norm(x.start), norm(x.end)])).toEqual([[iso("2026-10-12 08:00"), iso("2026-10-12 16:00")]]);
    expect(exposuresOf(contactOf(r, longStay!.id))).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 08:00"), overlapEnd: iso("2026-10-12 14:00"), minutes: 360 }]);
  });

  it("the case's visits include its other records (same phone and birth year); active cases are nobody's contacts", async () => {
    const z = await venue("Quán Nhiều Hồ Sơ");
    const f0 = await person("Ca Bệnh Nhiều Hồ Sơ", { birthYear: 1977 });
    const twin = await person("Ca Bệnh Nhiều Hồ Sơ (cửa 2)", { phone: f0.phone!, birthYear: 1977 });
    const samePhoneOtherYear = await person("Người Dùng Chung Số", { phone: f0.phone!, birthYear: 2001 });
    const met = await person("Gặp Hồ Sơ Thứ Hai");
    const otherCase = await person("Một Ca Bệnh Khác");
    const twinVisit = await visit(twin.id, z, "2026-10-12 15:00", "2026-10-12 16:00");
    await visit(met.id, z, "2026-10-12 15:30", "2026-10-12 16:30");
    await visit(samePhoneOtherYear.id, z, "2026-10-12 15:00", "2026-10-12 16:00");
    await visit(otherCase.id, z, "2026-10-12 15:00", "2026-10-12 16:00");
    await registerCase(otherCase.id);
    const k = await registerCase(f0.id);
    const r = await trace(k.id, 1, 0);
    expect(r.visits.map((x: any) => x.checkinId)).toEqual([twinVisit]);
    expect(personIds(r)).toEqual(sorted([met.id, samePhoneOtherYear.id]));
    expect(personIds(r)).not.toContain(twin.id);
    expect(personIds(r)).not.toContain(otherCase.id);
  });

  it("F2: contacts of the F1s at other venues after their exposure, through the F1 (viaContactId); an F1 is never also an F2; re-running adds nothing", async () => {
    const v = await venue("Quán F1");
    const w = await venue("Quán F2");
    const x = await venue("Quán Trước Phơi Nhiễm");
    const f0 = await person("Ca Bệnh F2");
    const [a, d, b, c] = await Promise.all(["F1 Anh", "F1 Dũng", "F2 Bình", "Không Phải F2"].map((n) => person(n)));
    await visit(f0.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    await visit(a!.id, v, "2026-10-12 10:30", "2026-10-12 11:30");
    await visit(d!.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    // A, after the exposure, meets B at W; D (another F1) is there with A but not with B
    await visit(a!.id, w, "2026-10-13 09:00", "2026-10-13 10:00");
    await visit(b!.id, w, "2026-10-13 09:30", "2026-10-13 10:30");
    await visit(d!.id, w, "2026-10-13 09:00", "2026-10-13 09:20");
    // A, before the exposure, met C at X: not an F2
    await visit(a!.id, x, "2026-10-12 08:00", "2026-10-12 09:00");
    await visit(c!.id, x, "2026-10-12 08:00", "2026-10-12 09:00");

    const k = await registerCase(f0.id);
    const first = await trace(k.id, 1, 0);
    expect(personIds(first)).toEqual(sorted([a!.id, d!.id]));
    const aContact = contactOf(first, a!.id).id;

    const second = await trace(k.id, 2, 0);
    expect(second.degree).toBe(2);
    expect(personIds(second, 1)).toEqual(sorted([a!.id, d!.id]));
    expect(personIds(second, 2)).toEqual([b!.id]);
    expect(second.summary).toMatchObject({ f1: 2, f2: 1, byProvince: [{ provinceCode: "01", f1: 2, f2: 1 }], newContacts: 1 });
    const f2 = contactOf(second, b!.id);
    expect(f2).toMatchObject({ degree: 2, viaContactId: aContact, source: "venue", caseId: k.id });
    expect(exposuresOf(f2)).toEqual([{ venueId: w, overlapStart: iso("2026-10-13 09:30"), overlapEnd: iso("2026-10-13 10:00"), minutes: 30 }]);
    expect(f2.quarantineUntil).toBe("2026-10-20");
    expect(contactOf(second, d!.id)).toMatchObject({ degree: 1, viaContactId: null });

    const rows = async () => {
      const [n] = await t.deps.database.query<{ contacts: number; exposures: number; visits: number }>(sql`
        select (select count(*)::int from contacts where case_id = ${k.id}) as contacts,
               (select count(*)::int from exposures where case_id = ${k.id}) as exposures,
               (select count(*)::int from case_visits where case_id = ${k.id}) as visits`);
      return { contacts: Number(n!.contacts), exposures: Number(n!.exposures), visits: Number(n!.visits) };
    };
    const before = await rows();
    expect(before).toEqual({ contacts: 3, exposures: 3, visits: 1 });
    const again1 = await trace(k.id, 1, 0);
    const again2 = await trace(k.id, 2, 0);
    expect(again1.summary).toMatchObject({ f1: 2, f2: 1, newContacts: 0 });
    expect(again2.summary).toMatchObject({ f1: 2, f2: 1, newContacts: 0 });
    expect(again2.contacts).toHaveLength(3);
    expect(exposuresOf(contactOf(again2, b!.id))).toHaveLength(1);
    expect(await rows()).toEqual(before);
  });

  it("a later trace finding a new exposure moves the quarantine later and re-opens a released contact", async () => {
    const v = await venue("Quán Lần Một");
    const w = await venue("Quán Lần Hai");
    const f0 = await person("Ca Bệnh Tái Phơi Nhiễm");
    const a = await person("Gặp Hai Lần");
    await visit(f0.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    await visit(a.id, v, "2026-10-12 10:00", "2026-10-12 11:00");
    const k = await registerCase(f0.id);
    const first = contactOf(await trace(k.id, 1, 0), a.id);
    expect(first.quarantineUntil).toBe("2026-10-19");
    await t.deps.database.query(sql`update contacts set status = 'released' where id = ${first.id}`);

    await visit(f0.id, w, "2026-10-14 10:00", "2026-10-14 11:00");
    await visit(a.id, w, "2026-10-14 10:30", "2026-10-14 11:00");
    const r = await trace(k.id, 1, 0);
    expect(r.summary).toMatchObject({ f1: 1, newContacts: 0 });
    const again = contactOf(r, a.id);
    expect(again.id).toBe(first.id);
    expect(again.status).toBe("identified");
    expect(again.quarantineUntil).toBe("2026-10-21");
    expect(norm(again.firstExposureAt)).toBe(iso("2026-10-12 10:00"));
    expect(norm(again.lastExposureAt)).toBe(iso("2026-10-14 11:00"));
    expect(exposuresOf(again)).toEqual([
      { venueId: v, overlapStart: iso("2026-10-12 10:00"), overlapEnd: iso("2026-10-12 11:00"), minutes: 60 },
      { venueId: w, overlapStart: iso("2026-10-14 10:30"), overlapEnd: iso("2026-10-14 11:00"), minutes: 30 },
    ]);
  });
  it("the answer carries the first page of contacts with their evidence only; the rest page through the contacts list", async () => {
    const v = await venue("Siêu Thị Đông Người");
    const f0 = await person("Ca Bệnh Siêu Thị");
    await visit(f0.id, v, "2026-10-12 09:00", "2026-10-12 12:00");
    const crowd = 105;
    const rows = [];
    for (let i = 0; i < crowd; i++) {
      const [p] = await t.deps.db
        .insert(people)
        .values({ provinceCode: "01", communeCode: "00070", fullName: `Khách ${i}`, birthYear: 1990, phone: `08${String(i).padStart(8, "0")}` })
        .returning({ id: people.id });
      rows.push({ id: randomUUID(), provinceCode: "01", venueId: v, personId: p!.id, checkedInAt: vn("2026-10-12 10:00"), checkedOutAt: vn("2026-10-12 10:30"), method: "staff_typed" as const });
    }
    await t.deps.db.insert(checkins).values(rows);
    const k = await registerCase(f0.id);
    const r = await trace(k.id, 1, 0);
    expect(r.summary.f1).toBe(crowd);
    expect(r.moreContacts).toBe(true);
    expect(r.contacts).toHaveLength(TRACE_PAGE);
    for (const c of r.contacts) expect(exposuresOf(c)).toEqual([{ venueId: v, overlapStart: iso("2026-10-12 10:00"), overlapEnd: iso("2026-10-12 10:30"), minutes: 30 }]);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await t.request("GET", `/api/contacts?caseId=${k.id}&limit=40${cursor ? `&cursor=${cursor}` : ""}`, { token: officer });
      expect(res.status).toBe(200);
      const page = (await res.json()) as any;
      for (const c of page.items) seen.add(c.person.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(crowd);
  });
});
