/** `npm run pg:temp`: start a throwaway PostgreSQL, print its URL, stop it on Ctrl-C. */
import { startTempPostgres } from "./lib/temp-postgres";

const pg = await startTempPostgres({ durable: process.argv.includes("--durable") });
console.log(`PostgreSQL ready: DATABASE_URL=${pg.url}`);
const stop = () => {
  pg.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
