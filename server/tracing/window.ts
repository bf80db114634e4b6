/**
 * The infectious window of a case and the quarantine end of a contact (docs/TRACING.md, "The rules").
 * Days are Vietnam calendar days (UTC+7).
 */
import type { Config } from "../config";
import { vnDay, vnDayRange } from "../checkins/colour";

export interface WindowFacts {
  symptomOnset: string | null;
  sampleDate: string | null;
  confirmedOn: string;
  isolatedAt: Date | null;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
}

/** From 00:00 of onset − pre-onset days (or sample/confirmation date − no-onset days) to isolation, or now. */
export function infectiousWindow(config: Config, c: WindowFacts, now: Date): { from: Date; to: Date } {
  const first = c.symptomOnset
    ? addDays(c.symptomOnset, -config.tracePreOnsetDays)
    : addDays(c.sampleDate ?? c.confirmedOn, -config.traceNoOnsetDays);
  const from = vnDayRange(first).start;
  const to = c.isolatedAt && c.isolatedAt < now ? c.isolatedAt : now;
  return { from, to: to < from ? from : to };
}

/** A contact stays in quarantine until the Vietnam day of its last exposure + QUARANTINE_DAYS. */
export function quarantineEnd(config: Config, lastExposure: Date): string {
  return addDays(vnDay(lastExposure), config.quarantineDays);
}
