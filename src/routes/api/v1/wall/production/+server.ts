import { endpoint } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { wallBoard } from '$lib/server/services/wall';

/** The wall board's snapshot (?company= narrows a person's board to one company): rows, figures and the stream cursor. */
export const GET = endpoint((ctx, event) => wallBoard(ctx, paramsOf(event.url)));
