import { z } from 'zod';
import { and, asc, eq, notInArray, sql, type SQL } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Conn } from '../db';
import { assertInScope, authorize } from '../authz';
import { parseInput, type Locale } from '../validate';
import type { Device } from '../auth/device';
import { currentCursor } from '../realtime/stream';
import { chinaToday } from './order-common';
import { requireTerminal } from './terminal-auth';
import { parseScan } from '../../domain/scan';
import { jobState } from '../../domain/step-progress';
import type { Ctx } from './context';

/**
 * A station's work list: the steps at the terminal's work centre of open work orders, in the
 * order the schedule puts them (planned day, the planner's rank, urgent first, due date), each
 * with the state the worker needs to see: ready, waiting for the step before, waiting for
 * material, blocked by a problem, running or paused, and the time worked so far.
 */
const { workOrderSteps: s, workOrders: w, units, elevatorModels, orders, workCentres, alerts, users } = schema;

/** More than a shift's worth; the rest are weeks away in the plan. */
export const MAX_JOBS = 200;

const previousDone = sql<boolean>`not exists (select 1 from ${s} p where p.work_order_id = ${s.workOrderId} and p.seq < ${s.seq} and p.status <> 'done')`;
const openAndon = sql<boolean>`exists (select 1 from ${alerts} a where a.step_id = ${s.id} and a.kind = 'andon' and a.status <> 'closed')`;

function jobQuery(db: Conn, where: SQL | undefined) {
	return db
		.select({
			stepId: s.id,
			version: s.version,
			seq: s.seq,
			stage: s.stage,
			stepsTotal: sql<number>`(select count(*)::int from ${s} t where t.work_order_id = ${s.workOrderId})`,
			status: s.status,
			standardHours: s.standardHours,
			plannedDate: s.plannedDate,
			plannedEnd: s.plannedEnd,
			workedSeconds: s.workedSeconds,
			runStartedAt: s.runStartedAt,
			startedAt: s.startedAt,
			operatorName: users.displayName,
			problem: s.problem,
			workCentreId: s.workCentreId,
			workOrderId: w.id,
			number: w.number,
			woStatus: w.status,
			priority: w.priority,
			dueDate: w.dueDate,
			projectedFinish: w.projectedFinish,
			shortage: w.shortage,
			materialReadyOn: w.materialReadyOn,
			changeFlag: w.changeFlag,
			serialNo: units.serialNo,
			modelCode: elevatorModels.code,
			orderNumber: orders.number,
			previousDone,
			openAndon
		})
		.from(s)
		.innerJoin(w, eq(w.id, s.workOrderId))
		.innerJoin(units, eq(units.id, w.unitId))
		.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
		.innerJoin(orders, eq(orders.id, w.orderId))
		.leftJoin(users, eq(users.id, s.operatorId))
		.where(where)
		.orderBy(
			sql`${s.plannedDate} asc nulls last`,
			sql`${w.planRank} asc nulls last`,
			sql`${w.priority} = 'urgent' desc`,
			asc(w.dueDate),
			asc(w.id),
			asc(s.seq)
		);
}

type JobRow = Awaited<ReturnType<typeof jobQuery>>[number];

function withState(r: JobRow, today: string) {
	const late = r.projectedFinish !== null && r.projectedFinish > r.dueDate;
	return { ...r, late, state: jobState({ ...r, today }) };
}
export type TerminalJob = ReturnType<typeof withState>;

const openStepAt = (device: Device & { workCentreId: number }) =>
	and(
		eq(s.companyId, device.companyId),
		eq(s.workCentreId, device.workCentreId),
		sql`${s.status} <> 'done'`,
		notInArray(w.status, ['done', 'cancelled'])
	);

/** The station, its jobs and the moment they were read (cursor for events, server time for timers). */
export async function terminalJobs({ db, actor }: Ctx, device: Device | null) {
	const a = authorize(actor, 'production.read');
	const d = requireTerminal(device, a.locale);
	assertInScope(a, { companyId: d.companyId });
	const cursor = await currentCursor(db);
	const today = chinaToday();
	const [station] = await db
		.select({ id: workCentres.id, code: workCentres.code, name: workCentres.name, nameEn: workCentres.nameEn })
		.from(workCentres)
		.where(eq(workCentres.id, d.workCentreId));
	const rows = await jobQuery(db, openStepAt(d)).limit(MAX_JOBS + 1);
	return {
		station,
		device: { id: d.id, name: d.name },
		jobs: rows.slice(0, MAX_JOBS).map((r) => withState(r, today)),
		more: rows.length > MAX_JOBS,
		today,
		serverNow: Date.now(),
		cursor
	};
}

const scanInput = z.object({ scan: z.string().min(1).max(200) }).strict();

export type ScanAnswer =
	| { kind: 'job'; job: TerminalJob }
	| { kind: 'elsewhere' | 'closed' | 'unknown'; message: string };

/**
 * A scanned job card: the work order's open step at this station. Another station's job, a
 * finished or cancelled one, and an unknown or malformed code each get a plain answer.
 */
export async function jobByScan({ db, actor }: Ctx, device: Device | null, input: unknown): Promise<ScanAnswer> {
	const a = authorize(actor, 'production.read');
	const d = requireTerminal(device, a.locale);
	const { scan } = parseInput(scanInput, input, a.locale);
	const o = { locale: a.locale };
	const parsed = parseScan(scan);
	if (parsed.kind !== 'job') return { kind: 'unknown', message: m.term_scan_unknown({}, o) };
	const [wo] = await db
		.select({ id: w.id, status: w.status, companyId: w.companyId })
		.from(w)
		.where(and(eq(w.number, parsed.number), eq(w.companyId, d.companyId)));
	if (!wo) return { kind: 'unknown', message: m.term_scan_no_job({ number: parsed.number }, o) };
	if (wo.status === 'done' || wo.status === 'cancelled')
		return { kind: 'closed', message: m.term_scan_closed({ number: parsed.number, status: woStatus(wo.status, a.locale) }, o) };
	const [row] = await jobQuery(db, and(eq(s.workOrderId, wo.id), eq(s.workCentreId, d.workCentreId), sql`${s.status} <> 'done'`)).limit(1);
	if (row) return { kind: 'job', job: withState(row, chinaToday()) };
	const [current] = await db
		.select({ name: workCentres.name, nameEn: workCentres.nameEn })
		.from(s)
		.innerJoin(workCentres, eq(workCentres.id, s.workCentreId))
		.where(and(eq(s.workOrderId, wo.id), sql`${s.status} <> 'done'`))
		.orderBy(asc(s.seq))
		.limit(1);
	const centre = current ? (a.locale === 'en' ? current.nameEn : current.name) : '—';
	return { kind: 'elsewhere', message: m.term_scan_elsewhere({ number: parsed.number, centre }, o) };
}

const woStatus = (status: string, locale: Locale) =>
	(m as unknown as Record<string, (i: object, o: { locale: Locale }) => string>)[`wo_${status}`]?.({}, { locale }) ?? status;
