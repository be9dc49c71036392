import { endpoint, readJson } from '$lib/server/route';
import { createDelegation, myDelegations } from '$lib/server/services/approval-delegations';

/** My current and coming delegations, the substitutes I may choose, and my approver roles. */
export const GET = endpoint((ctx) => myDelegations(ctx));

/** {toUserId, roleId?, startsAt, endsAt}: a substitute decides my steps inside the window. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	createDelegation(ctx, await readJson(request, locals.locale, 10_000))
);
