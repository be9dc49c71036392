import { env } from '$env/dynamic/private';
import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { authorize, can } from '$lib/server/authz';
import { OSM_ATTRIBUTION, OSM_TILE_URL } from '$lib/components/map/tiles';

/**
 * The dispatch map's shell: the map tiles from the settings (MAP_TILE_URL, MAP_TILE_ATTRIBUTION;
 * OpenStreetMap when unset) and what the user may do. The board itself (thousands of rows) is
 * read by the page from /api/v1/installation/board as JSON: inlined into the HTML as script it
 * cost the browser more than a second to parse at 5,000 jobs.
 */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		authorize(ctx.actor, 'installation.read');
		const url = env.MAP_TILE_URL?.trim();
		const tiles = {
			url: url || OSM_TILE_URL,
			attribution: env.MAP_TILE_ATTRIBUTION?.trim() || (url ? '' : OSM_ATTRIBUTION)
		};
		return { tiles, canDispatch: can(ctx.actor, 'installation.dispatch') };
	});
