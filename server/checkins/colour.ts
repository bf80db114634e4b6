/**
 * The confirmation colour of the day: the citizen's confirmation and the venue staff's page
 * show the same colour, and it changes every day (never the same two days running), so a
 * screenshot of yesterday's check-in is obvious at the door.
 */
const PALETTE = [
  { hex: "#0f7b3f", nameVi: "Xanh lá", nameEn: "Green" },
  { hex: "#1d4ed8", nameVi: "Xanh dương", nameEn: "Blue" },
  { hex: "#c2410c", nameVi: "Cam", nameEn: "Orange" },
  { hex: "#7e22ce", nameVi: "Tím", nameEn: "Purple" },
  { hex: "#be123c", nameVi: "Đỏ hồng", nameEn: "Crimson" },
  { hex: "#0e7490", nameVi: "Xanh ngọc", nameEn: "Teal" },
  { hex: "#a16207", nameVi: "Nâu vàng", nameEn: "Amber" },
] as const;

export type DayColour = (typeof PALETTE)[number];

/** Vietnam has one time zone, UTC+7, and no daylight saving. */
export const VN_OFFSET_MS = 7 * 3600_000;

/** The Vietnam calendar day of an instant, as YYYY-MM-DD. */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** Start (inclusive) and end (exclusive) of a Vietnam calendar day. */
export function vnDayRange(day: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${day}T00:00:00Z`) - VN_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 86400_000) };
}

export function colourOfDay(day: string): DayColour {
  const n = Math.floor(Date.parse(`${day}T00:00:00Z`) / 86400_000);
  // 3 is coprime with 7: consecutive days step through the whole palette.
  return PALETTE[(((n * 3) % 7) + 7) % 7]!;
}
