import { endpoint } from '$lib/server/route';
import { listCrews } from '$lib/server/services/dispatch';

export const GET = endpoint((ctx) => listCrews(ctx));
