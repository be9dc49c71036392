import { describe, expect, it } from 'vitest';
import type { Server } from 'socket.io';
import { Fanout } from '../../src/lib/server/realtime/fanout';

/** The fan-out keeps each group's sockets in slices of at most 100, reusing freed places. */
describe('fan-out slices', () => {
	const rooms = ['c:1:production', 'c:2:production'];
	// Entering and leaving touch no socket: the server is not needed here.
	const fanoutOn = () => new Fanout({} as Server);

	it('fills a slice to 100 before opening the next, whatever order the rooms come in', () => {
		const fanout = fanoutOn();
		const names = Array.from({ length: 250 }, (_, i) => fanout.enter(i % 2 ? rooms : [...rooms].reverse()));
		const group = names[0].slice(0, names[0].lastIndexOf('.'));
		expect(names.every((n) => n.startsWith(`${group}.`))).toBe(true);
		const count = (n: number) => names.filter((name) => name === `${group}.${n}`).length;
		expect([count(0), count(1), count(2)]).toEqual([100, 100, 50]);
		expect(fanout.enter(['c:3:production'])).not.toContain(group);
	});

	it('gives a freed place to the next socket and forgets a group once it is empty', () => {
		const fanout = fanoutOn();
		const names = Array.from({ length: 101 }, () => fanout.enter(rooms));
		fanout.leave(names[5]);
		expect(fanout.enter(rooms)).toBe(names[0]);
		for (const [i, n] of names.entries()) if (i !== 5) fanout.leave(n);
		fanout.leave(names[0]); // the one that took names[5]'s place
		const again = fanout.enter(rooms);
		expect(again.endsWith('.0')).toBe(true);
	});
});
