import { endpoint } from '$lib/server/route';
import { actorSummary } from '$lib/server/auth/actor-summary';
import { myCompanies } from '$lib/server/services/auth';
import { UnauthenticatedError } from '$lib/server/errors';

export const GET = endpoint(async ({ db, actor }) => {
	if (!actor) throw new UnauthenticatedError();
	return { user: actorSummary(actor), companies: await myCompanies(db, actor) };
});
