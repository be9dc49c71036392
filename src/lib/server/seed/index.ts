import { sql } from 'drizzle-orm';
import { rows, schema, type Db } from '../db';
import { Loader } from './bulk';
import { hashPassword } from '../auth/password';
import type { Counts, CustomerRef, SeedCtx } from './context';
import { insertCustomers, planCustomers } from './customers';
import { ensureRoles, seedOrg } from './org';
import { planSkeletons } from './orders';
import { seedOrders } from './pipeline';
import { seedCatalog, seedProductionSetup } from './plant';
import { Rng } from './random';
import { seedApprovalRules } from './rules';
import { seedStock } from './stock';
import { seedSchedule } from './schedule';
import { seedTeams, sizeCrews } from './teams';
import { Clock } from './time';

export { ensureRoles } from './org';

/** Every demo account signs in with this password. */
export const DEMO_PASSWORD = 'demo1234';
/** Demo shop-floor workers' terminal PIN (badges B10001–B10003). */
export const DEMO_PIN = '1234';
export const DEFAULT_ORDERS = 2000;
export const DEFAULT_SEED = 20240607;
/** The newest orders that get the full detail (events, comments, finished work orders…). */
const DETAIL_WINDOW = 2000;
/** Tables whose ids the seed hands out itself (rows refer to them before they are written). */
const ID_TABLES = [
	schema.companyGroups,
	schema.companies,
	schema.users,
	schema.elevatorModels,
	schema.items,
	schema.warehouses,
	schema.workCentres,
	schema.routings,
	schema.skills,
	schema.crews,
	schema.approvalRules,
	schema.customers,
	schema.sites,
	schema.orders,
	schema.orderLines,
	schema.units,
	schema.approvalSteps,
	schema.workOrders,
	schema.installationJobs,
	schema.serviceTickets,
	schema.invoices,
	schema.suppliers,
	schema.purchaseOrders
];
/** The tables big enough for stale statistics to matter. */
const ANALYZE = [
	'customers',
	'sites',
	'orders',
	'order_lines',
	'units',
	'approval_steps',
	'work_orders',
	'work_order_steps',
	'installation_jobs',
	'service_tickets',
	'maintenance_plans',
	'invoices',
	'payments',
	'events'
];

export interface SeedOptions {
	orders?: number;
	customers?: number;
	seed?: number;
	/** 'YYYY-MM-DD' the data is relative to; defaults to today in China time. */
	today?: string;
	log?: (msg: string) => void;
}

export type SeedSummary = Counts & { seed: number; today: string; seconds: number };

/** About 400 customers for the 2,000-order demo, about 5,000 for 100,000 orders. */
export function defaultCustomers(orders: number): number {
	return Math.max(20, Math.round(Math.min(orders / 5, 400 + Math.max(0, orders - DEFAULT_ORDERS) / 21)));
}

function count(name: string, v: number, min: number, max: number): number {
	if (!Number.isInteger(v) || v < min || v > max)
		throw new RangeError(`${name} must be an integer between ${min} and ${max}`);
	return v;
}

/**
 * Fills an empty database with a deterministic demo: one group of three companies, users for
 * every role (password `demo1234`), catalog, stock, customers, orders in every status and all
 * that follows from them. Same seed and same day, same rows. Runs in one transaction.
 */
export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<SeedSummary> {
	const started = performance.now();
	const orders = count('orders', opts.orders ?? DEFAULT_ORDERS, 11, 2_000_000);
	const customers = count('customers', opts.customers ?? defaultCustomers(orders), 6, 500_000);
	const seed = count('seed', opts.seed ?? DEFAULT_SEED, 0, 0xffffffff);
	const clock = new Clock(opts.today);
	const log = opts.log ?? (() => {});
	// argon2id is slow on purpose: hash once, every demo user shares it.
	const [passwordHash, pinHash] = await Promise.all([hashPassword(DEMO_PASSWORD), hashPassword(DEMO_PIN)]);
	const counts: Counts = {
		companies: 0,
		users: 0,
		customers: 0,
		sites: 0,
		orders: 0,
		orderLines: 0,
		units: 0,
		approvalSteps: 0,
		workOrders: 0,
		workOrderSteps: 0,
		installationJobs: 0,
		serviceTickets: 0,
		maintenancePlans: 0,
		invoices: 0,
		payments: 0,
		stockItems: 0,
		events: 0
	};
	await db.transaction(async (tx) => {
		// Two app nodes starting at once on an empty database: the second waits, then refuses.
		await tx.execute(sql`select pg_advisory_xact_lock(72417003)`);
		const [existing] = await rows<{ busy: boolean }>(
			tx,
			sql`select exists (select 1 from companies) or exists (select 1 from users) as busy`
		);
		if (existing?.busy) throw new Error('seedDemo needs an empty database (companies or users exist)');
		// Bulk-load mode for this transaction only: no per-row foreign-key checks or triggers. The
		// rows are consistent by construction (the tests check every foreign key); only a
		// superuser may do this, others just load a little slower.
		const [su] = await rows<{ on: boolean }>(tx, sql`select current_setting('is_superuser') = 'on' as on`);
		if (su?.on) await tx.execute(sql`set local session_replication_role = replica`);
		// Trigram (GIN) entries go to the pending list and are merged in bulk after the load,
		// several times cheaper than growing the index row by row.
		await tx.execute(sql`set local gin_pending_list_limit = '1GB'`);
		const ctx: SeedCtx = {
			load: await Loader.open(tx, ID_TABLES),
			rng: new Rng(seed),
			clock,
			log,
			roles: await ensureRoles(tx),
			users: {},
			companies: [],
			models: [],
			skills: {},
			rules: [],
			detailFrom: Math.max(0, orders - DETAIL_WINDOW),
			counters: new Map(),
			counts,
			openWorkOrders: []
		};
		seedOrg(ctx, passwordHash, pinHash);
		seedCatalog(ctx);
		seedProductionSetup(ctx);
		seedTeams(ctx);
		seedApprovalRules(ctx);
		log('organisation, catalog, production and teams done');
		const planned = planCustomers(ctx, customers);
		const skeletons = planSkeletons(ctx, orders);
		const firstOrder = new Map<CustomerRef, string>();
		for (const s of skeletons) if (!firstOrder.has(s.customer)) firstOrder.set(s.customer, s.orderDate);
		insertCustomers(ctx, planned, firstOrder);
		log(`customers ${counts.customers}, sites ${counts.sites}`);
		await seedOrders(ctx, skeletons);
		seedStock(ctx);
		await ctx.load.finish();
		await seedSchedule(tx, ctx);
		await sizeCrews(tx, clock.today);
	});
	// Merge the GIN pending lists now (searches would scan them linearly), then vacuum for the
	// visibility map (counts become index-only scans; PGlite never autovacuums) and fresh
	// statistics, so the first queries on the new rows get sensible plans.
	await db.execute(
		sql`select gin_clean_pending_list(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace where a.amname = 'gin' and n.nspname = 'public'`
	);
	log('indexes merged');
	await db.execute(sql.raw(`vacuum (analyze) ${ANALYZE.join(', ')}`));
	return {
		...counts,
		seed,
		today: clock.today,
		seconds: Math.round((performance.now() - started) / 100) / 10
	};
}
