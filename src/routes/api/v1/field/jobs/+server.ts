import { endpoint } from '$lib/server/route';
import { fieldJobs } from '$lib/server/services/field-jobs';

/** The signed-in installer's open jobs (their crew's), with the stream position they were read at. */
export const GET = endpoint((ctx) => fieldJobs(ctx));
