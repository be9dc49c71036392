import { endpoint } from '$lib/server/route';
import { deleteSavedFilter } from '$lib/server/services/saved-filters';

/** Deletes one of the user's own saved filters (anybody else's reads as not found). */
export const DELETE = endpoint((ctx, { params }) => deleteSavedFilter(ctx, params.id));
