import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/app';
import { migrationState } from '$lib/server/db';

/** For load balancers and scripts: the database kind and whether every migration is applied. */
export const GET: RequestHandler = async () => {
	const { database, config, startedAt } = await runtime();
	try {
		const migrations = await migrationState(database.db, config.migrationsDir);
		return json(
			{ status: migrations.upToDate ? 'ok' : 'migrating', database: database.kind, migrations, startedAt },
			{ status: migrations.upToDate ? 200 : 503 }
		);
	} catch {
		return json({ status: 'error', database: database.kind }, { status: 503 });
	}
};
