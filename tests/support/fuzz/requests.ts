/**
 * Requests for one operation of the OpenAPI document, as fast-check arbitraries: path parameters
 * (real ids of the world or anything else), query parameters and bodies from the operation's
 * schemas (./arbitrary.ts), sometimes a raw body that is not JSON at all, and the caller (an
 * authorised role of the route, or nobody). Also the check every answer must pass.
 */
import fc from "fast-check";
import type { Caller } from "../access";
import { EDGE_STRINGS, hostile, nested, valid, value as anyValue, type SchemaContext } from "./arbitrary";
import { realValues, type JsonSchema, type Operation, type World } from "./world";

export interface FuzzRequest {
  caller: Caller;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Percent-encodes a value, including lone surrogates (as the bytes a broken client would send). */
export function encodeValue(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...v]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return "%ED%A0%80";
        }
      })
      .join("");
  }
}

const asText = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

const clip = (v: unknown): unknown => {
  if (typeof v === "string") return v.length > 240 ? `${v.slice(0, 120)}…(${v.length} chars)…${v.slice(-120)}` : v;
  return v;
};

/** Prints a request short enough to read in a failure report. */
export function describeRequest(r: FuzzRequest): string {
  return JSON.stringify({ caller: r.caller, method: r.method, path: clip(r.path), headers: r.headers, body: clip(r.body) });
}

/** Property and parameter names the world has real values for. */
function hints(world: World): SchemaContext["hint"] {
  const phones = fc.constantFrom(world.citizen.phone, "0912345678", "+84912345678", "091 234 5678");
  const ids = fc.constantFrom(...world.allIds);
  const signed = world.tokens2;
  const some = (values: string[]) => (values.length ? fc.constantFrom(...values) : undefined);
  return (name, schema) => {
    if (name === "token") return some([...signed.venue, ...signed.healthQr]);
    if (name === "personalQr") return some(signed.healthQr);
    if (name === "refreshToken") return some(signed.refresh);
    if (name === "qr" || name === "jws") return some(signed.card);
    if (/^communeCode$/i.test(name)) return fc.constantFrom(...world.codes.commune.slice(0, 8));
    if (/^provinceCode$/i.test(name)) return fc.constantFrom(...world.codes.province.slice(0, 4));
    if (/phone/i.test(name)) return phones;
    if (name === "barcode" || name === "barcodes") return world.codes.barcode.length ? fc.constantFrom(...world.codes.barcode) : undefined;
    if (name === "personId") return fc.constantFrom(world.citizen.personId, ...(world.ids.people ?? []).slice(0, 5));
    if (schema.format === "uuid" || /Id$/.test(name)) return ids;
    if (name === "day" || name === "from" || name === "to") return fc.constantFrom("2026-10-14", "2026-10-12", new Date().toISOString().slice(0, 10));
    return undefined;
  };
}

/** Raw bodies that are not the JSON the route wants. */
const RAW_BODIES: readonly string[] = [
  "",
  "{",
  "null",
  "[]",
  '"text"',
  "123",
  "\uFEFF{}",
  '{"a":1,"a":2}',
  '{"__proto__":{"admin":true}}',
  JSON.stringify(nested(2000)),
  "{".repeat(5000),
  "\u0000",
  "<xml/>",
];

/**
 * Cursors a client could forge: base64url JSON arrays of the arity a list expects (1 to 4 keys),
 * holding values of the wrong type or out of range for the sort key they stand for.
 */
const CURSOR_KEYS: readonly unknown[] = [
  "x",
  "",
  "2026-19-23",
  "2026-10-14",
  "2026-10-14T00:00:00.000Z",
  "99999-01-01T00:00:00Z",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
  "'; drop table people; --",
  "\u0000",
  "\uD800",
  0,
  -1,
  1e308,
  2 ** 63,
  true,
  null,
  [],
  {},
];
const forgedCursor = fc
  .array(fc.constantFrom(...CURSOR_KEYS), { minLength: 1, maxLength: 4 })
  .map((key) => Buffer.from(JSON.stringify(key)).toString("base64url"));

function csvBody(): fc.Arbitrary<string> {
  const cell = fc.oneof(fc.constantFrom(...EDGE_STRINGS.filter((s) => s.length < 200)), fc.string({ maxLength: 20 }), fc.constantFrom("ho_ten", "code", "name", "province_code", "barcode", "result"));
  const line = fc.array(cell, { minLength: 1, maxLength: 9 }).map((cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(","));
  return fc.oneof(
    fc.array(line, { minLength: 0, maxLength: 6 }).map((lines) => lines.join("\n")),
    fc.constantFrom("code,name,province_code,population\n00070,=1+1,01,-5\n", 'a,b\n"unclosed,1\n', "\uFEFFho_ten;ngay_sinh\n", "x,".repeat(5000)),
  );
}

/** Requests for the operation `op` at `path` (the document's template), by `callers`. */
export function requestArbitrary(
  world: World,
  method: string,
  path: string,
  op: Operation,
  callers: Caller[],
  options: { validOnly?: boolean } = {},
): fc.Arbitrary<FuzzRequest> {
  const ctx: SchemaContext = { components: world.doc.components.schemas, hint: hints(world), strict: options.validOnly ?? false };
  const value: typeof anyValue = options.validOnly ? (schema, c, name, depth) => valid(schema, c, name, depth) : anyValue;
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === "path");
  const queryParams = params.filter((p) => p.in === "query");

  const pathArb = fc.tuple(
    ...pathParams.map((p) => {
      const real = realValues(world, path, p.name);
      const generic = value(p.schema, ctx, p.name);
      return real?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: generic }) : generic;
    }),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) => {
      const v = value(p.schema, ctx, p.name).map(asText);
      return p.required ? v.map((x) => [p.name, x] as const) : fc.option(v.map((x) => [p.name, x] as const), { freq: 2 });
    }),
  );
  const extraQuery = options.validOnly ? fc.constant(null) : fc.option(
    fc.oneof(
      fc.constantFrom("limit=-1", "limit=100000", "limit=1.5", "cursor=%00", "cursor=eyJhIjoxfQ", "q=%25%27", "unknown=1", "limit=1&limit=2"),
      forgedCursor.map((c) => `cursor=${c}`),
    ),
    { freq: 3 },
  );

  const content = op.requestBody?.content ?? {};
  const jsonSchema: JsonSchema | undefined = content["application/json"]?.schema;
  const isText = !jsonSchema && Object.keys(content).length > 0;
  const bodyArb: fc.Arbitrary<{ body?: string; type?: string }> = jsonSchema && options.validOnly
    ? value(jsonSchema, ctx).map((v) => ({ body: JSON.stringify(v) ?? "null", type: "application/json" }))
    : jsonSchema
    ? fc.oneof(
        { weight: 8, arbitrary: value(jsonSchema, ctx).map((v) => ({ body: JSON.stringify(v) ?? "null", type: "application/json" })) },
        { weight: 1, arbitrary: hostile(jsonSchema, ctx).map((v) => ({ body: JSON.stringify(v) ?? "null", type: "application/json" })) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...RAW_BODIES), fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16")).map(([body, type]) => ({ body, type })) },
      )
    : isText
      ? fc.tuple(csvBody(), fc.constantFrom("text/csv", "text/csv", "text/plain", "application/json")).map(([body, type]) => ({ body, type }))
      : fc.constant({});

  return fc
    .record({
      caller: fc.constantFrom(...callers),
      pathValues: pathArb,
      query: queryArb,
      extra: extraQuery,
      body: bodyArb,
      ip: fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 })),
    })
    .map(({ caller, pathValues, query, extra, body, ip }) => {
      let i = 0;
      const filled = path.replace(/\{(\w+)\}/g, () => encodeValue(asText(pathValues[i++])));
      const qs = [...query.filter((q): q is readonly [string, string] => Array.isArray(q)).map(([k, v]) => `${k}=${encodeValue(v)}`), ...(extra ? [extra] : [])];
      const headers: Record<string, string> = { "x-forwarded-for": `10.77.${ip[0]}.${ip[1]}` };
      if (body.type) headers["content-type"] = body.type;
      const req: FuzzRequest = { caller, method, path: qs.length ? `${filled}?${qs.join("&")}` : filled, headers, ...(body.body !== undefined ? { body: body.body } : {}) };
      return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
    });
}

/** Sends a fuzz request through the platform as its caller. */
export function send(world: World, r: FuzzRequest): Promise<Response> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.caller !== "anonymous") headers.authorization = `Bearer ${world.tokens[r.caller]}`;
  return Promise.resolve(world.t.app.request(r.path, { method: r.method, headers, ...(r.body !== undefined ? { body: r.body } : {}) }));
}

/**
 * What every answer must be: below 500, carrying a request id, and for 4xx the platform's one
 * JSON error shape {error:{code,message,requestId,details?}} with that request id. Returns the
 * problems found (empty when the answer is fine).
 */
export async function answerProblems(res: Response): Promise<string[]> {
  const problems: string[] = [];
  const text = await res.text();
  const requestId = res.headers.get("x-request-id");
  if (res.status >= 500) problems.push(`status ${res.status}: ${text.slice(0, 300)}`);
  if (!requestId) problems.push("no x-request-id header");
  if (res.status >= 400) {
    if (!(res.headers.get("content-type") ?? "").includes("application/json")) problems.push(`error answer is ${res.headers.get("content-type")}, not JSON`);
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`error answer is not JSON: ${text.slice(0, 200)}`);
      return problems;
    }
    const e = body?.error;
    // the one documented addition: a rejected results batch or file carries its report beside the error (docs/TESTING.md)
    const beside = e?.code === "import_rejected" ? ["report"] : [];
    const keysOk = body && e && typeof e === "object" && Object.keys(body).every((k) => k === "error" || beside.includes(k));
    if (!keysOk) problems.push(`error answer is not {error:{…}}: ${text.slice(0, 200)}`);
    else {
      const extra = Object.keys(e).filter((k) => !["code", "message", "requestId", "details"].includes(k));
      if (extra.length) problems.push(`error has unknown keys ${extra.join(",")}`);
      if (typeof e.code !== "string" || !e.code) problems.push("error.code missing");
      if (typeof e.message !== "string" || !e.message) problems.push("error.message missing");
      if (e.requestId !== requestId) problems.push(`error.requestId ${e.requestId} ≠ header ${requestId}`);
      if (e.details !== undefined && !(Array.isArray(e.details) && e.details.every((d: any) => typeof d?.path === "string" && typeof d?.message === "string")))
        problems.push("error.details is not [{path,message}]");
      if (/\bat .+\.(ts|js):\d+/.test(text) || /node_modules/.test(text)) problems.push("error answer leaks a stack trace");
    }
  }
  return problems;
}
