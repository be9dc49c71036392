import { fileEndpoint } from '$lib/server/file-endpoint';
import { paramsOf } from '$lib/server/services/list';
import { printOrders } from '$lib/server/services/order-print';

/** Selected orders (`?ids=1,2,3`, at most 100) in one PDF, each from a new page. */
export const GET = fileEndpoint((ctx, { url }) => printOrders(ctx, paramsOf(url)));
