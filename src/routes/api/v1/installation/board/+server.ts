import { listEndpoint } from '$lib/server/route';
import { dispatchBoard } from '$lib/server/services/dispatch-board';

/** The dispatcher's map as JSON: the same query as the page (`kinds=jobs,tickets`, status, priority, crewId, from, to, q). */
export const GET = listEndpoint(dispatchBoard);
