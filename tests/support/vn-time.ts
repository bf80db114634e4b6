/** Times for tests that must hold at any hour, including the first hours of a Vietnam day (17:00–19:00 UTC). */
import { vnDay, vnDayRange } from "../../server/checkins/colour";

/**
 * An instant of `now`'s Vietnam day, `hours` before `now` — or, in the day's first hours, halfway
 * between its midnight and `now`: e.g. the onset of a reaction to a dose given today, which may not
 * fall before the dose's day.
 */
export function earlierToday(now: Date, hours: number): string {
  const midnight = vnDayRange(vnDay(now)).start.getTime();
  return new Date(Math.max(now.getTime() - hours * 3600_000, (midnight + now.getTime()) / 2)).toISOString();
}
