// Production entry: serves the SvelteKit build (adapter-node's handler) on one HTTP server,
// which also carries Socket.IO, and drains connections on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const startedAt = performance.now();

// A fresh checkout has no build yet: make it once, so `npm start` works straight after install.
if (!existsSync(`${root}build/handler.js`)) {
	console.log('[elevator-ops] no build found, building once (npm run build)…');
	const r = spawnSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}

// Without ORIGIN or PROTOCOL_HEADER, adapter-node takes every request for https, and the session
// cookie would be Secure even on plain http (a phone on the LAN could not sign in). Tell it the
// real protocol of each connection through a header only this process sets.
const ownProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (ownProtocol) process.env.PROTOCOL_HEADER = 'x-elevator-ops-proto';

// Spreadsheet imports of orders are up to 10 MB (services/order-import-file.ts); adapter-node's
// default would refuse anything over 512 KB before the app sees it. JSON bodies keep their own
// smaller caps (route.ts readJson).
process.env.BODY_SIZE_LIMIT ??= '11M';

let handler;
const server = createServer((req, res) => {
	if (ownProtocol) req.headers['x-elevator-ops-proto'] = req.socket.encrypted ? 'https' : 'http';
	handler(req, res);
});
// The app attaches Socket.IO to this same server when it starts (src/lib/server/realtime/hub.ts).
globalThis[Symbol.for('elevator-ops.httpServer')] = server;

// Importing the handler runs the app's init hook: settings, database, migrations, demo data.
({ handler } = await import('./build/handler.js'));

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

server.listen(port, host, () => {
	const s = ((performance.now() - startedAt) / 1000).toFixed(1);
	console.log(
		`[elevator-ops] listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (ready in ${s} s)`
	);
});

let stopping = false;
async function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`[elevator-ops] ${signal}: draining connections`);
	// Closing drops this node's sockets as a lost transport (not a server "disconnect", which
	// clients take as final): they reconnect, to another node or to this one restarted, and catch up.
	await globalThis[Symbol.for('elevator-ops.realtime')]?.close().catch(() => {});
	server.close();
	server.closeIdleConnections();
	const force = setTimeout(() => server.closeAllConnections(), 10_000);
	force.unref();
	await new Promise((resolve) => server.once('close', resolve));
	// The app keeps its runtime on globalThis (src/lib/server/app.ts); close the database last.
	const runtime = await globalThis[Symbol.for('elevator-ops.runtime')]?.catch(() => null);
	await runtime?.database.close().catch(() => {});
	process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
