CREATE TABLE "field_actions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "field_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"key" text NOT NULL,
	"action" text NOT NULL,
	"job_id" integer,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "installation_photos" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "installation_photos_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"job_id" integer NOT NULL,
	"progress_id" integer,
	"stage" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "installation_photos_mime_ck" CHECK ("installation_photos"."mime" in ('image/jpeg', 'image/png', 'image/webp'))
);
--> statement-breakpoint
ALTER TABLE "crews" ADD COLUMN "capacity" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "installation_jobs" ADD COLUMN "assignment_reason" text;--> statement-breakpoint
ALTER TABLE "installation_jobs" ADD COLUMN "assigned_by" integer;--> statement-breakpoint
ALTER TABLE "installation_jobs" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "generated_through" date;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "active" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_tickets" ADD COLUMN "maintenance_plan_id" integer;--> statement-breakpoint
ALTER TABLE "service_tickets" ADD COLUMN "planned_on" date;--> statement-breakpoint
ALTER TABLE "service_tickets" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_tickets" ADD COLUMN "en_route_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_tickets" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "ticket_parts" ADD COLUMN "warehouse_id" integer;--> statement-breakpoint
ALTER TABLE "ticket_parts" ADD COLUMN "reservation_id" integer;--> statement-breakpoint
ALTER TABLE "ticket_parts" ADD COLUMN "issued_by" integer;--> statement-breakpoint
ALTER TABLE "field_actions" ADD CONSTRAINT "field_actions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_actions" ADD CONSTRAINT "field_actions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_actions" ADD CONSTRAINT "field_actions_job_id_installation_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."installation_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installation_photos" ADD CONSTRAINT "installation_photos_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installation_photos" ADD CONSTRAINT "installation_photos_job_id_installation_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."installation_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installation_photos" ADD CONSTRAINT "installation_photos_progress_id_installation_progress_id_fk" FOREIGN KEY ("progress_id") REFERENCES "public"."installation_progress"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installation_photos" ADD CONSTRAINT "installation_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "field_actions_user_key_uq" ON "field_actions" USING btree ("user_id","key");--> statement-breakpoint
CREATE INDEX "field_actions_job_idx" ON "field_actions" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "installation_photos_job_idx" ON "installation_photos" USING btree ("job_id","at");--> statement-breakpoint
ALTER TABLE "installation_jobs" ADD CONSTRAINT "installation_jobs_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tickets" ADD CONSTRAINT "service_tickets_maintenance_plan_id_maintenance_plans_id_fk" FOREIGN KEY ("maintenance_plan_id") REFERENCES "public"."maintenance_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_parts" ADD CONSTRAINT "ticket_parts_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_parts" ADD CONSTRAINT "ticket_parts_reservation_id_stock_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."stock_reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_parts" ADD CONSTRAINT "ticket_parts_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_tickets_visit_uq" ON "service_tickets" USING btree ("maintenance_plan_id","planned_on") WHERE "service_tickets"."maintenance_plan_id" is not null;--> statement-breakpoint
ALTER TABLE "crews" ADD CONSTRAINT "crews_capacity_ck" CHECK ("crews"."capacity" between 1 and 100);--> statement-breakpoint
ALTER TABLE "installation_jobs" ADD CONSTRAINT "installation_jobs_coords_ck" CHECK (("installation_jobs"."lat" is null or "installation_jobs"."lat" between -90 and 90) and ("installation_jobs"."lng" is null or "installation_jobs"."lng" between -180 and 180));