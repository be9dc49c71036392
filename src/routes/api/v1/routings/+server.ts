import { endpoint, readJson } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { createRouting, listRoutings } from '$lib/server/services/routings';

/** Routings per model and company (`?companyId=&modelId=`), with the models and work centres. */
export const GET = endpoint((ctx, { url }) => listRoutings(ctx, paramsOf(url)));

/** A new routing (production.plan); active by default, which switches the model's other one off. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	createRouting(ctx, await readJson(request, locals.locale, 100_000))
);
