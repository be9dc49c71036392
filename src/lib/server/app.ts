import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from './config';
import { openDatabase, migrate, rows, type Database } from './db';
import { sessionPolicy, type SessionPolicy } from './auth/session';
import { httpServer, realtime, setRealtime } from './realtime/hub';
import { attachRealtime } from './realtime/server';
import { clusterAdapter } from './realtime/cluster';
import { startApprovalDeadlines } from './services/approval-sla';
import { startLateStepSweep } from './services/alert-sweep';
import { startMaintenanceSweep } from './services/maintenance';

/**
 * The process-wide runtime: settings and the open database. Kept on globalThis under a
 * Symbol.for key so Vite's module reloading in development, the production server and the
 * tests all reach the same one.
 */
export interface Runtime {
	config: Config;
	database: Database;
	sessions: SessionPolicy;
	startedAt: Date;
	/** Stops the background jobs (the approval deadline, late-step and maintenance visit sweeps). */
	stopJobs: () => void;
}

const KEY = Symbol.for('elevator-ops.runtime');
type Holder = { [KEY]?: Promise<Runtime> };
const holder = globalThis as Holder;

export function startRuntime(env: Record<string, string | undefined> = process.env): Promise<Runtime> {
	holder[KEY] ??= boot(env).catch((e) => {
		delete holder[KEY];
		throw e;
	});
	return holder[KEY];
}

export function runtime(): Promise<Runtime> {
	return holder[KEY] ?? startRuntime();
}

async function boot(env: Record<string, string | undefined>): Promise<Runtime> {
	const config = loadConfig(env);
	const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
	await migrate(database, config.migrationsDir);
	if (config.demoData && (await isEmpty(database))) {
		const { seedDemo } = await import('./seed');
		const t = Date.now();
		await seedDemo(database.db, {});
		console.log(`[elevator-ops] demo data created in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	}
	const sessions = sessionPolicy(config.sessionIdleHours, config.sessionMaxDays);
	// The production entry and the Vite dev plugin leave their HTTP server on globalThis.
	const http = httpServer();
	if (http && !realtime()) {
		// On PostgreSQL any number of nodes may share the database; the adapter links them.
		const bus = config.databaseUrl ? await clusterAdapter(config.databaseUrl) : null;
		const live = await attachRealtime(http, {
			db: database.db,
			sessions,
			origin: env.ORIGIN || null,
			adapter: bus?.adapter
		});
		setRealtime({ ...live, close: async () => (await live.close(), await bus?.close()) });
	}
	// A serving node sweeps approval deadlines; with several nodes each does, SKIP LOCKED keeps it once.
	// The late-step sweep likewise: a unique index keeps its alerts to one per step. Maintenance
	// visits every 10 minutes: a unique index keeps them to one per plan and day.
	const stops = http
		? [
				startApprovalDeadlines(database.db),
				startLateStepSweep(database.db),
				startMaintenanceSweep(database.db)
			]
		: [];
	const stopJobs = () => stops.forEach((stop) => stop());
	return { config, database, sessions, startedAt: new Date(), stopJobs };
}

export async function isEmpty(database: Database): Promise<boolean> {
	const [row] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from users`);
	return Number(row?.n ?? 0) === 0;
}

/** Tests and the server's graceful shutdown close the database through here. */
export async function stopRuntime(): Promise<void> {
	const p = holder[KEY];
	delete holder[KEY];
	await realtime()?.close();
	setRealtime(undefined);
	if (p) {
		const r = await p;
		r.stopJobs();
		await r.database.close();
	}
}
