import { endpoint } from '$lib/server/route';
import { catalog } from '$lib/server/services/order-entry';

/** The elevator models with their allowed specs and options, prices in fen. */
export const GET = endpoint((ctx) => catalog(ctx));
