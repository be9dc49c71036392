import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { terminalJobs } from '$lib/server/services/terminal-jobs';

/**
 * The terminal's screen. Only a browser enrolled as this station's terminal shows jobs; one
 * enrolled for another station goes to its own, anything else is told how to enrol.
 */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		const { device, actor } = event.locals;
		if (!device || device.kind !== 'terminal') return { registered: false as const };
		if (String(device.workCentreId) !== event.params.station) redirect(303, `/terminal/${device.workCentreId}`);
		const data = await terminalJobs(ctx, device);
		// Nobody signed in: the device's own read-only user is acting.
		const worker = actor && actor.id !== device.userId ? { id: actor.id, displayName: actor.displayName } : null;
		return { registered: true as const, ...data, worker };
	});
