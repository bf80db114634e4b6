CREATE TABLE "family_members" (
	"user_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"relation" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "family_members_user_id_person_id_pk" PRIMARY KEY("user_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "otp_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"consumed_at" timestamp with time zone,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "declarations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"person_id" uuid NOT NULL,
	"filed_by" uuid,
	"kind" text NOT NULL,
	"venue_id" uuid,
	"full_name" text NOT NULL,
	"birth_year" smallint NOT NULL,
	"sex" text,
	"nationality" char(2) DEFAULT 'VN' NOT NULL,
	"id_number_hash" text,
	"phone" text,
	"address" text,
	"symptoms" text[] DEFAULT '{}' NOT NULL,
	"contact_with_case" boolean DEFAULT false NOT NULL,
	"from_outbreak_area" boolean DEFAULT false NOT NULL,
	"contact_with_symptomatic" boolean DEFAULT false NOT NULL,
	"travel" jsonb,
	"places_visited" text,
	"risk" text NOT NULL,
	"risk_reasons" text[] DEFAULT '{}' NOT NULL,
	"review" text DEFAULT 'new' NOT NULL,
	"review_note" text,
	"day" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"author_user_id" uuid,
	"author_name" text,
	"note" text NOT NULL,
	"status" text,
	"is_public" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" char(2) NOT NULL,
	"commune_code" char(5),
	"receipt" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"place" text,
	"reporter_name" text,
	"reporter_phone" text,
	"reporter_user_id" uuid,
	"status" text DEFAULT 'new' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_receipt_unique" UNIQUE("receipt")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "person_id" uuid;--> statement-breakpoint
CREATE INDEX "family_members_person_idx" ON "family_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "otp_codes_phone_idx" ON "otp_codes" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "otp_codes_ip_idx" ON "otp_codes" USING btree ("ip","created_at");--> statement-breakpoint
CREATE INDEX "declarations_area_idx" ON "declarations" USING btree ("province_code","commune_code","day");--> statement-breakpoint
CREATE INDEX "declarations_risk_idx" ON "declarations" USING btree ("province_code","risk","created_at");--> statement-breakpoint
CREATE INDEX "declarations_person_idx" ON "declarations" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "report_notes_report_idx" ON "report_notes" USING btree ("report_id","created_at");--> statement-breakpoint
CREATE INDEX "reports_area_idx" ON "reports" USING btree ("province_code","commune_code","status","created_at");--> statement-breakpoint
CREATE INDEX "users_person_idx" ON "users" USING btree ("person_id");