import type { Db, Tx } from '../db';
import { realtime } from '../realtime/hub';
import { appendEvent, type NewEvent } from './append';

/**
 * One command = one transaction: the rows and their events commit together. Only after the
 * commit is the process's event tail woken (and, with several nodes, the others through the
 * Socket.IO adapter); nothing is sent from inside the transaction, so a rollback publishes
 * nothing and a NOTIFY never serialises commits.
 */
export async function runCommand<T>(db: Db, fn: (tx: Tx, emit: (event: NewEvent) => Promise<number>) => Promise<T>): Promise<T> {
	let emitted = false;
	const result = await db.transaction((tx) =>
		fn(tx, (event) => {
			emitted = true;
			return appendEvent(tx, event);
		})
	);
	if (emitted) realtime()?.committed();
	return result;
}
