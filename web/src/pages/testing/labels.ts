/** Printable labels (50 × 30 mm PDFs), fetched with the session's token and saved as files. */
import { saveBlob } from "../venues.data";
import { poolLabel, sampleLabel } from "./testing.api";

/** Downloads a sample's or a pool's label, named after its code ("nhan-S7K2M9QX4TB.pdf"). */
export async function printLabel(kind: "sample" | "pool", id: string, code: string): Promise<void> {
  const { blob, filename } = await (kind === "sample" ? sampleLabel(id) : poolLabel(id));
  const url = saveBlob(blob, filename ?? `nhan-${code}.pdf`);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
