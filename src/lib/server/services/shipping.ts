import { z } from 'zod';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { assertInScope, authorize } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { addDays, isDay } from '../../domain/days';
import { chinaToday, maxSuffix, nextNumber, orderEvent } from './order-common';
import { jobEvent } from './dispatch';
import type { Ctx } from './context';

const { orders, units, sites, companies, installationJobs, installationJobUnits } = schema;

/**
 * Shipping produced units to the order's site. The units become 'shipped' and join the site's
 * open installation job, which is created (unassigned, with the site's coordinates and a planned
 * window) when the site has none: one job per site, so the dispatcher sees it on the map at
 * once. When the order's last unit leaves, the order is 'shipped'. One transaction.
 */

const shipInput = (locale: 'zh-CN' | 'en') =>
	z
		.object({
			version: z.number().int().min(1).max(2_147_483_647),
			unitIds: z.array(z.number().int().min(1).max(2_147_483_647)).min(1).max(500),
			shippedOn: z
				.string()
				.refine(isDay, { message: m.disp_bad_day({}, { locale }) })
				.optional()
		})
		.strict();

/** Days on site: two weeks for the first unit, a week for each more (crews work units in parallel). */
export const installDays = (unitCount: number) => 14 + 7 * Math.max(0, unitCount - 1);

export async function shipUnits({ db, actor }: Ctx, rawOrderId: unknown, input: unknown) {
	const a = authorize(actor, 'production.plan');
	const orderId = parseId(rawOrderId, a.locale);
	const p = parseInput(shipInput(a.locale), input, a.locale);
	const shippedOn = p.shippedOn ?? chinaToday();
	return runCommand(db, async (tx, emit) => {
		const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
		assertInScope(a, order, order?.salesRepId);
		if (order.version !== p.version) throw new ConflictError('stale version', order);
		if (!order.siteId)
			throw new ValidationError(m.ship_no_site({ number: order.number }, { locale: a.locale }));
		const picked = await tx
			.select({ id: units.id, serialNo: units.serialNo, status: units.status })
			.from(units)
			.where(and(eq(units.orderId, orderId), inArray(units.id, p.unitIds)))
			.for('update');
		const notReady = [
			...picked.filter((u) => u.status !== 'produced').map((u) => u.serialNo),
			...p.unitIds.filter((id) => !picked.some((u) => u.id === id)).map(String)
		];
		if (notReady.length)
			throw new ValidationError(m.ship_not_produced({ units: notReady.join(', ') }, { locale: a.locale }), [
				{
					path: 'unitIds',
					message: m.ship_not_produced({ units: notReady.join(', ') }, { locale: a.locale })
				}
			]);

		await tx
			.update(units)
			.set({
				status: 'shipped',
				siteId: order.siteId,
				updatedAt: sql`now()`,
				version: sql`${units.version} + 1`
			})
			.where(inArray(units.id, p.unitIds));
		for (const u of picked)
			await emit({
				companyId: order.companyId,
				topic: 'orders',
				entity: 'unit',
				entityId: u.id,
				entityVersion: 1,
				type: 'unit.shipped',
				payload: { serialNo: u.serialNo, status: 'shipped', orderId, shippedOn },
				actorId: a.id,
				ownerId: order.salesRepId
			});

		// The site's open job takes the units; a site without one gets a new job.
		let [job] = await tx
			.select()
			.from(installationJobs)
			.where(
				and(
					eq(installationJobs.orderId, orderId),
					eq(installationJobs.siteId, order.siteId),
					notInArray(installationJobs.status, ['handed_over', 'cancelled'])
				)
			)
			.for('update');
		const created = !job;
		if (!job) {
			const [site] = await tx.select().from(sites).where(eq(sites.id, order.siteId));
			const [{ code }] = await tx
				.select({ code: companies.code })
				.from(companies)
				.where(eq(companies.id, order.companyId));
			const prefix = `IJ-${code}-${shippedOn.slice(0, 4)}`;
			const start = addDays(shippedOn, 7);
			[job] = await tx
				.insert(installationJobs)
				.values({
					companyId: order.companyId,
					number: await nextNumber(tx, prefix, maxSuffix(sql`number`, sql`installation_jobs`, prefix)),
					orderId,
					siteId: order.siteId,
					priority: order.priority,
					plannedStart: start,
					plannedEnd: addDays(start, installDays(picked.length) - 1),
					lat: site.lat,
					lng: site.lng
				})
				.returning();
		}
		await tx.insert(installationJobUnits).values(picked.map((u) => ({ jobId: job.id, unitId: u.id })));
		if (!created) {
			const [{ n }] = await tx
				.select({ n: sql<number>`count(*)::int` })
				.from(installationJobUnits)
				.where(eq(installationJobUnits.jobId, job.id));
			[job] = await tx
				.update(installationJobs)
				.set({
					plannedEnd: job.plannedStart
						? addDays(job.plannedStart, installDays(Number(n)) - 1)
						: job.plannedEnd,
					version: sql`${installationJobs.version} + 1`,
					updatedAt: sql`now()`
				})
				.where(eq(installationJobs.id, job.id))
				.returning();
		}
		await emit(
			jobEvent(job, null, created ? 'installation_job.created' : 'installation_job.units_added', a.id, {
				unitIds: p.unitIds
			})
		);

		// The order is shipped once none of its units is still waiting to leave.
		const [{ waiting }] = await tx
			.select({ waiting: sql<number>`count(*)::int` })
			.from(units)
			.where(
				and(eq(units.orderId, orderId), inArray(units.status, ['planned', 'in_production', 'produced']))
			);
		const status =
			Number(waiting) === 0 && (order.status === 'approved' || order.status === 'in_production')
				? 'shipped'
				: order.status;
		// Its units changed either way: a new version, so an edit made on the old page is stale.
		await tx
			.update(orders)
			.set({ status, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
			.where(eq(orders.id, orderId));
		await emit(
			await orderEvent(tx, orderId, 'order.units_shipped', a.id, {
				from: order.status,
				to: status,
				unitIds: p.unitIds,
				jobId: job.id,
				jobNumber: job.number
			})
		);
		return { jobId: job.id, jobNumber: job.number, created, orderStatus: status };
	});
}
