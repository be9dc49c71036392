import { downloadEndpoint } from '$lib/server/download-endpoint';
import { paramsOf } from '$lib/server/services/list';
import { exportOrders } from '$lib/server/services/order-export';
import { ordersExportInput } from '$lib/server/order-page-query';

/** Every order the list's query matches (same parameters as /orders), as XLSX. */
export const GET = downloadEndpoint((ctx, { url, locals }) =>
	exportOrders(ctx, ordersExportInput(paramsOf(url), locals.locale), 'xlsx')
);
