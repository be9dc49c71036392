import { z } from 'zod';
import { aliasedTable, and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Conn } from '../db';
import { authorize, can, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { ValidationError } from '../errors';
import { currentCursor } from '../realtime/stream';
import { ALERT_KINDS, ALERT_STATUSES } from '../../domain/statuses';
import { ilike, listQuery, opt, optDate, optId, ordering, type Page } from './list';
import type { Ctx } from './context';

/** The notification centre's list: every alert the user's companies raised, open ones first. */

const { alerts, workOrders, workOrderSteps, workCentres, companies, users } = schema;

export const ALERT_SORTS = ['raisedAt', 'status'] as const;
/** 'active' = open or acknowledged: everything not yet closed. */
export const ALERT_FILTER_STATUSES = [...ALERT_STATUSES, 'active'] as const;

export const alertsQuery = listQuery(ALERT_SORTS, {
	status: opt(z.enum(ALERT_FILTER_STATUSES)),
	kind: opt(z.enum(ALERT_KINDS)),
	companyId: optId(),
	workOrderId: optId(),
	/** Raised on or after / on or before these days (China time). */
	from: optDate(),
	to: optDate()
});

const raiser = aliasedTable(users, 'raiser');
const acker = aliasedTable(users, 'acker');
const closer = aliasedTable(users, 'closer');
/** Open first, then acknowledged, then closed: what needs someone comes up. */
const statusRank = sql<number>`case ${alerts.status} when 'open' then 0 when 'acknowledged' then 1 else 2 end`;
const chinaDay = (day: string, plus = 0) => sql`((${day}::date + ${plus}::int)::timestamp at time zone 'Asia/Shanghai')`;

/** One query shape for the list, a single row (a command's answer, a conflict's "as it is now"). */
function selectRows(conn: Conn) {
	return conn
		.select({
			id: alerts.id,
			companyId: alerts.companyId,
			companyCode: companies.code,
			kind: alerts.kind,
			status: alerts.status,
			reason: alerts.reason,
			message: alerts.message,
			workOrderId: alerts.workOrderId,
			workOrderNumber: workOrders.number,
			stepId: alerts.stepId,
			stepPlannedEnd: workOrderSteps.plannedEnd,
			workCentreId: alerts.workCentreId,
			workCentre: workCentres.name,
			workCentreEn: workCentres.nameEn,
			raisedByName: raiser.displayName,
			raisedAt: alerts.raisedAt,
			acknowledgedByName: acker.displayName,
			acknowledgedAt: alerts.acknowledgedAt,
			closedByName: closer.displayName,
			closedAt: alerts.closedAt,
			closeNote: alerts.closeNote,
			version: alerts.version
		})
		.from(alerts)
		.innerJoin(companies, eq(companies.id, alerts.companyId))
		.leftJoin(workOrders, eq(workOrders.id, alerts.workOrderId))
		.leftJoin(workOrderSteps, eq(workOrderSteps.id, alerts.stepId))
		.leftJoin(workCentres, eq(workCentres.id, alerts.workCentreId))
		.leftJoin(raiser, eq(raiser.id, alerts.raisedBy))
		.leftJoin(acker, eq(acker.id, alerts.acknowledgedBy))
		.leftJoin(closer, eq(closer.id, alerts.closedBy));
}

export async function alertRow(conn: Conn, id: number) {
	const [row] = await selectRows(conn).where(eq(alerts.id, id));
	return row;
}
export type AlertRow = Awaited<ReturnType<typeof alertRow>>;

export async function listAlerts({ db, actor }: Ctx, input: unknown): Promise<Page<AlertRow>> {
	const a = authorize(actor, 'production.read');
	const q = parseInput(alertsQuery, input, a.locale);
	if (q.from && q.to && q.from > q.to) {
		const message = m.alert_err_range({}, { locale: a.locale });
		throw new ValidationError(message, [{ path: 'to', message }]);
	}
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, alerts.companyId),
		q.status === 'active' ? sql`${alerts.status} <> 'closed'` : q.status && eq(alerts.status, q.status),
		q.kind && eq(alerts.kind, q.kind),
		q.companyId !== undefined ? eq(alerts.companyId, q.companyId) : undefined,
		q.workOrderId !== undefined ? eq(alerts.workOrderId, q.workOrderId) : undefined,
		q.from ? sql`${alerts.raisedAt} >= ${chinaDay(q.from)}` : undefined,
		q.to ? sql`${alerts.raisedAt} < ${chinaDay(q.to, 1)}` : undefined,
		q.q
			? sql`(${ilike(alerts.message, q.q)} or ${ilike(workOrders.number, q.q)} or ${ilike(workCentres.name, q.q)} or ${ilike(workCentres.nameEn, q.q)})`
			: undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'status';
	const dir = q.dir ?? 'asc';
	const order =
		sort === 'status'
			? [...ordering(statusRank, dir, alerts.id).slice(0, 1), desc(alerts.raisedAt), desc(alerts.id)]
			: ordering(alerts.raisedAt, dir, alerts.id);
	const [rows, [{ n }]] = await Promise.all([
		selectRows(db)
			.where(where)
			.orderBy(...order)
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db
			.select({ n: count() })
			.from(alerts)
			.leftJoin(workOrders, eq(workOrders.id, alerts.workOrderId))
			.leftJoin(workCentres, eq(workCentres.id, alerts.workCentreId))
			.where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir };
}

/** The notification centre page: the list and the stream position read before it. */
export async function alertCentre(ctx: Ctx, input: unknown) {
	authorize(ctx.actor, 'production.read');
	const cursor = await currentCursor(ctx.db);
	return { ...(await listAlerts(ctx, input)), cursor };
}

/** Open (not yet acknowledged) alerts for the header bell; null for users who cannot see production. */
export async function openAlertCount({ db, actor }: Ctx): Promise<number | null> {
	if (!actor || !can(actor, 'production.read')) return null;
	const [{ n }] = await db
		.select({ n: count() })
		.from(alerts)
		.where(and(scopeFilter(actor, alerts.companyId), eq(alerts.status, 'open')));
	return Number(n);
}
