/**
 * Printable check-in posters for a venue: a PDF for the shop door (A4/A5), a bare QR PNG for
 * reuse in other media, and an SVG poster that scales without loss. Pure functions, no HTTP.
 */
import { fileURLToPath } from "node:url";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";

export type PosterInput = {
  url: string;
  venueId: string;
  name: string;
  address: string;
  category: string;
  qrVersion: number;
  issuedAt: Date;
};

export const CATEGORY_LABELS_VI = {
  market: "Chợ",
  shop: "Cửa hàng",
  restaurant: "Nhà hàng, quán ăn",
  school: "Trường học",
  office: "Cơ quan, văn phòng",
  hospital: "Cơ sở y tế",
  station: "Bến xe, nhà ga",
  worship: "Cơ sở tôn giáo",
  other: "Địa điểm công cộng",
} as const satisfies Record<string, string>;

// The standard 14 PDF fonts have no Vietnamese glyphs, so we embed (subsets of) Noto Sans.
const FONT_REGULAR = fileURLToPath(new URL("./fonts/NotoSans-Regular.ttf", import.meta.url));
const FONT_BOLD = fileURLToPath(new URL("./fonts/NotoSans-Bold.ttf", import.meta.url));

const TITLE_VI = "QUÉT MÃ ĐỂ KHAI BÁO VÀO / RA";
const TITLE_EN = "Scan to check in";
// Two sentences, one per line: letting them wrap freely breaks "Không / cần" across lines.
const INSTRUCTION_VI = ["Mở camera điện thoại, quét mã và bấm Khai báo vào.", "Không cần cài ứng dụng."] as const;
const INSTRUCTION_EN = "Open your phone camera, scan the code and tap “Khai báo vào”. No app needed.";
// M recovers ~15% damage (scuffed or taped-over posters) while keeping modules large.
const ECC = "M" as const;
const QUIET_ZONE = 4; // modules; the QR spec minimum, scanners fail without it
const BRAND = "#0B5394";

// The layout is designed once in A4 points; A5 has the same aspect ratio, so it is that
// layout uniformly scaled down.
const A4 = { width: 595.28, height: 841.89 };
const PAGE = { A4: [A4.width, A4.height], A5: [419.53, 595.28] } as const;
const MARGIN = 40;
const CONTENT_W = A4.width - 2 * MARGIN;
const HEADER_H = 118;
const QR = { size: 360, top: 296 };

const categoryLabel = (c: string) => CATEGORY_LABELS_VI[c as keyof typeof CATEGORY_LABELS_VI] ?? CATEGORY_LABELS_VI.other;
const posterId = (i: PosterInput) => `Mã điểm: ${i.venueId.slice(0, 8)} · Phiên bản mã ${i.qrVersion}`;

// Vietnam has no DST, so a fixed +07:00 shift gives the local calendar date without relying on ICU data.
function issueDate(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `Ngày cấp: ${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
}

export async function posterPdf(input: PosterInput & { size: "A4" | "A5" }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [...PAGE[input.size]],
    margin: 0,
    lang: "vi-VN",
    displayTitle: true,
    // A fixed CreationDate also makes pdfkit's file ID (an MD5 of the info dict) reproducible.
    info: { Title: input.name, Subject: `${TITLE_VI} – ${input.address}`, Creator: "QR check-in", CreationDate: input.issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", FONT_REGULAR).registerFont("bold", FONT_BOLD);
  doc.scale(PAGE[input.size][0] / A4.width);
  // Every text() call below passes `height`: besides clipping, it stops pdfkit from adding
  // pages when a box overflows (its page-break check ignores the scale transform).

  doc.rect(0, 0, A4.width, HEADER_H).fill(BRAND);
  doc.font("bold").fontSize(30);
  doc.fontSize(Math.min(30, (30 * CONTENT_W) / doc.widthOfString(TITLE_VI)));
  doc.fillColor("#ffffff").text(TITLE_VI, MARGIN, 30, { width: CONTENT_W, height: 44, align: "center" });
  doc.font("regular").fontSize(15).fillColor("#dbe7f5");
  doc.text(TITLE_EN, MARGIN, 78, { width: CONTENT_W, height: 24, align: "center" });

  // Venue name: largest size (38 → 20 pt) fitting a 104 pt box (2 lines at 38 pt, 3 at ~25 pt).
  doc.font("bold");
  let nameSize = 38;
  while (nameSize > 20 && doc.fontSize(nameSize).heightOfString(input.name, { width: CONTENT_W }) > 104) nameSize--;
  const nameH = Math.min(104, doc.heightOfString(input.name, { width: CONTENT_W }));
  doc.font("regular").fontSize(14);
  const addrH = Math.min(40, doc.heightOfString(input.address, { width: CONTENT_W }));
  // Centre the name+address block in the gap between the header and the QR.
  const nameTop = HEADER_H + (QR.top - HEADER_H - (nameH + 6 + addrH)) / 2;
  doc.font("bold").fontSize(nameSize).fillColor("#111111");
  doc.text(input.name, MARGIN, nameTop, { width: CONTENT_W, height: nameH, align: "center", ellipsis: true });
  doc.font("regular").fontSize(14).fillColor("#444444");
  doc.text(input.address, MARGIN, nameTop + nameH + 6, { width: CONTENT_W, height: addrH, align: "center", ellipsis: true });

  // The QR as vector rectangles so it stays sharp at any print size. One rect per horizontal
  // run of dark modules, all filled as a single path so renderers leave no hairline seams.
  const { modules } = QRCode.create(input.url, { errorCorrectionLevel: ECC });
  const n = modules.size;
  const unit = QR.size / (n + 2 * QUIET_ZONE);
  const qrX = (A4.width - QR.size) / 2;
  doc.roundedRect(qrX - 8, QR.top - 8, QR.size + 16, QR.size + 16, 14).lineWidth(3).strokeColor(BRAND).stroke();
  doc.rect(qrX, QR.top, QR.size, QR.size).fill("#ffffff");
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) { col++; continue; }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      doc.rect(qrX + (QUIET_ZONE + start) * unit, QR.top + (QUIET_ZONE + row) * unit, (col - start) * unit, unit);
    }
  }
  doc.fill("#000000");
  doc.link(qrX, QR.top, QR.size, QR.size, input.url); // tappable when the PDF is viewed on a phone

  const instrTop = QR.top + QR.size + 20;
  doc.font("bold").fontSize(16).fillColor("#111111");
  doc.text(INSTRUCTION_VI.join("\n"), MARGIN + 10, instrTop, { width: CONTENT_W - 20, height: 48, align: "center" });
  doc.font("regular").fontSize(12).fillColor("#555555");
  doc.text(INSTRUCTION_EN, MARGIN + 10, instrTop + 50, { width: CONTENT_W - 20, height: 36, align: "center" });

  const footTop = 770;
  doc.moveTo(MARGIN, footTop).lineTo(A4.width - MARGIN, footTop).lineWidth(0.75).strokeColor("#cccccc").stroke();
  doc.font("bold").fontSize(13).fillColor(BRAND);
  doc.text(categoryLabel(input.category), MARGIN, footTop + 10, { width: CONTENT_W, height: 20 });
  doc.font("regular").fontSize(10.5).fillColor("#555555");
  doc.text(posterId(input), MARGIN, footTop + 32, { width: CONTENT_W / 2, height: 16 });
  doc.text(issueDate(input.issuedAt), A4.width / 2, footTop + 32, { width: CONTENT_W / 2, height: 16, align: "right" });

  doc.end();
  return done;
}

/** Just the QR with its quiet zone. `scale` = pixels per module; default is a ~1024 px square. */
export async function posterPng(input: PosterInput, options: { scale?: number } = {}): Promise<Buffer> {
  const { scale } = options;
  // Bounded because scale may come from a query string and the image grows with its square.
  if (scale !== undefined && !(scale >= 1 && scale <= 32)) throw new RangeError("scale must be between 1 and 32");
  return QRCode.toBuffer(input.url, { errorCorrectionLevel: ECC, margin: QUIET_ZONE, ...(scale ? { scale } : { width: 1024 }) });
}

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

// SVG has no text wrapping, so wrap greedily on an estimated average glyph width (in em).
function wrap(text: string, size: number, em: number, maxLines: number): string[] {
  const budget = Math.max(4, Math.floor(CONTENT_W / (size * em)));
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= budget) lines[lines.length - 1] = `${last} ${word}`;
    else for (let i = 0; i < word.length; i += budget) lines.push(word.slice(i, i + budget));
  }
  if (lines.length > maxLines) lines.splice(maxLines - 1, Infinity, `${lines[maxLines - 1]!.slice(0, budget - 1)}…`);
  return lines;
}

/** A4-proportioned SVG poster (same coordinates as the PDF layout); scales via its viewBox. */
export async function posterSvg(input: PosterInput): Promise<string> {
  const qr = await QRCode.toString(input.url, { type: "svg", errorCorrectionLevel: ECC, margin: QUIET_ZONE });
  const qrX = (A4.width - QR.size) / 2;
  // Nest qrcode's own <svg> (it has its own module-unit viewBox) by giving it a position and size.
  const qrSvg = qr.replace("<svg ", `<svg x="${qrX}" y="${QR.top}" width="${QR.size}" height="${QR.size}" `);
  let size = 38; // same shrink-to-fit rule as the PDF: at most three lines, down to 20
  while (size > 20 && wrap(input.name, size, 0.62, Infinity).length > 3) size -= 2;
  const nameLines = wrap(input.name, size, 0.62, 3);
  const addrLines = wrap(input.address, 14, 0.54, 2);
  const lineH = size * 1.3;
  // Baseline of the first name line, with the name+address block centred above the QR.
  const nameTop = HEADER_H + (QR.top - HEADER_H - (nameLines.length * lineH + 6 + addrLines.length * 19)) / 2 + size;
  const addrTop = nameTop + (nameLines.length - 1) * lineH + 26;
  const cx = A4.width / 2;
  const text = (y: number, s: string, attrs: string) => `<text x="${cx}" y="${y}" ${attrs}>${xml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${A4.width} ${A4.height}" width="210mm" height="297mm">`,
    `<title>${xml(input.name)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g font-family="'Noto Sans', Arial, sans-serif" text-anchor="middle">`,
    `<rect width="${A4.width}" height="${HEADER_H}" fill="${BRAND}"/>`,
    text(66, TITLE_VI, `font-size="28" font-weight="700" fill="#ffffff"`),
    text(96, TITLE_EN, `font-size="15" fill="#dbe7f5"`),
    ...nameLines.map((l, i) => text(nameTop + i * lineH, l, `font-size="${size}" font-weight="700" fill="#111111"`)),
    ...addrLines.map((l, i) => text(addrTop + i * 19, l, `font-size="14" fill="#444444"`)),
    `<rect x="${qrX - 8}" y="${QR.top - 8}" width="${QR.size + 16}" height="${QR.size + 16}" rx="14" fill="none" stroke="${BRAND}" stroke-width="3"/>`,
    qrSvg,
    ...INSTRUCTION_VI.map((l, i) => text(QR.top + QR.size + 40 + i * 21, l, `font-size="16" font-weight="700" fill="#111111"`)),
    text(QR.top + QR.size + 88, INSTRUCTION_EN, `font-size="12" fill="#555555"`),
    text(800, `${categoryLabel(input.category)} · ${posterId(input)} · ${issueDate(input.issuedAt)}`, `font-size="10.5" fill="#555555"`),
    `</g></svg>`,
  ].join("\n");
}
