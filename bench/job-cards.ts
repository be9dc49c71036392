/**
 * Job card PDFs (src/lib/server/print/job-card-*.ts): time for one card and for a batch of 50,
 * and the batch's size, on an in-memory PGlite with demo data, through the same service the
 * routes call.
 *
 *   npx tsx bench/job-cards.ts [--runs 5] [--batch 50] [--out DIR]
 *
 * --out keeps a Chinese and an English card and the batch in DIR. "cold" is the process's first
 * print (reading the font files included); the figures are medians of --runs. The last line is
 * one JSON object: {"oneCardMs", "batch50Ms", "batch50KB", …}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs, stringArg } from './lib/args';
import { progress, result, round } from './lib/log';
import { median } from './lib/stats';
import { openDatabase, migrate, rows } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { loadActor } from '../src/lib/server/auth/session';
import { printJobCard, printJobCards } from '../src/lib/server/services/job-cards';

const args = parseArgs();
const runs = numberArg(args, 'runs', 5);
const batch = numberArg(args, 'batch', 50);
const out = stringArg(args, 'out');

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
	const t = performance.now();
	const value = await fn();
	return [value, performance.now() - t];
}

const database = await openDatabase({ url: null, dataDir: null, poolSize: 1 });
try {
	await migrate(database, 'drizzle');
	progress('seeding demo data (in memory)…');
	await seedDemo(database.db, { orders: 400 });
	const [admin] = await rows<{ id: number }>(database.db, sql`select id from users where username = 'admin'`);
	const actor = (await loadActor(database.db, Number(admin.id)))!;
	const zh = { db: database.db, actor: { ...actor, locale: 'zh-CN' as const } };
	const en = { db: database.db, actor: { ...actor, locale: 'en' as const } };
	// Open work orders first: they are the ones printed for the shop floor.
	const ids = (
		await rows<{ id: number }>(
			database.db,
			sql`select id from work_orders order by status in ('done', 'cancelled'), id limit ${batch}`
		)
	).map((r) => Number(r.id));
	if (ids.length < batch) throw new Error(`only ${ids.length} work orders in the demo data`);

	const [cold, coldMs] = await timed(() => printJobCard(zh, ids[0]));
	progress(`first card (cold, font files read): ${Math.round(coldMs)} ms, ${cold.body.length} bytes`);
	const one: number[] = [];
	const many: number[] = [];
	let oneBytes = 0;
	let batchBytes = 0;
	let batchPages = 0;
	for (let r = 0; r < runs; r++) {
		const [a, ms1] = await timed(() => printJobCard(zh, ids[r % ids.length]));
		oneBytes = a.body.length;
		one.push(ms1);
		const [b, msB] = await timed(() => printJobCards(zh, { ids: ids.join(',') }));
		batchBytes = b.body.length;
		batchPages = (b.body.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
		many.push(msB);
		progress(`run ${r + 1}: one card ${Math.round(ms1)} ms; ${ids.length} cards ${Math.round(msB)} ms, ${batchBytes} bytes, ${batchPages} pages`);
	}
	if (out) {
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, 'job-card-zh.pdf'), (await printJobCard(zh, ids[0])).body);
		writeFileSync(join(out, 'job-card-en.pdf'), (await printJobCard(en, ids[0])).body);
		writeFileSync(join(out, `job-cards-${ids.length}.pdf`), (await printJobCards(zh, { ids: ids.join(',') })).body);
		progress(`samples written to ${out}`);
	}
	result({
		bench: 'jobcards',
		runs,
		oneCardMs: round(median(one)),
		oneCardColdMs: round(coldMs),
		oneCardKB: round(oneBytes / 1024),
		batch: ids.length,
		batchPages,
		batch50Ms: round(median(many)),
		batch50KB: round(batchBytes / 1024)
	});
} finally {
	await database.close();
}
