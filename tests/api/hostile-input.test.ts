/**
 * Hostile input through the real routes, on both engines: bodies over the limit (413, with and
 * without a Content-Length), deeply nested JSON (400, and the server keeps answering), SQL and
 * HTML injection strings and unicode edge cases stored through a declaration, a venue, a
 * community report and an announcement and read back byte-equal through the API, text the
 * database cannot store (NUL, unpaired surrogates) refused with 400, forged pagination cursors
 * refused with 400 on every list, and the server-rendered pages (check-in, public situation)
 * carrying hostile names as escaped data, never as markup. The browser side (rendered as text, no
 * dialog, no element injected) is tests/e2e/hostile.test.ts.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announcements, declarations, reports, venues } from "../../db/schema";
import { engines } from "../support/platform";
import { answerProblems } from "../support/fuzz/requests";
import { buildWorld, operations, type World } from "../support/fuzz/world";

/** Stored and shown verbatim: never executed, never changed. */
export const HOSTILE = {
  sql: "'; drop table people; --",
  script: "<script>alert(1)</script>",
  img: '<img src=x onerror="alert(1)">',
  mixed: "Quán \u202Eevil\u202C 👨‍👩‍👧‍👦 z\u200Dw \"q\" 'a' \\ $& $' </script><!-- ${x} {{x}}",
} as const;

const webDist = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const bytes = (s: string) => Buffer.from(s, "utf8").toString("hex");
/** JSON text nested `depth` levels (built as text: JSON.stringify itself runs out of stack). */
const deepArrays = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe.each(engines())("hostile input on %s", (engine) => {
  let w: World;
  const json = async (res: Response) => (await res.json()) as any;
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json(res);
  };
  const ip = () => ({ "x-forwarded-for": `10.66.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}` });

  beforeAll(async () => {
    if (!["checkin.html", "situation.html"].every((f) => existsSync(`${webDist}${f}`))) {
      const { build } = await import("vite");
      await build({ configFile: fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url)), logLevel: "warn" });
    }
    w = await buildWorld(engine, { IMPORT_BODY_LIMIT: "300000" });
  }, 240_000);
  afterAll(() => w?.t.close());

  describe("oversized bodies", () => {
    it("a JSON body over BODY_LIMIT (1 MiB) answers 413 payload_too_large and stores nothing", async () => {
      const before = await w.t.deps.db.$count(reports);
      const body = JSON.stringify({ kind: "other", communeCode: "00070", description: "x".repeat(1024 * 1024 + 10) });
      const res = await w.t.request("POST", "/api/reports", { body, headers: ip() });
      expect(res.status).toBe(413);
      expect((await json(res)).error.code).toBe("payload_too_large");
      expect(await w.t.deps.db.$count(reports)).toBe(before);
    });

    it("a chunked body (no Content-Length) over the limit answers 413 too", async () => {
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 20) return controller.close();
          sent += 1;
          controller.enqueue(chunk);
        },
      });
      const res = await w.t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...ip() },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await json(res)).error.code).toBe("payload_too_large");
    });

    it("a CSV over IMPORT_BODY_LIMIT answers 413 on the import routes", async () => {
      const site = w.ids.vaccination_sites![0]!;
      const csv = `ho_ten,ngay_sinh,so_dien_thoai,cccd,vac_xin,so_lo,ngay_tiem,mui\n${"Tạ Văn A,1999-09-09,0912345678,,PF,PF-2026-001,2026-01-05,1\n".repeat(6000)}`;
      expect(Buffer.byteLength(csv)).toBeGreaterThan(300_000);
      const res = await w.t.request("POST", `/api/vaccination-imports?siteId=${site}&fileName=big.csv`, {
        token: w.tokens.commune_officer,
        body: csv,
        headers: { "content-type": "text/csv" },
      });
      expect(res.status).toBe(413);
      expect((await json(res)).error.code).toBe("payload_too_large");
    });
  });

  describe("deeply nested JSON", () => {
    it.each([
      ["10,000 nested arrays as the body", () => deepArrays(10_000)],
      ["10,000 nested objects as the body", () => deepObjects(10_000)],
      ["10,000 nested arrays as a field", () => `{"kind":"domestic","birthYear":1990,"fullName":${deepArrays(10_000)}}`],
      ["10,000 nested objects in an array field", () => `{"kind":"domestic","birthYear":1990,"symptoms":[${deepObjects(10_000)}]}`],
      ["100,000 unclosed brackets", () => "[".repeat(100_000)],
      ["100,000 nested arrays", () => `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ])("%s answers 400 in the error shape, and the server keeps answering", async (_name, body) => {
      const before = await w.t.deps.db.$count(declarations);
      const res = await w.t.request("POST", "/api/declarations", { body: body(), headers: { "content-type": "application/json", ...ip() } });
      expect(res.status).toBe(400);
      expect(await answerProblems(res.clone())).toEqual([]);
      expect((await json(res)).error.code).toMatch(/^(bad_request|validation_failed)$/);
      expect(await w.t.deps.db.$count(declarations)).toBe(before);
      expect((await w.t.request("GET", "/healthz")).status).toBe(200);
      await ok(
        await w.t.request("POST", "/api/declarations", {
          body: { kind: "domestic", fullName: "Sau Tấn Công", birthYear: 1990, phone: "0912345670", communeCode: "00070", travel: { means: "bus", from: "A", to: "B" } },
          headers: ip(),
        }),
        201,
      );
    });
  });

  describe("injection strings and unicode stored verbatim", () => {
    it.each(Object.entries(HOSTILE))("a declaration keeps %s byte for byte", async (_k, text) => {
      const filed = await ok(
        await w.t.request("POST", "/api/declarations", {
          body: { kind: "domestic", fullName: text, birthYear: 1990, phone: "0912345671", communeCode: "00070", address: text, placesVisited: text, travel: { means: "bus", from: text, to: "Hà Nội" } },
          headers: ip(),
        }),
        201,
      );
      const read = await ok(await w.t.request("GET", `/api/declarations/${filed.id}`, { token: w.tokens.province_officer }));
      for (const v of [read.fullName, read.address, read.placesVisited, read.travel.from]) expect(bytes(v)).toBe(bytes(text));
      const [row] = await w.t.deps.db.select().from(declarations).where(eq(declarations.id, filed.id));
      expect(bytes(row!.fullName)).toBe(bytes(text));
    });

    it.each(Object.entries(HOSTILE))("a venue keeps %s byte for byte", async (_k, text) => {
      const created = await ok(
        await w.t.request("POST", "/api/venues", {
          token: w.tokens.commune_officer,
          body: { name: `${text} ${Math.random().toString(36).slice(2, 6)}`, category: "shop", address: text, provinceCode: "01", communeCode: "00070" },
        }),
        201,
      );
      const read = await ok(await w.t.request("GET", `/api/venues/${created.id}`, { token: w.tokens.commune_officer }));
      expect(bytes(read.name)).toBe(bytes(created.name));
      expect(read.name.startsWith(text)).toBe(true);
      expect(bytes(read.address)).toBe(bytes(text));
      const listed = await ok(await w.t.request("GET", `/api/venues?limit=500`, { token: w.tokens.commune_officer }));
      expect(listed.items.find((v: any) => v.id === created.id).name).toBe(created.name);
      const [row] = await w.t.deps.db.select().from(venues).where(eq(venues.id, created.id));
      expect(bytes(row!.address)).toBe(bytes(text));
    });

    it.each(Object.entries(HOSTILE))("a community report keeps %s byte for byte", async (_k, text) => {
      const description = `Phản ánh: ${text}`;
      const filed = await ok(await w.t.request("POST", "/api/reports", { body: { kind: "violation", communeCode: "00070", description, place: text, name: text }, headers: ip() }), 201);
      const [row] = await w.t.deps.db.select().from(reports).where(eq(reports.receipt, filed.receipt));
      const read = await ok(await w.t.request("GET", `/api/reports/${row!.id}`, { token: w.tokens.commune_officer }));
      expect(bytes(read.description)).toBe(bytes(description));
      expect(bytes(read.place)).toBe(bytes(text));
      expect(bytes(read.reporter.name)).toBe(bytes(text));
      const receipt = await ok(await w.t.request("GET", `/api/reports/receipt/${filed.receipt}`, { headers: ip() }));
      expect(JSON.stringify(receipt)).not.toContain(text); // the public receipt shows the status, not the report
    });

    it.each(Object.entries(HOSTILE))("an announcement keeps %s byte for byte, in the API and in the public situation", async (_k, text) => {
      const title = `Thông báo ${text}`.slice(0, 200);
      const body = `${text}\n${text}`;
      const a = await ok(await w.t.request("POST", "/api/announcements", { token: w.tokens.province_officer, body: { title, body } }), 201);
      await ok(await w.t.request("PATCH", `/api/announcements/${a.id}`, { token: w.tokens.province_officer, body: { status: "published" } }));
      const listed = await ok(await w.t.request("GET", "/api/announcements?limit=500", { token: w.tokens.province_officer }));
      const mine = listed.items.find((x: any) => x.id === a.id);
      expect(bytes(mine.title)).toBe(bytes(title));
      expect(bytes(mine.body)).toBe(bytes(body));
      const [row] = await w.t.deps.db.select().from(announcements).where(eq(announcements.id, a.id));
      expect(bytes(row!.body)).toBe(bytes(body));
      const situation = await ok(await w.t.request("GET", "/api/public/situation/01", { headers: ip() }));
      expect(JSON.stringify(situation)).toContain(JSON.stringify(title).slice(1, -1));
    });

    it("the SQL in the names ran nowhere: every table is still there with its rows", async () => {
      const [n] = await w.t.deps.database.query<{ people: number; users: number }>(sql`select (select count(*)::int from people) as people, (select count(*)::int from users) as users`);
      expect(Number(n!.people)).toBeGreaterThan(40);
      expect(Number(n!.users)).toBeGreaterThan(8);
    });
  });

  describe("text the database cannot store", () => {
    it.each([
      ["NUL", "Quán\u0000Đêm"],
      ["an unpaired high surrogate", "Quán \uD800 Đêm"],
      ["an unpaired low surrogate", "Quán \uDFFF Đêm"],
    ])("%s in a body field answers 400 validation_failed with the field's path, and stores nothing", async (_k, name) => {
      const before = await w.t.deps.db.$count(venues);
      const res = await w.t.request("POST", "/api/venues", {
        token: w.tokens.commune_officer,
        body: { name, category: "shop", address: "1 Hàng Bạc", provinceCode: "01", communeCode: "00070" },
      });
      expect(res.status).toBe(400);
      const err = (await json(res)).error;
      expect(err.code).toBe("validation_failed");
      expect(err.details.map((d: any) => d.path)).toEqual(["name"]);
      expect(await w.t.deps.db.$count(venues)).toBe(before);
    });

    it("NUL in a query or path parameter answers 400, not 500", async () => {
      for (const path of ["/api/venues?q=a%00b", "/api/users?q=%00", "/api/admin-units/%00", `/api/test-samples/by-barcode/S-%00`, "/api/public/situation/0%00"]) {
        const res = await w.t.request("GET", path, { token: w.tokens.national_admin, headers: ip() });
        expect([400, 404], `${path} → ${res.status}`).toContain(res.status);
        expect(await answerProblems(res), path).toEqual([]);
      }
    });
  });

  it("forged pagination cursors answer 400 on every list that takes one (never a 5xx)", async () => {
    const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString("base64url");
    // invalid for every list: wrong types for any key kind, or unstorable text
    const invalid = [["x", "y"], [{}], [[], null], [1e308, "x", "y"], ["1", "not-a-uuid"], ["\u0000"], [true, "00000000-0000-0000-0000-000000000000"]].map(cursor);
    // invalid for lists keyed by time, day or number; plain text for lists keyed by name: 400 or a page, never a 5xx
    const confusing = [
      ["2026-19-23", "00000000-0000-0000-0000-000000000000"],
      ["0000-01-01", "00000000-0000-0000-0000-000000000000"],
      ["2026-02-30T10:00:00Z", "00000000-0000-0000-0000-000000000000"],
      ["1", "00000000-0000-0000-0000-000000000000"],
      [-1, "2026-19-23", "00000000-0000-0000-0000-000000000000"],
    ].map(cursor);
    const lists = operations(w.doc).filter((o) => o.method === "GET" && (o.op.parameters ?? []).some((p) => p.in === "query" && p.name === "cursor"));
    expect(lists.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const list of lists) {
      const path = list.path.replace(/\{(\w+)\}/g, () => w.ids.venues![0]!);
      const role = list.key.includes("/api/me/") ? "citizen" : list.key.includes("/api/venues/") ? "venue_staff" : "national_admin";
      const required = (list.op.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=x`);
      for (const c of [...invalid, ...confusing]) {
        const res = await w.t.request("GET", `${path}?${[...required, `cursor=${c}`].join("&")}`, { token: w.tokens[role], headers: ip() });
        const must400 = invalid.includes(c);
        if ((must400 && res.status !== 400) || res.status >= 500) wrong.push(`${list.key} ${Buffer.from(c, "base64url").toString()} → ${res.status}`);
        else if (res.status === 400) expect((await json(res)).error.code).toBe("validation_failed");
      }
    }
    expect(wrong).toEqual([]);
  });

  describe("server-rendered pages carry hostile names as data, not markup", () => {
    /** The JSON of a page's data block (<script type="application/json" id=…>). */
    const dataBlock = (html: string, id: string) => {
      const m = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
      expect(m, `data block ${id}`).not.toBeNull();
      return JSON.parse(m![1]!);
    };

    it("the check-in page /c/<token> shows a hostile venue name only inside its escaped data block", async () => {
      const name = `${HOSTILE.script} ${HOSTILE.img} </script><script>alert(2)</script>`;
      const v = await ok(
        await w.t.request("POST", "/api/venues", { token: w.tokens.commune_officer, body: { name, category: "shop", address: HOSTILE.sql, provinceCode: "01", communeCode: "00070" } }),
        201,
      );
      const code = await ok(await w.t.request("GET", `/api/venues/${v.id}/code`, { token: w.tokens.commune_officer }));
      const res = await w.t.request("GET", `/c/${code.token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("<img src=x");
      const data = dataBlock(html, "venue-data");
      expect(data.venue.name).toBe(name);
      expect(data.venue.address).toBe(HOSTILE.sql);
    });

    it("the public situation page /tinh-hinh/01 shows a hostile announcement only inside its escaped data block", async () => {
      const title = `${HOSTILE.script}</script><img src=x onerror=alert(3)>`;
      const a = await ok(await w.t.request("POST", "/api/announcements", { token: w.tokens.province_officer, body: { title, body: HOSTILE.mixed } }), 201);
      await ok(await w.t.request("PATCH", `/api/announcements/${a.id}`, { token: w.tokens.province_officer, body: { status: "published" } }));
      const res = await w.t.request("GET", "/tinh-hinh/01", { headers: ip() });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("<img src=x");
      const data = dataBlock(html, "situation-data");
      const shown = JSON.stringify(data);
      expect(shown).toContain(JSON.stringify(title).slice(1, -1));
      expect(shown).toContain(JSON.stringify(HOSTILE.mixed).slice(1, -1));
    });
  });
});
