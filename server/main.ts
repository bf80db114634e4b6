/** `npm start`: the platform on one port (API, portal, docs), on PGlite unless DATABASE_URL is set. */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
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
const http = server as Server;
// Once stopping, an answer on a kept-alive connection closes it (the client opens a new one elsewhere).
http.on("request", (_req: IncomingMessage, res: ServerResponse) => {
  if (stopping && !res.headersSent) res.setHeader("connection", "close");
});

/**
 * SIGTERM / SIGINT: stop accepting connections, let the requests in flight finish (their answers
 * are sent), write what the check-in writer still holds, close the pool, exit 0 (exit 1 if that
 * takes more than 10 s). server.close() alone would wait for every keep-alive connection to be
 * closed by its client, which a busy client never does: idle connections are closed now and
 * each busy one as soon as its answer is out.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.log.info("shutting down", { signal });
  jobs?.stop();
  const idle = setInterval(() => http.closeIdleConnections(), 50);
  server.close(async () => {
    clearInterval(idle);
    await deps.checkinWriter.drain();
    await deps.database.close();
    deps.log.info("stopped", { signal });
    process.exit(0);
  });
  http.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
