import { createRequire } from "node:module";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { CATEGORY_LABELS_VI, posterPdf, posterPng, posterSvg, type PosterInput } from "../../server/venues/poster";

// pngjs ships no types and comes in through qrcode, so load it untyped with a minimal shape.
const { PNG } = createRequire(import.meta.url)("pngjs") as {
  PNG: { sync: { read(buf: Buffer): { width: number; height: number; data: Buffer } } };
};

const base: PosterInput = {
  url: "https://khaibao.example.vn/c/AbC123xyz",
  venueId: "3f2a9c1e-7b4d-4e2a-9c1e-7b4d4e2a9c1e",
  name: "Chợ Bến Thành – Quầy số 12 Đặng Thị Ngọc Hường",
  address: "Đường Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh",
  category: "market",
  qrVersion: 3,
  issuedAt: new Date("2025-03-04T20:00:00Z"), // already 5 March in Vietnam (UTC+7)
};

function decodePng(buf: Buffer): string | undefined {
  const png = PNG.sync.read(buf);
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

// pdfkit writes each Info entry as an indirect object holding a PDF literal string,
// UTF-16BE with a BOM when non-ASCII. Those objects are never compressed.
function pdfInfoString(pdf: string, key: string): string | undefined {
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(pdf);
  if (!ref) return undefined;
  const start = pdf.indexOf(`\n${ref[1]} 0 obj\n(`);
  if (start < 0) return undefined;
  let bytes = "";
  for (let i = pdf.indexOf("(", start) + 1; pdf[i] !== ")"; i++) {
    if (pdf[i] !== "\\") { bytes += pdf[i]; continue; }
    const next = pdf[++i]!;
    const octal = /^[0-7]{1,3}/.exec(pdf.slice(i, i + 3));
    if (octal) { bytes += String.fromCharCode(parseInt(octal[0], 8)); i += octal[0].length - 1; }
    else bytes += ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" } as Record<string, string>)[next] ?? next;
  }
  if (!bytes.startsWith("\xfe\xff")) return bytes;
  return Buffer.from(bytes.slice(2), "latin1").swap16().toString("utf16le");
}

const mediaBox = (pdf: string) => /\/MediaBox \[([^\]]+)\]/.exec(pdf)?.[1]!.trim().split(/\s+/).map(Number);

describe("posterPng", () => {
  it("decodes to exactly the URL", async () => {
    const png = await posterPng(base);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(PNG.sync.read(png).width).toBe(1024);
    expect(decodePng(png)).toBe(base.url);
  });

  it("decodes a long URL with a ~200-character token", async () => {
    const token = "aZ09-_".repeat(34).slice(0, 200);
    const url = `https://khaibao.example.vn/c/${token}?v=7`;
    expect(decodePng(await posterPng({ ...base, url }))).toBe(url);
  });

  it("honours scale as pixels per module and rejects absurd values", async () => {
    const png = PNG.sync.read(await posterPng(base, { scale: 4 }));
    expect(png.width % 4).toBe(0);
    expect(png.width).toBeLessThan(400);
    await expect(posterPng(base, { scale: 1000 })).rejects.toThrow(RangeError);
  });
});

describe("posterPdf", () => {
  it("renders an A4 page with the venue name as title", async () => {
    const buf = await posterPdf({ ...base, size: "A4" });
    const pdf = buf.toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
    expect(mediaBox(pdf)).toEqual([0, 0, 595.28, 841.89]);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(pdfInfoString(pdf, "Title")).toBe(base.name);
    expect(pdf).toContain("NotoSans"); // the embedded Vietnamese-capable font, not Helvetica
  });

  it("renders A5 as a single scaled page", async () => {
    const pdf = (await posterPdf({ ...base, size: "A5" })).toString("latin1");
    expect(mediaBox(pdf)).toEqual([0, 0, 419.53, 595.28]);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
  });

  it("copes with very long names and addresses on one page", async () => {
    const name = "Nhà hàng Hải sản Tươi sống Bà Năm Đồng Khởi ".repeat(6).trim();
    const pdf = (await posterPdf({ ...base, name, address: base.address.repeat(5), category: "nope", size: "A5" })).toString("latin1");
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(pdfInfoString(pdf, "Title")).toBe(name);
  });

  it("is reproducible for the same input", async () => {
    const a = await posterPdf({ ...base, size: "A4" });
    const b = await posterPdf({ ...base, size: "A4" });
    expect(a.equals(b)).toBe(true);
  });
});

describe("posterSvg", () => {
  it("escapes the name and address and contains the QR", async () => {
    const svg = await posterSvg({ ...base, name: `Quán <script>alert("x")</script> & 'Cô Ba'`, address: "1 < 2 & 3" });
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("Quán &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;Cô Ba&apos;");
    expect(svg).toContain("1 &lt; 2 &amp; 3");
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 595.28 841.89"/);
    expect(svg).toMatch(/<path [^>]*d="M4 4\.5h7/); // qrcode's module path, quiet zone of 4
    expect(svg).toContain("Mở camera điện thoại, quét mã và bấm Khai báo vào.");
    expect(svg).toContain(CATEGORY_LABELS_VI.market);
    expect(svg).toContain("Mã điểm: 3f2a9c1e · Phiên bản mã 3");
    expect(svg).toContain("Ngày cấp: 05/03/2025");
  });
});
