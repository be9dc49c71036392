import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { entryOptions } from '$lib/server/services/order-entry';

/** The entry form's catalog, companies and today; the order itself is saved through the API. */
export const load: PageServerLoad = (event) => serve(event, (ctx) => entryOptions(ctx));
