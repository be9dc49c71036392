import type { Actor } from '$lib/server/authz';
import type { Session } from '$lib/server/auth/session';
import type { Device } from '$lib/server/auth/device';

declare global {
	namespace App {
		interface Locals {
			actor: Actor | null;
			session: Session | null;
			/** A registered terminal or wall display (its device cookie). */
			device: Device | null;
			locale: 'zh-CN' | 'en';
			/** Set by hooks/guard.ts when a page view is refused; the root layout throws it. */
			denied?: { status: number; message: string };
		}
		interface Error {
			message: string;
			id?: string;
			code?: string;
		}
	}
}

export {};
