import { listEndpoint } from '$lib/server/route';
import { listAlerts } from '$lib/server/services/alerts';

/** The notification centre's list: ?status (open|acknowledged|closed|active), kind, companyId, workOrderId, from, to, q, paging. */
export const GET = listEndpoint(listAlerts);
