import { listPage } from '$lib/server/route';
import { listInstallationJobs } from '$lib/server/services/installation';

export const load = listPage(listInstallationJobs);
