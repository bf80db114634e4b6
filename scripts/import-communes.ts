/**
 * `npm run import:communes -- <file.csv> [--dry-run] [--province NN]`: imports communes
 * (header `code,name,province_code,population`) into the database the server is configured for.
 * Valid rows are upserted in one transaction; invalid rows are reported by line and not written.
 *
 * Exit status: 0 when the file was processed (even with rejected rows, which are listed),
 * 1 when the file is unreadable, not CSV or lacks a required column, 2 on bad usage.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { CsvFormatError, importCommunes } from "../server/admin-units/import";
import { loadConfig } from "../server/config";

const USAGE = "usage: npm run import:communes -- <file.csv> [--dry-run] [--province NN]";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        province: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  if (values.province !== undefined && !/^\d{2}$/.test(values.province)) {
    console.error(`--province: "${values.province}" is not a 2-digit province code`);
    return 2;
  }
  const file = positionals[0]!;
  let csv: string;
  try {
    csv = readFileSync(file, "utf8");
  } catch (e) {
    console.error(`Cannot read ${file}: ${(e as Error).message}`);
    return 1;
  }

  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 1 });
  try {
    const dryRun = values["dry-run"];
    const report = await importCommunes(database.db, csv, { dryRun, province: values.province ?? null });
    const verb = dryRun ? "would be " : "";
    console.log(`${file}: ${report.received} row(s) read${dryRun ? " (dry run: nothing written)" : ""}`);
    console.log(`  created:  ${verb}${report.created}`);
    console.log(`  updated:  ${verb}${report.updated}`);
    console.log(`  rejected: ${report.rejected.length}`);
    for (const r of report.rejected) console.log(`    line ${r.line}${r.code ? ` (code ${r.code})` : ""}: ${r.message}`);
    return 0;
  } catch (e) {
    if (e instanceof CsvFormatError) {
      console.error(`${file}: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await database.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(`import failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
