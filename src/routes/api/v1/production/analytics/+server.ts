import { endpoint } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { productionAnalytics } from '$lib/server/services/production-analytics';

/**
 * Production analytics as JSON (`?from=&to=&companyId=`, China days, default the last 30, at
 * most 366): the same figures the analytics page draws.
 */
export const GET = endpoint(async (ctx, { url }) => {
	const { cursor: _, ...figures } = await productionAnalytics(ctx, paramsOf(url));
	return figures;
});
