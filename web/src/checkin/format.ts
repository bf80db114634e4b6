/** Small pure helpers of the check-in page: Vietnam time, phone numbers, contrast. */

const pad = (n: number) => String(n).padStart(2, "0");

/** Vietnam has no daylight saving: local time is always UTC+7, whatever the phone's zone. */
function vietnam(iso: string | number): Date {
  return new Date(new Date(iso).getTime() + 7 * 3600_000);
}

/** "HH:mm" in Vietnam time. */
export function timeVN(iso: string | number): string {
  const d = vietnam(iso);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "dd/mm/yyyy" in Vietnam time. */
export function dateVN(iso: string | number): string {
  const d = vietnam(iso);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** "YYYY-MM-DD", the Vietnam calendar day of an instant (sorts and compares as a string). */
export function dayKeyVN(iso: string | number): string {
  return vietnam(iso).toISOString().slice(0, 10);
}

/** A calendar day from the server ("YYYY-MM-DD", or an instant) as "dd/mm/yyyy". */
export function dayVN(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : dateVN(day);
}

/** A time of day from the server ("HH:mm[:ss]", or an instant) as "HH:mm" Vietnam time. */
export function clockVN(time: string): string {
  return /^\d{2}:\d{2}(:\d{2})?$/.test(time) ? time.slice(0, 5) : timeVN(time);
}

/**
 * A Vietnamese mobile number as 0xxxxxxxxx (10 digits), or undefined. Spaces, dots and dashes are
 * ignored and +84 / 84 become 0, so people can type it the way they write it.
 */
export function normalizePhone(input: string): string | undefined {
  let digits = input.replace(/[\s.\-()]/g, "");
  if (digits.startsWith("+84")) digits = "0" + digits.slice(3);
  else if (/^84\d{9}$/.test(digits)) digits = "0" + digits.slice(2);
  return /^0[35789]\d{8}$/.test(digits) ? digits : undefined;
}

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return "#fff";
  const n = parseInt(m[1]!, 16);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(n >> 16) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  // Contrast with black (l + .05) / .05 vs with white 1.05 / (l + .05): pick the larger.
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff";
}
