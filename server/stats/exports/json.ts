/** A streamed JSON array of objects, one per row, with the columns' keys in order (docs/STATS.md, "Exports"). */
import type { Column } from "./stream";

export async function* jsonChunks<R extends Record<string, unknown>>(columns: readonly Column[], batches: AsyncIterable<R[]>): AsyncGenerator<string> {
  const keys = columns.map((c) => c.key);
  const prefixes = keys.map((k, i) => `${i ? "," : "{"}${JSON.stringify(k)}:`);
  let first = true;
  let chunk = "[";
  for await (const rows of batches) {
    for (const row of rows) {
      chunk += first ? "\n" : ",\n";
      first = false;
      for (let i = 0; i < keys.length; i++) {
        const v = row[keys[i]!];
        chunk += prefixes[i]! + (v === undefined ? "null" : JSON.stringify(v));
      }
      chunk += "}";
    }
    yield chunk;
    chunk = "";
  }
  yield `${chunk}${first ? "" : "\n"}]\n`;
}
