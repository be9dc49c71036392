import { z } from 'zod';
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import { authorize, canSeeCompany, scopeFilter, type Actor } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError, NotFoundError, type FieldIssue } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { m } from '../../paraglide/messages';
import { hours, idField, issue, lockCompanySetup, refuse } from './production-setup-input';
import { routingCreateSchema, routingUpdateSchema, type RoutingStageInput } from './routing-input';
import type { Ctx } from './context';

/**
 * Routings as the planner edits them: per model and company, the ordered stages with their work
 * centres and standard hours. An edit replaces the whole stage list in one transaction under
 * the version read. Work orders copy their steps when created (work-order-create.ts), so only
 * new work orders follow an edit. One routing per model and company is active: activating one
 * switches the other off in the same transaction.
 */
const { routings, routingStages, workCentres, elevatorModels, companies, workOrders } = schema;

type Emit = (e: NewEvent) => Promise<number>;

const optId = () => z.preprocess((v) => (v === '' ? undefined : v), idField().optional());
const listInput = z.object({ companyId: optId(), modelId: optId() });

async function routingViews(conn: Conn, where: SQL | undefined) {
	const rows = await conn
		.select({
			routing: routings,
			companyCode: companies.code,
			modelCode: elevatorModels.code,
			modelName: elevatorModels.name,
			modelNameEn: elevatorModels.nameEn,
			workOrders: sql<number>`(select count(*)::int from ${workOrders} w where w.routing_id = ${routings.id})`
		})
		.from(routings)
		.innerJoin(companies, eq(companies.id, routings.companyId))
		.innerJoin(elevatorModels, eq(elevatorModels.id, routings.modelId))
		.where(where)
		.orderBy(asc(routings.companyId), asc(elevatorModels.code), desc(routings.active), asc(routings.id));
	const ids = rows.map((r) => r.routing.id);
	const stages = ids.length
		? await conn
				.select({
					routingId: routingStages.routingId,
					seq: routingStages.seq,
					stage: routingStages.stage,
					workCentreId: routingStages.workCentreId,
					workCentreCode: workCentres.code,
					workCentreName: workCentres.name,
					workCentreNameEn: workCentres.nameEn,
					standardHours: routingStages.standardHours
				})
				.from(routingStages)
				.innerJoin(workCentres, eq(workCentres.id, routingStages.workCentreId))
				.where(inArray(routingStages.routingId, ids))
				.orderBy(asc(routingStages.routingId), asc(routingStages.seq))
		: [];
	return rows.map(({ routing: r, workOrders: used, ...names }) => {
		const own = stages
			.filter((s) => s.routingId === r.id)
			.map(({ routingId: _, standardHours, ...s }) => ({ ...s, standardHours: hours(standardHours) }));
		return {
			id: r.id,
			companyId: r.companyId,
			modelId: r.modelId,
			name: r.name,
			active: r.active,
			version: r.version,
			updatedAt: r.updatedAt,
			...names,
			workOrders: Number(used),
			totalHours: Math.round(own.reduce((t, s) => t + s.standardHours, 0) * 100) / 100,
			stages: own
		};
	});
}
export type RoutingView = Awaited<ReturnType<typeof routingViews>>[number];

async function routingView(conn: Conn, id: number): Promise<RoutingView> {
	const [r] = await routingViews(conn, eq(routings.id, id));
	return r;
}

/**
 * The routings of the actor's companies (filtered by company and model), with what the editor
 * offers: the models and each company's work centres.
 */
export async function listRoutings({ db, actor }: Ctx, input: unknown = {}) {
	const a = authorize(actor, 'production.read');
	const q = parseInput(listInput, input, a.locale);
	const [rows, models, centres] = await Promise.all([
		routingViews(
			db,
			and(
				scopeFilter(a, routings.companyId),
				q.companyId ? eq(routings.companyId, q.companyId) : undefined,
				q.modelId ? eq(routings.modelId, q.modelId) : undefined
			)
		),
		db
			.select({ id: elevatorModels.id, code: elevatorModels.code, name: elevatorModels.name, nameEn: elevatorModels.nameEn })
			.from(elevatorModels)
			.where(eq(elevatorModels.active, true))
			.orderBy(asc(elevatorModels.code)),
		db
			.select({
				id: workCentres.id,
				companyId: workCentres.companyId,
				code: workCentres.code,
				name: workCentres.name,
				nameEn: workCentres.nameEn
			})
			.from(workCentres)
			.where(scopeFilter(a, workCentres.companyId))
			.orderBy(asc(workCentres.companyId), asc(workCentres.code))
	]);
	return { rows, models, centres, canEdit: a.permissions.has('production.plan') };
}

/** What only the database can say: the model exists, each stage's centre is of the routing's company. */
async function referenceIssues(tx: Tx, a: Actor, companyId: number, modelId: number | null, stages?: RoutingStageInput[]) {
	const o = { locale: a.locale };
	const issues: FieldIssue[] = [];
	if (modelId !== null) {
		const [model] = await tx.select({ id: elevatorModels.id }).from(elevatorModels).where(eq(elevatorModels.id, modelId));
		if (!model) issues.push(issue('modelId', m.rt_err_model({}, o)));
	}
	if (stages?.length) {
		const ids = [...new Set(stages.map((s) => s.workCentreId))];
		const own = new Set(
			(
				await tx
					.select({ id: workCentres.id })
					.from(workCentres)
					.where(and(inArray(workCentres.id, ids), eq(workCentres.companyId, companyId)))
			).map((c) => c.id)
		);
		stages.forEach((s, i) => {
			if (!own.has(s.workCentreId)) issues.push(issue(`stages.${i}.workCentreId`, m.rt_err_centre_company({}, o)));
		});
	}
	refuse(issues);
}

async function writeStages(tx: Tx, routingId: number, stages: RoutingStageInput[]) {
	await tx.delete(routingStages).where(eq(routingStages.routingId, routingId));
	await tx.insert(routingStages).values(
		[...stages]
			.sort((x, y) => x.seq - y.seq)
			.map((s) => ({
				routingId,
				seq: s.seq,
				stage: s.stage,
				workCentreId: s.workCentreId,
				standardHours: s.standardHours.toFixed(2)
			}))
	);
}

async function emitRouting(emit: Emit, a: Actor, type: string, r: RoutingView) {
	await emit({
		companyId: r.companyId,
		topic: 'production',
		entity: 'routing',
		entityId: r.id,
		entityVersion: r.version,
		type,
		payload: { ...r },
		actorId: a.id
	});
}

/** The other active routings of the model in the company are switched off, each with its event. */
async function deactivateOthers(tx: Tx, emit: Emit, a: Actor, keep: { id: number; companyId: number; modelId: number }) {
	const others = await tx
		.update(routings)
		.set({ active: false, version: sql`${routings.version} + 1`, updatedAt: sql`now()` })
		.where(
			and(
				eq(routings.companyId, keep.companyId),
				eq(routings.modelId, keep.modelId),
				eq(routings.active, true),
				ne(routings.id, keep.id)
			)
		)
		.returning({ id: routings.id });
	for (const o of others) await emitRouting(emit, a, 'routing.deactivated', await routingView(tx, o.id));
}

export async function createRouting({ db, actor }: Ctx, input: unknown): Promise<RoutingView> {
	const a = authorize(actor, 'production.plan');
	const r = parseInput(routingCreateSchema(a.locale), input, a.locale);
	if (!canSeeCompany(a, r.companyId)) refuse([issue('companyId', m.wc_err_company({}, { locale: a.locale }))]);
	return runCommand(db, async (tx, emit) => {
		await lockCompanySetup(tx, r.companyId);
		await referenceIssues(tx, a, r.companyId, r.modelId, r.stages);
		const [row] = await tx
			.insert(routings)
			.values({ companyId: r.companyId, modelId: r.modelId, name: r.name, active: r.active })
			.returning();
		await writeStages(tx, row.id, r.stages);
		if (r.active) await deactivateOthers(tx, emit, a, row);
		const saved = await routingView(tx, row.id);
		await emitRouting(emit, a, 'routing.created', saved);
		return saved;
	});
}

/**
 * Saves an edit made on the version read: the name, the whole stage list and/or the active
 * switch. A stale version is a 409 carrying the routing as it is now.
 */
export async function updateRouting({ db, actor }: Ctx, rawId: unknown, input: unknown): Promise<RoutingView> {
	const a = authorize(actor, 'production.plan');
	const id = parseId(rawId, a.locale);
	const r = parseInput(routingUpdateSchema(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [before] = await tx.select({ companyId: routings.companyId }).from(routings).where(eq(routings.id, id));
		if (!before || !canSeeCompany(a, before.companyId)) throw new NotFoundError();
		await lockCompanySetup(tx, before.companyId);
		const [row] = await tx.select().from(routings).where(eq(routings.id, id)).for('update');
		if (row.version !== r.version) throw new ConflictError('stale version', await routingView(tx, id));
		if (r.stages) {
			await referenceIssues(tx, a, row.companyId, null, r.stages);
			await writeStages(tx, id, r.stages);
		}
		await tx
			.update(routings)
			.set({
				...(r.name !== undefined ? { name: r.name } : {}),
				...(r.active !== undefined ? { active: r.active } : {}),
				version: sql`${routings.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(routings.id, id));
		if (r.active) await deactivateOthers(tx, emit, a, row);
		const saved = await routingView(tx, id);
		const type =
			r.active === undefined || r.active === row.active
				? 'routing.updated'
				: r.active
					? 'routing.activated'
					: 'routing.deactivated';
		await emitRouting(emit, a, type, saved);
		return saved;
	});
}
