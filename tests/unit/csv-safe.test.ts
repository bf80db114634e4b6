/**
 * CSV cells of the exports (server/stats/exports/csv.ts, docs/STATS.md "Exports"): formula
 * injection neutralised (a text cell starting with = + - @ tab or CR gets a leading '), RFC 4180
 * quoting (commas, quotes, CR and LF), CRLF rows, the BOM, and whole files from batches (CSV,
 * JSON, and an XLSX table spread over sheets when it is longer than one).
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { BOM, csvCell, csvChunks, csvLine, neutralise } from "../../server/stats/exports/csv";
import { jsonChunks } from "../../server/stats/exports/json";
import { writeTable, xlsxStream } from "../../server/stats/exports/xlsx";

async function* batches<T extends Record<string, unknown> = Record<string, unknown>>(...bs: T[][]) {
  for (const b of bs) yield b;
}
async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const s of gen) out += s;
  return out;
}

describe("formula injection", () => {
  it.each([
    ["=HYPERLINK(\"http://x.test\",\"bấm\")", "'=HYPERLINK(\"http://x.test\",\"bấm\")"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\tcmd", "'\tcmd"],
    ["\r=1", "'\r=1"],
  ])("prefixes %j with a quote", (input, expected) => {
    expect(neutralise(input)).toBe(expected);
  });

  it("leaves other text alone, including the characters anywhere but first", () => {
    for (const s of ["Nguyễn Văn A", "a=b", "1+1", "x-y", "me@host", " =1", "'=1", ""]) expect(neutralise(s)).toBe(s);
  });

  it("neutralises then quotes a cell that needs both", () => {
    expect(csvCell('=HYPERLINK("http://x.test","bấm")')).toBe('"\'=HYPERLINK(""http://x.test"",""bấm"")"');
    expect(csvCell("=1,2")).toBe("\"'=1,2\"");
    expect(csvCell("\r\n=1")).toBe("\"'\r\n=1\"");
    expect(csvCell("\t=1")).toBe("'\t=1");
  });

  it("writes numbers as numbers, even negative ones (they are not text)", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(0)).toBe("0");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvCell("-5")).toBe("'-5");
  });
});

describe("RFC 4180 quoting", () => {
  it("quotes cells with a comma, a quote, CR or LF, and doubles the quotes", () => {
    expect(csvCell("Hoàn Kiếm, Hà Nội")).toBe('"Hoàn Kiếm, Hà Nội"');
    expect(csvCell('Chợ "Đồng Xuân"')).toBe('"Chợ ""Đồng Xuân"""');
    expect(csvCell("dòng 1\ndòng 2")).toBe('"dòng 1\ndòng 2"');
    expect(csvCell("a\rb")).toBe('"a\rb"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("writes null and undefined as empty cells and booleans as words", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(true)).toBe("true");
  });

  it("ends every row with CRLF", () => {
    expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});

describe("whole files", () => {
  const columns = [
    { key: "name", label: "Họ và tên" },
    { key: "n", label: "Số" },
  ];

  it("starts with the BOM and the header, one chunk per batch, and parses back to the same cells", async () => {
    const chunks: string[] = [];
    for await (const c of csvChunks(columns, batches([{ name: "+1", n: 1 }], [{ name: 'A "B", C\nD', n: 2 }, { name: "@x", n: null }])))
      chunks.push(c);
    expect(chunks).toHaveLength(2);
    const text = chunks.join("");
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1, text.indexOf("\r\n"))).toBe("Họ và tên,Số");
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parse(text.slice(1), { record_delimiter: "\r\n" }) as string[][];
    expect(rows).toEqual([
      ["Họ và tên", "Số"],
      ["'+1", "1"],
      ['A "B", C\nD', "2"],
      ["'@x", ""],
    ]);
  });

  it("has the BOM and the header even with no rows", async () => {
    expect(await collect(csvChunks(columns, batches()))).toBe(`${BOM}Họ và tên,Số\r\n`);
  });

  it("XLSX: a table longer than a sheet goes on to the next sheet, header repeated, no row lost", async () => {
    const stream = xlsxStream(async (book, room) => {
      const n = await writeTable(book, "Mũi tiêm", columns, batches([{ name: "=a", n: 1 }, { name: "b", n: 2 }], [{ name: "c", n: 3 }], [{ name: "d", n: 4 }, { name: "e", n: 5 }]), room, 2);
      expect(n).toBe(5);
    });
    const body = Buffer.from(await new Response(stream).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Mũi tiêm", "Mũi tiêm (2)", "Mũi tiêm (3)"]);
    const values = wb.worksheets.map((s) => {
      const rows: unknown[][] = [];
      s.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      return rows;
    });
    expect(values).toEqual([
      [["Họ và tên", "Số"], ["=a", 1], ["b", 2]],
      [["Họ và tên", "Số"], ["c", 3], ["d", 4]],
      [["Họ và tên", "Số"], ["e", 5]],
    ]);
  });

  it("JSON: a streamed array of objects with the columns' keys, empty or not", async () => {
    expect(JSON.parse(await collect(jsonChunks(columns, batches())))).toEqual([]);
    const text = await collect(jsonChunks(columns, batches([{ name: "=1", n: 1, extra: "x" }], [], [{ name: "b", n: null }])));
    expect(JSON.parse(text)).toEqual([
      { name: "=1", n: 1 },
      { name: "b", n: null },
    ]);
  });
});
