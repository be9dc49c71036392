import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { unitIdByCode } from '$lib/server/services/unit-history';

/**
 * `/units/scan?code=EOU:<serial>` (or a bare serial) opens the unit's page; an unknown code stays
 * here with the code kept in the input. A GET, so a scanner's Enter in the form lands here too.
 */
export const load: PageServerLoad = (event) => {
	const code = event.url.searchParams.get('code')?.trim() ?? '';
	return serve(event, async (ctx) => {
		if (code === '') return { code, unknown: false };
		const id = code.length <= 80 ? await unitIdByCode(ctx, { code }) : null;
		if (id !== null) redirect(303, `/units/${id}`);
		return { code, unknown: true };
	});
};
