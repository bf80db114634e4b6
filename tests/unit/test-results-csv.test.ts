/** The lab's result file (server/testing/results/csv.ts): result words, times, separators, BOM, line numbers. */
import { describe, expect, it } from "vitest";
import { normaliseCode, parseResultTime, parseResultWord, readResultsCsv, ResultsFileError } from "../../server/testing/results/csv";

describe("result words", () => {
  it("reads English and Vietnamese, with or without accents, any case", () => {
    expect(parseResultWord("negative")).toBe("negative");
    expect(parseResultWord(" POSITIVE ")).toBe("positive");
    expect(parseResultWord("Invalid")).toBe("invalid");
    expect(parseResultWord("âm tính")).toBe("negative");
    expect(parseResultWord("Âm Tính")).toBe("negative");
    expect(parseResultWord("dương tính")).toBe("positive");
    expect(parseResultWord("DƯƠNG TÍNH")).toBe("positive");
    expect(parseResultWord("không xác định")).toBe("invalid");
    expect(parseResultWord("am tinh")).toBe("negative");
    expect(parseResultWord("duong  tinh")).toBe("positive");
    expect(parseResultWord("khong_xac_dinh")).toBe("invalid");
    // composed (NFC) and decomposed (NFD) Vietnamese read the same
    expect(parseResultWord("dương tính".normalize("NFD"))).toBe("positive");
  });

  it("refuses anything else", () => {
    for (const w of ["", "neg", "pos", "âm", "dương", "nghi ngờ", "1", "true"]) expect(parseResultWord(w)).toBeNull();
  });
});

describe("result times", () => {
  it("reads dd/mm/yyyy hh:mm as Vietnam time", () => {
    expect(parseResultTime("12/10/2026 16:30")?.toISOString()).toBe("2026-10-12T09:30:00.000Z");
    expect(parseResultTime("1/2/2026 7:05")?.toISOString()).toBe("2026-02-01T00:05:00.000Z");
    expect(parseResultTime("12/10/2026 16:30:15")?.toISOString()).toBe("2026-10-12T09:30:15.000Z");
    // 00:30 in Vietnam is the previous UTC day
    expect(parseResultTime("13/10/2026 00:30")?.toISOString()).toBe("2026-10-12T17:30:00.000Z");
    expect(parseResultTime("12-10-2026 16h30")?.toISOString()).toBe("2026-10-12T09:30:00.000Z");
  });

  it("reads ISO 8601 with an offset or Z, and without one as Vietnam time", () => {
    expect(parseResultTime("2026-10-12T16:30:00+07:00")?.toISOString()).toBe("2026-10-12T09:30:00.000Z");
    expect(parseResultTime("2026-10-12T09:30:00Z")?.toISOString()).toBe("2026-10-12T09:30:00.000Z");
    expect(parseResultTime("2026-10-12T09:30:00.250Z")?.toISOString()).toBe("2026-10-12T09:30:00.250Z");
    expect(parseResultTime("2026-10-12T04:30:00-05:00")?.toISOString()).toBe("2026-10-12T09:30:00.000Z");
    expect(parseResultTime("2026-10-12 16:30")?.toISOString()).toBe("2026-10-12T09:30:00.000Z");
  });

  it("refuses what is not a time on the calendar", () => {
    for (const t of ["", "hôm nay", "31/02/2026 10:00", "12/13/2026 10:00", "12/10/2026", "12/10/2026 24:00", "12/10/2026 10:60", "2026-02-30T10:00:00Z", "2026-10-12", "10:30"])
      expect(parseResultTime(t), t).toBeNull();
  });
});

describe("codes", () => {
  it("are upper-cased with spaces and dashes dropped", () => {
    expect(normaliseCode(" p-3fq7 zk2m ")).toBe("P3FQ7ZK2M");
    expect(normaliseCode("s7k2-m9qx-4tb")).toBe("S7K2M9QX4TB");
  });
});

describe("the file", () => {
  it("reads a comma file: rows numbered by the file's lines, result_at optional per row", () => {
    const rows = readResultsCsv("code,result,result_at\nP3FQ7ZK2M,negative,2026-10-12T16:30:00+07:00\n\nS7K2M9QX4TB,positive,\n");
    expect(rows).toEqual([
      { line: 2, code: "P3FQ7ZK2M", result: "negative", resultAt: "2026-10-12T16:30:00+07:00" },
      { line: 4, code: "S7K2M9QX4TB", result: "positive", resultAt: null },
    ]);
  });

  it("reads Excel's Vietnamese export: a BOM, semicolons, Vietnamese headers and words, CRLF", () => {
    const rows = readResultsCsv("\uFEFFMã;Kết quả;Thời gian\r\nP3FQ7ZK2M;âm tính;12/10/2026 16:30\r\nS7K2M9QX4TB;dương tính;13/10/2026 08:00\r\n");
    expect(rows).toEqual([
      { line: 2, code: "P3FQ7ZK2M", result: "âm tính", resultAt: "12/10/2026 16:30" },
      { line: 3, code: "S7K2M9QX4TB", result: "dương tính", resultAt: "13/10/2026 08:00" },
    ]);
  });

  it("reads tab-separated files and columns in any order, without result_at", () => {
    expect(readResultsCsv("result\tcode\nkhông xác định\tP3FQ7ZK2M\n")).toEqual([{ line: 2, code: "P3FQ7ZK2M", result: "không xác định", resultAt: null }]);
  });

  it("keeps a quoted cell with the separator in it", () => {
    expect(readResultsCsv('code,result,result_at\n"P3FQ7ZK2M","âm tính","12/10/2026 16:30"\n')[0]).toMatchObject({ code: "P3FQ7ZK2M", resultAt: "12/10/2026 16:30" });
  });

  it("refuses a file without the code or result column, an empty file, a file without rows", () => {
    expect(() => readResultsCsv("barcode_x,result\nP1,negative\n")).toThrow(ResultsFileError);
    expect(() => readResultsCsv("code,ket_qua_x\nP1,negative\n")).toThrow(/result/);
    expect(() => readResultsCsv("")).toThrow(ResultsFileError);
    expect(() => readResultsCsv("code,result\n\n")).toThrow(/no data rows/);
    expect(() => readResultsCsv("code,result,code\nP1,negative,P2\n")).toThrow(/2 times/);
  });
});
