import { endpoint } from '$lib/server/route';
import { endDelegation } from '$lib/server/services/approval-delegations';

/** Ends one of my delegations now. */
export const DELETE = endpoint((ctx, { params }) => endDelegation(ctx, params.id));
