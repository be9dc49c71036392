/**
 * The last job list and job pages this phone read, so the field app still opens them while the
 * network is down (the page says how old they are). Kept per user in localStorage; a few dozen
 * kilobytes. The server's answers are the truth: this is only what to show until it answers.
 */
export interface Cached<T> {
	at: number;
	data: T;
}

const PREFIX = 'field-cache:';
/** Job pages kept beyond the list: the most recently opened ones. */
const MAX_JOBS = 60;

function storage(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

export function readCache<T>(userId: number, name: string): Cached<T> | null {
	try {
		return JSON.parse(storage()?.getItem(`${PREFIX}${userId}:${name}`) ?? 'null');
	} catch {
		return null;
	}
}

export function writeCache<T>(userId: number, name: string, data: T): void {
	const s = storage();
	if (!s) return;
	try {
		s.setItem(`${PREFIX}${userId}:${name}`, JSON.stringify({ at: Date.now(), data }));
		if (name.startsWith('job:')) prune(s, userId);
	} catch {
		// Full: the app still works online; only the offline copy is missing.
	}
}

function prune(s: Storage, userId: number) {
	const prefix = `${PREFIX}${userId}:job:`;
	const jobs: { key: string; at: number }[] = [];
	for (let i = 0; i < s.length; i++) {
		const key = s.key(i);
		if (key?.startsWith(prefix)) jobs.push({ key, at: JSON.parse(s.getItem(key) ?? '{"at":0}').at ?? 0 });
	}
	jobs.sort((a, b) => b.at - a.at);
	for (const j of jobs.slice(MAX_JOBS)) s.removeItem(j.key);
}
