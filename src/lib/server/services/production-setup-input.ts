import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { ValidationError, type FieldIssue } from '../errors';

/**
 * Pieces shared by the work-centre and routing editors: numbers typed into a form arrive as
 * strings, hours have at most two decimals (the columns are numeric(6,2)), and reference
 * problems only the database can see are thrown on their exact field like zod's own.
 */
export const INT = 2_147_483_647;

/** A number typed as text ("8.5") becomes a number; anything else is left for zod to refuse. */
export const numeric = (v: unknown) =>
	typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;

export const twoDecimals = (x: number) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;

export const idField = () => z.preprocess(numeric, z.number().int().min(1).max(INT));
export const versionField = () => z.number().int().min(1).max(INT);

export const issue = (path: string, message: string): FieldIssue => ({ path, message });

/** Throws the issues as one ValidationError (nothing when there are none). */
export function refuse(issues: FieldIssue[]): void {
	if (issues.length) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** Writes to one company's planning data take turns (codes, the single active routing per model). */
const SETUP_LOCK = 74_120;
export async function lockCompanySetup(tx: Tx, companyId: number): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK}, ${companyId})`);
}

/** Numeric columns come back as strings: hours as numbers for the screens and the API. */
export const hours = (v: string | number) => Number(v);
