import { endpoint } from '$lib/server/route';
import { jobByScan, terminalJobs } from '$lib/server/services/terminal-jobs';

/** This terminal's station and its jobs in schedule order; with ?scan= the job a scanned card names. */
export const GET = endpoint<unknown>((ctx, { url, locals }) => {
	const scan = url.searchParams.get('scan');
	return scan !== null ? jobByScan(ctx, locals.device, { scan }) : terminalJobs(ctx, locals.device);
});
