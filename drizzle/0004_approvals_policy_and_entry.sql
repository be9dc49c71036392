CREATE TABLE "number_counters" (
	"prefix" text PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_filters" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "saved_filters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"list" text NOT NULL,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "special_requirements" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "approval_round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "approval_rule_id" integer;--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD COLUMN "role_id" integer;--> statement-breakpoint
ALTER TABLE "approval_rule_steps" ADD COLUMN "escalate_role_id" integer;--> statement-breakpoint
ALTER TABLE "approval_rules" ADD COLUMN "credit_exceeded" boolean;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "rule_name" text;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "change_id" integer;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "response_hours" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "escalate_role_id" integer;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "installation_jobs" ADD COLUMN "change_flag" text;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_filters_user_list_name_uq" ON "saved_filters" USING btree ("user_id","list","name");--> statement-breakpoint
CREATE INDEX "saved_filters_user_idx" ON "saved_filters" USING btree ("user_id","list");--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_rule_steps" ADD CONSTRAINT "approval_rule_steps_escalate_role_id_roles_id_fk" FOREIGN KEY ("escalate_role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_change_id_order_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."order_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_escalate_role_id_roles_id_fk" FOREIGN KEY ("escalate_role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_steps_pending_due_idx" ON "approval_steps" USING btree ("due_at","id") WHERE "approval_steps"."status" = 'pending';