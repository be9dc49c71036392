/**
 * Seeds the demo data from the command line:
 *
 *   tsx src/lib/server/seed/cli.ts [--orders N] [--customers N] [--seed N] [--today YYYY-MM-DD]
 *                                  [--url postgres://…] [--data-dir DIR] [--reset]
 *
 * PostgreSQL from --url or DATABASE_URL, else embedded PGlite in --data-dir, DATA_DIR or ./data.
 * Progress goes to stderr; stdout gets one JSON line with the counts and the seconds taken.
 */
import { fileURLToPath } from 'node:url';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { migrate, openDatabase, rows, schema, type Db } from '../db';
import { seedDemo } from './index';

const MIGRATIONS = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

interface Args {
	orders?: number;
	customers?: number;
	seed?: number;
	today?: string;
	url: string | null;
	dataDir: string;
	reset: boolean;
}

const USAGE =
	'usage: seed [--orders N] [--customers N] [--seed N] [--today YYYY-MM-DD] [--url postgres://…] [--data-dir DIR] [--reset]';

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
	const args: Args = { url: env.DATABASE_URL || null, dataDir: env.DATA_DIR || './data', reset: false };
	const int = (flag: string, v: string | undefined) => {
		if (!v || !/^\d+$/.test(v)) throw new Error(`${flag} needs a whole number\n${USAGE}`);
		return Number(v);
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		switch (flag) {
			case '--orders':
				args.orders = int(flag, value());
				break;
			case '--customers':
				args.customers = int(flag, value());
				break;
			case '--seed':
				args.seed = int(flag, value());
				break;
			case '--today':
				args.today = value();
				break;
			case '--url':
				args.url = value() || null;
				break;
			case '--data-dir':
				args.dataDir = value();
				break;
			case '--reset':
				args.reset = true;
				break;
			case '--help':
			case '-h':
				console.log(USAGE);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
		}
	}
	return args;
}

async function isEmpty(db: Db): Promise<boolean> {
	const [row] = await rows<{ busy: boolean }>(
		db,
		sql`select exists (select 1 from companies) or exists (select 1 from users) or exists (select 1 from orders) as busy`
	);
	return !row?.busy;
}

/** Empties every table of the schema; the events trigger refuses TRUNCATE, so it is off meanwhile. */
async function reset(db: Db): Promise<void> {
	const tables = (Object.values(schema) as unknown[]).flatMap((t) =>
		is(t, PgTable) ? [`"${getTableName(t)}"`] : []
	);
	await db.transaction(async (tx) => {
		await tx.execute(sql`alter table events disable trigger user`);
		await tx.execute(sql.raw(`truncate ${tables.join(', ')} restart identity cascade`));
		await tx.execute(sql`alter table events enable trigger user`);
	});
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2), process.env);
	const t0 = performance.now();
	const log = (msg: string) =>
		process.stderr.write(`[seed ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
	const database = await openDatabase({ url: args.url, dataDir: args.url ? null : args.dataDir });
	try {
		log(args.url ? `PostgreSQL ${args.url.replace(/\/\/[^@/]*@/, '//…@')}` : `PGlite ${args.dataDir}`);
		await migrate(database, MIGRATIONS);
		if (!(await isEmpty(database.db))) {
			if (!args.reset) {
				log('the database is not empty; pass --reset to wipe it and seed again');
				process.exitCode = 2;
				return;
			}
			log('--reset: emptying every table');
			await reset(database.db);
		}
		const summary = await seedDemo(database.db, {
			orders: args.orders,
			customers: args.customers,
			seed: args.seed,
			today: args.today,
			log
		});
		console.log(JSON.stringify(summary));
	} finally {
		await database.close();
	}
}

main().catch((e) => {
	process.stderr.write(`[seed] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
	if (e && typeof e === 'object' && 'cause' in e && e.cause)
		process.stderr.write(`[seed] cause: ${String(e.cause)}\n`);
	process.exit(1);
});
