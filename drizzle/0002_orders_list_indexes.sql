DROP INDEX "orders_company_created_idx";--> statement-breakpoint
DROP INDEX "orders_company_status_created_idx";--> statement-breakpoint
DROP INDEX "orders_company_order_date_idx";--> statement-breakpoint
DROP INDEX "orders_company_total_idx";--> statement-breakpoint
DROP INDEX "orders_sales_rep_idx";--> statement-breakpoint
CREATE INDEX "orders_company_number_idx" ON "orders" USING btree ("company_id","number");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "orders_order_date_idx" ON "orders" USING btree ("order_date","id");--> statement-breakpoint
CREATE INDEX "orders_delivery_idx" ON "orders" USING btree ("delivery_date","id");--> statement-breakpoint
CREATE INDEX "orders_total_idx" ON "orders" USING btree ("total_amount","id");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "orders_company_created_idx" ON "orders" USING btree ("company_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_company_status_created_idx" ON "orders" USING btree ("company_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_company_order_date_idx" ON "orders" USING btree ("company_id","order_date","id");--> statement-breakpoint
CREATE INDEX "orders_company_total_idx" ON "orders" USING btree ("company_id","total_amount","id");--> statement-breakpoint
CREATE INDEX "orders_sales_rep_idx" ON "orders" USING btree ("sales_rep_id","created_at","id");