/**
 * Printable labels, 50 × 30 mm (the common thermal label roll): the code as a QR (vector, so it
 * stays sharp at 203 dpi), the code in clear, and for a sample the person's initials, birth year
 * and the time taken; for a pool its site, size and time opened. The PDF's title is the code, so
 * print queues and tests can tell labels apart. Reading a label is audited like reading the sample.
 */
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { testPools, testSamples } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import type { Deps } from "../../deps";
import { initialsOf } from "../../venues/codes";
import { areaOf, findPool, findSample, presentPool, type SignedIn } from "./service";

// The standard 14 PDF fonts have no Vietnamese glyphs: embed (subsets of) Noto Sans.
const FONT_REGULAR = fileURLToPath(new URL("../../venues/fonts/NotoSans-Regular.ttf", import.meta.url));
const FONT_BOLD = fileURLToPath(new URL("../../venues/fonts/NotoSans-Bold.ttf", import.meta.url));

const MM = 72 / 25.4;
export const LABEL = { width: 50 * MM, height: 30 * MM };
const PAD = 2 * MM;
const QUIET_ZONE = 2;

export interface LabelInput {
  code: string;
  /** Up to three short lines under the code (a long one may wrap onto `rows` rows). */
  lines: { text: string; bold?: boolean; rows?: number }[];
  title: string;
  at: Date;
}

/** 2026-11-20T01:30Z → "08:30 20/11/2026" (Vietnam time). */
export function vnTime(d: Date): string {
  const l = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `${l.slice(11, 16)} ${l.slice(8, 10)}/${l.slice(5, 7)}/${l.slice(0, 4)}`;
}

export async function labelPdf(input: LabelInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [LABEL.width, LABEL.height],
    margin: 0,
    lang: "vi-VN",
    info: { Title: input.code, Subject: input.title, CreationDate: input.at },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", FONT_REGULAR).registerFont("bold", FONT_BOLD);

  // The QR on the left, the full height of the label.
  const qrSize = LABEL.height - 2 * PAD;
  const { modules } = QRCode.create(input.code, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const unit = qrSize / (n + 2 * QUIET_ZONE);
  doc.rect(PAD, PAD, qrSize, qrSize).fill("#ffffff");
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      doc.rect(PAD + (QUIET_ZONE + start) * unit, PAD + (QUIET_ZONE + row) * unit, (col - start) * unit, unit);
    }
  }
  doc.fill("#000000");

  // The text on the right: the code as large as fits, then the lines.
  const x = PAD + qrSize + 1.5 * MM;
  const w = LABEL.width - x - PAD;
  doc.font("bold").fontSize(10);
  const codeSize = Math.min(10, (10 * w) / doc.widthOfString(input.code));
  doc.fontSize(codeSize).fillColor("#000000").text(input.code, x, PAD + 1, { width: w, height: codeSize + 4, lineBreak: false });
  let y = PAD + codeSize + 6;
  for (const line of input.lines.slice(0, 3)) {
    const size = line.bold ? 9 : 6.5;
    const rows = line.rows ?? 1;
    doc.font(line.bold ? "bold" : "regular").fontSize(size);
    const h = Math.min(rows, Math.ceil(doc.heightOfString(line.text, { width: w }) / doc.currentLineHeight())) * doc.currentLineHeight();
    doc.text(line.text, x, y, { width: w, height: h, ellipsis: true, ...(rows === 1 ? { lineBreak: false } : {}) });
    y += h + 3;
  }
  doc.end();
  return done;
}

/** GET /api/test-samples/{id}/label.pdf. */
export async function sampleLabel(deps: Deps, actor: SignedIn, id: string) {
  const s = await findSample(deps.db, actor.user, eq(testSamples.id, id));
  const pdf = await labelPdf({
    code: s.barcode,
    title: "Nhãn mẫu xét nghiệm / Test sample label",
    at: deps.now(),
    lines: [
      { text: initialsOf(s.fullName) || "?", bold: true },
      { text: s.birthYear ? `NS ${s.birthYear}` : "NS —" },
      { text: vnTime(s.takenAt) },
    ],
  });
  await recordAudit(deps, actor, { action: "test_sample.label", subjectType: "test_sample", subjectId: s.id, area: areaOf(s), details: { personId: s.personId } });
  return { pdf, fileName: `${s.barcode}.pdf` };
}

/** GET /api/test-pools/{id}/label.pdf. */
export async function poolLabel(deps: Deps, actor: SignedIn, id: string) {
  const v = await findPool(deps.db, actor.user, eq(testPools.id, id));
  const p = presentPool(v);
  const pdf = await labelPdf({
    code: p.code,
    title: "Nhãn mẫu gộp / Pool label",
    at: deps.now(),
    lines: [
      { text: `Gộp ${p.size}/${p.maxSize}`, bold: true },
      { text: p.siteName, rows: 2 },
      { text: vnTime(v.pool.createdAt) },
    ],
  });
  return { pdf, fileName: `${p.code}.pdf` };
}
