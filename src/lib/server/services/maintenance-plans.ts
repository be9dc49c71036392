import { z } from 'zod';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Conn } from '../db';
import { assertInScope, authorize, scopeFilter } from '../authz';
import { parseId, parseInput, type Locale } from '../validate';
import { ConflictError } from '../errors';
import { runCommand } from '../events/command';
import { MAX_INTERVAL, MIN_INTERVAL, nextDueAfterChange } from '../../domain/maintenance';
import { ilike, listQuery, optBool, optDate, optId, ordering, type Page } from './list';
import { generateVisits } from './maintenance';
import type { Ctx } from './context';

/** The maintenance plans page: plans of the user's companies, editing one, generating visits on demand. */

const { maintenancePlans, units, sites, customers, companies, serviceTickets } = schema;

export const PLAN_SORTS = ['nextDueOn', 'serial', 'interval'] as const;
export const plansQuery = listQuery(PLAN_SORTS, { companyId: optId(), active: optBool() });

const nextVisit = sql<string | null>`(select min(t.planned_on)::text from ${serviceTickets} t
	where t.maintenance_plan_id = ${maintenancePlans.id} and t.status not in ('resolved', 'closed'))`;
const lastVisit = sql<string | null>`(select max(t.planned_on)::text from ${serviceTickets} t
	where t.maintenance_plan_id = ${maintenancePlans.id} and t.status in ('resolved', 'closed'))`;

function selectPlans(conn: Conn, where: SQL | undefined) {
	return conn
		.select({
			id: maintenancePlans.id,
			companyId: maintenancePlans.companyId,
			companyCode: companies.code,
			unitId: units.id,
			serialNo: units.serialNo,
			customerName: customers.name,
			city: sites.city,
			address: sites.address,
			intervalDays: maintenancePlans.intervalDays,
			nextDueOn: maintenancePlans.nextDueOn,
			generatedThrough: maintenancePlans.generatedThrough,
			active: sql<boolean>`${maintenancePlans.active} = 1`,
			nextVisit,
			lastVisit,
			version: maintenancePlans.version,
			updatedAt: maintenancePlans.updatedAt
		})
		.from(maintenancePlans)
		.innerJoin(units, eq(units.id, maintenancePlans.unitId))
		.innerJoin(companies, eq(companies.id, maintenancePlans.companyId))
		.leftJoin(sites, eq(sites.id, units.siteId))
		.leftJoin(customers, eq(customers.id, sites.customerId))
		.where(where);
}
export type PlanRow = Awaited<ReturnType<typeof selectPlans>>[number];

const sortColumns = {
	nextDueOn: maintenancePlans.nextDueOn,
	serial: units.serialNo,
	interval: maintenancePlans.intervalDays
};

export async function listMaintenancePlans(ctx: Ctx, input: unknown): Promise<Page<PlanRow>> {
	const a = authorize(ctx.actor, 'service.read');
	const q = parseInput(plansQuery, input, a.locale);
	const where = and(
		scopeFilter(a, maintenancePlans.companyId),
		q.companyId !== undefined ? eq(maintenancePlans.companyId, q.companyId) : undefined,
		q.active !== undefined ? eq(maintenancePlans.active, q.active ? 1 : 0) : undefined,
		q.q
			? sql`(${ilike(units.serialNo, q.q)} or ${ilike(sites.address, q.q)} or ${ilike(customers.name, q.q)})`
			: undefined
	);
	const sort = q.sort ?? 'nextDueOn';
	const dir = q.dir ?? 'asc';
	const [rows, [{ n }]] = await Promise.all([
		selectPlans(ctx.db, where)
			.orderBy(...ordering(sortColumns[sort], dir, maintenancePlans.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		ctx.db
			.select({ n: count() })
			.from(maintenancePlans)
			.innerJoin(units, eq(units.id, maintenancePlans.unitId))
			.leftJoin(sites, eq(sites.id, units.siteId))
			.leftJoin(customers, eq(customers.id, sites.customerId))
			.where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir };
}

const updateInput = (locale: Locale) =>
	z
		.object({
			version: z.number().int().min(1).max(2_147_483_647),
			intervalDays: z
				.number({ error: m.svc_interval_range({ min: MIN_INTERVAL, max: MAX_INTERVAL }, { locale }) })
				.int(m.svc_interval_range({ min: MIN_INTERVAL, max: MAX_INTERVAL }, { locale }))
				.min(MIN_INTERVAL, m.svc_interval_range({ min: MIN_INTERVAL, max: MAX_INTERVAL }, { locale }))
				.max(MAX_INTERVAL, m.svc_interval_range({ min: MIN_INTERVAL, max: MAX_INTERVAL }, { locale }))
				.optional(),
			active: z.boolean().optional()
		})
		.strict();

/**
 * Changes a plan's interval or switches it on or off, at the version read. A new interval counts
 * from the last visit generated; visits already generated stay. The plan's visits up to the
 * horizon are generated at once, so the page shows them without waiting for the sweep.
 */
export async function updateMaintenancePlan(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const id = parseId(rawId, a.locale);
	const v = parseInput(updateInput(a.locale), input, a.locale);
	const row = await runCommand(ctx.db, async (tx, emit) => {
		const [plan] = await tx.select().from(maintenancePlans).where(eq(maintenancePlans.id, id)).for('update');
		assertInScope(a, plan);
		if (plan.version !== v.version) {
			const [current] = await selectPlans(tx, eq(maintenancePlans.id, id));
			throw new ConflictError('stale version', current);
		}
		const interval = v.intervalDays ?? plan.intervalDays;
		let nextDueOn = plan.nextDueOn;
		if (interval !== plan.intervalDays) {
			const [{ last }] = await tx
				.select({ last: sql<string | null>`max(${serviceTickets.plannedOn})::text` })
				.from(serviceTickets)
				.where(eq(serviceTickets.maintenancePlanId, id));
			nextDueOn = nextDueAfterChange(last, plan.nextDueOn, interval);
		}
		const [updated] = await tx
			.update(maintenancePlans)
			.set({
				intervalDays: interval,
				nextDueOn,
				active: v.active === undefined ? plan.active : v.active ? 1 : 0,
				version: sql`${maintenancePlans.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(maintenancePlans.id, id))
			.returning();
		await emit({
			companyId: updated.companyId,
			topic: 'service',
			entity: 'maintenance_plan',
			entityId: id,
			entityVersion: updated.version,
			type: 'maintenance_plan.updated',
			payload: {
				unitId: updated.unitId,
				intervalDays: updated.intervalDays,
				nextDueOn: updated.nextDueOn,
				active: updated.active === 1
			},
			actorId: a.id
		});
		return updated;
	});
	if (row.active === 1) await generateVisits(ctx.db);
	const [fresh] = await selectPlans(ctx.db, eq(maintenancePlans.id, id));
	return fresh;
}

/** Generates due visits now (the sweep does it every 10 minutes anyway). */
export async function generateVisitsNow(ctx: Ctx) {
	authorize(ctx.actor, 'service.write');
	return generateVisits(ctx.db);
}

/**
 * The coming visits of the user's companies: how many per day (assigned or still without a
 * technician) over the horizon, and the visits of one day.
 */
export async function upcomingVisits(ctx: Ctx, input: unknown) {
	const a = authorize(ctx.actor, 'service.read');
	const q = parseInput(
		z.object({
			day: optDate(),
			companyId: optId()
		}),
		input,
		a.locale
	);
	const scope = and(
		scopeFilter(a, serviceTickets.companyId),
		q.companyId !== undefined ? eq(serviceTickets.companyId, q.companyId) : undefined,
		sql`${serviceTickets.maintenancePlanId} is not null`
	);
	const today = sql`(now() at time zone 'Asia/Shanghai')::date`;
	const days = await ctx.db
		.select({
			day: sql<string>`${serviceTickets.plannedOn}::text`,
			total: sql<number>`count(*)::int`,
			unassigned: sql<number>`(count(*) filter (where ${serviceTickets.technicianId} is null))::int`,
			done: sql<number>`(count(*) filter (where ${serviceTickets.status} in ('resolved', 'closed')))::int`
		})
		.from(serviceTickets)
		.where(and(scope, sql`${serviceTickets.plannedOn} between ${today} and ${today} + 14`))
		.groupBy(serviceTickets.plannedOn)
		.orderBy(serviceTickets.plannedOn);
	const day = q.day ?? days[0]?.day ?? null;
	const visits = day
		? await ctx.db
				.select({
					id: serviceTickets.id,
					number: serviceTickets.number,
					status: serviceTickets.status,
					serialNo: units.serialNo,
					city: sites.city,
					address: sites.address,
					technicianName: sql<
						string | null
					>`(select display_name from users where id = ${serviceTickets.technicianId})`
				})
				.from(serviceTickets)
				.innerJoin(units, eq(units.id, serviceTickets.unitId))
				.leftJoin(sites, eq(sites.id, units.siteId))
				.where(and(scope, eq(serviceTickets.plannedOn, day)))
				.orderBy(sites.city, serviceTickets.number)
				.limit(200)
		: [];
	return { days, day, visits };
}
