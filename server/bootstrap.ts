import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { users } from "../db/schema";
import type { Config } from "./config";
import type { Deps } from "./deps";
import { loadKeyring } from "./auth/keys";
import { hashPassword } from "./auth/passwords";
import { seedDemo } from "./demo/seed-demo";
import { createLogger } from "./http/log";
import { createRateLimiter } from "./http/rate-limit";
import { ensureCurrentPartitions } from "./checkins/partitions";
import { createCheckinWriter } from "./checkins/writer";
import { createVenueCache } from "./venues/cache";
import { createVenueCodeVerifier } from "./venues/codes";
import { createSmsSender } from "./citizens/sms";

/** Opens the database (migrations applied), loads keys and builds the deps of the server. */
export async function buildDeps(config: Config): Promise<Deps> {
  const log = createLogger(config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: config.databasePool,
  });
  const keys = await loadKeyring({ dir: config.keysDir, given: { auth: config.authSigningKey, venue: config.venueSigningKey, person: config.personSigningKey, shc: config.shcSigningKey }, hashSecret: config.idHashSecret });
  return {
    config,
    database,
    db: database.db,
    keys,
    log,
    now: () => new Date(),
    loginLimiter: createRateLimiter(config.loginRateLimit, config.loginRateWindow),
    venueCache: createVenueCache(database.db),
    verifyVenueCode: createVenueCodeVerifier(keys),
    checkinWriter: createCheckinWriter(database, { maxBatch: config.checkinBatchMax, waitMs: config.checkinBatchWaitMs }),
    sms: createSmsSender(config, log),
  };
}

/**
 * First start: creates the national admin from ADMIN_USERNAME/ADMIN_PASSWORD, or with a
 * generated password printed once. Returns the password when one was generated.
 */
export async function ensureNationalAdmin(deps: Deps): Promise<{ created: boolean; generatedPassword?: string }> {
  const [existing] = await deps.db.select({ id: users.id }).from(users).where(eq(users.role, "national_admin")).limit(1);
  if (existing) return { created: false };
  const generated = deps.config.adminPassword ? undefined : randomBytes(12).toString("base64url");
  await deps.db
    .insert(users)
    .values({
      username: deps.config.adminUsername.toLowerCase(),
      displayName: "Quản trị quốc gia",
      passwordHash: await hashPassword(deps.config.adminPassword ?? generated!),
      role: "national_admin",
    })
    .onConflictDoNothing();
  return generated ? { created: true, generatedPassword: generated } : { created: true };
}

/** Everything a fresh start needs before serving: admin, and demo data on an empty platform. */
export async function prepare(deps: Deps, print: (line: string) => void) {
  await ensureCurrentPartitions(deps.database, deps.now());
  const admin = await ensureNationalAdmin(deps);
  if (admin.generatedPassword) {
    print(`National admin created: username "${deps.config.adminUsername}", password "${admin.generatedPassword}" (shown once; change it after signing in)`);
  }
  if (deps.config.demoData) {
    const demo = await seedDemo(deps);
    if (demo) {
      print(`Demo data loaded: ${demo.communes} communes, ${demo.venues} venues, ${demo.people} people, ${demo.checkins} check-ins.`);
      print(`Demo accounts (password "${deps.config.demoPassword}"):`);
      for (const u of demo.users) print(`  ${u.username.padEnd(16)} ${u.role.padEnd(17)} ${u.area}`);
    }
  }
}
