import type { PageLoad } from './$types';
import { apiOrCache } from '$lib/field/load';
import type { JobView } from '$lib/server/services/installation-job';

/** One job from the API, or this phone's last copy of it while the network is down. */
export const load: PageLoad = async ({ fetch, parent, depends, params }) => {
	depends('app:field-job');
	const { user } = await parent();
	const id = encodeURIComponent(params.id);
	const { data, savedAt } = await apiOrCache<JobView>(
		fetch,
		`/api/v1/installation-jobs/${id}`,
		user!.id,
		`job:${id}`
	);
	return { job: data, savedAt };
};
