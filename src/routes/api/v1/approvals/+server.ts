import { listEndpoint } from '$lib/server/route';
import { listApprovals } from '$lib/server/services/approvals';

export const GET = listEndpoint(listApprovals);
