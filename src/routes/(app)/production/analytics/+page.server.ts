import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { productionAnalytics } from '$lib/server/services/production-analytics';
import { ValidationError } from '$lib/server/errors';

/**
 * The analytics page: the figures of the URL's range. A bad range shows its message beside the
 * date inputs (and no figures) rather than the error page.
 */
export const load: PageServerLoad = (event) => {
	// Read again (debounced) when production events arrive (see +page.svelte).
	event.depends('app:production-analytics');
	return serve(event, async (ctx) => {
		try {
			return { analytics: await productionAnalytics(ctx, paramsOf(event.url)), issues: {} as Record<string, string> };
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			return { analytics: null, issues: Object.fromEntries(e.issues.map((i) => [i.path, i.message])) };
		}
	});
};
