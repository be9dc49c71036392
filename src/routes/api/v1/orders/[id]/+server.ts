import { endpoint } from '$lib/server/route';
import { getOrder } from '$lib/server/services/orders';

export const GET = endpoint((ctx, { params }) => getOrder(ctx, params.id));
