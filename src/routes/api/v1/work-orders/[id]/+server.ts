import { endpoint } from '$lib/server/route';
import { getWorkOrder } from '$lib/server/services/production';

/** The work order with its steps, and the event-stream cursor its data was read at. */
export const GET = endpoint((ctx, { params }) => getWorkOrder(ctx, params.id));
