import { authorize } from '../authz';
import { currentCursor } from '../realtime/stream';
import type { Ctx } from './context';

/**
 * The stream position now. A page reads it before its data, so its live list catches up on
 * whatever changed while the page was loading.
 */
export async function streamPosition({ db, actor }: Ctx): Promise<string> {
	authorize(actor, 'dashboard.read');
	return currentCursor(db);
}
