import { MemoryPhotoStore, type PhotoStore } from './queue';

/**
 * Photos of queued reports in IndexedDB (localStorage holds strings only, and a few megabytes
 * at most): one record per report key holding its blobs. A browser without IndexedDB (or one
 * that refuses to open it) keeps them in memory: they survive a network drop, not a reload.
 */
const DB_NAME = 'field-outbox';
const STORE = 'photos';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(DB_NAME, 1);
		req.onupgradeneeded = () => req.result.createObjectStore(STORE);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function run<T>(
	db: IDBDatabase,
	mode: IDBTransactionMode,
	fn: (s: IDBObjectStore) => IDBRequest
): Promise<T> {
	return new Promise((resolve, reject) => {
		const tx = db.transaction(STORE, mode);
		const req = fn(tx.objectStore(STORE));
		tx.oncomplete = () => resolve(req.result as T);
		tx.onerror = () => reject(tx.error);
		tx.onabort = () => reject(tx.error);
	});
}

export function browserPhotoStore(): PhotoStore {
	if (typeof indexedDB === 'undefined') return new MemoryPhotoStore();
	const fallback = new MemoryPhotoStore();
	const db = open().catch(() => null);
	return {
		async put(key, photos) {
			const d = await db;
			// A full or broken store keeps the photos in memory: the report is never lost to it.
			if (!d) return fallback.put(key, photos);
			await run(d, 'readwrite', (s) => s.put(photos, key)).catch(() => fallback.put(key, photos));
		},
		async get(key) {
			if (fallback.data.has(key)) return fallback.get(key);
			const d = await db;
			if (!d) return [];
			return (await run<Blob[] | undefined>(d, 'readonly', (s) => s.get(key))) ?? [];
		},
		async delete(key) {
			await fallback.delete(key);
			const d = await db;
			if (d) await run(d, 'readwrite', (s) => s.delete(key));
		}
	};
}
