/** An ILIKE pattern that finds `text` anywhere, with the user's % and _ taken literally. */
export function containsPattern(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? `%${t.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : undefined;
}
