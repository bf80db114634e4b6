import { sql } from "drizzle-orm";
import { boolean, char, date, index, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { area, timestamps } from "./columns";

/** docs/TESTING.md. */
export const TEST_TYPES = ["pcr", "rapid_antigen"] as const;
export const TEST_RESULTS = ["negative", "positive", "invalid"] as const;
export const CAMPAIGN_STATUSES = ["open", "closed"] as const;
export const TEST_SITE_STATUSES = ["active", "closed"] as const;
/** open: samples are being added; sealed: sent to its lab; resulted: the lab recorded the pool's result. */
export const POOL_STATUSES = ["open", "sealed", "resulted"] as const;
/**
 * A sample's (and so a person's) status, derived from the sample's own result, its pool's
 * result and its retest (server/testing/status.ts), never typed in by hand.
 */
export const SAMPLE_STATUSES = ["collected", "pooled", "in_lab", "negative", "positive", "invalid", "retest_needed", "retested"] as const;

/** A mass-testing campaign an officer opens for an area and some days. */
export const testCampaigns = pgTable(
  "test_campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    name: text("name").notNull(),
    testType: text("test_type", { enum: TEST_TYPES }).notNull(),
    startsOn: date("starts_on").notNull(),
    endsOn: date("ends_on").notNull(),
    /** Most samples in one pool (1 = no pooling). */
    poolSize: smallint("pool_size").notNull().default(10),
    status: text("status", { enum: CAMPAIGN_STATUSES }).notNull().default("open"),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [index("test_campaigns_area_idx").on(t.provinceCode, t.communeCode, t.startsOn)],
);

/** A place a campaign takes samples (a school yard, a commune health station), in a commune. */
export const testSites = pgTable(
  "test_sites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: char("commune_code", { length: 5 }).notNull(),
    campaignId: uuid("campaign_id").notNull(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    status: text("status", { enum: TEST_SITE_STATUSES }).notNull().default("active"),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [index("test_sites_campaign_idx").on(t.campaignId, t.name), index("test_sites_area_idx").on(t.provinceCode, t.communeCode)],
);

/** The site_staff accounts that take samples at a testing site, and the team each works in. */
export const testSiteStaff = pgTable(
  "test_site_staff",
  {
    siteId: uuid("site_id").notNull(),
    userId: uuid("user_id").notNull(),
    team: text("team"),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.userId] }), index("test_site_staff_user_idx").on(t.userId)],
);

/** A laboratory that runs pools and individual samples. */
export const labs = pgTable(
  "labs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ...area,
    name: text("name").notNull(),
    address: text("address").notNull(),
    active: boolean("active").notNull().default(true),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [index("labs_area_idx").on(t.provinceCode, t.name)],
);

/** Which lab_staff accounts work at which lab. */
export const labStaff = pgTable(
  "lab_staff",
  {
    labId: uuid("lab_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.labId, t.userId] }), index("lab_staff_user_idx").on(t.userId)],
);

/**
 * A pool (xét nghiệm gộp): up to the campaign's pool size of samples from one site, run as one
 * PCR by one lab. Its result decides its members' status (negative clears them; positive or
 * invalid sends each to an individual retest).
 */
export const testPools = pgTable(
  "test_pools",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: char("commune_code", { length: 5 }).notNull(),
    campaignId: uuid("campaign_id").notNull(),
    siteId: uuid("site_id").notNull(),
    /** The label's barcode, e.g. P-2612-0A1B2C (unique). */
    code: text("code").notNull(),
    maxSize: smallint("max_size").notNull(),
    status: text("status", { enum: POOL_STATUSES }).notNull().default("open"),
    labId: uuid("lab_id"),
    sealedAt: timestamp("sealed_at", { withTimezone: true }),
    result: text("result", { enum: TEST_RESULTS }),
    resultAt: timestamp("result_at", { withTimezone: true }),
    resultBy: uuid("result_by"),
    createdBy: uuid("created_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("test_pools_code_idx").on(t.code),
    index("test_pools_site_idx").on(t.siteId, t.status),
    index("test_pools_lab_idx").on(t.labId, t.status, t.sealedAt),
    index("test_pools_area_idx").on(t.provinceCode, t.communeCode, t.createdAt),
  ],
);

/**
 * One swab from one person. Its area is the site's (who took it). `poolOpen` mirrors "is in a
 * pool that has no result yet", so the database itself refuses a person in two open pools.
 * `result` is the individual result (rapid test, individual PCR, or retest); a pooled sample
 * without one takes its status from the pool.
 */
export const testSamples = pgTable(
  "test_samples",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provinceCode: char("province_code", { length: 2 }).notNull(),
    communeCode: char("commune_code", { length: 5 }).notNull(),
    campaignId: uuid("campaign_id").notNull(),
    siteId: uuid("site_id").notNull(),
    personId: uuid("person_id").notNull(),
    /** The label's barcode, e.g. S-2612-0A1B2C3D (unique). */
    barcode: text("barcode").notNull(),
    testType: text("test_type", { enum: TEST_TYPES }).notNull(),
    takenAt: timestamp("taken_at", { withTimezone: true }).notNull(),
    collectedBy: uuid("collected_by"),
    team: text("team"),
    poolId: uuid("pool_id"),
    poolOpen: boolean("pool_open").notNull().default(false),
    /** The sample this one retests (a member of a positive or invalid pool, or an invalid sample). */
    retestOf: uuid("retest_of"),
    labId: uuid("lab_id"),
    result: text("result", { enum: TEST_RESULTS }),
    resultAt: timestamp("result_at", { withTimezone: true }),
    resultBy: uuid("result_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("test_samples_barcode_idx").on(t.barcode),
    uniqueIndex("test_samples_one_open_pool_idx").on(t.personId).where(sql`pool_open`),
    uniqueIndex("test_samples_one_retest_idx").on(t.retestOf),
    index("test_samples_person_idx").on(t.personId, t.takenAt),
    index("test_samples_pool_idx").on(t.poolId),
    index("test_samples_site_idx").on(t.siteId, t.takenAt),
    index("test_samples_area_day_idx").on(t.provinceCode, t.communeCode, t.takenAt),
  ],
);

export type TestCampaign = typeof testCampaigns.$inferSelect;
export type TestSite = typeof testSites.$inferSelect;
export type Lab = typeof labs.$inferSelect;
export type TestPool = typeof testPools.$inferSelect;
export type TestSample = typeof testSamples.$inferSelect;
