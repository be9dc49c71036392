import type { Db, Tx } from '../db';
import { publish } from '../realtime/publish';
import { appendEvent, type EventRow, type NewEvent } from './append';

/**
 * One command = one transaction: the rows and their events commit together, and only then
 * are the events pushed to the sockets that may see them. A NOTIFY or a push is never sent
 * from inside the transaction, so a rollback publishes nothing and commits are not serialised.
 */
export async function runCommand<T>(
	db: Db,
	fn: (tx: Tx, emit: (event: NewEvent) => Promise<EventRow>) => Promise<T>
): Promise<T> {
	const emitted: EventRow[] = [];
	const result = await db.transaction((tx) =>
		fn(tx, async (event) => {
			const row = await appendEvent(tx, event);
			emitted.push(row);
			return row;
		})
	);
	publish(emitted);
	return result;
}
