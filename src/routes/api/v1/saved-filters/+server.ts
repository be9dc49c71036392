import { endpoint, readJson } from '$lib/server/route';
import { listSavedFilters, saveFilter } from '$lib/server/services/saved-filters';

/** The signed-in user's saved filters: of one list with `?list=orders|approvals`, else of every list they may read. */
export const GET = endpoint((ctx, { url }) =>
	listSavedFilters(ctx, url.searchParams.get('list') ?? undefined)
);

/** Saves `{list, name, query}`; a filter of the same name on that list is replaced. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	saveFilter(ctx, await readJson(request, locals.locale, 20_000))
);
