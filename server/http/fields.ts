/**
 * Field schemas shared by every part of the API, with bilingual messages, Vietnamese first:
 * "Nhập họ tên / Enter the full name". The 400's details carry them as {path, message}.
 */
import { z } from "@hono/zod-openapi";

export const msg = (vi: string, en: string) => `${vi} / ${en}`;

/** A calendar day as YYYY-MM-DD that exists (2026-02-30 does not: Date.parse would roll it over). */
export const Day = z
  .string({ error: msg("Nhập ngày dạng YYYY-MM-DD", "A date as YYYY-MM-DD") })
  .regex(/^\d{4}-\d{2}-\d{2}$/, msg("Nhập ngày dạng YYYY-MM-DD", "A date as YYYY-MM-DD"))
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, msg("Ngày không có trong lịch", "No such day in the calendar"));

/** A Vietnamese phone number, normalised: spaces, dots, dashes and brackets dropped, +84/84 → 0. */
export const Phone = z
  .string({ error: msg("Nhập số điện thoại", "Enter the phone number") })
  .trim()
  .transform((p) => p.replace(/[\s.()-]/g, "").replace(/^\+?84(?=\d{9}$)/, "0"))
  .pipe(z.string().regex(/^0\d{9}$/, msg("Số điện thoại Việt Nam: 10 chữ số, bắt đầu bằng 0", "A Vietnamese phone number: 10 digits starting with 0")))
  .openapi({ example: "0912345678" });
