CREATE TABLE "alerts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reason" text,
	"message" text NOT NULL,
	"work_order_id" integer,
	"step_id" integer,
	"work_centre_id" integer,
	"device_id" integer,
	"raised_by" integer,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by" integer,
	"acknowledged_at" timestamp with time zone,
	"closed_by" integer,
	"closed_at" timestamp with time zone,
	"close_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alerts_kind_ck" CHECK (kind in ('andon', 'late_step', 'shortage')),
	CONSTRAINT "alerts_status_ck" CHECK (status in ('open', 'acknowledged', 'closed')),
	CONSTRAINT "alerts_reason_ck" CHECK (reason is null or reason in ('material', 'quality', 'equipment', 'drawing', 'safety', 'other')),
	CONSTRAINT "alerts_closed_note_ck" CHECK ("alerts"."status" <> 'closed' or "alerts"."close_note" is not null)
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "devices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"work_centre_id" integer,
	"user_id" integer NOT NULL,
	"token_hash" text,
	"enrol_code_hash" text,
	"enrol_expires_at" timestamp with time zone,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" integer,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_kind_ck" CHECK (kind in ('terminal', 'wall')),
	CONSTRAINT "devices_station_ck" CHECK (("devices"."kind" = 'terminal') = ("devices"."work_centre_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "terminal_actions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "terminal_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"key" text NOT NULL,
	"device_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"step_id" integer,
	"action" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"result" jsonb NOT NULL,
	CONSTRAINT "terminal_actions_action_ck" CHECK (action in ('start', 'pause', 'finish', 'problem')),
	CONSTRAINT "terminal_actions_outcome_ck" CHECK ("terminal_actions"."outcome" in ('applied', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "device_id" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "kind" text DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "badge_code" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pin_hash" text;--> statement-breakpoint
ALTER TABLE "work_order_steps" ADD COLUMN "planned_end" date;--> statement-breakpoint
ALTER TABLE "work_order_steps" ADD COLUMN "planned_hours" jsonb;--> statement-breakpoint
ALTER TABLE "work_orders" ADD COLUMN "plan_rank" integer;--> statement-breakpoint
ALTER TABLE "work_orders" ADD COLUMN "not_before" date;--> statement-breakpoint
ALTER TABLE "work_orders" ADD COLUMN "material_ready_on" date;--> statement-breakpoint
ALTER TABLE "work_orders" ADD COLUMN "shortage" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "work_orders" ADD COLUMN "scheduled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_step_id_work_order_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."work_order_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_work_centre_id_work_centres_id_fk" FOREIGN KEY ("work_centre_id") REFERENCES "public"."work_centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_work_centre_id_work_centres_id_fk" FOREIGN KEY ("work_centre_id") REFERENCES "public"."work_centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_actions" ADD CONSTRAINT "terminal_actions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_actions" ADD CONSTRAINT "terminal_actions_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_actions" ADD CONSTRAINT "terminal_actions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_actions" ADD CONSTRAINT "terminal_actions_step_id_work_order_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."work_order_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_company_status_idx" ON "alerts" USING btree ("company_id","status","raised_at");--> statement-breakpoint
CREATE INDEX "alerts_step_idx" ON "alerts" USING btree ("step_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_late_uq" ON "alerts" USING btree ("step_id") WHERE "alerts"."kind" = 'late_step' and "alerts"."status" <> 'closed';--> statement-breakpoint
CREATE UNIQUE INDEX "devices_token_uq" ON "devices" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_enrol_code_uq" ON "devices" USING btree ("enrol_code_hash");--> statement-breakpoint
CREATE INDEX "devices_company_idx" ON "devices" USING btree ("company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "terminal_actions_key_uq" ON "terminal_actions" USING btree ("device_id","key");--> statement-breakpoint
CREATE INDEX "terminal_actions_step_idx" ON "terminal_actions" USING btree ("step_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_badge_uq" ON "users" USING btree ("badge_code");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_kind_ck" CHECK ("users"."kind" in ('person', 'device'));