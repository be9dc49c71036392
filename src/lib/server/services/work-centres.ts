import { z } from 'zod';
import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import { authorize, canSeeCompany, scopeFilter, type Actor } from '../authz';
import { parseId, parseInput, trimmed, type Locale } from '../validate';
import { ConflictError, NotFoundError } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { m } from '../../paraglide/messages';
import { hours, idField, issue, lockCompanySetup, numeric, refuse, twoDecimals, versionField } from './production-setup-input';
import type { Ctx } from './context';

/**
 * Work centres as the planner edits them: code, names, daily capacity, shifts, work days and
 * holidays. A change is one transaction with its event (topic production); it never rewrites
 * a schedule already made: the planner re-plans when ready.
 */
const { workCentres, companies, routingStages, workOrderSteps, workOrders } = schema;

/** Stations a centre may have at most: with 24 h per shift-day this bounds a typo, not a plant. */
export const MAX_STATIONS = 20;
const capacityLimit = (shifts: number) => 24 * shifts * MAX_STATIONS;

function centreObject(locale: Locale) {
	const o = { locale };
	const day = z.iso
		.date()
		.refine((d) => d >= '2000-01-01' && d <= '2100-12-31', m.wc_err_holiday_range({}, o));
	return z.object({
		code: z
			.string()
			.trim()
			.toUpperCase()
			.regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, m.wc_err_code({}, o)),
		name: trimmed(1, 60),
		nameEn: trimmed(1, 60),
		dailyCapacityHours: z.preprocess(
			numeric,
			z
				.number()
				.gt(0, m.wc_err_positive({}, o))
				.max(capacityLimit(3), m.wc_err_at_most({ max: capacityLimit(3) }, o))
				.refine(twoDecimals, m.wc_err_two_decimals({}, o))
		),
		shifts: z.preprocess(numeric, z.number().int().min(1).max(3)),
		workDays: z
			.array(z.preprocess(numeric, z.number().int().min(1).max(7)))
			.min(1, m.wc_err_work_days({}, o))
			.max(7),
		holidays: z
			.array(day)
			.max(400)
			.default([])
			.superRefine(
				(days, ctx) =>
					days.forEach((d, i) => {
						if (typeof d === 'string' && days.indexOf(d) !== i)
							ctx.addIssue({ code: 'custom', path: [i], message: m.wc_err_holiday_twice({ date: d }, o) });
					}),
				// Also when another date is malformed: the planner sees every problem at once.
				{ when: (p) => Array.isArray(p.value) }
			)
	});
}

/** What needs several fields at once: capacity against shifts (once both parse); a weekday twice. */
function refineCentre(locale: Locale) {
	const o = { locale };
	return (c: z.output<ReturnType<typeof centreObject>>, ctx: z.RefinementCtx) => {
		const max = capacityLimit(c.shifts);
		if (c.dailyCapacityHours > max)
			ctx.addIssue({
				code: 'custom',
				path: ['dailyCapacityHours'],
				message: m.wc_err_capacity_max({ max, shifts: c.shifts, stations: MAX_STATIONS }, o)
			});
		if (new Set(c.workDays).size !== c.workDays.length)
			ctx.addIssue({ code: 'custom', path: ['workDays'], message: m.wc_err_day_twice({}, o) });
	};
}

const createSchema = (locale: Locale) =>
	centreObject(locale).extend({ companyId: idField() }).superRefine(refineCentre(locale));
const updateSchema = (locale: Locale) =>
	centreObject(locale).extend({ version: versionField() }).superRefine(refineCentre(locale));

const listInput = z.object({ companyId: z.preprocess((v) => (v === '' ? undefined : v), idField().optional()) });

export type CentreInput = z.output<ReturnType<typeof centreObject>>;

/** A centre as screens, the API and events show it (hours as numbers, days sorted). */
async function centreViews(conn: Conn, where: SQL | undefined) {
	const rows = await conn
		.select({
			centre: workCentres,
			companyCode: companies.code,
			routingStages: sql<number>`(select count(*)::int from ${routingStages} rs where rs.work_centre_id = ${workCentres.id})`,
			// Steps still to do there, of work orders not finished or cancelled.
			openSteps: sql<number>`(select count(*)::int from ${workOrderSteps} s join ${workOrders} w on w.id = s.work_order_id
				where s.work_centre_id = ${workCentres.id} and s.status <> 'done' and w.status not in ('done', 'cancelled'))`
		})
		.from(workCentres)
		.innerJoin(companies, eq(companies.id, workCentres.companyId))
		.where(where)
		.orderBy(asc(workCentres.companyId), asc(workCentres.code));
	return rows.map(({ centre: c, companyCode, routingStages: used, openSteps }) => ({
		id: c.id,
		companyId: c.companyId,
		companyCode,
		code: c.code,
		name: c.name,
		nameEn: c.nameEn,
		dailyCapacityHours: hours(c.dailyCapacityHours),
		shifts: c.shifts,
		workDays: [...c.workDays].sort((x, y) => x - y),
		holidays: c.holidays.map(String).sort(),
		version: c.version,
		updatedAt: c.updatedAt,
		routingStages: Number(used),
		openSteps: Number(openSteps)
	}));
}
export type WorkCentreView = Awaited<ReturnType<typeof centreViews>>[number];

async function centreView(conn: Conn, id: number): Promise<WorkCentreView> {
	const [c] = await centreViews(conn, eq(workCentres.id, id));
	return c;
}

/** The centres of the actor's companies (or one of them), by company and code. */
export async function listWorkCentres({ db, actor }: Ctx, input: unknown = {}) {
	const a = authorize(actor, 'production.read');
	const q = parseInput(listInput, input, a.locale);
	const rows = await centreViews(
		db,
		and(scopeFilter(a, workCentres.companyId), q.companyId ? eq(workCentres.companyId, q.companyId) : undefined)
	);
	return { rows, canEdit: a.permissions.has('production.plan') };
}

function values(c: CentreInput) {
	return {
		code: c.code,
		name: c.name,
		nameEn: c.nameEn,
		dailyCapacityHours: c.dailyCapacityHours.toFixed(2),
		shifts: c.shifts,
		workDays: [...c.workDays].sort((x, y) => x - y),
		holidays: [...c.holidays].sort()
	};
}

/** A code is unique within its company: said on the `code` field, not as a database error. */
async function checkCode(tx: Tx, a: Actor, companyId: number, code: string, exceptId?: number) {
	const [taken] = await tx
		.select({ id: workCentres.id })
		.from(workCentres)
		.where(
			and(
				eq(workCentres.companyId, companyId),
				eq(workCentres.code, code),
				exceptId ? ne(workCentres.id, exceptId) : undefined
			)
		);
	if (taken) refuse([issue('code', m.wc_err_code_taken({ code }, { locale: a.locale }))]);
}

async function emitCentre(emit: (e: NewEvent) => Promise<number>, a: Actor, type: string, c: WorkCentreView) {
	await emit({
		companyId: c.companyId,
		topic: 'production',
		entity: 'work_centre',
		entityId: c.id,
		entityVersion: c.version,
		type,
		payload: { ...c },
		actorId: a.id
	});
}

export async function createWorkCentre({ db, actor }: Ctx, input: unknown): Promise<WorkCentreView> {
	const a = authorize(actor, 'production.plan');
	const c = parseInput(createSchema(a.locale), input, a.locale);
	if (!canSeeCompany(a, c.companyId)) refuse([issue('companyId', m.wc_err_company({}, { locale: a.locale }))]);
	return runCommand(db, async (tx, emit) => {
		await lockCompanySetup(tx, c.companyId);
		await checkCode(tx, a, c.companyId, c.code);
		const [row] = await tx
			.insert(workCentres)
			.values({ companyId: c.companyId, ...values(c) })
			.returning({ id: workCentres.id });
		const saved = await centreView(tx, row.id);
		await emitCentre(emit, a, 'work_centre.created', saved);
		return saved;
	});
}

/** Saves an edit made on the version read; a stale one is a 409 carrying the centre as it is now. */
export async function updateWorkCentre({ db, actor }: Ctx, rawId: unknown, input: unknown): Promise<WorkCentreView> {
	const a = authorize(actor, 'production.plan');
	const id = parseId(rawId, a.locale);
	const c = parseInput(updateSchema(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [before] = await tx
			.select({ companyId: workCentres.companyId })
			.from(workCentres)
			.where(eq(workCentres.id, id));
		if (!before || !canSeeCompany(a, before.companyId)) throw new NotFoundError();
		await lockCompanySetup(tx, before.companyId);
		const [row] = await tx.select().from(workCentres).where(eq(workCentres.id, id)).for('update');
		if (row.version !== c.version) throw new ConflictError('stale version', await centreView(tx, id));
		await checkCode(tx, a, row.companyId, c.code, id);
		await tx
			.update(workCentres)
			.set({ ...values(c), version: sql`${workCentres.version} + 1`, updatedAt: sql`now()` })
			.where(eq(workCentres.id, id));
		const saved = await centreView(tx, id);
		await emitCentre(emit, a, 'work_centre.updated', saved);
		return saved;
	});
}
