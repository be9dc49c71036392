import { schema, type Tx } from '../db';
import type { NewEvent } from '../events/append';
import type { AlertKind, AndonReason } from '../../domain/statuses';

const { alerts } = schema;

export interface NewAlert {
	companyId: number;
	kind: AlertKind;
	reason?: AndonReason | null;
	message: string;
	workOrderId?: number | null;
	stepId?: number | null;
	workCentreId?: number | null;
	deviceId?: number | null;
	raisedBy?: number | null;
}

/**
 * Raises an alert inside the caller's transaction and publishes it on the production topic,
 * so the planner's and manager's screens, the notification centre and the wall displays show
 * it as soon as the transaction commits.
 */
export async function raiseAlert(tx: Tx, emit: (e: NewEvent) => Promise<number>, alert: NewAlert) {
	const [row] = await tx.insert(alerts).values(alert).returning();
	await emit({
		companyId: row.companyId,
		topic: 'production',
		entity: 'alert',
		entityId: row.id,
		entityVersion: row.version,
		type: 'alert.raised',
		payload: alertPayload(row),
		actorId: alert.raisedBy ?? null
	});
	return row;
}

/** An alert's state as events carry it: the whole row, so a late or repeated event changes nothing. */
export function alertPayload(row: typeof alerts.$inferSelect) {
	return {
		kind: row.kind,
		status: row.status,
		reason: row.reason,
		message: row.message,
		workOrderId: row.workOrderId,
		stepId: row.stepId,
		workCentreId: row.workCentreId,
		deviceId: row.deviceId,
		raisedBy: row.raisedBy,
		raisedAt: row.raisedAt,
		acknowledgedBy: row.acknowledgedBy,
		acknowledgedAt: row.acknowledgedAt,
		closedBy: row.closedBy,
		closedAt: row.closedAt,
		closeNote: row.closeNote
	};
}
