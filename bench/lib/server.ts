import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The project root: the benches run `server.js` from there, the way the README starts it. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

/** Builds once when `build/` is missing (or when forced); the milliseconds it took, or null if nothing was built. */
export function ensureBuild(force = false): number | null {
	if (!force && existsSync(`${ROOT}build/handler.js`)) return null;
	const t = performance.now();
	const r = spawnSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build'], {
		cwd: ROOT,
		stdio: 'inherit'
	});
	if (r.status !== 0) throw new Error(`vite build failed with status ${r.status}`);
	return performance.now() - t;
}

export interface RunningServer {
	url: string;
	child: ChildProcess;
	/** Milliseconds from spawn to the first 200 answer of each awaited path. */
	readyMs: Record<string, number>;
	log(): string;
	/** Each line the server printed, with the milliseconds after spawn it arrived. */
	lines: { ms: number; text: string }[];
	stop(): Promise<void>;
}

export interface StartOptions {
	/** DATABASE_URL (PostgreSQL) or DATA_DIR (embedded PGlite). */
	databaseUrl?: string;
	dataDir?: string;
	demoData?: boolean;
	/** Paths polled until each answers 200; the first decides when the server is up. */
	await?: string[];
	timeoutMs?: number;
	pollMs?: number;
}

/** Spawns `node server.js` on 127.0.0.1 and a free port, and times its first 200 answers. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const env: Record<string, string | undefined> = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		DATABASE_URL: opts.databaseUrl ?? '',
		DATA_DIR: opts.dataDir ?? '',
		DEMO_DATA: opts.demoData === undefined ? '' : String(opts.demoData)
	};
	const started = performance.now();
	const child = spawn(process.execPath, ['server.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const lines: { ms: number; text: string }[] = [];
	const collect = (d: Buffer) => {
		output += d;
		const ms = performance.now() - started;
		for (const text of String(d).split('\n')) if (text.trim()) lines.push({ ms, text });
	};
	child.stdout!.on('data', collect);
	child.stderr!.on('data', collect);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
	};

	const paths = opts.await ?? ['/healthz'];
	const readyMs: Record<string, number> = {};
	const deadline = started + (opts.timeoutMs ?? 600_000);
	const pollMs = opts.pollMs ?? 10;
	try {
		await Promise.all(
			paths.map(async (path) => {
				for (;;) {
					if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
					try {
						const res = await fetch(url + path, { redirect: 'manual' });
						await res.arrayBuffer();
						if (res.status === 200) {
							readyMs[path] = performance.now() - started;
							return;
						}
					} catch {
						/* not listening yet */
					}
					if (performance.now() > deadline) throw new Error(`${path} never answered 200:\n${output}`);
					await new Promise((r) => setTimeout(r, pollMs));
				}
			})
		);
	} catch (e) {
		await stop();
		throw e;
	}
	return { url, child, readyMs, log: () => output, lines, stop };
}
