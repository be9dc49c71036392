import { listPage } from '$lib/server/route';
import { listApprovals } from '$lib/server/services/approvals';

export const load = listPage(listApprovals);
