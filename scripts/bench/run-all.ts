/**
 * `npm run bench [-- name… [-- bench options…]]`: runs the benchmarks in scripts/bench one after
 * another, each as its own `tsx` process with its output passed through; only the named ones
 * when names are given (`seed` or `seed.ts`). Options after a second `--` go to every benchmark,
 * e.g. `npm run bench -- seed -- --checkins 500k`. Exits non-zero if any benchmark fails.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== self && !f.startsWith("_") && !f.endsWith(".d.ts"))
  .map((f) => f.slice(0, -3))
  .sort();

const argv = process.argv.slice(2);
const split = argv.indexOf("--");
const names = (split >= 0 ? argv.slice(0, split) : argv).map((n) => n.replace(/\.ts$/, ""));
const passThrough = split >= 0 ? argv.slice(split + 1) : [];

const unknown = names.filter((n) => !available.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ") || "none"}`);
  process.exit(2);
}
const selected = names.length ? names : available;
if (!selected.length) {
  console.error("no benchmarks in scripts/bench");
  process.exit(2);
}

let current: ReturnType<typeof spawn> | undefined;
let interrupted = false;
// Ctrl-C reaches the benchmark too (same process group): wait for it to clean up (stop its
// PostgreSQL) and report. A SIGTERM sent to us alone is passed on.
process.on("SIGINT", () => {
  interrupted = true;
  if (!current) process.exit(130);
});
process.on("SIGTERM", () => {
  interrupted = true;
  if (current && current.exitCode === null) current.kill("SIGTERM");
  else process.exit(143);
});

function run(name: string): Promise<{ code: number; seconds: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsxCli, join(here, `${name}.ts`), ...passThrough], { stdio: "inherit" });
    current = child;
    child.on("error", (e) => {
      console.error(`bench ${name}: ${e.message}`);
      resolve({ code: 1, seconds: (performance.now() - t0) / 1000 });
    });
    child.on("exit", (code, signal) => {
      current = undefined;
      resolve({ code: code ?? (signal ? 128 : 1), seconds: (performance.now() - t0) / 1000 });
    });
  });
}

const results: { name: string; code: number; seconds: number }[] = [];
for (const name of selected) {
  if (interrupted) break;
  console.log(`\n=== bench ${name} ===`);
  results.push({ name, ...(await run(name)) });
}
console.log("\n=== summary ===");
for (const r of results) console.log(`  ${r.code === 0 ? "ok  " : "FAIL"}  ${r.name.padEnd(16)} ${r.seconds.toFixed(1)}s${r.code ? `  (exit ${r.code})` : ""}`);
const failed = results.filter((r) => r.code !== 0);
process.exit(failed.length ? 1 : 0);
