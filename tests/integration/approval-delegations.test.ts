import { beforeAll, describe, expect, it } from 'vitest';
import { drivers, useDatabase, actorOf } from './db';
import { createDelegation, endDelegation, myDelegations } from '../../src/lib/server/services/approval-delegations';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/** An approver names a substitute for a window; the rules that keep it sensible. */
describe.each(drivers)('approval delegations (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let approver1: Actor;
	let approver2: Actor;
	let sales1: Actor;
	const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

	beforeAll(async () => {
		db = t.db;
		approver1 = await actorOf(db, 'approver1', { locale: 'en' });
		approver2 = await actorOf(db, 'approver2', { locale: 'en' });
		sales1 = await actorOf(db, 'sales1');
	});

	it('offers approvers who share a company, never oneself or a rep', async () => {
		const { candidates } = await myDelegations({ db, actor: approver1 });
		const ids = candidates.map((c) => c.id);
		expect(ids).toContain(approver2.id);
		expect(ids).not.toContain(approver1.id);
		expect(ids).not.toContain(sales1.id);
	});

	it('adds and ends a delegation', async () => {
		const { id } = await createDelegation({ db, actor: approver1 }, { toUserId: approver2.id, startsAt: hours(-1), endsAt: hours(48) });
		expect((await myDelegations({ db, actor: approver1 })).mine.map((d) => d.id)).toContain(id);
		await endDelegation({ db, actor: approver1 }, id);
		expect((await myDelegations({ db, actor: approver1 })).mine.map((d) => d.id)).not.toContain(id);
		// Someone else's, or an ended one: not found.
		await expect(endDelegation({ db, actor: approver2 }, id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('refuses a bad window, a rep as substitute, and a role that is not mine, naming the field', async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ toUserId: approver2.id, startsAt: hours(5), endsAt: hours(1) }, 'endsAt'],
			[{ toUserId: approver2.id, startsAt: hours(-48), endsAt: hours(-1) }, 'endsAt'],
			[{ toUserId: approver2.id, startsAt: hours(1), endsAt: hours(24 * 400) }, 'endsAt'],
			[{ toUserId: sales1.id, startsAt: hours(1), endsAt: hours(5) }, 'toUserId'],
			[{ toUserId: approver2.id, roleId: 999_999, startsAt: hours(1), endsAt: hours(5) }, 'roleId'],
			[{ toUserId: 'x', startsAt: 'soon', endsAt: hours(5) }, 'toUserId']
		];
		for (const [input, path] of cases) {
			const e = await createDelegation({ db, actor: approver1 }, input).catch((x) => x);
			expect(e, JSON.stringify(input)).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).issues.map((i) => i.path)).toContain(path);
		}
		await expect(myDelegations({ db, actor: sales1 })).rejects.toBeInstanceOf(ForbiddenError);
	});
});
