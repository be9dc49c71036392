import { fileEndpoint } from '$lib/server/file-endpoint';
import { paramsOf } from '$lib/server/services/list';
import { printJobCards } from '$lib/server/services/job-cards';

/**
 * Job cards in one PDF, one per page: the selected work orders (`?ids=1,2,3`, at most 100), or
 * without ids the page of the work orders list that the same query shows.
 */
export const GET = fileEndpoint((ctx, { url }) => printJobCards(ctx, paramsOf(url)));
