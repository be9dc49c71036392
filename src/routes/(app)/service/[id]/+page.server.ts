import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { getTicket } from '$lib/server/services/tickets';
import { streamPosition } from '$lib/server/services/live';

/** The ticket with its unit, parts and history; read again on its events (see +page.svelte). */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		event.depends('app:ticket');
		const [cursor, detail] = await Promise.all([streamPosition(ctx), getTicket(ctx, event.params.id)]);
		return { ...detail, cursor };
	});
