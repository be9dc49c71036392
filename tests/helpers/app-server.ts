import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import postgres from 'postgres';

/**
 * Starts the built app (server.js) as a real process on a free port with a fresh database:
 * a throwaway PostgreSQL database when TEST_DATABASE_URL is set, else embedded PGlite in a
 * temporary folder. Demo data is created at start-up either way.
 */
export interface AppServer {
	url: string;
	databaseUrl: string | null;
	dataDir: string | null;
	process: ChildProcess;
	/** Everything the process printed so far. */
	log(): string;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

/** A new empty database on the TEST_DATABASE_URL server; dropped by the returned function. */
export async function createTestDatabase(baseUrl: string, prefix = 'eo_test'): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	await admin.end();
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists "${name}" with (force)`);
			await a.end();
		}
	};
}

export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
	const port = await freePort();
	const base = process.env.TEST_DATABASE_URL;
	const db = base ? await createTestDatabase(base) : null;
	const dataDir = db ? null : mkdtempSync(join(tmpdir(), 'eo-app-'));
	let node: AppServer;
	try {
		node = await spawnServer(port, {
			DEMO_DATA: 'true',
			...(db ? { DATABASE_URL: db.url } : { DATABASE_URL: '', DATA_DIR: dataDir! }),
			...env
		});
	} catch (e) {
		await db?.drop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		throw e;
	}
	const stopNode = node.stop;
	return {
		...node,
		databaseUrl: db?.url ?? null,
		dataDir,
		async stop() {
			await stopNode();
			if (db) await db.drop();
			if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/**
 * One more app node (server.js) on an existing PostgreSQL database, e.g. a second node next to
 * a startAppServer() one: nothing is created or dropped, and stop() only ends the process.
 * `port` lets a node come back on the port it had (a restart).
 */
export async function startNode(databaseUrl: string, opts: { port?: number; env?: Record<string, string> } = {}): Promise<AppServer> {
	const node = await spawnServer(opts.port ?? (await freePort()), { DATABASE_URL: databaseUrl, ...opts.env });
	return { ...node, databaseUrl };
}

function exited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/** server.js on `port` with `env`, resolved once /healthz answers 200. */
async function spawnServer(port: number, env: Record<string, string>): Promise<AppServer> {
	const child = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			DEMO_DATA: 'true',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const gone = new Promise((r) => child.once('exit', r));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 150_000;
	for (;;) {
		if (exited(child)) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}:\n${log}`);
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not become healthy:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		url,
		databaseUrl: env.DATABASE_URL || null,
		dataDir: env.DATA_DIR || null,
		process: child,
		log: () => log,
		async stop() {
			if (!exited(child)) child.kill('SIGTERM');
			await gone;
		}
	};
}
