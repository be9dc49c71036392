import type { Db } from '../db';
import type { Actor } from '../authz';

/** What every service call gets: the database and who is acting. */
export interface Ctx {
	db: Db;
	actor: Actor | null;
}
