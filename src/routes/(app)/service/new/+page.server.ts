import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { lookupUnits } from '$lib/server/services/unit-lookup';

/** A new ticket; `?q=` (a scanned EOU: code, a serial) looks the unit up at once. */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 100);
		return { q, lookup: q ? await lookupUnits(ctx, { q }) : null };
	});
