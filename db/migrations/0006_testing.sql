CREATE TABLE "lab_staff" (
	"lab_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "lab_staff_lab_id_user_id_pk" PRIMARY KEY("lab_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "labs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"name" text NOT NULL,
	"address" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"name" text NOT NULL,
	"test_type" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"pool_size" smallint DEFAULT 10 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_pools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5) NOT NULL,
	"campaign_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"code" text NOT NULL,
	"max_size" smallint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"lab_id" uuid,
	"sealed_at" timestamp with time zone,
	"result" text,
	"result_at" timestamp with time zone,
	"result_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5) NOT NULL,
	"campaign_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"barcode" text NOT NULL,
	"test_type" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"collected_by" uuid,
	"team" text,
	"pool_id" uuid,
	"pool_open" boolean DEFAULT false NOT NULL,
	"retest_of" uuid,
	"lab_id" uuid,
	"result" text,
	"result_at" timestamp with time zone,
	"result_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_site_staff" (
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"team" text,
	CONSTRAINT "test_site_staff_site_id_user_id_pk" PRIMARY KEY("site_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "test_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5) NOT NULL,
	"campaign_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "source_sample_id" uuid;--> statement-breakpoint
CREATE INDEX "lab_staff_user_idx" ON "lab_staff" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "labs_area_idx" ON "labs" USING btree ("province_code","name");--> statement-breakpoint
CREATE INDEX "test_campaigns_area_idx" ON "test_campaigns" USING btree ("province_code","commune_code","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "test_pools_code_idx" ON "test_pools" USING btree ("code");--> statement-breakpoint
CREATE INDEX "test_pools_site_idx" ON "test_pools" USING btree ("site_id","status");--> statement-breakpoint
CREATE INDEX "test_pools_lab_idx" ON "test_pools" USING btree ("lab_id","status","sealed_at");--> statement-breakpoint
CREATE INDEX "test_pools_area_idx" ON "test_pools" USING btree ("province_code","commune_code","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "test_samples_barcode_idx" ON "test_samples" USING btree ("barcode");--> statement-breakpoint
CREATE UNIQUE INDEX "test_samples_one_open_pool_idx" ON "test_samples" USING btree ("person_id") WHERE pool_open;--> statement-breakpoint
CREATE UNIQUE INDEX "test_samples_one_retest_idx" ON "test_samples" USING btree ("retest_of");--> statement-breakpoint
CREATE INDEX "test_samples_person_idx" ON "test_samples" USING btree ("person_id","taken_at");--> statement-breakpoint
CREATE INDEX "test_samples_pool_idx" ON "test_samples" USING btree ("pool_id");--> statement-breakpoint
CREATE INDEX "test_samples_site_idx" ON "test_samples" USING btree ("site_id","taken_at");--> statement-breakpoint
CREATE INDEX "test_samples_area_day_idx" ON "test_samples" USING btree ("province_code","commune_code","taken_at");--> statement-breakpoint
CREATE INDEX "test_site_staff_user_idx" ON "test_site_staff" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "test_sites_campaign_idx" ON "test_sites" USING btree ("campaign_id","name");--> statement-breakpoint
CREATE INDEX "test_sites_area_idx" ON "test_sites" USING btree ("province_code","commune_code");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_source_sample_idx" ON "cases" USING btree ("source_sample_id");