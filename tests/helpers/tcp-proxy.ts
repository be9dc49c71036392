import { connect, createServer, type Socket } from 'node:net';

/**
 * A tiny TCP load balancer for failover tests: each new connection goes to the first target
 * port that accepts it (node A while it is alive, else node B…), and lives exactly as long as
 * both ends do, so a node that dies takes its proxied connections with it, as behind a real
 * balancer.
 */
export interface TcpProxy {
	port: number;
	url: string;
	/** Upstream connections made so far, per target port. */
	readonly routed: Map<number, number>;
	close(): Promise<void>;
}

export async function startTcpProxy(targets: number[], host = '127.0.0.1'): Promise<TcpProxy> {
	const open = new Set<Socket>();
	const routed = new Map<number, number>();
	const track = (s: Socket) => {
		open.add(s);
		s.once('close', () => open.delete(s));
		return s;
	};

	function attempt(client: Socket, i: number): void {
		if (i >= targets.length || client.destroyed) return void client.destroy();
		const upstream = track(connect({ host, port: targets[i] }));
		upstream.once('error', () => {
			upstream.destroy();
			attempt(client, i + 1);
		});
		upstream.once('connect', () => {
			routed.set(targets[i], (routed.get(targets[i]) ?? 0) + 1);
			upstream.removeAllListeners('error');
			upstream.on('error', () => client.destroy());
			upstream.once('close', () => client.destroy());
			client.once('close', () => upstream.destroy());
			client.pipe(upstream);
			upstream.pipe(client);
			client.resume();
		});
	}

	const server = createServer({ pauseOnConnect: true }, (client) => {
		track(client);
		client.on('error', () => client.destroy());
		attempt(client, 0);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve());
	});
	const port = (server.address() as { port: number }).port;
	return {
		port,
		url: `http://${host}:${port}`,
		routed,
		async close() {
			const closed = new Promise((r) => server.close(r));
			for (const s of open) s.destroy();
			await closed;
		}
	};
}
