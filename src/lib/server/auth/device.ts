import { and, eq, isNull, sql } from 'drizzle-orm';
import { schema, type Conn } from '../db';
import { generateToken, hashToken, loadActor } from './session';
import type { Actor } from '../authz';
import type { DeviceKind } from '../../domain/statuses';

/**
 * A registered terminal or wall display signs in with a long random token in this HttpOnly
 * cookie (only its SHA-256 is stored). It acts as its own read-only user of kind 'device'; a
 * worker who signs in at a terminal gets an ordinary session cookie beside it.
 */
export const DEVICE_COOKIE = 'device';
/** A device cookie lasts a year; revoking the device ends it at once. */
export const DEVICE_COOKIE_DAYS = 365;

export interface Device {
	id: number;
	companyId: number;
	kind: DeviceKind;
	name: string;
	workCentreId: number | null;
	userId: number;
	settings: { views?: string[]; rotateSeconds?: number };
}

/** The socket room of a device's own connections, so revoking it closes them on every node. */
export const deviceSessionId = (deviceId: number) => `device:${deviceId}`;

export function newDeviceToken(): { token: string; hash: string } {
	const token = 'dv_' + generateToken() + generateToken();
	return { token, hash: hashToken(token) };
}

/** The device and the actor it signs in as, or null for an unknown or revoked token. */
export async function deviceForToken(db: Conn, token: string): Promise<{ device: Device; actor: Actor } | null> {
	if (!/^dv_[a-z2-7]{32,128}$/.test(token)) return null;
	const d = schema.devices;
	const [row] = await db
		.select({
			id: d.id,
			companyId: d.companyId,
			kind: d.kind,
			name: d.name,
			workCentreId: d.workCentreId,
			userId: d.userId,
			settings: d.settings,
			lastSeenAt: d.lastSeenAt
		})
		.from(d)
		.where(and(eq(d.tokenHash, hashToken(token)), isNull(d.revokedAt)));
	if (!row) return null;
	const actor = await loadActor(db, row.userId);
	if (!actor) return null;
	if (!row.lastSeenAt || Date.now() - row.lastSeenAt.getTime() > 60_000)
		await db.update(d).set({ lastSeenAt: sql`now()` }).where(eq(d.id, row.id));
	const { lastSeenAt: _, ...device } = row;
	return { device, actor };
}
