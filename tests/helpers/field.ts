import type { HttpClient } from './http-client';

/**
 * Field reports over HTTP for tests that need one (a stored site photo for the route table's
 * checks): the multipart body the installer's phone sends, and one applied report with a photo.
 */
export const TINY_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64'
);

const STAGES = ['survey', 'guide_rails', 'machine', 'wiring', 'commissioning', 'inspection', 'handover'];

/** A multipart body: the report's JSON in `action`, the files in `photo`. */
export async function multipart(
	fields: object,
	photos: Buffer[] = []
): Promise<{ body: Buffer; type: string }> {
	const form = new FormData();
	form.set('action', JSON.stringify(fields));
	photos.forEach((p, i) =>
		form.append('photo', new Blob([new Uint8Array(p)], { type: 'image/png' }), `p${i}.png`)
	);
	const res = new Response(form);
	return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type')! };
}

/** Reports the next stage of the installer's first job again at its percent, with a photo; the photo's id. */
export async function addSitePhoto(installer: HttpClient): Promise<number> {
	const list = await installer.get('/api/v1/field/jobs');
	if (list.status !== 200 || !list.json().jobs.length)
		throw new Error(`no field jobs: ${list.status} ${list.text}`);
	const job = list.json().jobs[0];
	const stage = STAGES.find((s) => job.stages[s] < 100) ?? 'handover';
	const now = Date.now();
	const key = `photo-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
	const { body, type } = await multipart(
		{
			key,
			jobId: job.id,
			action: 'progress',
			stage,
			percent: job.stages[stage],
			occurredAt: now,
			sentAt: now
		},
		[TINY_PNG]
	);
	const res = await installer.request('POST', '/api/v1/field/actions', {
		body,
		headers: { 'content-type': type, origin: new URL(installer.baseUrl).origin }
	});
	const answer = res.json();
	if (res.status !== 200 || answer.outcome !== 'applied')
		throw new Error(`photo report failed: ${res.status} ${res.text}`);
	return answer.photoIds[0];
}
