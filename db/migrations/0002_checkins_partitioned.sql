-- Check-ins become range-partitioned by day (retention = partition drop), keyed by the
-- phone's idempotency key (uuid). Day partitions are created ahead by the server
-- (server/checkins/partitions.ts); the default partition catches anything outside them.
CREATE TABLE "checkin_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"province_code" char(2) NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkins" RENAME TO "checkins_unpartitioned";
--> statement-breakpoint
ALTER TABLE "checkins_unpartitioned" DROP CONSTRAINT "checkins_province_code_id_pk";
--> statement-breakpoint
DROP INDEX "checkins_venue_time_idx";
--> statement-breakpoint
DROP INDEX "checkins_person_time_idx";
--> statement-breakpoint
CREATE TABLE "checkins" (
	"id" uuid NOT NULL,
	"province_code" char(2) NOT NULL,
	"venue_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_out_at" timestamp with time zone,
	"auto_checkout" boolean DEFAULT false NOT NULL,
	"method" text NOT NULL,
	CONSTRAINT "checkins_province_code_id_checked_in_at_pk" PRIMARY KEY("province_code","id","checked_in_at")
) PARTITION BY RANGE ("checked_in_at");
--> statement-breakpoint
CREATE TABLE "checkins_default" PARTITION OF "checkins" DEFAULT;
--> statement-breakpoint
CREATE INDEX "checkins_venue_time_idx" ON "checkins" USING btree ("venue_id","checked_in_at");
--> statement-breakpoint
CREATE INDEX "checkins_person_time_idx" ON "checkins" USING btree ("person_id","checked_in_at");
--> statement-breakpoint
CREATE INDEX "checkins_id_idx" ON "checkins" USING btree ("id");
--> statement-breakpoint
INSERT INTO "checkins" ("id", "province_code", "venue_id", "person_id", "checked_in_at", "checked_out_at", "method")
SELECT gen_random_uuid(), "province_code", "venue_id", "person_id", "checked_in_at", "checked_out_at", "method" FROM "checkins_unpartitioned";
--> statement-breakpoint
DROP TABLE "checkins_unpartitioned";
--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "opening_time" time;
--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "closing_time" time;
--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "status_reason" text;
--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "status_changed_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "created_by" uuid;
