/** `npm start`: the platform on one port (API, portal, docs), on PGlite unless DATABASE_URL is set. */
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { buildDeps, prepare } from "./bootstrap";
import { loadConfig } from "./config";
import { startJobs } from "./jobs";

const config = loadConfig();
const deps = await buildDeps(config);
await prepare(deps, (line) => console.log(line));
const app = createApp(deps);
const jobs = config.jobs ? startJobs(deps) : undefined;
void jobs?.runAll();

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  deps.log.info("listening", { url: config.publicUrl, port: info.port, database: deps.database.engine });
  console.log(`Portal: ${config.publicUrl}/   API docs: ${config.publicUrl}/api/docs   Health: ${config.publicUrl}/healthz`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.log.info("shutting down", { signal });
  jobs?.stop();
  server.close(async () => {
    await deps.checkinWriter.drain();
    await deps.database.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
