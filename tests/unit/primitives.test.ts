import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../server/auth/passwords";
import { AppError } from "../../server/http/errors";
import { decodeCursor, encodeCursor, page } from "../../server/http/pagination";
import { createRateLimiter } from "../../server/http/rate-limit";

describe("passwords", () => {
  it("hashes with a salt and verifies", async () => {
    const a = await hashPassword("Mật khẩu 123");
    const b = await hashPassword("Mật khẩu 123");
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$16384$8$1$")).toBe(true);
    expect(await verifyPassword("Mật khẩu 123", a)).toBe(true);
    expect(await verifyPassword("Mật khẩu 124", a)).toBe(false);
    expect(await verifyPassword("anything", undefined)).toBe(false);
    expect(await verifyPassword("anything", "garbage")).toBe(false);
  });
});

describe("rate limiter", () => {
  it("counts per key within a window and resets after it", () => {
    let now = 0;
    const rl = createRateLimiter(2, 10, () => now);
    rl.hit("a");
    rl.hit("a");
    rl.hit("b");
    expect(() => rl.hit("a")).toThrow(AppError);
    try {
      rl.hit("a");
    } catch (e) {
      expect((e as AppError).headers?.["Retry-After"]).toBe("10");
    }
    now = 10_000;
    expect(() => rl.hit("a")).not.toThrow();
  });
});

describe("keyset pages", () => {
  it("round-trips cursors and refuses foreign ones", () => {
    expect(decodeCursor(encodeCursor(["x", 3]), 2)).toEqual(["x", 3]);
    expect(decodeCursor(undefined, 1)).toBeUndefined();
    expect(() => decodeCursor("bm90LWpzb24", 1)).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor(["x"]), 2)).toThrow(AppError);
  });
  it("returns a cursor only when more rows exist", () => {
    expect(page([1, 2, 3], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: encodeCursor([2]) });
    expect(page([1, 2], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: null });
  });
});
