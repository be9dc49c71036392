import type { PageLoad } from './$types';
import { apiOrCache } from '$lib/field/load';
import type { FieldJobs } from '$lib/server/services/field-jobs';

/** The crew's open jobs from the API, or this phone's last copy while the network is down. */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
	depends('app:field-jobs');
	const { user } = await parent();
	const { data, savedAt } = await apiOrCache<FieldJobs>(fetch, '/api/v1/field/jobs', user!.id, 'jobs');
	return { list: data, savedAt };
};
