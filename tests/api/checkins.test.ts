import { randomUUID } from "node:crypto";
import { generateKeyPair, CompactSign } from "jose";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropExpiredPartitions, ensurePartitions, listPartitions } from "../../server/checkins/partitions";
import { autoCheckout } from "../../server/checkins/service";
import { vnDay } from "../../server/checkins/colour";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const guest = (over: Record<string, unknown> = {}) => ({
  personId: randomUUID(),
  fullName: "Nguyễn Văn Khách",
  phone: "0912345678",
  birthYear: 1985,
  ...over,
});

describe.each(engines())("check-in on %s", (engine) => {
  let t: TestPlatform;
  let staff: string;
  let officer: string;
  let venueId: string;
  let token: string;
  let otherVenueId: string;

  const tokenOf = (url: string) => new URL(url).pathname.replace(/^\/c\//, "");
  const checkin = (body: Record<string, unknown>) => t.request("POST", "/api/checkins", { body });
  const rowsOf = async (id: string) =>
    t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from checkins where id = ${id}`).then((r) => Number(r[0]!.n));

  beforeAll(async () => {
    t = await createTestPlatform(engine);
    staff = await t.login("hn.venue");
    officer = await t.login("hn.commune");
    const list = (await (await t.request("GET", "/api/venues", { token: staff })).json()) as any;
    venueId = list.items[0].id;
    const rotated = (await (await t.request("POST", `/api/venues/${venueId}/rotate`, { token: staff })).json()) as any;
    token = tokenOf(rotated.url);
    const hcm = await t.login("hcm.province");
    otherVenueId = ((await (await t.request("GET", "/api/venues", { token: hcm })).json()) as any).items[0].id;
  });
  afterAll(() => t?.close());

  it("checks a guest in once, and a replay of the same id stores nothing more", async () => {
    const id = randomUUID();
    const g = guest();
    const first = await checkin({ token, id, guest: g });
    expect(first.status).toBe(201);
    const body = (await first.json()) as any;
    expect(body).toMatchObject({ id, venue: { id: venueId, name: "Chợ Đồng Xuân" }, replay: false, date: vnDay(new Date()) });
    expect(body.colour.hex).toMatch(/^#[0-9a-f]{6}$/);
    expect(body.personalQr.split(".")).toHaveLength(3);
    const again = await checkin({ token, id, guest: g });
    expect(again.status).toBe(200);
    const replay = (await again.json()) as any;
    expect(replay.replay).toBe(true);
    expect(replay.checkedInAt).toBe(body.checkedInAt);
    expect(await rowsOf(id)).toBe(1);
  });

  it("stores every one of many concurrent check-ins, and concurrent replays once", async () => {
    const ids = Array.from({ length: 60 }, () => randomUUID());
    const sends = ids.flatMap((id) => [id, id]).map((id) => checkin({ token, id, guest: guest() }));
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(60);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    const [row] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from checkins where id in ${sql.raw(`('${ids.join("','")}')`)}`);
    expect(Number(row!.n)).toBe(60);
  });

  it("records a queued check-in at the time of the tap", async () => {
    const id = randomUUID();
    const res = (await (await checkin({ token, id, ageMs: 15 * 60_000, guest: guest() })).json()) as any;
    const age = Date.now() - Date.parse(res.checkedInAt);
    expect(age).toBeGreaterThan(14 * 60_000);
    expect(age).toBeLessThan(16 * 60_000);
  });

  it("refuses a forged code, a code of another key, and a code naming an unknown venue", async () => {
    const forged = await checkin({ token: "eyJhbGciOiJFUzI1NiJ9.eyJ2IjoieCJ9.c2ln", id: randomUUID(), guest: guest() });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as any).error.code).toBe("invalid_code");
    const { privateKey } = await generateKeyPair("ES256");
    const kid = t.deps.keys.signing("venue").kid;
    const foreign = await new CompactSign(new TextEncoder().encode(JSON.stringify({ v: venueId, p: "01", q: 2 })))
      .setProtectedHeader({ alg: "ES256", kid })
      .sign(privateKey);
    const res = await checkin({ token: foreign, id: randomUUID(), guest: guest() });
    expect(res.status).toBe(400);
    const [h, , s] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ v: otherVenueId, p: "79", q: 1 })).toString("base64url")}.${s}`;
    expect((await checkin({ token: tampered, id: randomUUID(), guest: guest() })).status).toBe(400);
  });

  it("refuses an old poster after rotation with a clear message", async () => {
    const before = token;
    const rotated = (await (await t.request("POST", `/api/venues/${venueId}/rotate`, { token: staff })).json()) as any;
    token = tokenOf(rotated.url);
    const res = await checkin({ token: before, id: randomUUID(), guest: guest() });
    expect(res.status).toBe(410);
    const err = ((await res.json()) as any).error;
    expect(err.code).toBe("old_poster");
    expect(err.message).toMatch(/replaced/);
    expect((await checkin({ token, id: randomUUID(), guest: guest() })).status).toBe(201);
  });

  it("refuses an on-screen code once it has expired", async () => {
    const code = (await (await t.request("GET", `/api/venues/${venueId}/code`, { token: staff })).json()) as any;
    expect(Date.parse(code.expiresAt) - Date.now()).toBeLessThanOrEqual(120_000);
    expect((await checkin({ token: code.token, id: randomUUID(), guest: guest() })).status).toBe(201);
    const realNow = t.deps.now;
    t.deps.now = () => new Date(Date.now() + 5 * 60_000);
    try {
      const late = await checkin({ token: code.token, id: randomUUID(), guest: guest() });
      expect(late.status).toBe(410);
      expect(((await late.json()) as any).error.code).toBe("expired_code");
      // …but a check-in queued offline at a time the code was valid is accepted
      const queued = await checkin({ token: code.token, id: randomUUID(), ageMs: 5 * 60_000 - 10_000, guest: guest() });
      expect(queued.status).toBe(201);
    } finally {
      t.deps.now = realNow;
    }
  });

  it("refuses check-in at a suspended venue until it reopens", async () => {
    const suspend = await t.request("POST", `/api/venues/${venueId}/status`, { token: officer, body: { action: "suspend", reason: "Ổ dịch" } });
    expect(suspend.status).toBe(200);
    const res = await checkin({ token, id: randomUUID(), guest: guest() });
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.code).toBe("venue_suspended");
    expect((await t.request("POST", `/api/venues/${venueId}/status`, { token: officer, body: { action: "reopen" } })).status).toBe(200);
    expect((await checkin({ token, id: randomUUID(), guest: guest() })).status).toBe(201);
  });

  it("answers malformed and oversized bodies with 400 and 413 and stores nothing", async () => {
    const id = randomUUID();
    const bad = await checkin({ token, id, guest: { personId: "x", fullName: "", phone: "12", birthYear: 1800 } });
    expect(bad.status).toBe(400);
    const paths = (((await bad.json()) as any).error.details as any[]).map((d) => d.path).sort();
    expect(paths).toEqual(["guest.birthYear", "guest.fullName", "guest.personId", "guest.phone"]);
    expect(await rowsOf(id)).toBe(0);
    const big = await checkin({ token, id, guest: guest({ fullName: "x".repeat(2_000_000) }) });
    expect(big.status).toBe(413);
    const notJson = await t.request("POST", "/api/checkins", { body: "token=1", headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    expect(((await notJson.json()) as any).error.code).toBe("unsupported_media_type");
    const unknownCommune = await checkin({ token, id, guest: guest({ communeCode: "99999" }) });
    expect(unknownCommune.status).toBe(400);
    expect(await rowsOf(id)).toBe(0);
  });

  it("serves the check-in page with the venue written in, and the reason when a code fails", async () => {
    const page = await t.request("GET", `/c/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const data = JSON.parse(/<script type="application\/json" id="venue-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data).toMatchObject({ ok: true, token, venue: { name: "Chợ Đồng Xuân" }, today: { date: vnDay(new Date()) } });
    expect(html).not.toContain("portal");
    const bad = await t.request("GET", "/c/abc.def.ghi");
    expect(bad.status).toBe(410);
    expect(await bad.text()).toContain('"code":"invalid_code"');
    // a venue name cannot break out of the data block
    const admin = await t.login("admin");
    const v = (await (
      await t.request("POST", "/api/venues", {
        token: admin,
        body: { name: "</script><script>alert(1)</script>", category: "shop", address: "1 Hàng Bạc", provinceCode: "01", communeCode: "00070" },
      })
    ).json()) as any;
    const url = ((await (await t.request("POST", `/api/venues/${v.id}/rotate`, { token: admin })).json()) as any).url;
    const evil = await (await t.request("GET", new URL(url).pathname)).text();
    expect(evil).not.toContain("</script><script>alert(1)");
    expect(evil).toContain("\\u003c/script>");
  });

  it("checks out only the person who checked in", async () => {
    const id = randomUUID();
    const g = guest();
    await checkin({ token, id, guest: g });
    const stranger = await t.request("POST", `/api/checkins/${id}/checkout`, { body: { personId: randomUUID() } });
    expect(stranger.status).toBe(404);
    const mine = await t.request("POST", `/api/checkins/${id}/checkout`, { body: { personId: g.personId } });
    expect(mine.status).toBe(200);
    const out = ((await mine.json()) as any).checkedOutAt;
    const again = (await (await t.request("POST", `/api/checkins/${id}/checkout`, { body: { personId: g.personId } })).json()) as any;
    expect(again.checkedOutAt).toBe(out);
  });

  it("lets staff type in a visitor or scan a personal QR, and refuses a forged personal QR", async () => {
    const typed = await t.request("POST", `/api/venues/${venueId}/checkins`, {
      token: staff,
      body: { id: randomUUID(), person: { fullName: "Lê Thị Không Điện Thoại", phone: "0987 654 321", birthYear: 1940 } },
    });
    expect(typed.status).toBe(201);
    const { personalQr } = (await (await checkin({ token, id: randomUUID(), guest: guest({ fullName: "Phạm Quét Mã" }) })).json()) as any;
    const scanned = await t.request("POST", `/api/venues/${venueId}/checkins`, { token: staff, body: { id: randomUUID(), personalQr } });
    expect(scanned.status).toBe(201);
    const [h, p] = personalQr.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    expect(claims).toMatchObject({ ini: "PQM", by: 1985 });
    expect(JSON.stringify(claims)).not.toMatch(/Phạm|0912345678/);
    const forged = await t.request("POST", `/api/venues/${venueId}/checkins`, { token: staff, body: { id: randomUUID(), personalQr: `${h}.${p}.AAAA` } });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as any).error.code).toBe("invalid_personal_qr");
    const visitors = (await (await t.request("GET", `/api/venues/${venueId}/visitors?limit=500`, { token: staff })).json()) as any;
    const names = visitors.items.map((v: any) => v.fullName);
    expect(names).toEqual(expect.arrayContaining(["Lê Thị Không Điện Thoại", "Phạm Quét Mã"]));
    expect(visitors.items.find((v: any) => v.fullName === "Lê Thị Không Điện Thoại").phone).toBe("0987654321");
    expect(visitors.insideNow).toBeGreaterThan(0);
    expect(visitors.todayCheckins).toBeGreaterThanOrEqual(visitors.insideNow);
    expect(visitors.colour.hex).toMatch(/^#/);
    // the list read is audited
    const audit = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'venue.visitors'`);
    expect(Number(audit[0]!.n)).toBeGreaterThan(0);
  });

  it("keeps venue staff to their own venues (404 for another venue)", async () => {
    for (const path of [`/api/venues/${otherVenueId}`, `/api/venues/${otherVenueId}/visitors`, `/api/venues/${otherVenueId}/code`]) {
      expect((await t.request("GET", path, { token: staff })).status).toBe(404);
    }
    expect((await t.request("POST", `/api/venues/${otherVenueId}/rotate`, { token: staff })).status).toBe(404);
    expect(
      (await t.request("POST", `/api/venues/${otherVenueId}/checkins`, { token: staff, body: { id: randomUUID(), person: { fullName: "A B", phone: "0912345678", birthYear: 1990 } } })).status,
    ).toBe(404);
    const admin = await t.login("admin");
    const hcmOnly = (await (await t.request("GET", "/api/venues?provinceCode=79&limit=100", { token: admin })).json()) as any;
    expect(hcmOnly.items.length).toBeGreaterThan(0);
    expect(hcmOnly.items.every((v: any) => v.provinceCode === "79")).toBe(true);
    const mine = (await (await t.request("GET", "/api/venues", { token: staff })).json()) as any;
    expect(mine.items.map((v: any) => v.id)).toEqual([venueId]);
  });

  it("closes visits without check-out after the dwell time, or at closing time", async () => {
    const id = randomUUID();
    await checkin({ token, id, ageMs: 3 * 3600_000, guest: guest() });
    const closed = await autoCheckout(t.deps);
    expect(closed).toBeGreaterThan(0);
    const [row] = await t.deps.database.query<{ checked_in_at: string; checked_out_at: string; auto_checkout: boolean }>(
      sql`select checked_in_at, checked_out_at, auto_checkout from checkins where id = ${id}`,
    );
    expect(row!.auto_checkout).toBe(true);
    const stay = Date.parse(String(row!.checked_out_at)) - Date.parse(String(row!.checked_in_at));
    expect(stay).toBeGreaterThan(0);
    expect(stay).toBeLessThanOrEqual(60 * 60_000);
  });

  it("drops day partitions older than the retention period", async () => {
    const old = vnDay(new Date(Date.now() - 40 * 86400_000));
    await ensurePartitions(t.deps.database, old, old);
    expect(await listPartitions(t.deps.database)).toContain(`checkins_p${old.replaceAll("-", "")}`);
    const at = new Date(Date.parse(`${old}T05:00:00Z`)).toISOString();
    await t.deps.database.query(
      sql`insert into checkins (id, province_code, venue_id, person_id, checked_in_at, method) values (${randomUUID()}, '01', ${venueId}, ${randomUUID()}, ${at}, 'guest_scan')`,
    );
    const dropped = await dropExpiredPartitions(t.deps.database, new Date(), 30);
    expect(dropped).toContain(`checkins_p${old.replaceAll("-", "")}`);
    const [left] = await t.deps.database.query<{ n: number }>(sql`select count(*)::int as n from checkins where checked_in_at = ${at}`);
    expect(Number(left!.n)).toBe(0);
    expect(await listPartitions(t.deps.database)).toContain(`checkins_p${vnDay(new Date()).replaceAll("-", "")}`);
  });
});
