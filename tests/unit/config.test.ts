import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/lib/server/config';

function settingOf(env: Record<string, string | undefined>): string | null {
	try {
		loadConfig(env);
		return null;
	} catch (e) {
		if (e instanceof ConfigError) {
			expect(e.message).toContain(e.setting);
			return e.setting;
		}
		throw e;
	}
}

describe('loadConfig', () => {
	it('defaults to embedded PGlite in ./data with demo data', () => {
		const c = loadConfig({});
		expect(c.databaseUrl).toBeNull();
		expect(c.dataDir).toBe(resolve('./data'));
		expect(c.demoData).toBe(true);
		expect(c.sessionIdleHours).toBeGreaterThan(0);
		expect(c.sessionMaxDays).toBeGreaterThan(0);
	});

	it('uses PostgreSQL without demo data when DATABASE_URL is set', () => {
		const c = loadConfig({ DATABASE_URL: 'postgres://app@db.internal:5432/ops' });
		expect(c.databaseUrl).toBe('postgres://app@db.internal:5432/ops');
		expect(c.demoData).toBe(false);
		expect(loadConfig({ DATABASE_URL: 'postgresql://app@db/ops', DEMO_DATA: 'yes' }).demoData).toBe(true);
	});

	it('treats empty settings as absent', () => {
		const c = loadConfig({ DATABASE_URL: '  ', PORT: '', ORIGIN: '', DEMO_DATA: '', SESSION_IDLE_HOURS: '' });
		expect(c.databaseUrl).toBeNull();
		expect(c.demoData).toBe(true);
	});

	it.each([
		['DATABASE_URL', { DATABASE_URL: 'not a url' }],
		['DATABASE_URL', { DATABASE_URL: 'mysql://u@h/db' }],
		['DATABASE_URL', { DATABASE_URL: 'http://u@h:5432/db' }],
		['DATABASE_URL', { DATABASE_URL: 'postgres://u@h:5432' }],
		['DATABASE_URL', { DATABASE_URL: 'postgres://u@h:5432/' }],
		['PORT', { PORT: 'eighty' }],
		['PORT', { PORT: '-1' }],
		['PORT', { PORT: '3000.5' }],
		['PORT', { PORT: '123456' }],
		['ORIGIN', { ORIGIN: 'ops.example.com' }],
		['ORIGIN', { ORIGIN: '://nope' }],
		['DEMO_DATA', { DEMO_DATA: 'maybe' }],
		['DEMO_DATA', { DEMO_DATA: '2' }],
		['SESSION_IDLE_HOURS', { SESSION_IDLE_HOURS: '0' }],
		['SESSION_IDLE_HOURS', { SESSION_IDLE_HOURS: 'soon' }],
		['SESSION_MAX_DAYS', { SESSION_MAX_DAYS: '-3' }],
		['SESSION_MAX_DAYS', { SESSION_MAX_DAYS: 'Infinity' }],
		['DATA_DIR', { DATA_DIR: 'data\0x' }]
	])('refuses a malformed %s (%o) with an error naming it', (setting, env) => {
		expect(settingOf(env)).toBe(setting);
	});

	it.each([
		{ DEMO_DATA: 'TRUE' },
		{ DEMO_DATA: '0' },
		{ DEMO_DATA: 'no' },
		{ PORT: '8080' },
		{ ORIGIN: 'https://ops.example.com' },
		{ SESSION_IDLE_HOURS: '0.5', SESSION_MAX_DAYS: '7' }
	])('accepts the well-formed %o', (env) => {
		expect(settingOf(env)).toBeNull();
	});
});
