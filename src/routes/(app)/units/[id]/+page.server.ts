import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { unitHistory, unitQrSvg } from '$lib/server/services/unit-history';

export const load: PageServerLoad = (event) => {
	// Read again when a live event touches the unit, its order, job or tickets (see +page.svelte).
	event.depends('app:unit');
	return serve(event, async (ctx) => {
		const history = await unitHistory(ctx, event.params.id);
		return { history, qr: await unitQrSvg(history.unit.serialNo) };
	});
};
