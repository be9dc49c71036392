import { listEndpoint } from '$lib/server/route';
import { listInstallationJobs } from '$lib/server/services/installation';

export const GET = listEndpoint(listInstallationJobs);
