import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listServiceTickets } from '$lib/server/services/service';
import { streamPosition } from '$lib/server/services/live';

/** The tickets list; read again when a ticket event arrives (see +page.svelte). */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		event.depends('app:service-tickets');
		const [cursor, list] = await Promise.all([
			streamPosition(ctx),
			listServiceTickets(ctx, paramsOf(event.url))
		]);
		return { list, cursor, serverNow: Date.now() };
	});
