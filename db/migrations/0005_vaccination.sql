CREATE TABLE "adverse_event_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"adverse_event_id" uuid NOT NULL,
	"note" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "adverse_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"vaccination_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"onset_at" timestamp with time zone NOT NULL,
	"severity" text NOT NULL,
	"symptoms" text[] DEFAULT '{}' NOT NULL,
	"description" text,
	"hospitalised" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"person_id" uuid NOT NULL,
	"dose_number" smallint NOT NULL,
	"priority_group" text DEFAULT 'general' NOT NULL,
	"site_id" uuid,
	"slot_id" uuid,
	"status" text DEFAULT 'registered' NOT NULL,
	"code" text NOT NULL,
	"checked_in_at" timestamp with time zone,
	"vaccination_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_revocations" (
	"kid" text NOT NULL,
	"rid" text NOT NULL,
	"person_id" uuid,
	"reason" text,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_revocations_kid_rid_pk" PRIMARY KEY("kid","rid")
);
--> statement-breakpoint
CREATE TABLE "site_staff" (
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "site_staff_site_id_user_id_pk" PRIMARY KEY("site_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "vaccination_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"site_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"csv" text,
	"status" text DEFAULT 'previewed' NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"create_rows" integer DEFAULT 0 NOT NULL,
	"merge_rows" integer DEFAULT 0 NOT NULL,
	"rejected_rows" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"committed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaccination_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5) NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"capacity_per_day" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaccination_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"booked" integer DEFAULT 0 NOT NULL,
	"product_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaccinations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"person_id" uuid NOT NULL,
	"product_code" text NOT NULL,
	"lot_id" uuid NOT NULL,
	"dose_number" smallint NOT NULL,
	"given_on" date NOT NULL,
	"site_id" uuid NOT NULL,
	"vaccinator" text,
	"appointment_id" uuid,
	"source" text DEFAULT 'recorded' NOT NULL,
	"import_id" uuid,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaccine_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_code" text NOT NULL,
	"lot_number" text NOT NULL,
	"expires_on" date NOT NULL,
	"doses_received" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaccine_products" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"manufacturer" text NOT NULL,
	"cvx" text NOT NULL,
	"primary_doses" smallint NOT NULL,
	"min_interval_days" smallint NOT NULL,
	"mixable_with" text[] DEFAULT '{}' NOT NULL,
	"booster_allowed" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX "adverse_event_notes_event_idx" ON "adverse_event_notes" USING btree ("adverse_event_id","created_at");--> statement-breakpoint
CREATE INDEX "adverse_events_area_idx" ON "adverse_events" USING btree ("province_code","commune_code","status","created_at");--> statement-breakpoint
CREATE INDEX "adverse_events_vaccination_idx" ON "adverse_events" USING btree ("vaccination_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_code_idx" ON "appointments" USING btree ("code");--> statement-breakpoint
CREATE INDEX "appointments_person_idx" ON "appointments" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "appointments_site_idx" ON "appointments" USING btree ("site_id","status");--> statement-breakpoint
CREATE INDEX "appointments_area_idx" ON "appointments" USING btree ("province_code","commune_code","created_at");--> statement-breakpoint
CREATE INDEX "site_staff_user_idx" ON "site_staff" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "vaccination_imports_area_idx" ON "vaccination_imports" USING btree ("province_code","commune_code","created_at");--> statement-breakpoint
CREATE INDEX "vaccination_sites_area_idx" ON "vaccination_sites" USING btree ("province_code","commune_code","name");--> statement-breakpoint
CREATE INDEX "vaccination_slots_site_idx" ON "vaccination_slots" USING btree ("site_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vaccinations_person_dose_idx" ON "vaccinations" USING btree ("person_id","dose_number");--> statement-breakpoint
CREATE INDEX "vaccinations_area_day_idx" ON "vaccinations" USING btree ("province_code","commune_code","given_on");--> statement-breakpoint
CREATE INDEX "vaccinations_site_idx" ON "vaccinations" USING btree ("site_id","given_on");--> statement-breakpoint
CREATE UNIQUE INDEX "vaccine_lots_number_idx" ON "vaccine_lots" USING btree ("product_code","lot_number");--> statement-breakpoint
CREATE INDEX "vaccine_lots_lot_idx" ON "vaccine_lots" USING btree ("lot_number");--> statement-breakpoint
INSERT INTO "vaccine_products" ("code", "name", "manufacturer", "cvx", "primary_doses", "min_interval_days", "mixable_with", "booster_allowed") VALUES
  ('AZ', 'Vaxzevria (AstraZeneca)', 'AstraZeneca', '210', 2, 28, ARRAY['PF','MO'], true),
  ('PF', 'Comirnaty (Pfizer-BioNTech)', 'Pfizer-BioNTech', '208', 2, 21, ARRAY['MO'], true),
  ('MO', 'Spikevax (Moderna)', 'Moderna', '207', 2, 28, ARRAY['PF'], true),
  ('VC', 'BBIBP-CorV (Sinopharm)', 'Sinopharm (Beijing)', '510', 2, 21, ARRAY[]::text[], false),
  ('SV', 'Sputnik V (Gamaleya)', 'Gamaleya', '505', 2, 21, ARRAY[]::text[], false),
  ('AB', 'Abdala', 'CIGB', '500', 3, 14, ARRAY[]::text[], false),
  ('HV', 'Hayat-Vax', 'Julphar / G42', '510', 2, 21, ARRAY[]::text[], false)
ON CONFLICT ("code") DO NOTHING;
