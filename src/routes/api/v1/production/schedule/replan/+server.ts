import { endpoint, readJson } from '$lib/server/route';
import { replan } from '$lib/server/services/production-schedule';

/** {companyId?}: re-plans that company, or (empty body) each of the planner's; answers each run's figures. */
export const POST = endpoint(async (ctx, { request, locals }) => {
	const empty = !(await request.clone().text()).trim();
	return replan(ctx, empty ? {} : await readJson(request, locals.locale, 1000));
});
