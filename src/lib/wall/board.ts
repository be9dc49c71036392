/**
 * The production wall board's data and figures, free of Svelte and of the server so the
 * service, the page and the tests share one definition of "WIP", "planned today", "done
 * today" and "late". The server sends the raw board; the page derives the figures and keeps
 * the board current by applying live events to it (board-events.ts).
 */
import type { AlertKind, AlertStatus, AndonReason, Priority, StepStatus, WorkOrderStatus } from '../domain/statuses';

export const WALL_VIEWS = ['centres', 'orders', 'alerts'] as const;
export type WallView = (typeof WALL_VIEWS)[number];

export interface BoardCentre {
	id: number;
	companyId: number;
	code: string;
	name: string;
	nameEn: string;
}

/** A step the board needs: in progress, paused or blocked, planned today, late, or done today. */
export interface BoardStep {
	id: number;
	workOrderId: number;
	workCentreId: number;
	status: StepStatus;
	/** Hours planned on today's date (0 if none). */
	todayHours: number;
	plannedEnd: string | null;
	finishedAt: string | null;
	/** Behind the plan when the board was read (running over its hours); the planned end is checked live. */
	overrun: boolean;
	version: number;
}

export interface BoardWorkOrder {
	id: number;
	orderId: number;
	number: string;
	status: WorkOrderStatus;
	priority: Priority;
	dueDate: string;
	projectedFinish: string | null;
	stepsDone: number;
	stepsTotal: number;
	version: number;
}

export interface BoardOrder {
	id: number;
	companyId: number;
	number: string;
	customer: string;
}

export interface BoardAlert {
	id: number;
	companyId: number;
	kind: AlertKind;
	status: AlertStatus;
	reason: AndonReason | null;
	message: string;
	workOrderId: number | null;
	workOrderNumber: string | null;
	stepId: number | null;
	workCentreId: number | null;
	raisedAt: string;
	version: number;
}

export interface Board {
	/** Today in China, the day "planned today" and "done today" are about. */
	today: string;
	companies: { id: number; code: string; name: string }[];
	centres: BoardCentre[];
	steps: BoardStep[];
	workOrders: BoardWorkOrder[];
	orders: BoardOrder[];
	/** Alerts not yet closed. */
	alerts: BoardAlert[];
}

export interface LateJob {
	stepId: number;
	workOrderId: number;
	number: string;
	status: StepStatus;
}

export interface CentreFigures extends BoardCentre {
	/** Work in progress: steps in progress, paused or blocked. */
	wip: number;
	blocked: number;
	/** Steps with hours planned today, and steps finished today. */
	planned: number;
	done: number;
	late: LateJob[];
	/** An andon is open (or acknowledged, not yet closed) at the centre. */
	andon: boolean;
}

export interface OrderFigures extends BoardOrder {
	units: number;
	unitsDone: number;
	stepsDone: number;
	stepsTotal: number;
	dueDate: string;
	projectedFinish: string | null;
	late: boolean;
	urgent: boolean;
}

export interface BoardFigures {
	centres: CentreFigures[];
	orders: OrderFigures[];
	alerts: BoardAlert[];
}

const WIP: readonly StepStatus[] = ['in_progress', 'paused', 'blocked'];
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
/** The China calendar day of a moment. */
export const chinaDay = (at: string | Date) => dayFormat.format(new Date(at));

export const isOpenWorkOrder = (status: WorkOrderStatus) => status !== 'done' && status !== 'cancelled';

/** A step behind the plan: not done and past its planned end day, running over its hours, or with an open late alert. */
export function stepLate(step: BoardStep, today: string, lateAlert: boolean): boolean {
	if (step.status === 'done') return false;
	return lateAlert || step.overrun || (step.plannedEnd !== null && step.plannedEnd < today);
}

/** A work order that will miss its due date. */
export const workOrderLate = (w: BoardWorkOrder) =>
	isOpenWorkOrder(w.status) && w.projectedFinish !== null && w.projectedFinish > w.dueDate;

export function figures(board: Board): BoardFigures {
	const { today } = board;
	const workOrders = new Map(board.workOrders.map((w) => [w.id, w]));
	const lateAlerts = new Set<number>();
	const andonCentres = new Set<number>();
	for (const a of board.alerts) {
		if (a.kind === 'late_step' && a.stepId !== null) lateAlerts.add(a.stepId);
		if (a.kind === 'andon' && a.workCentreId !== null) andonCentres.add(a.workCentreId);
	}
	const centres = new Map<number, CentreFigures>(
		board.centres.map((c) => [c.id, { ...c, wip: 0, blocked: 0, planned: 0, done: 0, late: [], andon: andonCentres.has(c.id) }])
	);
	for (const s of board.steps) {
		const c = centres.get(s.workCentreId);
		if (!c) continue;
		const wo = workOrders.get(s.workOrderId);
		const open = !wo || isOpenWorkOrder(wo.status);
		if (open && WIP.includes(s.status)) c.wip++;
		if (open && s.status === 'blocked') c.blocked++;
		if (s.todayHours > 0) c.planned++;
		if (s.status === 'done' && s.finishedAt && chinaDay(s.finishedAt) === today) c.done++;
		if (open && stepLate(s, today, lateAlerts.has(s.id)))
			c.late.push({ stepId: s.id, workOrderId: s.workOrderId, number: wo?.number ?? `#${s.workOrderId}`, status: s.status });
	}
	for (const c of centres.values()) c.late.sort((a, b) => a.number.localeCompare(b.number));

	const byOrder = new Map<number, BoardWorkOrder[]>();
	for (const w of board.workOrders) byOrder.set(w.orderId, [...(byOrder.get(w.orderId) ?? []), w]);
	const orders: OrderFigures[] = [];
	for (const o of board.orders) {
		const wos = byOrder.get(o.id) ?? [];
		if (wos.length === 0) continue;
		const open = wos.filter((w) => isOpenWorkOrder(w.status));
		const finishes = open.map((w) => w.projectedFinish).filter((d): d is string => d !== null);
		orders.push({
			...o,
			units: wos.length,
			unitsDone: wos.length - open.length,
			stepsDone: wos.reduce((n, w) => n + w.stepsDone, 0),
			stepsTotal: wos.reduce((n, w) => n + w.stepsTotal, 0),
			dueDate: wos.reduce((d, w) => (w.dueDate < d ? w.dueDate : d), wos[0].dueDate),
			projectedFinish: finishes.length ? finishes.reduce((a, b) => (a > b ? a : b)) : null,
			late: wos.some(workOrderLate),
			urgent: wos.some((w) => w.priority === 'urgent')
		});
	}
	// Late ones first, then the nearest due date: what the floor must look at.
	orders.sort((a, b) => Number(b.late) - Number(a.late) || a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));

	const rank = (a: BoardAlert) => (a.kind === 'andon' ? 0 : 2) + (a.status === 'open' ? 0 : 1);
	const alerts = [...board.alerts].sort((a, b) => rank(a) - rank(b) || b.raisedAt.localeCompare(a.raisedAt));
	return { centres: [...centres.values()], orders, alerts };
}
