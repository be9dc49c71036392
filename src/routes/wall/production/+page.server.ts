import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { wallBoard } from '$lib/server/services/wall';
import { WALL_VIEWS, type WallView } from '$lib/wall/board';

const isView = (v: unknown): v is WallView => (WALL_VIEWS as readonly unknown[]).includes(v);

/**
 * The wall board: a registered wall display shows its company with the views and rotation its
 * planner set; a person gets every view every 20 s. `?view=centres` pins one view and
 * `?company=` narrows a person's board to one of their companies.
 */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		const company = event.url.searchParams.get('company');
		const { board, cursor } = await wallBoard(ctx, company ? { company } : {});
		const device = event.locals.device?.kind === 'wall' ? event.locals.device : null;
		const configured = (device?.settings.views ?? []).filter(isView);
		const pinned = event.url.searchParams.get('view');
		const views: WallView[] = isView(pinned) ? [pinned] : configured.length ? configured : [...WALL_VIEWS];
		const rotateSeconds = Math.min(600, Math.max(5, Number(device?.settings.rotateSeconds) || 20));
		const query = company ? `?company=${encodeURIComponent(company)}` : '';
		return { snapshot: { board, cursor }, views, rotateSeconds, deviceName: device?.name ?? null, apiUrl: `/api/v1/wall/production${query}` };
	});
