import { and, eq, isNull, lte, or, sql, isNotNull } from 'drizzle-orm';
import { schema, type Db } from '../db';
import { runCommand } from '../events/command';
import { slaState } from '../../domain/approval-policy';
import { stepEvent } from './approval-flow';

const { approvalSteps } = schema;

/**
 * Response-time targets: a pending step past its due time gets one reminder (it shows as
 * overdue in every queue), and one that has waited twice its response time escalates: the
 * step's escalation role joins the roles that may decide it, any claim is released, and it gets
 * a new response window. The state lives in the rows (reminded_at, escalated_at), so the sweep
 * survives restarts, and SKIP LOCKED lets every node run it without doing anything twice.
 */
export async function sweepApprovalDeadlines(db: Db, now = new Date(), limit = 200) {
	return runCommand(db, async (tx, emit) => {
		const due = await tx
			.select()
			.from(approvalSteps)
			.where(
				and(
					eq(approvalSteps.status, 'pending'),
					lte(approvalSteps.dueAt, now),
					or(
						isNull(approvalSteps.remindedAt),
						and(
							isNull(approvalSteps.escalatedAt),
							isNotNull(approvalSteps.escalateRoleId),
							// Waited twice its window: due + (due − activated).
							sql`${approvalSteps.dueAt} + (${approvalSteps.dueAt} - coalesce(${approvalSteps.activatedAt}, ${approvalSteps.dueAt})) <= ${now.toISOString()}::timestamptz`
						)
					)
				)
			)
			.orderBy(approvalSteps.dueAt)
			.limit(limit)
			.for('update', { skipLocked: true });
		let reminded = 0;
		let escalated = 0;
		for (const s of due) {
			const escalate = slaState(s, now) === 'escalate' && s.escalateRoleId !== null && s.escalatedAt === null;
			if (escalate) {
				await tx
					.update(approvalSteps)
					.set({
						roleIds: s.roleIds.includes(s.escalateRoleId!) ? s.roleIds : [...s.roleIds, s.escalateRoleId!],
						escalatedAt: now,
						remindedAt: s.remindedAt ?? now,
						claimedById: null,
						claimedAt: null,
						activatedAt: now,
						dueAt: sql`${now.toISOString()}::timestamptz + make_interval(hours => ${s.responseHours})`,
						version: sql`${approvalSteps.version} + 1`,
						updatedAt: sql`now()`
					})
					.where(eq(approvalSteps.id, s.id));
				await emit(await stepEvent(tx, s.id, 'approval_step.escalated', null));
				escalated++;
			} else if (s.remindedAt === null) {
				await tx
					.update(approvalSteps)
					.set({ remindedAt: now, version: sql`${approvalSteps.version} + 1`, updatedAt: sql`now()` })
					.where(eq(approvalSteps.id, s.id));
				await emit(await stepEvent(tx, s.id, 'approval_step.overdue', null));
				reminded++;
			}
		}
		return { reminded, escalated };
	});
}

/** Runs the sweep every `everyMs` on this node until stopped; a failed run is logged and retried next time. */
export function startApprovalDeadlines(db: Db, everyMs = 30_000): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			// Drain in batches so a backlog after downtime clears in one tick.
			for (;;) {
				const { reminded, escalated } = await sweepApprovalDeadlines(db);
				if (reminded + escalated < 200) break;
			}
		} catch (e) {
			console.error('approval deadline sweep failed', e);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, everyMs);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}
