import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar, rejection } from './db';
import { shipUnits } from '../../src/lib/server/services/shipping';
import { ConflictError } from '../../src/lib/server/errors';
import type { Actor } from '../../src/lib/server/authz';
import type { Db } from '../../src/lib/server/db';

/**
 * Shipping produced units opens (or extends) the site's installation job in the same
 * transaction; units not produced are refused with nothing written; the order is shipped when
 * its last unit leaves.
 */
describe.each(drivers)('shipping (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let planner: Actor;
	let order: { id: number; version: number; company_id: number };
	let unitIds: number[];

	const orderOf = async (id: number) =>
		(
			await query<{ status: string; version: number }>(
				db,
				sql`select status, version from orders where id = ${id}`
			)
		)[0];

	beforeAll(async () => {
		db = t.db;
		planner = await actorOf(db, 'planner1', { locale: 'zh-CN' });
		// An order in production whose units are all made: the planner ships them in two parts.
		[order] = await query<{ id: number; version: number; company_id: number }>(
			db,
			sql`select o.id, o.version, o.company_id from orders o
				where o.status = 'in_production' and o.site_id is not null and o.unit_count >= 2
					and o.company_id = any(${`{${planner.companyIds.join(',')}}`}::int[])
					and not exists (select 1 from installation_jobs j where j.order_id = o.id)
				order by o.id limit 1`
		);
		unitIds = (
			await query<{ id: number }>(db, sql`select id from units where order_id = ${order.id} order by id`)
		).map((u) => Number(u.id));
		await db.execute(sql`update units set status = 'produced' where order_id = ${order.id}`);
	});

	it('refuses units not produced or of another order, and writes nothing', async () => {
		await db.execute(sql`update units set status = 'in_production' where id = ${unitIds[0]}`);
		const msg = await rejection(
			shipUnits({ db, actor: planner }, order.id, {
				version: order.version,
				unitIds: [unitIds[0], 2_000_000]
			})
		);
		expect(msg).toMatch(/还不能发货/);
		expect(msg).toMatch(/2000000/);
		expect(await scalar(db, sql`select count(*) from installation_jobs where order_id = ${order.id}`)).toBe(
			0
		);
		await db.execute(sql`update units set status = 'produced' where id = ${unitIds[0]}`);
		expect(
			await rejection(shipUnits({ db, actor: planner }, order.id, { version: order.version, unitIds: [] }))
		).toMatch(/unitIds/);
	});

	it('the first shipment opens an unassigned job at the site; the last one ships the order', async () => {
		const first = await shipUnits({ db, actor: planner }, order.id, {
			version: order.version,
			unitIds: [unitIds[0]]
		});
		expect(first.created).toBe(true);
		expect(first.orderStatus).toBe('in_production');
		const [job] = await query<{
			status: string;
			crew_id: number | null;
			lat: number;
			planned_start: string;
			planned_end: string;
		}>(
			db,
			sql`select status, crew_id, lat, planned_start::text, planned_end::text from installation_jobs where id = ${first.jobId}`
		);
		expect(job).toMatchObject({ status: 'unassigned', crew_id: null });
		expect(job.lat).not.toBeNull();
		expect(
			await scalar(
				db,
				sql`select count(*) from events where entity = 'installation_job' and entity_id = ${first.jobId}`
			)
		).toBe(1);

		await expect(
			shipUnits({ db, actor: planner }, order.id, { version: order.version, unitIds: [unitIds[1]] })
		).rejects.toBeInstanceOf(ConflictError);
		const now = await orderOf(order.id);
		const rest = await shipUnits({ db, actor: planner }, order.id, {
			version: now.version,
			unitIds: unitIds.slice(1)
		});
		expect(rest).toMatchObject({ created: false, jobId: first.jobId, orderStatus: 'shipped' });
		expect(
			await scalar(db, sql`select count(*) from installation_job_units where job_id = ${first.jobId}`)
		).toBe(unitIds.length);
		expect(
			await scalar(db, sql`select count(*) from units where order_id = ${order.id} and status = 'shipped'`)
		).toBe(unitIds.length);
		expect((await orderOf(order.id)).status).toBe('shipped');
		// A longer job for more units.
		const [after] = await query<{ planned_end: string }>(
			db,
			sql`select planned_end::text from installation_jobs where id = ${first.jobId}`
		);
		expect(after.planned_end > job.planned_end).toBe(true);
	});

	it('a user without the planner’s permission or outside the company cannot ship', async () => {
		const sales = await actorOf(db, 'installer1');
		expect(
			await rejection(shipUnits({ db, actor: sales }, order.id, { version: 1, unitIds: [unitIds[0]] }))
		).toMatch(/permission/);
		const other = { ...planner, companyIds: [order.company_id + 1000] };
		expect(
			await rejection(shipUnits({ db, actor: other }, order.id, { version: 1, unitIds: [unitIds[0]] }))
		).toMatch(/Not found/);
	});
});
