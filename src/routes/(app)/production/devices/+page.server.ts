import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { listDevices } from '$lib/server/services/devices';

/** The planner's terminals and wall displays; `app:devices` is read again when a device changes. */
export const load: PageServerLoad = (event) => {
	event.depends('app:devices');
	return serve(event, async (ctx) => ({ ...(await listDevices(ctx)), enrolUrl: `${event.url.origin}/device` }));
};
