/**
 * What a barcode or QR scan says. A keyboard-wedge scanner types the code and Enter, so a
 * terminal reads scans as text. Job cards carry `EOJ:<work order number>`, badges
 * `EOB:<badge code>`, a unit's controller label `EOU:<serial>`; a bare work-order number typed by
 * hand is read as a job too.
 */
export type Scan =
	| { kind: 'job'; number: string }
	| { kind: 'badge'; code: string }
	| { kind: 'unit'; serial: string }
	| { kind: 'unknown' };

export const jobCardCode = (workOrderNumber: string) => `EOJ:${workOrderNumber}`;
export const badgeScanCode = (badgeCode: string) => `EOB:${badgeCode}`;
export const unitScanCode = (serialNo: string) => `EOU:${serialNo}`;

const WORK_ORDER_NUMBER = /^WO-[A-Z]{2,6}-\d{4}-\d{6}$/;
const BADGE = /^[A-Z0-9-]{3,32}$/;
/** Serials are the factory's (EL-2026-0000123 in the demo), imported ones may differ: letters, digits and . _ / -. */
const SERIAL = /^[A-Z0-9][A-Z0-9._/-]{1,59}$/;

export function parseScan(raw: string): Scan {
	const text = raw.trim().toUpperCase();
	if (text.length > 80) return { kind: 'unknown' };
	const [prefix, rest] = text.includes(':') ? [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)] : ['', text];
	if ((prefix === 'EOJ' || prefix === '') && WORK_ORDER_NUMBER.test(rest)) return { kind: 'job', number: rest };
	if (prefix === 'EOB' && BADGE.test(rest)) return { kind: 'badge', code: rest };
	if (prefix === 'EOU' && SERIAL.test(rest)) return { kind: 'unit', serial: rest };
	return { kind: 'unknown' };
}
