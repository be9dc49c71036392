/**
 * Order PDFs (src/lib/server/print/): size and time of one order and of a 50-order batch, on an
 * in-memory PGlite with demo data, through the same service the routes call.
 *
 *   npx tsx bench/print.ts [--runs 3] [--batch 50] [--out DIR]
 *
 * --out keeps a Chinese and an English sample (one order each), one not yet approved and the batch
 * in DIR.
 * Times: "cold" is the process's first print (reading the 21 MB of font files included);
 * the others are medians of --runs. The last line is one JSON object with the figures.
 * Imports the compiled messages (src/lib/paraglide, git-ignored): `npm run check`, a build or a
 * vitest run makes them.
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
import { getOrder } from '../src/lib/server/services/orders';
import { printOrder, printOrders } from '../src/lib/server/services/order-print';
import { renderOrdersPdf } from '../src/lib/server/print/order-pdf';

const args = parseArgs();
const runs = numberArg(args, 'runs', 3);
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
	await seedDemo(database.db, { orders: Math.max(200, batch * 2) });
	const [admin] = await rows<{ id: number }>(database.db, sql`select id from users where username = 'admin'`);
	const actor = (await loadActor(database.db, Number(admin.id)))!;
	const zh = { db: database.db, actor: { ...actor, locale: 'zh-CN' as const } };
	const en = { db: database.db, actor: { ...actor, locale: 'en' as const } };
	const ids = (
		await rows<{ id: number }>(database.db, sql`select id from orders order by id limit ${batch}`)
	).map((r) => Number(r.id));

	const [cold, coldMs] = await timed(() => printOrder(zh, ids[0]));
	progress(`first print (cold, font files read): ${Math.round(coldMs)} ms, ${cold.body.length} bytes`);
	const one: number[] = [];
	const many: number[] = [];
	const renderOnly: number[] = [];
	let oneBytes = 0;
	let oneEnBytes = 0;
	let batchBytes = 0;
	let batchPages = 0;
	const details = [];
	for (const id of ids) details.push(await getOrder(zh, id));
	for (let r = 0; r < runs; r++) {
		const [a, ms1] = await timed(() => printOrder(zh, ids[0]));
		oneBytes = a.body.length;
		one.push(ms1);
		oneEnBytes = (await printOrder(en, ids[0])).body.length;
		const [b, msB] = await timed(() => printOrders(zh, { ids: ids.join(',') }));
		batchBytes = b.body.length;
		batchPages = (b.body.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
		many.push(msB);
		const [, msR] = await timed(() => renderOrdersPdf(details, { locale: 'zh-CN' }));
		renderOnly.push(msR);
		progress(
			`run ${r + 1}: one order ${Math.round(ms1)} ms; ${ids.length} orders ${Math.round(msB)} ms (render alone ${Math.round(msR)} ms), ${batchBytes} bytes, ${batchPages} pages`
		);
	}
	if (out) {
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, 'order-zh.pdf'), (await printOrder(zh, ids[0])).body);
		writeFileSync(join(out, 'order-en.pdf'), (await printOrder(en, ids[0])).body);
		writeFileSync(join(out, `batch-${ids.length}.pdf`), (await printOrders(zh, { ids: ids.join(',') })).body);
		const [draft] = await rows<{ id: number }>(
			database.db,
			sql`select id from orders where status = 'in_approval' order by id limit 1`
		);
		if (draft)
			writeFileSync(join(out, 'order-in-approval-zh.pdf'), (await printOrder(zh, Number(draft.id))).body);
		progress(`samples written to ${out}`);
	}
	result({
		bench: 'print',
		runs,
		oneOrder: { bytesZh: oneBytes, bytesEn: oneEnBytes, medianMs: round(median(one)), coldMs: round(coldMs) },
		batch: {
			orders: ids.length,
			pages: batchPages,
			bytes: batchBytes,
			medianMs: round(median(many)),
			renderOnlyMedianMs: round(median(renderOnly))
		}
	});
} finally {
	await database.close();
}
