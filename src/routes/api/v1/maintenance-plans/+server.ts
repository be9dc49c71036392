import { listEndpoint } from '$lib/server/route';
import { listMaintenancePlans } from '$lib/server/services/maintenance-plans';

export const GET = listEndpoint(listMaintenancePlans);
