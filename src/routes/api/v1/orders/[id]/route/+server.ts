import { endpoint } from '$lib/server/route';
import { previewRoute } from '$lib/server/services/approval-route';

/** The route the order would take if submitted now: the rule and its steps, or auto-approval. */
export const GET = endpoint((ctx, { params }) => previewRoute(ctx, params.id));
