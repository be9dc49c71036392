import { fileEndpoint } from '$lib/server/file-endpoint';
import { printOrder } from '$lib/server/services/order-print';

/** The order's confirmation / contract as a PDF, shown inline. */
export const GET = fileEndpoint((ctx, { params }) => printOrder(ctx, params.id));
