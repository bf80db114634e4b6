import { z } from "zod";

/** Everything the server reads from the environment, validated once at start-up (fail fast). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default("./data"),
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_USERNAME: z.string().min(3).default("admin"),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  DEMO_DATA: z.enum(["true", "false"]).default("true"),
  DEMO_PASSWORD: z.string().min(8).default("Demo@2026"),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(86400).default(900),
  REFRESH_TOKEN_TTL: z.coerce.number().int().min(300).default(30 * 86400),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_WINDOW: z.coerce.number().int().min(1).default(60),
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  IMPORT_BODY_LIMIT: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Private ES256 JWK (JSON) for access tokens; absent → generated into DATA_DIR/keys. */
  AUTH_SIGNING_KEY: z.string().optional(),
  /** Secret for keyed hashes of ID numbers; absent → generated into DATA_DIR/keys. */
  ID_HASH_SECRET: z.string().min(16).optional(),
  WEB_DIST: z.string().default("web/dist"),
  /** Private ES256 JWKs for venue codes and personal QR codes; absent → generated. */
  VENUE_SIGNING_KEY: z.string().optional(),
  PERSON_SIGNING_KEY: z.string().optional(),
  /** Private ES256 JWK of the SMART Health Card issuer; absent → generated. */
  SHC_SIGNING_KEY: z.string().optional(),
  /** A visit without check-out ends after this many minutes (or at the venue's closing time). */
  CHECKIN_DWELL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** Check-ins older than this are deleted (partition drop). */
  CHECKIN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Concurrent check-ins are written together: at most this many per transaction… */
  CHECKIN_BATCH_MAX: z.coerce.number().int().min(1).max(5000).default(500),
  /** …waiting at most this long for company (0 = write as soon as the previous batch commits). */
  CHECKIN_BATCH_WAIT_MS: z.coerce.number().min(0).max(100).default(0),
  /** Lifetime of the on-screen rotating venue code, seconds. */
  VENUE_SCREEN_CODE_TTL: z.coerce.number().int().min(30).max(3600).default(120),
  /** Tracing: the infectious window starts this many days before symptom onset… */
  TRACE_PRE_ONSET_DAYS: z.coerce.number().int().min(0).max(30).default(2),
  /** …or, without an onset date, this many days before the sample (or confirmation) date. */
  TRACE_NO_ONSET_DAYS: z.coerce.number().int().min(0).max(60).default(14),
  /** Visits at the same venue this close in time count as contact (minutes either side). */
  TRACE_MARGIN_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  /** A visit counts at most this long (bounds the index range a trace scans). */
  TRACE_MAX_VISIT_MINUTES: z.coerce.number().int().min(5).max(48 * 60).default(480),
  /** Quarantine of a contact: days after the last exposure. */
  QUARANTINE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** How one-time sign-in codes reach citizens: "log" prints them (development, tests); "http" posts to SMS_GATEWAY_URL. */
  SMS_SENDER: z.enum(["log", "http"]).default("log"),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  /** One-time codes: lifetime (s), wrong tries allowed, sends per phone and per address in OTP_WINDOW (s). */
  OTP_TTL: z.coerce.number().int().min(60).max(3600).default(300),
  OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  OTP_PER_PHONE: z.coerce.number().int().min(1).default(3),
  OTP_PER_IP: z.coerce.number().int().min(1).default(20),
  OTP_WINDOW: z.coerce.number().int().min(60).default(900),
  /** Lifetime of the citizen's personal health QR, seconds (the page renews it before). */
  HEALTH_QR_TTL: z.coerce.number().int().min(60).max(86400).default(600),
  /** Run the scheduled jobs (auto check-out, partitions, retention) in this process. */
  JOBS: z.enum(["true", "false"]).default("true"),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePool: number;
  dataDir: string;
  /** Where keys are kept; undefined → in memory only (tests). */
  keysDir: string | undefined;
  publicUrl: string;
  adminUsername: string;
  adminPassword: string | undefined;
  demoData: boolean;
  demoPassword: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  loginRateLimit: number;
  loginRateWindow: number;
  bodyLimit: number;
  importBodyLimit: number;
  trustProxy: boolean;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  authSigningKey: string | undefined;
  idHashSecret: string | undefined;
  webDist: string;
  venueSigningKey: string | undefined;
  personSigningKey: string | undefined;
  shcSigningKey: string | undefined;
  checkinDwellMinutes: number;
  checkinRetentionDays: number;
  checkinBatchMax: number;
  checkinBatchWaitMs: number;
  venueScreenCodeTtl: number;
  tracePreOnsetDays: number;
  traceNoOnsetDays: number;
  traceMarginMinutes: number;
  traceMaxVisitMinutes: number;
  quarantineDays: number;
  smsSender: "log" | "http";
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  otpTtl: number;
  otpMaxAttempts: number;
  otpPerPhone: number;
  otpPerIp: number;
  otpWindow: number;
  healthQrTtl: number;
  jobs: boolean;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  const memory = e.DATA_DIR.startsWith("memory://");
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePool: e.DATABASE_POOL,
    dataDir: e.DATA_DIR,
    keysDir: memory ? undefined : `${e.DATA_DIR}/keys`,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    adminUsername: e.ADMIN_USERNAME,
    adminPassword: e.ADMIN_PASSWORD,
    demoData: e.DEMO_DATA === "true",
    demoPassword: e.DEMO_PASSWORD,
    accessTokenTtl: e.ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginRateWindow: e.LOGIN_RATE_WINDOW,
    bodyLimit: e.BODY_LIMIT,
    importBodyLimit: e.IMPORT_BODY_LIMIT,
    trustProxy: e.TRUST_PROXY === "true",
    logLevel: e.LOG_LEVEL,
    authSigningKey: e.AUTH_SIGNING_KEY,
    idHashSecret: e.ID_HASH_SECRET,
    webDist: e.WEB_DIST,
    venueSigningKey: e.VENUE_SIGNING_KEY,
    personSigningKey: e.PERSON_SIGNING_KEY,
    shcSigningKey: e.SHC_SIGNING_KEY,
    checkinDwellMinutes: e.CHECKIN_DWELL_MINUTES,
    checkinRetentionDays: e.CHECKIN_RETENTION_DAYS,
    checkinBatchMax: e.CHECKIN_BATCH_MAX,
    checkinBatchWaitMs: e.CHECKIN_BATCH_WAIT_MS,
    venueScreenCodeTtl: e.VENUE_SCREEN_CODE_TTL,
    tracePreOnsetDays: e.TRACE_PRE_ONSET_DAYS,
    traceNoOnsetDays: e.TRACE_NO_ONSET_DAYS,
    traceMarginMinutes: e.TRACE_MARGIN_MINUTES,
    traceMaxVisitMinutes: e.TRACE_MAX_VISIT_MINUTES,
    quarantineDays: e.QUARANTINE_DAYS,
    smsSender: e.SMS_SENDER,
    smsGatewayUrl: e.SMS_GATEWAY_URL,
    smsGatewayToken: e.SMS_GATEWAY_TOKEN,
    otpTtl: e.OTP_TTL,
    otpMaxAttempts: e.OTP_MAX_ATTEMPTS,
    otpPerPhone: e.OTP_PER_PHONE,
    otpPerIp: e.OTP_PER_IP,
    otpWindow: e.OTP_WINDOW,
    healthQrTtl: e.HEALTH_QR_TTL,
    jobs: e.JOBS === "true",
  };
}
