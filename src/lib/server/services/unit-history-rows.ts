import { aliasedTable, and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { schema, type Db } from '../db';
import {
	iso,
	kindOfUnitStatus,
	type LifeEntry,
	type LifeKind,
	type ProductionEntry
} from './unit-history-entries';

/**
 * The unit's life as its order and production tell it: the order's events (created, approved,
 * changes, each status it stepped into), the unit's own status events, and its work orders with
 * every finished step. The installation and service parts are their own files.
 */
const { events, users, workOrders, workOrderSteps, workCentres } = schema;

/** Work-order events the rows do not already tell (re-plans are noise on a unit's life). */
const WO_EVENTS_FROM_ROWS = [
	'work_order.created',
	'work_order.in_progress',
	'work_order.done',
	'work_order.planned'
];

/** What every part of the timeline needs to know about the unit. */
export interface UnitRef {
	unitId: number;
	orderId: number;
	orderNumber: string;
	handedOverOn: string | null;
}

export type Payload = Record<string, unknown>;
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Events of some entities, oldest first, with the actor's name. */
export function eventsOf(
	db: Db,
	entity: string,
	ids: number[],
	types?: { only?: string[]; except?: string[] }
) {
	if (ids.length === 0) return Promise.resolve([]);
	return db
		.select({
			id: events.id,
			entityId: events.entityId,
			type: events.type,
			at: events.at,
			payload: events.payload,
			actor: users.displayName
		})
		.from(events)
		.leftJoin(users, eq(users.id, events.actorId))
		.where(
			and(
				eq(events.entity, entity),
				inArray(events.entityId, ids),
				types?.only ? inArray(events.type, types.only) : undefined,
				types?.except ? notInArray(events.type, types.except) : undefined
			)
		)
		.orderBy(asc(events.id))
		.limit(1000);
}

/**
 * An order event belongs to the part of the unit's life the order stepped into: going into
 * production, shipped, installing, handed over. Units made before work orders were kept (the
 * demo's older ones) have their production told by this step alone.
 */
function kindOfOrderEvent(type: string, reached: string | null): LifeKind {
	if (type === 'order.created' || type.startsWith('order.change')) return 'order';
	switch (reached) {
		case 'in_production':
			return 'production';
		case 'shipped':
			return 'shipping';
		case 'installing':
			return 'installation';
		case 'handed_over':
			return 'handover';
		default:
			return 'order';
	}
}

/** The order's and the unit's own events: created, approved, changes, status steps, shipping. */
export async function orderAndUnitEntries(db: Db, ref: UnitRef): Promise<LifeEntry[]> {
	const [orderEvents, unitEvents] = await Promise.all([
		eventsOf(db, 'order', [ref.orderId], { except: ['order.comment'] }),
		eventsOf(db, 'unit', [ref.unitId])
	]);
	const out: LifeEntry[] = orderEvents.map((e) => {
		const p = (e.payload ?? {}) as Payload;
		const to = str(p.to);
		const status = str(p.status);
		return {
			key: `ev-${e.id}`,
			source: 'order',
			kind: kindOfOrderEvent(e.type, to ?? status),
			at: iso(e.at)!,
			day: null,
			actor: e.actor,
			type: e.type,
			orderNumber: ref.orderNumber,
			from: str(p.from),
			to,
			status,
			reason: str(p.reason)
		};
	});
	for (const e of unitEvents) {
		const p = (e.payload ?? {}) as Payload;
		const status = str(p.status);
		out.push({
			key: `ev-${e.id}`,
			source: 'unit',
			kind: kindOfUnitStatus(status),
			at: iso(e.at)!,
			day: null,
			actor: e.actor,
			type: e.type,
			status
		});
	}
	return out;
}

function production(
	key: string,
	at: string,
	what: ProductionEntry['what'],
	over: Partial<ProductionEntry>
): ProductionEntry {
	return {
		key,
		source: 'production',
		kind: 'production',
		at,
		day: null,
		actor: null,
		what,
		type: null,
		workOrder: null,
		stage: null,
		workCentre: null,
		workCentreEn: null,
		status: null,
		dueDate: null,
		note: null,
		...over
	};
}

/** Work orders of the unit: created, started, each step finished (with who), done; flags and cancels. */
export async function productionEntries(db: Db, ref: UnitRef) {
	const wos = await db
		.select()
		.from(workOrders)
		.where(eq(workOrders.unitId, ref.unitId))
		.orderBy(asc(workOrders.id));
	const ids = wos.map((w) => w.id);
	const operator = aliasedTable(users, 'operator');
	const [steps, woEvents] = await Promise.all([
		ids.length
			? db
					.select({
						id: workOrderSteps.id,
						workOrderId: workOrderSteps.workOrderId,
						stage: workOrderSteps.stage,
						finishedAt: workOrderSteps.finishedAt,
						problem: workOrderSteps.problem,
						workCentre: workCentres.name,
						workCentreEn: workCentres.nameEn,
						operator: operator.displayName
					})
					.from(workOrderSteps)
					.innerJoin(workCentres, eq(workCentres.id, workOrderSteps.workCentreId))
					.leftJoin(operator, eq(operator.id, workOrderSteps.operatorId))
					.where(and(inArray(workOrderSteps.workOrderId, ids), eq(workOrderSteps.status, 'done')))
			: [],
		eventsOf(db, 'work_order', ids, { except: WO_EVENTS_FROM_ROWS })
	]);
	const out: LifeEntry[] = [];
	for (const w of wos) {
		const workOrder = { id: w.id, number: w.number, status: w.status };
		out.push(production(`wo-${w.id}-c`, iso(w.createdAt)!, 'wo_created', { workOrder, dueDate: w.dueDate }));
		if (w.startedAt) out.push(production(`wo-${w.id}-s`, iso(w.startedAt)!, 'wo_started', { workOrder }));
		if (w.finishedAt) out.push(production(`wo-${w.id}-d`, iso(w.finishedAt)!, 'wo_done', { workOrder }));
		for (const s of steps)
			if (s.workOrderId === w.id && s.finishedAt)
				out.push(
					production(`step-${s.id}`, iso(s.finishedAt)!, 'step_done', {
						workOrder,
						actor: s.operator,
						stage: s.stage,
						workCentre: s.workCentre,
						workCentreEn: s.workCentreEn,
						note: s.problem
					})
				);
		for (const e of woEvents)
			if (e.entityId === w.id) {
				const p = (e.payload ?? {}) as Payload;
				out.push(
					production(`ev-${e.id}`, iso(e.at)!, 'wo_event', {
						workOrder,
						actor: e.actor,
						type: e.type,
						status: str(p.status),
						note: str(p.note) ?? str(p.changeFlag) ?? str(p.flag)
					})
				);
			}
	}
	return { entries: out, workOrderIds: ids };
}
