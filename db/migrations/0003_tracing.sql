CREATE TABLE "case_visits" (
	"case_id" uuid NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"venue_id" uuid NOT NULL,
	"checkin_id" uuid NOT NULL,
	"visit_start" timestamp with time zone NOT NULL,
	"visit_end" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"person_id" uuid NOT NULL,
	"confirmed_on" date NOT NULL,
	"method" text NOT NULL,
	"symptom_onset" date,
	"sample_date" date,
	"isolated_at" timestamp with time zone,
	"treatment_place" text,
	"status" text DEFAULT 'active' NOT NULL,
	"source_contact_id" uuid,
	"source_case_id" uuid,
	"notes" text,
	"traced_at" timestamp with time zone,
	"traced_degree" smallint DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"case_id" uuid NOT NULL,
	"case_province_code" char(2) NOT NULL,
	"person_id" uuid NOT NULL,
	"degree" smallint NOT NULL,
	"source" text NOT NULL,
	"via_contact_id" uuid,
	"venue_id" uuid,
	"first_exposure_at" timestamp with time zone NOT NULL,
	"last_exposure_at" timestamp with time zone NOT NULL,
	"minutes_together" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'identified' NOT NULL,
	"quarantine_until" date NOT NULL,
	"notified_at" timestamp with time zone,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exposures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"province_code" char(2) NOT NULL,
	"venue_id" uuid NOT NULL,
	"checkin_id" uuid NOT NULL,
	"source_checkin_id" uuid NOT NULL,
	"overlap_start" timestamp with time zone NOT NULL,
	"overlap_end" timestamp with time zone NOT NULL,
	"minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"contact_id" uuid NOT NULL,
	"day" date NOT NULL,
	"reached" boolean NOT NULL,
	"temperature" real,
	"symptoms" text[] DEFAULT '{}' NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "case_visits_pk" ON "case_visits" USING btree ("case_id","checkin_id");--> statement-breakpoint
CREATE INDEX "case_visits_area_idx" ON "case_visits" USING btree ("province_code","commune_code","visit_start");--> statement-breakpoint
CREATE INDEX "case_visits_venue_idx" ON "case_visits" USING btree ("venue_id","visit_start");--> statement-breakpoint
CREATE INDEX "cases_area_idx" ON "cases" USING btree ("province_code","commune_code","created_at");--> statement-breakpoint
CREATE INDEX "cases_person_idx" ON "cases" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "cases_source_case_idx" ON "cases" USING btree ("source_case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_case_person_idx" ON "contacts" USING btree ("case_id","person_id");--> statement-breakpoint
CREATE INDEX "contacts_area_idx" ON "contacts" USING btree ("province_code","commune_code","status","quarantine_until");--> statement-breakpoint
CREATE INDEX "contacts_person_idx" ON "contacts" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "contacts_via_idx" ON "contacts" USING btree ("via_contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exposures_pair_idx" ON "exposures" USING btree ("contact_id","checkin_id","source_checkin_id");--> statement-breakpoint
CREATE INDEX "exposures_checkin_idx" ON "exposures" USING btree ("checkin_id");--> statement-breakpoint
CREATE INDEX "exposures_case_idx" ON "exposures" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_contact_day_idx" ON "follow_ups" USING btree ("contact_id","day");