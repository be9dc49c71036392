import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rows, type Conn } from '../db';

/** Rows per statement: one JSON parameter each, so PostgreSQL's 65,535-parameter limit never applies. */
const BATCH = 5000;

type Row<T extends PgTable> = T['$inferInsert'] & { id?: number };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * INSERT statements for many rows: the rows travel as ONE json parameter that
 * `json_to_recordset` turns back into typed rows, the same on postgres.js and PGlite and far
 * cheaper than a VALUES list with a bind parameter per cell. Rows that carry their `id` are
 * inserted with OVERRIDING SYSTEM VALUE. Every row must set the same keys (null, not undefined,
 * for an explicit NULL): a missing key would insert NULL where a column default was meant.
 */
export function insertStatements<T extends PgTable>(table: T, data: readonly Row<T>[]): SQL[] {
	if (data.length === 0) return [];
	const name = getTableName(table);
	const columns = getTableColumns(table) as Record<string, { name: string; getSQLType(): string }>;
	const keys = Object.keys(data[0] as object).filter(
		(k) => (data[0] as Record<string, unknown>)[k] !== undefined
	);
	for (const row of data) {
		const r = row as Record<string, unknown>;
		let n = 0;
		for (const k in r) if (r[k] !== undefined) n++;
		if (n !== keys.length || keys.some((k) => r[k] === undefined))
			throw new Error(`${name}: rows set different columns (use null for an explicit NULL)`);
	}
	const used = keys.map((k) => {
		const column = columns[k];
		if (!column) throw new Error(`${name} has no column ${k}`);
		return { key: k, name: column.name, type: column.getSQLType() };
	});
	const names = used.map((c) => quote(c.name)).join(', ');
	const defs = used.map((c) => `${quote(c.name)} ${c.type}`).join(', ');
	const overriding = keys.includes('id') ? ' overriding system value' : '';
	const head = `insert into ${quote(name)} (${names})${overriding} select ${names} from rows from (json_to_recordset(`;
	const tail = `::json) as (${defs})) with ordinality as x(${names}, "__n") order by "__n"`;
	const out: SQL[] = [];
	for (let i = 0; i < data.length; i += BATCH) {
		const json = JSON.stringify(
			data.slice(i, i + BATCH).map((row) => {
				const o: Record<string, unknown> = {};
				for (const c of used) {
					const v = (row as Record<string, unknown>)[c.key];
					o[c.name] = v instanceof Date ? v.toISOString() : v;
				}
				return o;
			})
		);
		out.push(sql.join([sql.raw(head), sql`${json}`, sql.raw(tail)]));
	}
	return out;
}

/**
 * Queues the seed's inserts without waiting for each: ids are handed out here, from id ranges
 * reserved at the start, so nothing waits for a RETURNING and, on PostgreSQL, the statements
 * are pipelined on the transaction's connection while the next rows are being generated.
 */
export class Loader {
	private readonly next = new Map<string, number>();
	private pending: Promise<unknown>[] = [];
	private failure: unknown = null;

	private constructor(private readonly conn: Conn) {}

	/** Takes over the id sequences of `tables` (identity column `id`) until `finish`. */
	static async open(conn: Conn, tables: PgTable[]): Promise<Loader> {
		const loader = new Loader(conn);
		const names = tables.map((t) => getTableName(t));
		const list = names.map((n) => `('${n.replace(/'/g, "''")}')`).join(', ');
		const got = await rows<{ name: string; next: string }>(
			conn,
			sql.raw(
				`select t as name, nextval(pg_get_serial_sequence(quote_ident(t), 'id'))::text as next from (values ${list}) as x(t)`
			)
		);
		for (const r of got) loader.next.set(r.name, Number(r.next));
		return loader;
	}

	/** n new ids of a table whose sequence was taken over. */
	ids(table: PgTable, n: number): number[] {
		const name = getTableName(table);
		const first = this.next.get(name);
		if (first === undefined) throw new Error(`ids of ${name} were not reserved`);
		this.next.set(name, first + n);
		return Array.from({ length: n }, (_, i) => first + i);
	}

	/** Queues rows of a table whose ids nobody needs (its sequence gives them). */
	add<T extends PgTable>(table: T, data: readonly Row<T>[]): void {
		for (const q of insertStatements(table, data)) {
			// Promise.resolve runs Drizzle's lazy query exactly once.
			const p = Promise.resolve(this.conn.execute(q));
			p.catch((e) => (this.failure ??= e));
			this.pending.push(p);
		}
	}

	/** Queues rows with ids handed out now, and returns those ids. */
	insert<T extends PgTable>(table: T, data: readonly T['$inferInsert'][]): number[] {
		const ids = this.ids(table, data.length);
		this.add(
			table,
			data.map((row, i) => ({ id: ids[i], ...row }) as Row<T>)
		);
		return ids;
	}

	/** Settles everything queued so far; later inserts are not waited for. Rejects on the first failure. */
	cut(): Promise<void> {
		const batch = this.pending;
		this.pending = [];
		const done = Promise.allSettled(batch).then(() => {
			if (this.failure) throw this.failure;
		});
		done.catch(() => {}); // reported where it is awaited, not as an unhandled rejection
		return done;
	}

	/** Waits for every insert, then hands the sequences back, set past the ids used. */
	async finish(): Promise<void> {
		await this.cut();
		const values = [...this.next].map(([n, v]) => `('${n.replace(/'/g, "''")}', ${v})`).join(', ');
		if (values)
			await this.conn.execute(
				sql.raw(
					`select setval(pg_get_serial_sequence(quote_ident(t), 'id'), v, false) from (values ${values}) as x(t, v)`
				)
			);
	}
}
