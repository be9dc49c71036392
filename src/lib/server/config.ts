import { resolve } from 'node:path';

/** A setting that is present but malformed stops start-up with a message naming it. */
export class ConfigError extends Error {
	constructor(
		readonly setting: string,
		message: string
	) {
		super(`Invalid setting ${setting}: ${message}`);
	}
}

export interface Config {
	/** Set: PostgreSQL through postgres.js. Unset: embedded PGlite in `dataDir`. */
	databaseUrl: string | null;
	dataDir: string;
	migrationsDir: string;
	/** Fill an empty database with demo data at start-up (default: only on the embedded one). */
	demoData: boolean;
	sessionIdleHours: number;
	sessionMaxDays: number;
}

function positiveNumber(env: Record<string, string | undefined>, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0) throw new ConfigError(name, `expected a positive number, got "${raw}"`);
	return n;
}

function flag(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
	if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
	throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || null;
	if (databaseUrl) {
		let url: URL;
		try {
			url = new URL(databaseUrl);
		} catch {
			throw new ConfigError('DATABASE_URL', 'not a URL (expected postgres://user@host:port/database)');
		}
		if (!['postgres:', 'postgresql:'].includes(url.protocol))
			throw new ConfigError('DATABASE_URL', `expected a postgres:// URL, got "${url.protocol}"`);
		if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', 'the URL names no database');
	}
	const dataDir = env.DATA_DIR?.trim() || './data';
	if (/\0/.test(dataDir)) throw new ConfigError('DATA_DIR', 'contains a NUL character');
	const port = env.PORT;
	if (port !== undefined && port !== '' && !/^\d{1,5}$/.test(port))
		throw new ConfigError('PORT', `expected a port number, got "${port}"`);
	const origin = env.ORIGIN;
	if (origin) {
		try {
			new URL(origin);
		} catch {
			throw new ConfigError('ORIGIN', `expected a URL such as https://ops.example.com, got "${origin}"`);
		}
	}
	return {
		databaseUrl,
		dataDir: resolve(dataDir),
		migrationsDir: resolve(env.MIGRATIONS_DIR || 'drizzle'),
		demoData: flag(env, 'DEMO_DATA', !databaseUrl),
		sessionIdleHours: positiveNumber(env, 'SESSION_IDLE_HOURS', 72),
		sessionMaxDays: positiveNumber(env, 'SESSION_MAX_DAYS', 30)
	};
}
