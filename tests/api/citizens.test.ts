/**
 * Citizen accounts and the personal health QR (docs/CITIZENS.md), on both engines: sign-up by
 * one-time code, profile, family; the code's rules (expiry, attempts, single use, replacement,
 * sends per phone and per address); no password sign-in for citizens; a citizen reads only their
 * own and their family's data; the health QR (payload, signature, expiry, status rule), checked
 * by venue staff and used for a staff check-in; the signed-in one-tap check-in; exposure notices.
 */
import { randomInt, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { CompactSign, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, checkins, contacts, declarations, otpCodes, people, users } from "../../db/schema";
import { hashPassword } from "../../server/auth/passwords";
import { vnDay } from "../../server/checkins/colour";
import { signHealthToken } from "../../server/citizens/health-qr";
import { pruneOtpCodes } from "../../server/citizens/otp";
import { createHttpSmsSender } from "../../server/citizens/sms";
import { AppError } from "../../server/http/errors";
import { createTestPlatform, engines, type TestPlatform } from "../support/platform";

const DAY = 86400_000;
const newPhone = () => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
const newIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const decode = (token: string) => {
  const [h, p] = token.split(".");
  return { header: JSON.parse(Buffer.from(h!, "base64url").toString()), payload: JSON.parse(Buffer.from(p!, "base64url").toString()) };
};

describe.each(engines())("citizens on %s", (engine) => {
  let t: TestPlatform;
  let staff: string;
  let officer: string;
  let venueId: string;
  let venueToken: string;

  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return res.status === 204 ? null : json(res);
  };
  const fails = async (res: Response, status: number, code: string) => {
    expect(res.status, await res.clone().text()).toBe(status);
    expect((await json(res)).error.code).toBe(code);
  };
  const sendOtp = (phone: string, ip = newIp()) => t.request("POST", "/api/citizen/otp", { body: { phone }, headers: { "x-forwarded-for": ip } });
  const verify = (phone: string, code: string, ip = newIp()) =>
    t.request("POST", "/api/citizen/verify", { body: { phone, code }, headers: { "x-forwarded-for": ip } });
  const lastCode = (phone: string) => {
    const code = t.deps.sms.lastCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    return code!;
  };
  /** Signs a phone in by one-time code; returns the session. */
  async function signIn(phone = newPhone()) {
    await ok(await sendOtp(phone), 202);
    const session = await ok(await verify(phone, lastCode(phone)));
    return { ...session, phone, token: session.accessToken as string };
  }
  /** A signed-in citizen with a profile in Hoàn Kiếm (01/00070). */
  async function citizen(fullName = "Nguyễn Thị Hoa", birthDate = "1990-05-06") {
    const s = await signIn();
    const profile = await ok(await t.request("PUT", "/api/me/profile", { token: s.token, body: { fullName, birthDate, sex: "female", communeCode: "00070" } }));
    return { ...s, personId: profile.personId as string };
  }
  const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  const healthQr = async (token: string, personId?: string) =>
    ok(await t.request("GET", `/api/me/health-qr${personId ? `?personId=${personId}` : ""}`, { token }));
  const checkQr = (token: string, by = staff) => t.request("POST", "/api/health-qr/verify", { token: by, body: { token } });
  const auditCount = async (action: string, subjectId?: string) =>
    Number(
      (
        await t.deps.database.query<{ n: number }>(
          subjectId
            ? sql`select count(*)::int as n from audit_log where action = ${action} and subject_id = ${subjectId}`
            : sql`select count(*)::int as n from audit_log where action = ${action}`,
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    t = await createTestPlatform(engine, { TRUST_PROXY: "true", OTP_PER_IP: "5" });
    staff = await t.login("hn.venue");
    officer = await t.login("hn.commune");
    venueId = ((await (await t.request("GET", "/api/venues", { token: staff })).json()) as any).items[0].id;
    const rotated = (await (await t.request("POST", `/api/venues/${venueId}/rotate`, { token: staff })).json()) as any;
    venueToken = new URL(rotated.url).pathname.replace(/^\/c\//, "");
  });
  afterAll(() => t?.close());

  describe("sign-in by one-time code", () => {
    it("signs up, sets the profile and the family; refresh works; only an HMAC of the code is kept", async () => {
      const phone = newPhone();
      const sent = await ok(await sendOtp(`+84 ${phone.slice(1, 4)} ${phone.slice(4)}`), 202);
      expect(sent).toEqual({ sent: true, expiresIn: 300 });
      const code = lastCode(phone);
      const [row] = await t.deps.db.select().from(otpCodes).where(eq(otpCodes.phone, phone));
      expect(row!.codeHash).not.toContain(code);
      expect(row!.codeHash.length).toBeGreaterThan(20);

      const first = await ok(await verify(phone, code));
      expect(first.created).toBe(true);
      expect(first.user).toMatchObject({ username: phone, role: "citizen", displayName: phone });
      expect(first.accessToken.split(".")).toHaveLength(3);
      expect(first.expiresIn).toBe(900);
      const [account] = await t.deps.db.select().from(users).where(eq(users.username, phone));
      expect(account!.personId).toBeTruthy();
      expect(account!.passwordHash.startsWith("scrypt$")).toBe(false);
      expect(await auditCount("citizen.login", account!.id)).toBe(1);

      // a second sign-in finds the same account
      const again = await signIn(phone);
      expect(again.created).toBe(false);
      expect(again.user.id).toBe(first.user.id);

      // the officers' refresh and /api/me work for citizens
      const refreshed = await ok(await t.request("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } }));
      expect(refreshed.user.role).toBe("citizen");
      expect((await ok(await t.request("GET", "/api/me", { token: refreshed.accessToken }))).username).toBe(phone);

      const empty = await ok(await t.request("GET", "/api/me/profile", { token: first.accessToken }));
      expect(empty).toMatchObject({ phone, fullName: null, provinceCode: null, communeCode: null, idNumberSet: false, personId: account!.personId });

      const idNumber = "001190012345";
      const profile = await ok(
        await t.request("PUT", "/api/me/profile", {
          token: first.accessToken,
          body: { fullName: "Nguyễn Thị Hoa", birthDate: "1990-05-06", sex: "female", communeCode: "00070", idNumber },
        }),
      );
      expect(profile).toMatchObject({ fullName: "Nguyễn Thị Hoa", birthDate: "1990-05-06", birthYear: 1990, sex: "female", provinceCode: "01", communeCode: "00070", idNumberSet: true });
      expect(JSON.stringify(profile)).not.toContain(idNumber);
      const [person] = await t.deps.db.select().from(people).where(eq(people.id, account!.personId!));
      expect(person).toMatchObject({ provinceCode: "01", communeCode: "00070", fullName: "Nguyễn Thị Hoa", phone });
      expect(person!.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
      expect(person!.idNumberHash).not.toContain(idNumber);
      const [renamed] = await t.deps.db.select().from(users).where(eq(users.id, account!.id));
      expect(renamed!.displayName).toBe("Nguyễn Thị Hoa");
      // absent fields are kept; the read never shows the number
      const kept = await ok(await t.request("PUT", "/api/me/profile", { token: first.accessToken, body: { fullName: "Nguyễn Thị Hoa B" } }));
      expect(kept).toMatchObject({ fullName: "Nguyễn Thị Hoa B", communeCode: "00070", idNumberSet: true, birthYear: 1990 });
      expect(JSON.stringify(await ok(await t.request("GET", "/api/me/profile", { token: first.accessToken })))).not.toContain(idNumber);

      // validation: ID number, commune, date
      const bad = await t.request("PUT", "/api/me/profile", { token: first.accessToken, body: { fullName: "X Y", idNumber: "12345", communeCode: "99999", birthDate: "1990-02-30" } });
      expect(bad.status).toBe(400);
      const paths = ((await json(bad)).error.details ?? []).map((d: any) => d.path);
      expect(paths).toEqual(expect.arrayContaining(["idNumber", "birthDate"]));
      await fails(await t.request("PUT", "/api/me/profile", { token: first.accessToken, body: { fullName: "X Y", communeCode: "99999" } }), 400, "validation_failed");
      expect(await ok(await t.request("PUT", "/api/me/profile", { token: first.accessToken, body: { fullName: "Nguyễn Thị Hoa", idNumber: "123456789" } }))).toMatchObject({ idNumberSet: true });

      // family
      const child = await ok(
        await t.request("POST", "/api/me/family", { token: first.accessToken, body: { relation: "child", fullName: "Nguyễn Bé Na", birthYear: 2018, sex: "female" } }),
        201,
      );
      expect(child).toMatchObject({ relation: "child", fullName: "Nguyễn Bé Na", birthYear: 2018, provinceCode: "01", communeCode: "00070" });
      const grandpa = await ok(
        await t.request("POST", "/api/me/family", { token: first.accessToken, body: { relation: "grandparent", fullName: "Trần Văn Ông", birthYear: 1940, communeCode: "26734" } }),
        201,
      );
      expect(grandpa.provinceCode).toBe("79");
      const family = await ok(await t.request("GET", "/api/me/family", { token: first.accessToken }));
      expect(family.items.map((m: any) => m.personId)).toEqual([child.personId, grandpa.personId]);
      await fails(await t.request("POST", "/api/me/family", { token: first.accessToken, body: { relation: "cousin", fullName: "A", birthYear: 3000 } }), 400, "validation_failed");
      await ok(await t.request("DELETE", `/api/me/family/${grandpa.personId}`, { token: first.accessToken }), 204);
      expect((await ok(await t.request("GET", "/api/me/family", { token: first.accessToken }))).items).toHaveLength(1);
      await fails(await t.request("DELETE", `/api/me/family/${grandpa.personId}`, { token: first.accessToken }), 404, "not_found");

      // every read and change is audited
      for (const action of ["me.profile.read", "me.profile.update", "me.family.read", "me.family.add", "me.family.remove"])
        expect(await auditCount(action), action).toBeGreaterThan(0);
    });

    it("refuses an expired code (410)", async () => {
      const phone = newPhone();
      await ok(await sendOtp(phone), 202);
      await t.deps.db.update(otpCodes).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(otpCodes.phone, phone));
      await fails(await verify(phone, lastCode(phone)), 410, "otp_expired");
      expect(await t.deps.db.select().from(users).where(eq(users.username, phone))).toEqual([]);
    });

    it("kills a code after 5 wrong tries: then the right code is refused too", async () => {
      const phone = newPhone();
      await ok(await sendOtp(phone), 202);
      const code = lastCode(phone);
      for (let i = 1; i <= 4; i++) await fails(await verify(phone, wrongCodeFor(code)), 400, "otp_invalid");
      await fails(await verify(phone, wrongCodeFor(code)), 429, "otp_exhausted");
      await fails(await verify(phone, code), 429, "otp_exhausted");
      const [row] = await t.deps.db.select().from(otpCodes).where(eq(otpCodes.phone, phone));
      expect(row!.attempts).toBe(5);
      expect(row!.consumedAt).toBeNull();
      expect(await t.deps.db.select().from(users).where(eq(users.username, phone))).toEqual([]);
      // a new code works
      await ok(await sendOtp(phone), 202);
      expect((await ok(await verify(phone, lastCode(phone)))).created).toBe(true);
    });

    it("concurrent guesses cannot exceed the attempt limit", async () => {
      const phone = newPhone();
      await ok(await sendOtp(phone), 202);
      const code = lastCode(phone);
      const guesses = await Promise.all(Array.from({ length: 12 }, () => verify(phone, wrongCodeFor(code))));
      expect(guesses.every((r) => r.status === 400 || r.status === 429)).toBe(true);
      const [row] = await t.deps.db.select().from(otpCodes).where(eq(otpCodes.phone, phone));
      expect(row!.attempts).toBe(5);
      await fails(await verify(phone, code), 429, "otp_exhausted");
    });

    it("a code works once; a new code replaces the old", async () => {
      const s = await signIn();
      await fails(await verify(s.phone, lastCode(s.phone)), 400, "otp_invalid");

      const phone = newPhone();
      await ok(await sendOtp(phone), 202);
      const old = lastCode(phone);
      await ok(await sendOtp(phone), 202);
      const fresh = lastCode(phone);
      if (old !== fresh) await fails(await verify(phone, old), 400, "otp_invalid");
      await ok(await verify(phone, fresh));
    });

    it("limits sends per phone (the 4th in the window is 429 with Retry-After), the same for known and unknown phones", async () => {
      const known = (await signIn()).phone; // one send already
      const unknown = newPhone();
      await ok(await sendOtp(unknown), 202);
      for (const phone of [known, unknown]) {
        await ok(await sendOtp(phone), 202);
        await ok(await sendOtp(phone), 202);
        const limited = await sendOtp(phone);
        await fails(limited.clone(), 429, "rate_limited");
        const retry = Number(limited.headers.get("retry-after"));
        expect(retry).toBeGreaterThan(0);
        expect(retry).toBeLessThanOrEqual(900);
      }
      // the limit is durable (counted in otp_codes): rows older than the window no longer count
      await t.deps.db.update(otpCodes).set({ createdAt: new Date(Date.now() - 901_000) }).where(eq(otpCodes.phone, unknown));
      await ok(await sendOtp(unknown), 202);
    });

    it("limits sends per address (OTP_PER_IP)", async () => {
      const ip = newIp();
      for (let i = 0; i < 5; i++) await ok(await sendOtp(newPhone(), ip), 202);
      const limited = await sendOtp(newPhone(), ip);
      await fails(limited.clone(), 429, "rate_limited");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      await ok(await sendOtp(newPhone()), 202); // another address is not affected
    });

    it("the http sender posts {to, text} with the bearer token; a failing gateway is 503 sms_unavailable and costs no send", async () => {
      const calls: { url: string; init: RequestInit }[] = [];
      let status = 200;
      const fake = (async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        if (status === 0) throw new TypeError("fetch failed");
        return new Response("{}", { status });
      }) as unknown as typeof fetch;
      const sender = createHttpSmsSender({ url: "https://sms.example/send", token: "s3cret", fetch: fake }, t.deps.log);
      await sender.send("0912345678", "PHC: ma 123456");
      expect(calls[0]!.url).toBe("https://sms.example/send");
      expect(calls[0]!.init.method).toBe("POST");
      expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe("Bearer s3cret");
      expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ to: "0912345678", text: "PHC: ma 123456" });
      expect(sender.lastCode("0912345678")).toBeUndefined();
      for (status of [500, 0]) {
        const e = await sender.send("0912345678", "x").catch((err: unknown) => err);
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe("sms_unavailable");
      }
      // through the route: 503, and the undelivered code is not kept (nor counted)
      const logSender = t.deps.sms;
      t.deps.sms = sender;
      const phone = newPhone();
      try {
        status = 502;
        await fails(await sendOtp(phone), 503, "sms_unavailable");
      } finally {
        t.deps.sms = logSender;
      }
      expect(await t.deps.db.select().from(otpCodes).where(eq(otpCodes.phone, phone))).toEqual([]);
    });

    it("prunes codes past their lifetime and the rate-limit window", async () => {
      const phone = newPhone();
      await ok(await sendOtp(phone), 202);
      await ok(await sendOtp(phone), 202);
      await t.deps.db.update(otpCodes).set({ createdAt: new Date(Date.now() - 2 * DAY) }).where(eq(otpCodes.phone, phone));
      await ok(await sendOtp(phone), 202);
      expect(await pruneOtpCodes(t.deps)).toBeGreaterThanOrEqual(2);
      expect(await t.deps.db.select().from(otpCodes).where(eq(otpCodes.phone, phone))).toHaveLength(1);
    });

    it("validates the phone and the code", async () => {
      await fails(await sendOtp("12345"), 400, "validation_failed");
      await fails(await verify(newPhone(), "12ab56"), 400, "validation_failed");
      // no code ever sent: the same answer as a wrong code
      await fails(await verify(newPhone(), "123456"), 400, "otp_invalid");
    });

    it("never signs a citizen in with a password", async () => {
      const s = await signIn();
      const login = (password: string) => t.request("POST", "/api/auth/login", { body: { username: s.phone, password } });
      await fails(await login("!otp-only"), 401, "invalid_credentials");
      await fails(await login(""), 400, "validation_failed");
      // even with a real password hash on the row
      await t.deps.db.update(users).set({ passwordHash: await hashPassword("Passw0rd!") }).where(eq(users.username, s.phone));
      await fails(await login("Passw0rd!"), 401, "invalid_credentials");
      const [row] = await t.deps.database.query<{ n: number }>(
        sql`select count(*)::int as n from audit_log where action = 'auth.login_failed' and details->>'reason' = 'citizen_password' and details->>'username' = ${s.phone}`,
      );
      expect(Number(row!.n)).toBe(2);
    });
  });

  describe("own data only", () => {
    it("a citizen reads and changes only their own and their family's data", async () => {
      const a = await citizen("Phạm Văn Chủ Hộ");
      const b = await citizen("Hoàng Thị Hàng Xóm");
      const child = await ok(await t.request("POST", "/api/me/family", { token: a.token, body: { relation: "child", fullName: "Phạm Bé Con", birthYear: 2016 } }), 201);
      // B cannot reach A's family member
      await fails(await t.request("GET", `/api/me/health-qr?personId=${child.personId}`, { token: b.token }), 404, "not_found");
      await fails(await t.request("GET", `/api/me/health-qr?personId=${a.personId}`, { token: b.token }), 404, "not_found");
      await fails(await t.request("DELETE", `/api/me/family/${child.personId}`, { token: b.token }), 404, "not_found");
      expect((await ok(await t.request("GET", "/api/me/family", { token: b.token }))).items).toEqual([]);
      expect((await ok(await t.request("GET", "/api/me/profile", { token: b.token }))).personId).toBe(b.personId);
      // A still has the child, and A's QR for the child works
      expect((await ok(await t.request("GET", "/api/me/family", { token: a.token }))).items.map((m: any) => m.personId)).toEqual([child.personId]);
      expect(decode((await healthQr(a.token, child.personId)).token).payload.pid).toBe(child.personId);
      await fails(await t.request("GET", `/api/me/health-qr?personId=${randomUUID()}`, { token: a.token }), 404, "not_found");
      // /api/me/* is for citizens; officers and anonymous callers are refused
      for (const path of ["/api/me/profile", "/api/me/family", "/api/me/exposures", "/api/me/health-qr"]) {
        expect((await t.request("GET", path, { token: officer })).status, path).toBe(403);
        expect((await t.request("GET", path)).status, path).toBe(401);
      }
    });

    it("exposure notices list the account's and the family's contacts, never the case", async () => {
      const a = await citizen("Lê Văn Tiếp Xúc");
      const b = await citizen("Người Khác");
      const child = await ok(await t.request("POST", "/api/me/family", { token: a.token, body: { relation: "child", fullName: "Lê Bé Tiếp Xúc", birthYear: 2015 } }), 201);
      const [f0] = await t.deps.db.insert(people).values({ provinceCode: "01", communeCode: "00070", fullName: "Ca Bệnh Bí Mật", birthYear: 1970, phone: newPhone() }).returning();
      const [kase] = await t.deps.db.insert(cases).values({ provinceCode: "01", communeCode: "00070", personId: f0!.id, confirmedOn: vnDay(new Date()), method: "pcr" }).returning();
      const at = new Date(Date.now() - DAY);
      const until = vnDay(new Date(Date.now() + 5 * DAY));
      const contact = (personId: string, degree: number) => ({
        provinceCode: "01",
        communeCode: "00070",
        caseId: kase!.id,
        caseProvinceCode: "01",
        personId,
        degree,
        source: "venue" as const,
        venueId,
        firstExposureAt: at,
        lastExposureAt: new Date(at.getTime() + 3600_000),
        quarantineUntil: until,
      });
      await t.deps.db.insert(contacts).values([contact(a.personId, 1), contact(child.personId, 2)]);
      const notices = await ok(await t.request("GET", "/api/me/exposures", { token: a.token }));
      expect(notices.items).toHaveLength(2);
      expect(notices.items.map((n: any) => n.personId).sort()).toEqual([a.personId, child.personId].sort());
      expect(notices.items[0]).toMatchObject({ venue: { name: "Chợ Đồng Xuân" }, quarantineUntil: until, status: "identified" });
      const text = JSON.stringify(notices);
      expect(text).not.toContain("Ca Bệnh Bí Mật");
      expect(text).not.toContain(kase!.id);
      expect(text).not.toContain(f0!.id);
      expect((await ok(await t.request("GET", "/api/me/exposures", { token: b.token }))).items).toEqual([]);
      expect(await auditCount("me.exposures.read")).toBeGreaterThanOrEqual(2);
      // the open F1 makes A red, the open F2 makes the child yellow
      expect(await healthQr(a.token)).toMatchObject({ status: "red", reasons: expect.arrayContaining(["open_f1"]) });
      expect(await healthQr(a.token, child.personId)).toMatchObject({ status: "yellow", reasons: expect.arrayContaining(["open_f2"]) });
    });
  });

  describe("personal health QR", () => {
    it("carries only {pid, ini, by, st, iat, exp}, signed with the person key, and venue staff can check it", async () => {
      const idNumber = "079190054321";
      const c = await citizen("Trần Minh Khang", "1988-03-04");
      await ok(await t.request("PUT", "/api/me/profile", { token: c.token, body: { fullName: "Trần Minh Khang", idNumber } }));
      const qr = await healthQr(c.token);
      expect(qr).toMatchObject({ status: "yellow", colour: expect.stringMatching(/^#[0-9a-f]{6}$/), reasons: ["no_recent_declaration"] });
      const { header, payload } = decode(qr.token);
      expect(header).toEqual({ alg: "ES256", kid: t.deps.keys.signing("person").kid, typ: "phc-health+jwt" });
      expect(Object.keys(payload)).toEqual(["pid", "ini", "by", "st", "iat", "exp"]);
      expect(payload).toMatchObject({ pid: c.personId, ini: "TMK", by: 1988, st: "yellow" });
      expect(payload.exp - payload.iat).toBe(600);
      expect(new Date(qr.expiresAt).getTime()).toBe(payload.exp * 1000);
      const raw = Buffer.from(qr.token.split(".")[1]!, "base64url").toString();
      for (const secret of ["Trần", "Khang", c.phone, idNumber]) expect(raw).not.toContain(secret);
      // the key is published
      const jwks = (await (await t.request("GET", "/.well-known/jwks.json")).json()) as any;
      expect(jwks.keys.map((k: any) => k.kid)).toContain(header.kid);

      const checked = await ok(await checkQr(qr.token));
      expect(checked).toEqual({ initials: "TMK", birthYear: 1988, status: "yellow", colour: qr.colour, expiresAt: qr.expiresAt });
      await ok(await checkQr(qr.token, officer));
      expect(await auditCount("health_qr.verify", c.personId)).toBe(2);
      expect(await auditCount("me.health_qr", c.personId)).toBe(1);
      // citizens may not use the checker
      await fails(await checkQr(qr.token, c.token), 403, "forbidden");
      await fails(await t.request("POST", "/api/health-qr/verify", { body: { token: qr.token } }), 401, "unauthorized");
    });

    it("refuses forged, tampered, foreign-key, expired and non-health codes", async () => {
      const c = await citizen("Đỗ Thị Giả");
      const qr = await healthQr(c.token);
      const [h, p, s] = qr.token.split(".");
      // another key with our kid
      const { privateKey } = await generateKeyPair("ES256");
      const forgedPayload = { ...decode(qr.token).payload, st: "green" };
      const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(forgedPayload)))
        .setProtectedHeader({ alg: "ES256", kid: t.deps.keys.signing("person").kid, typ: "phc-health+jwt" })
        .sign(privateKey);
      await fails(await checkQr(forged), 400, "invalid_personal_qr");
      // payload changed under our signature
      const tampered = `${h}.${Buffer.from(JSON.stringify(forgedPayload)).toString("base64url")}.${s}`;
      await fails(await checkQr(tampered), 400, "invalid_personal_qr");
      // signed with our venue key
      const venueKey = t.deps.keys.signing("venue");
      const otherPurpose = await new CompactSign(Buffer.from(p!, "base64url"))
        .setProtectedHeader({ alg: "ES256", kid: venueKey.kid, typ: "phc-health+jwt" })
        .sign(venueKey.privateKey);
      await fails(await checkQr(otherPurpose), 400, "invalid_personal_qr");
      // expired (signed with the real person key)
      const past = Math.floor(Date.now() / 1000) - 700;
      const expired = await signHealthToken(t.deps.keys, { pid: c.personId, ini: "ĐTG", by: 1990, st: "green", iat: past, exp: past + 600 });
      await fails(await checkQr(expired), 410, "expired_code");
      // the check-in page's personal QR (same key, no health typ) is not a health QR
      const checkin = await ok(
        await t.request("POST", "/api/checkins", {
          body: { token: venueToken, id: randomUUID(), guest: { personId: randomUUID(), fullName: "Khách Vãng Lai", phone: newPhone(), birthYear: 1980 } },
        }),
        201,
      );
      await fails(await checkQr(checkin.personalQr), 400, "invalid_personal_qr");
      await fails(await checkQr("not-a-token-at-all"), 400, "invalid_personal_qr");
      // and an expired health QR does not check anyone in
      await fails(await t.request("POST", `/api/venues/${venueId}/checkins`, { token: staff, body: { id: randomUUID(), personalQr: expired } }), 410, "expired_code");
      await fails(await t.request("POST", `/api/venues/${venueId}/checkins`, { token: staff, body: { id: randomUUID(), personalQr: forged } }), 400, "invalid_personal_qr");
    });

    it("follows the status rule: no declaration → yellow, a clean one → green, follow_up → yellow, active case → red", async () => {
      const c = await citizen("Vũ Văn Trạng Thái", "1975-01-01");
      const declare = (risk: "none" | "watch" | "follow_up", daysAgo = 0) =>
        t.deps.db.insert(declarations).values({
          provinceCode: "01",
          communeCode: "00070",
          personId: c.personId,
          kind: "domestic",
          fullName: "Vũ Văn Trạng Thái",
          birthYear: 1975,
          risk,
          day: vnDay(new Date(Date.now() - daysAgo * DAY)),
          createdAt: new Date(Date.now() - daysAgo * DAY),
        });
      expect(await healthQr(c.token)).toMatchObject({ status: "yellow", reasons: ["no_recent_declaration"] });
      await declare("follow_up", 20); // too old to count
      await declare("none", 1);
      const green = await healthQr(c.token);
      expect(green).toMatchObject({ status: "green", reasons: [] });
      expect(decode(green.token).payload.st).toBe("green");
      await declare("follow_up", 2);
      expect(await healthQr(c.token)).toMatchObject({ status: "yellow", reasons: ["declaration_follow_up"] });
      const [kase] = await t.deps.db
        .insert(cases)
        .values({ provinceCode: "01", communeCode: "00070", personId: c.personId, confirmedOn: vnDay(new Date()), method: "pcr" })
        .returning();
      const red = await healthQr(c.token);
      expect(red).toMatchObject({ status: "red", reasons: ["active_case", "declaration_follow_up"] });
      expect((await ok(await checkQr(red.token))).status).toBe("red");
      await t.deps.db.update(cases).set({ status: "recovered" }).where(eq(cases.id, kase!.id));
      expect((await healthQr(c.token)).status).toBe("yellow");
    });

    it("a quarantine that is over, or a released contact, no longer counts", async () => {
      const c = await citizen("Mai Thị Hết Cách Ly");
      await t.deps.db.insert(declarations).values({ provinceCode: "01", personId: c.personId, kind: "domestic", fullName: "Mai Thị Hết Cách Ly", birthYear: 1990, risk: "none", day: vnDay(new Date()) });
      const [kase] = await t.deps.db.insert(cases).values({ provinceCode: "01", personId: randomUUID(), confirmedOn: vnDay(new Date()), method: "pcr" }).returning();
      const at = new Date(Date.now() - 10 * DAY);
      const [contact] = await t.deps.db
        .insert(contacts)
        .values({ provinceCode: "01", caseId: kase!.id, caseProvinceCode: "01", personId: c.personId, degree: 1, source: "household", firstExposureAt: at, lastExposureAt: at, quarantineUntil: vnDay(new Date(Date.now() - DAY)) })
        .returning();
      expect((await healthQr(c.token)).status).toBe("green");
      await t.deps.db.update(contacts).set({ quarantineUntil: vnDay(new Date(Date.now() + DAY)) }).where(eq(contacts.id, contact!.id));
      expect((await healthQr(c.token)).status).toBe("red");
      await t.deps.db.update(contacts).set({ status: "released" }).where(eq(contacts.id, contact!.id));
      expect((await healthQr(c.token)).status).toBe("green");
    });
  });

  describe("check-in with the account", () => {
    it("venue staff check a person in by scanning the health QR", async () => {
      const c = await citizen("Phan Văn Quét");
      const qr = await healthQr(c.token);
      const id = randomUUID();
      const res = await ok(await t.request("POST", `/api/venues/${venueId}/checkins`, { token: staff, body: { id, personalQr: qr.token } }), 201);
      expect(res).toMatchObject({ id, venue: { id: venueId }, replay: false });
      const [row] = await t.deps.db.select().from(checkins).where(eq(checkins.id, id));
      expect(row).toMatchObject({ personId: c.personId, method: "staff_scan", venueId });
      // a family member's QR too (a person of another province)
      const grandma = await ok(await t.request("POST", "/api/me/family", { token: c.token, body: { relation: "grandparent", fullName: "Phan Thị Bà", birthYear: 1945, communeCode: "26734" } }), 201);
      const id2 = randomUUID();
      await ok(await t.request("POST", `/api/venues/${venueId}/checkins`, { token: staff, body: { id: id2, personalQr: (await healthQr(c.token, grandma.personId)).token } }), 201);
      const [row2] = await t.deps.db.select().from(checkins).where(eq(checkins.id, id2));
      expect(row2!.personId).toBe(grandma.personId);
    });

    it("a signed-in citizen checks in with one tap (no guest details); the token is checked only when sent", async () => {
      const c = await citizen("Hồ Thị Một Chạm", "1995-07-08");
      const id = randomUUID();
      const res = await ok(await t.request("POST", "/api/checkins", { token: c.token, body: { token: venueToken, id } }), 201);
      expect(res).toMatchObject({ id, venue: { id: venueId }, replay: false });
      expect(decode(res.personalQr).payload).toMatchObject({ sub: c.personId, p: "01", ini: "HTMC", by: 1995 });
      const [row] = await t.deps.db.select().from(checkins).where(and(eq(checkins.id, id), eq(checkins.personId, c.personId)));
      expect(row!.method).toBe("citizen_scan");
      // the same id again: a replay
      expect((await ok(await t.request("POST", "/api/checkins", { token: c.token, body: { token: venueToken, id } }), 200)).replay).toBe(true);
      // guest details sent alongside are ignored: the account's person is used
      const id2 = randomUUID();
      await ok(await t.request("POST", "/api/checkins", { token: c.token, body: { token: venueToken, id: id2, guest: { personId: randomUUID(), fullName: "Ai Đó", phone: newPhone(), birthYear: 1960 } } }), 201);
      expect((await t.deps.db.select().from(checkins).where(eq(checkins.id, id2)))[0]!.personId).toBe(c.personId);
      // without a token, guest is required
      const missing = await t.request("POST", "/api/checkins", { body: { token: venueToken, id: randomUUID() } });
      await fails(missing.clone(), 400, "validation_failed");
      expect((await json(missing)).error.details.map((d: any) => d.path)).toEqual(["guest"]);
      // a bad token is 401 (the app refreshes), another role 403
      await fails(await t.request("POST", "/api/checkins", { token: "x.y.z", body: { token: venueToken, id: randomUUID() } }), 401, "unauthorized");
      await fails(await t.request("POST", "/api/checkins", { token: staff, body: { token: venueToken, id: randomUUID() } }), 403, "forbidden");
      // the anonymous check-in still works as before
      await ok(await t.request("POST", "/api/checkins", { body: { token: venueToken, id: randomUUID(), guest: { personId: randomUUID(), fullName: "Khách", phone: newPhone(), birthYear: 1990 } } }), 201);
    });
  });
});
