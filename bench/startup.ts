/**
 * Start-up time of the production server (`node server.js`, as the README starts it): from
 * spawn to the first 200 of GET /healthz and of GET /login,
 *   (a) on a NEW embedded database (empty DATA_DIR: migrations and demo seeding included),
 *   (b) on that EXISTING database (the next start),
 *   (c) on a NEW PostgreSQL database with DEMO_DATA=true, and (d) that one started again.
 *
 *   npm run bench:startup -- [--runs 3] [--no-postgres] [--rebuild] [--verbose]
 *
 * --verbose echoes the server's own log lines with the ms after spawn they came.
 *
 * Builds first when build/ is missing (or with --rebuild) and reports that time separately.
 * The last line is one JSON object with the figures (min and median of the runs, in ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberArg, parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import { createDatabase, dropDatabase } from './lib/pg';
import { ensureBuild, startServer, type StartOptions } from './lib/server';
import { median, min } from './lib/stats';

const args = parseArgs();
const runs = numberArg(args, 'runs', 3);
const withPostgres = !args.has('no-postgres');
const verbose = args.has('verbose');
const PATHS = ['/healthz', '/login'];

type Sample = { healthz: number; login: number; demoDataMs: number | null; readyLogMs: number | null };

/** The server's own log lines: how long demo seeding took, and when it says it listens. */
function fromLog(log: string) {
	const demo = /demo data created in ([\d.]+) s/.exec(log);
	const ready = /ready in ([\d.]+) s/.exec(log);
	return {
		demoDataMs: demo ? Number(demo[1]) * 1000 : null,
		readyLogMs: ready ? Number(ready[1]) * 1000 : null
	};
}

async function measure(label: string, opts: StartOptions): Promise<Sample> {
	const server = await startServer({ ...opts, await: PATHS });
	if (verbose) for (const l of server.lines) progress(`${label}   +${Math.round(l.ms)} ms  ${l.text}`);
	try {
		const s = {
			healthz: server.readyMs['/healthz'],
			login: server.readyMs['/login'],
			...fromLog(server.log())
		};
		progress(
			`${label}: /healthz ${Math.round(s.healthz)} ms, /login ${Math.round(s.login)} ms${s.demoDataMs !== null ? ` (demo data ${Math.round(s.demoDataMs)} ms)` : ''}`
		);
		return s;
	} finally {
		await server.stop();
	}
}

function report(samples: Sample[]) {
	if (samples.length === 0) return null;
	const of = (k: 'healthz' | 'login') => samples.map((s) => s[k]);
	const demo = samples.map((s) => s.demoDataMs).filter((x): x is number => x !== null);
	return {
		healthzMinMs: Math.round(min(of('healthz'))),
		healthzMedianMs: Math.round(median(of('healthz'))),
		loginMinMs: Math.round(min(of('login'))),
		loginMedianMs: Math.round(median(of('login'))),
		demoDataMedianMs: demo.length ? Math.round(median(demo)) : null,
		runs: samples.length
	};
}

progress('checking the build…');
const buildMs = ensureBuild(args.has('rebuild'));
if (buildMs !== null) progress(`built in ${round(buildMs / 1000)} s`);

const newEmbedded: Sample[] = [];
const existingEmbedded: Sample[] = [];
for (let i = 1; i <= runs; i++) {
	const dataDir = mkdtempSync(join(tmpdir(), 'eo-bench-startup-'));
	try {
		newEmbedded.push(await measure(`embedded new #${i}`, { dataDir }));
		existingEmbedded.push(await measure(`embedded existing #${i}`, { dataDir }));
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const newPostgres: Sample[] = [];
const existingPostgres: Sample[] = [];
if (withPostgres) {
	for (let i = 1; i <= runs; i++) {
		const name = `eo_bench_startup_${process.pid}_${i}`;
		const databaseUrl = await createDatabase(name);
		try {
			newPostgres.push(await measure(`postgres new #${i}`, { databaseUrl, demoData: true }));
			existingPostgres.push(await measure(`postgres existing #${i}`, { databaseUrl, demoData: true }));
		} finally {
			await dropDatabase(name);
		}
	}
}

const r = {
	newEmbedded: report(newEmbedded),
	existingEmbedded: report(existingEmbedded),
	newPostgres: report(newPostgres),
	existingPostgres: report(existingPostgres)
};
result({
	newEmbeddedMs: r.newEmbedded?.loginMedianMs ?? null,
	existingEmbeddedMs: r.existingEmbedded?.loginMedianMs ?? null,
	newPostgresMs: r.newPostgres?.loginMedianMs ?? null,
	existingPostgresMs: r.existingPostgres?.loginMedianMs ?? null,
	buildMs: buildMs === null ? null : Math.round(buildMs),
	note: '*Ms = median ms from spawn to the first 200 of GET /login; details per path below',
	...r
});
