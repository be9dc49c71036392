import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { getWorkOrder } from '$lib/server/services/production';
import { workOrderHistory } from '$lib/server/services/production-plan';

/** The work order with its steps, plan and history; read again on its events and on replans. */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		event.depends('app:work-order');
		const [workOrder, history] = await Promise.all([
			getWorkOrder(ctx, event.params.id),
			workOrderHistory(ctx, event.params.id)
		]);
		return { ...workOrder, history };
	});
