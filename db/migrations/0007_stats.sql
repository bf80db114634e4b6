CREATE TABLE "announcements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"kind" text DEFAULT 'announcement' NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_active_venues" (
	"day" date NOT NULL,
	"venue_id" uuid NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" text NOT NULL,
	CONSTRAINT "daily_active_venues_day_venue_id_pk" PRIMARY KEY("day","venue_id")
);
--> statement-breakpoint
CREATE TABLE "daily_stats" (
	"day" date NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" text DEFAULT '' NOT NULL,
	"metric" text NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_stats_day_province_code_commune_code_metric_pk" PRIMARY KEY("day","province_code","commune_code","metric")
);
--> statement-breakpoint
CREATE TABLE "daily_visitors" (
	"day" date NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" text NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "daily_visitors_day_province_code_commune_code_person_id_pk" PRIMARY KEY("day","province_code","commune_code","person_id")
);
--> statement-breakpoint
CREATE INDEX "announcements_public_idx" ON "announcements" USING btree ("province_code","status","published_at");--> statement-breakpoint
CREATE INDEX "daily_stats_metric_idx" ON "daily_stats" USING btree ("province_code","metric","day");