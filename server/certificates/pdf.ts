/**
 * The printable certificates: A4, bilingual, the holder's name and birth date, the table of doses
 * (vaccination) or the test and its result in colour (test), and the SMART Health Card QR (vector, up to ~105 mm, far above the spec's 40 mm minimum,
 * so it scans from a photocopy). Pure: no HTTP, no database.
 */
import { fileURLToPath } from "node:url";
import PDFDocument from "pdfkit";
import { cardQr } from "./issue";

const FONT_REGULAR = fileURLToPath(new URL("../venues/fonts/NotoSans-Regular.ttf", import.meta.url));
const FONT_BOLD = fileURLToPath(new URL("../venues/fonts/NotoSans-Bold.ttf", import.meta.url));

export const CERTIFICATE_TITLE_VI = "Giấy chứng nhận tiêm chủng COVID-19";
export const CERTIFICATE_TITLE_EN = "COVID-19 vaccination certificate";
const BRAND = "#0B5394";
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 44;
const CONTENT_W = A4.width - 2 * MARGIN;
const QUIET_ZONE = 4;

export interface CertificateInput {
  fullName: string;
  /** YYYY-MM-DD or YYYY */
  birthDate: string | null;
  doses: { doseNumber: number; givenOn: string; productName: string; lotNumber: string; siteName: string }[];
  jws: string;
  issuedAt: Date;
  /** The issuer (our PUBLIC_URL), and where anyone can check the card. */
  issuer: string;
  verifyUrl: string;
}

/** 2026-05-06 → 06/05/2026 (the Vietnamese way); a bare year stays as it is. */
export function vnDate(day: string | null): string {
  if (!day) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

// Vietnam has no DST: a fixed +07:00 gives the local calendar day.
const localDay = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

type Doc = InstanceType<typeof PDFDocument>;

/** What every card's page has: the title band, the holder, a body, the QR, the footer. */
interface CardPage {
  titleVi: string;
  titleEn: string;
  fullName: string;
  birthDate: string | null;
  jws: string;
  issuedAt: Date;
  issuer: string;
  verifyUrl: string;
  /** Draws the card's facts from `y` down; returns where they end. */
  body: (doc: Doc, y: number) => number;
}

export async function certificatePdf(input: CertificateInput): Promise<Buffer> {
  return cardPdf({ ...input, titleVi: CERTIFICATE_TITLE_VI, titleEn: CERTIFICATE_TITLE_EN, body: (doc, y) => dosesTable(doc, y, input.doses) });
}

function dosesTable(doc: Doc, top: number, doses: CertificateInput["doses"]): number {
  let y = top;
  const cols = [
    { vi: "Mũi", en: "Dose", w: 44 },
    { vi: "Ngày tiêm", en: "Date", w: 74 },
    { vi: "Vắc xin", en: "Vaccine", w: 150 },
    { vi: "Số lô", en: "Lot", w: 82 },
    { vi: "Nơi tiêm", en: "Vaccination site", w: CONTENT_W - 44 - 74 - 150 - 82 },
  ];
  const headRowH = 30;
  const rowH = 22;
  y += 4;
  doc.rect(MARGIN, y, CONTENT_W, headRowH).fill("#e8f0fa");
  let x = MARGIN;
  for (const c of cols) {
    doc.font("bold").fontSize(9).fillColor("#0b3a6b").text(c.vi, x + 5, y + 4, { width: c.w - 8, height: 12, lineBreak: false, ellipsis: true });
    doc.font("regular").fontSize(8).fillColor("#4a6482").text(c.en, x + 5, y + 16, { width: c.w - 8, height: 11, lineBreak: false, ellipsis: true });
    x += c.w;
  }
  y += headRowH;
  for (const [i, d] of doses.entries()) {
    if (i % 2) doc.rect(MARGIN, y, CONTENT_W, rowH).fill("#f6f8fb");
    const cells = [String(d.doseNumber), vnDate(d.givenOn), d.productName, d.lotNumber, d.siteName];
    x = MARGIN;
    cells.forEach((text, j) => {
      const c = cols[j]!;
      doc.font(j === 0 ? "bold" : "regular").fontSize(9.5).fillColor("#111111").text(text, x + 5, y + 6, { width: c.w - 8, height: 13, lineBreak: false, ellipsis: true });
      x += c.w;
    });
    y += rowH;
  }
  doc.moveTo(MARGIN, y).lineTo(MARGIN + CONTENT_W, y).lineWidth(0.75).strokeColor("#b9c7d8").stroke();
  return y;
}

export const TEST_CERTIFICATE_TITLE_VI = "Giấy xác nhận kết quả xét nghiệm COVID-19";
export const TEST_CERTIFICATE_TITLE_EN = "COVID-19 test result certificate";

export interface TestCertificateInput {
  fullName: string;
  /** YYYY-MM-DD or YYYY */
  birthDate: string | null;
  test: { testType: "pcr" | "rapid_antigen"; takenAt: string; result: "negative" | "positive" | "invalid"; resultAt: string | null; performer: string; siteName: string; barcode: string };
  jws: string;
  issuedAt: Date;
  issuer: string;
  verifyUrl: string;
}

const TEST_NAMES = {
  pcr: ["Xét nghiệm RT-PCR", "RT-PCR test (SARS-CoV-2 RNA)"],
  rapid_antigen: ["Test nhanh kháng nguyên", "Rapid antigen test"],
} as const;
const RESULT_WORDS = {
  negative: ["ÂM TÍNH", "NEGATIVE", "#0b6e4f"],
  positive: ["DƯƠNG TÍNH", "POSITIVE", "#b3261e"],
  invalid: ["KHÔNG XÁC ĐỊNH", "INCONCLUSIVE", "#8a5a00"],
} as const;

/** 2026-10-18T02:30:00Z → "09:30 18/10/2026" (Vietnam's time). */
export function vnDateTimeText(iso: string | null): string {
  if (!iso) return "—";
  const local = new Date(Date.parse(iso) + 7 * 3600_000).toISOString();
  return `${local.slice(11, 16)} ${vnDate(local.slice(0, 10))}`;
}

/** The printable test certificate: the test, the sample's time, the result in its colour, the QR. */
export async function testCertificatePdf(input: TestCertificateInput): Promise<Buffer> {
  return cardPdf({
    ...input,
    titleVi: TEST_CERTIFICATE_TITLE_VI,
    titleEn: TEST_CERTIFICATE_TITLE_EN,
    body: (doc, top) => {
      const t = input.test;
      const [vi, en, color] = RESULT_WORDS[t.result];
      let y = top + 4;
      const boxH = 58;
      doc.roundedRect(MARGIN, y, CONTENT_W, boxH, 8).fill(color);
      doc.font("regular").fontSize(10).fillColor("#ffffff").text("Kết quả / Result", MARGIN + 14, y + 8, { width: CONTENT_W - 28, height: 14 });
      doc.font("bold").fontSize(24).fillColor("#ffffff").text(`${vi} / ${en}`, MARGIN + 14, y + 22, { width: CONTENT_W - 28, height: 32, lineBreak: false, ellipsis: true });
      y += boxH + 12;
      const rows: [string, string, string][] = [
        ["Loại xét nghiệm", "Test", `${TEST_NAMES[t.testType][0]} / ${TEST_NAMES[t.testType][1]}`],
        ["Thời gian lấy mẫu", "Sample taken", vnDateTimeText(t.takenAt)],
        ["Thời gian có kết quả", "Result recorded", vnDateTimeText(t.resultAt)],
        ["Nơi xét nghiệm", "Tested by", t.performer],
        ["Nơi lấy mẫu · mã mẫu", "Sampling site · sample code", `${t.siteName} · ${t.barcode}`],
      ];
      for (const [lv, le, value] of rows) {
        doc.font("regular").fontSize(9.5).fillColor("#555555").text(`${lv} / ${le}`, MARGIN, y, { width: CONTENT_W, height: 13 });
        doc.font("bold").fontSize(12.5).fillColor("#111111").text(value, MARGIN, y + 13, { width: CONTENT_W, height: 17, lineBreak: false, ellipsis: true });
        y += 34;
      }
      doc.moveTo(MARGIN, y).lineTo(MARGIN + CONTENT_W, y).lineWidth(0.75).strokeColor("#b9c7d8").stroke();
      return y;
    },
  });
}

async function cardPdf(input: CardPage): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margin: 0,
    lang: "vi-VN",
    displayTitle: true,
    info: { Title: `${input.titleVi} – ${input.fullName}`, Subject: input.titleEn, Creator: input.issuer, CreationDate: input.issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", FONT_REGULAR).registerFont("bold", FONT_BOLD);
  // Every text() passes `height`, which stops pdfkit from adding pages when a box overflows.

  const headerH = 104;
  doc.rect(0, 0, A4.width, headerH).fill(BRAND);
  // One line: the largest size up to 24 pt that fits the width.
  const title = input.titleVi.toUpperCase();
  doc.font("bold").fontSize(24);
  doc.fontSize(Math.min(24, (24 * (CONTENT_W - 4)) / doc.widthOfString(title))).fillColor("#ffffff");
  doc.text(title, MARGIN, 30, { width: CONTENT_W, height: 34, align: "center", lineBreak: false });
  doc.font("regular").fontSize(14).fillColor("#dbe7f5");
  doc.text(input.titleEn, MARGIN, 64, { width: CONTENT_W, height: 22, align: "center" });

  // The holder
  let y = headerH + 24;
  const field = (labelVi: string, labelEn: string, value: string) => {
    doc.font("regular").fontSize(10).fillColor("#555555").text(`${labelVi} / ${labelEn}`, MARGIN, y, { width: CONTENT_W, height: 14 });
    doc.font("bold").fontSize(17).fillColor("#111111").text(value, MARGIN, y + 14, { width: CONTENT_W, height: 24, ellipsis: true });
    y += 44;
  };
  field("Họ và tên", "Full name", input.fullName);
  field("Ngày sinh", "Date of birth", vnDate(input.birthDate));

  y = input.body(doc, y);

  // The QR, as vector runs of dark modules filled as one path (no hairline seams), sized to fit
  const footTop = 772;
  const qrTop = y + 22;
  const qrSize = Math.max(170, Math.min(300, footTop - qrTop - 80));
  const { modules } = cardQr(input.jws);
  const n = modules.size;
  const unit = qrSize / (n + 2 * QUIET_ZONE);
  const qrX = (A4.width - qrSize) / 2;
  doc.rect(qrX, qrTop, qrSize, qrSize).fill("#ffffff");
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      doc.rect(qrX + (QUIET_ZONE + start) * unit, qrTop + (QUIET_ZONE + row) * unit, (col - start) * unit, unit);
    }
  }
  doc.fill("#000000");
  const noteTop = qrTop + qrSize + 8;
  doc.font("bold").fontSize(11).fillColor("#111111");
  doc.text("SMART Health Card", MARGIN, noteTop, { width: CONTENT_W, height: 16, align: "center" });
  doc.font("regular").fontSize(9.5).fillColor("#444444");
  doc.text(`Quét mã bằng ứng dụng kiểm tra SMART Health Card bất kỳ, hoặc tại ${input.verifyUrl}`, MARGIN, noteTop + 17, { width: CONTENT_W, height: 14, align: "center" });
  doc.fillColor("#666666").text(`Scan with any SMART Health Card verifier, or at ${input.verifyUrl}`, MARGIN, noteTop + 31, { width: CONTENT_W, height: 14, align: "center" });

  doc.moveTo(MARGIN, footTop).lineTo(A4.width - MARGIN, footTop).lineWidth(0.75).strokeColor("#cccccc").stroke();
  doc.font("regular").fontSize(9).fillColor("#555555");
  doc.text(`Ngày cấp / Issued: ${vnDate(localDay(input.issuedAt))}`, MARGIN, footTop + 10, { width: CONTENT_W / 2, height: 14 });
  doc.text(`Đơn vị cấp / Issuer: ${input.issuer}`, A4.width / 2, footTop + 10, { width: CONTENT_W / 2, height: 14, align: "right", ellipsis: true });
  doc.fontSize(8).fillColor("#777777");
  doc.text(
    "Giấy chứng nhận có chữ ký số; thông tin trên giấy chỉ có giá trị khi mã QR được kiểm tra hợp lệ. / Digitally signed: valid only when the QR code checks out.",
    MARGIN,
    footTop + 28,
    { width: CONTENT_W, height: 24, align: "center" },
  );

  doc.end();
  return done;
}
