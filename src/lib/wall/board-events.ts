/**
 * Live events applied to a wall board in place. Events carry the entity's new state, so most
 * apply directly (a step's new status moves the counts); the ones the board cannot place on
 * its own (a step it does not know enters work, a re-plan, a new centre) ask for the snapshot
 * to be read again instead. Versions make a late or repeated event a no-op.
 */
import type { LiveEvent } from '../live/feed';
import type { Board, BoardAlert, BoardStep, BoardWorkOrder } from './board';
import type { StepStatus, WorkOrderStatus } from '../domain/statuses';

export interface Applied {
	/** The board changed: figures must be derived again. */
	changed: boolean;
	/** Something happened the board cannot apply by itself: read the snapshot again. */
	reload: boolean;
}

/** Fields of a work order event that mean its plan moved: its steps' days changed too. */
const PLAN_FIELDS = ['plannedStart', 'notBefore', 'planRank', 'scheduledAt'];

const str = (v: unknown) => (typeof v === 'string' ? v : null);

export class BoardIndex {
	private steps = new Map<number, BoardStep>();
	private workOrders = new Map<number, BoardWorkOrder>();
	private companies = new Set<number>();
	private orders = new Set<number>();

	constructor(readonly board: Board) {
		for (const s of board.steps) this.steps.set(s.id, s);
		for (const w of board.workOrders) this.workOrders.set(w.id, w);
		for (const c of board.companies) this.companies.add(c.id);
		for (const o of board.orders) this.orders.add(o.id);
	}

	apply(events: readonly LiveEvent[]): Applied {
		const out: Applied = { changed: false, reload: false };
		for (const e of events) {
			// A person's board may be narrowed to one company; the socket hears all of theirs.
			if (e.companyId === null || !this.companies.has(e.companyId)) continue;
			const r = this.one(e as LiveEvent & { companyId: number });
			out.changed ||= r.changed;
			out.reload ||= r.reload;
		}
		return out;
	}

	private one(e: LiveEvent & { companyId: number }): Applied {
		const p = e.payload;
		switch (e.entity) {
			case 'work_order_step':
				return this.step(e.entityId, e.version, p);
			case 'work_order':
				return this.workOrder(e.entityId, e.version, p);
			case 'alert':
				return this.alert(e.entityId, e.companyId, e.version, p);
			case 'order':
				// An order entering production, or one on the board leaving it, changes the list.
				return { changed: false, reload: typeof p.status === 'string' && (p.status === 'in_production') !== this.orders.has(e.entityId) };
			case 'schedule':
			case 'work_centre':
			case 'routing':
				return { changed: false, reload: true };
			default:
				return { changed: false, reload: e.type.startsWith('schedule.') };
		}
	}

	private step(id: number, version: number, p: Record<string, unknown>): Applied {
		const status = str(p.status) as StepStatus | null;
		const s = this.steps.get(id);
		if (!s) {
			// A step the board does not hold matters only once it is worked on, finished or blocked:
			// where it is (its centre) is not in the event, so the snapshot is read again.
			return { changed: false, reload: status !== null && status !== 'pending' && status !== 'ready' };
		}
		if (version <= s.version) return { changed: false, reload: false };
		if (!status) return { changed: false, reload: true };
		const wo = this.workOrders.get(s.workOrderId);
		if (wo && (s.status === 'done') !== (status === 'done')) wo.stepsDone += status === 'done' ? 1 : -1;
		s.status = status;
		s.version = version;
		if ('finishedAt' in p) s.finishedAt = str(p.finishedAt);
		if (typeof p.workCentreId === 'number') s.workCentreId = p.workCentreId;
		if ('plannedEnd' in p) s.plannedEnd = str(p.plannedEnd);
		if (p.plannedHours && typeof p.plannedHours === 'object')
			s.todayHours = Number((p.plannedHours as Record<string, number>)[this.board.today] ?? 0);
		if (status === 'done') s.overrun = false;
		return { changed: true, reload: false };
	}

	private workOrder(id: number, version: number, p: Record<string, unknown>): Applied {
		const status = str(p.status) as WorkOrderStatus | null;
		const w = this.workOrders.get(id);
		const replanned = PLAN_FIELDS.some((f) => f in p);
		if (!w) {
			// A work order the board does not show starts: its order is now in production.
			return { changed: false, reload: replanned || status === 'in_progress' || status === 'paused' };
		}
		if (version <= w.version) return { changed: false, reload: false };
		w.version = version;
		if (status) w.status = status;
		if ('projectedFinish' in p) w.projectedFinish = str(p.projectedFinish);
		if (typeof p.dueDate === 'string') w.dueDate = p.dueDate;
		if (p.priority === 'normal' || p.priority === 'urgent') w.priority = p.priority;
		if (status === 'cancelled') {
			this.board.workOrders = this.board.workOrders.filter((x) => x.id !== id);
			this.workOrders.delete(id);
		}
		return { changed: true, reload: replanned };
	}

	private alert(id: number, companyId: number, version: number, p: Record<string, unknown>): Applied {
		const list = this.board.alerts;
		const i = list.findIndex((a) => a.id === id);
		if (i >= 0 && version <= list[i].version) return { changed: false, reload: false };
		if (p.status === 'closed') {
			if (i < 0) return { changed: false, reload: false };
			list.splice(i, 1);
			return { changed: true, reload: false };
		}
		const workOrderId = typeof p.workOrderId === 'number' ? p.workOrderId : null;
		const known = workOrderId === null ? null : this.workOrders.get(workOrderId);
		const alert: BoardAlert = {
			id,
			companyId,
			kind: p.kind as BoardAlert['kind'],
			status: p.status as BoardAlert['status'],
			reason: (p.reason ?? null) as BoardAlert['reason'],
			message: String(p.message ?? ''),
			workOrderId,
			workOrderNumber: known?.number ?? list[i]?.workOrderNumber ?? null,
			stepId: typeof p.stepId === 'number' ? p.stepId : null,
			workCentreId: typeof p.workCentreId === 'number' ? p.workCentreId : null,
			raisedAt: String(p.raisedAt ?? new Date().toISOString()),
			version
		};
		if (i >= 0) list[i] = alert;
		else list.push(alert);
		// Shown at once; a work order the board does not hold is named after the next read.
		return { changed: true, reload: workOrderId !== null && !alert.workOrderNumber };
	}
}
