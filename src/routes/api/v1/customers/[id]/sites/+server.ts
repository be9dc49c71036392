import { endpoint } from '$lib/server/route';
import { customerSites } from '$lib/server/services/order-entry';

/** The customer's sites, for the order entry form's site picker. */
export const GET = endpoint((ctx, { params }) => customerSites(ctx, params.id));
