import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { getWorkOrder } from '$lib/server/services/production';

export const load: PageServerLoad = (event) => serve(event, (ctx) => getWorkOrder(ctx, event.params.id));
