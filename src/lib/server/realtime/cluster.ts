import type { Pool, PoolClient } from 'pg';

/**
 * Several app nodes on one PostgreSQL: the official Socket.IO PostgreSQL adapter carries
 * broadcasts between them over LISTEN/NOTIFY (wake-ups after commits, presence, closing a
 * signed-out session's sockets on whichever node holds them). It needs no other service.
 * Entity events themselves are read from the event table by each node (tail.ts), so a
 * notification lost while its listening connection is down delays them, never drops them.
 */
export async function clusterAdapter(url: string) {
	const { default: pg } = await import('pg');
	const { createAdapter } = await import('@socket.io/postgres-adapter');
	const pool: Pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'elevator-ops-bus' });
	const log = (e: unknown) => console.error('[elevator-ops] cluster bus:', e instanceof Error ? e.message : e);
	pool.on('error', log);
	// The adapter keeps one client checked out to LISTEN. When that connection dies, pg emits
	// 'error' on a client nobody listens to (which would end the process) and the pool would
	// keep counting it: log it and hand it back as broken. The adapter reconnects by itself.
	pool.on('connect', (client: PoolClient) =>
		client.on('error', (e) => {
			log(e);
			try {
				client.release(e);
			} catch {
				/* the pool had it already */
			}
		})
	);
	const adapter = createAdapter(pool, { errorHandler: log, heartbeatInterval: 2000, heartbeatTimeout: 6000 });
	return { adapter, close: () => pool.end() };
}
