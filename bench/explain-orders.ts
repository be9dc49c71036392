/**
 * Why the orders list takes what it takes: runs listOrders in this process against a seeded
 * PostgreSQL database for each user and kind of query (lib/orders-mix.ts), captures the exact
 * SQL it sends (the page query and the count), and prints EXPLAIN (ANALYZE, BUFFERS) of each,
 * with the service's own median time over a few warm runs.
 *
 *   tsx bench/explain-orders.ts [--db-url URL] [--orders 100000] [--user admin] [--kind page40]
 *                               [--runs 5] [--sql-dir DIR] [--quiet]
 *
 * --sql-dir writes each statement with its parameters inlined, for a psql session.
 * The last line is one JSON object: per user and kind, service ms and each statement's execution ms.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq } from 'drizzle-orm';
import { schema, type Db } from '../src/lib/server/db';
import { loadActor } from '../src/lib/server/auth/session';
import { listOrders } from '../src/lib/server/services/orders';
import { numberArg, parseArgs, stringArg } from './lib/args';
import { progress, result, round } from './lib/log';
import { databaseUrl, keptDatabaseName } from './lib/pg';
import { KINDS, SAMPLE_QUERIES, lcg, paramsFor, sampleOf, type Kind, type OrderRow } from './lib/orders-mix';
import { median } from './lib/stats';

const args = parseArgs();
const url = stringArg(args, 'db-url') ?? databaseUrl(keptDatabaseName(numberArg(args, 'orders', 100_000)));
const users = stringArg(args, 'user')?.split(',') ?? ['admin', 'sales1', 'scoped1'];
const kinds = (stringArg(args, 'kind')?.split(',') ?? [...KINDS]) as Kind[];
const runs = numberArg(args, 'runs', 5);
const sqlDir = stringArg(args, 'sql-dir');
const quiet = args.has('quiet');

const client = postgres(url, { max: 4, onnotice: () => {} });
let captured: { query: string; params: unknown[] }[] = [];
const db = drizzle(client, {
	schema,
	logger: { logQuery: (query, params) => captured.push({ query, params }) }
}) as unknown as Db;

/** A statement with its parameters written in, for pasting into psql. */
const inline = (q: string, params: unknown[]) =>
	q.replace(/\$(\d+)/g, (_, i) => {
		const v = params[Number(i) - 1];
		return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
	});

const out: Record<string, Record<string, unknown>> = {};
try {
	for (const username of users) {
		const [user] = await db
			.select({ id: schema.users.id })
			.from(schema.users)
			.where(eq(schema.users.username, username));
		const actor = user && (await loadActor(db, user.id));
		if (!actor) throw new Error(`no user ${username}`);
		const ctx = { db, actor };
		const rows: OrderRow[] = [];
		for (const q of SAMPLE_QUERIES)
			rows.push(...((await listOrders(ctx, { ...q, pageSize: '100' })).rows as OrderRow[]));
		const sample = sampleOf(rows);
		const pick = lcg(20_240_601);
		out[username] = {};
		for (const kind of kinds) {
			const input = paramsFor(kind, sample, pick);
			const times: number[] = [];
			let total = 0;
			for (let i = 0; i < runs; i++) {
				captured = [];
				const t = performance.now();
				total = (await listOrders(ctx, input)).total;
				times.push(performance.now() - t);
			}
			const statements = captured.slice(-2);
			const exec: number[] = [];
			for (const [i, s] of statements.entries()) {
				const plan = await client.unsafe(`explain (analyze, buffers) ${s.query}`, s.params as never[]);
				const lines = plan.map((r) => r['QUERY PLAN'] as string);
				exec.push(Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1) ?? '')?.[1]));
				if (!quiet)
					console.log(
						`\n== ${username} ${kind} ${JSON.stringify(input)} [${i === 0 ? 'page' : 'count'}]\n${lines.join('\n')}`
					);
				if (sqlDir) {
					mkdirSync(sqlDir, { recursive: true });
					writeFileSync(
						join(sqlDir, `${username}-${kind}-${i === 0 ? 'page' : 'count'}.sql`),
						inline(s.query, s.params) + ';\n'
					);
				}
			}
			out[username][kind] = {
				input,
				total,
				serviceMedianMs: round(median(times), 2),
				pageExecMs: exec[0],
				countExecMs: exec[1]
			};
			progress(
				`${username} ${kind}: service ${round(median(times), 1)} ms (page ${exec[0]} ms, count ${exec[1]} ms, total ${total})`
			);
		}
	}
} finally {
	await client.end({ timeout: 5 });
}
result(out);
