/**
 * Preloaded into the app server by bench/fanout.ts (NODE_OPTIONS=--require …/loop-delay.cjs):
 * the server exposes no event-loop figures, so this measures them from inside the process with
 * perf_hooks.monitorEventLoopDelay. The bench writes a command into `${BENCH_LOOP_FILE}.cmd` and
 * sends SIGUSR2; the answer is written to BENCH_LOOP_FILE (atomically, with the command's seq):
 *   mark  the event-loop delay since the previous mark (p50/p99/max in ms), then start a new window
 *         (the histogram holds the time between ticks of a RESOLUTION_MS timer: the delay is that
 *         minus RESOLUTION_MS, which is what is reported)
 *   gc    two full garbage collections, then VmRSS and the V8 heap
 *   profile  (with BENCH_SERVER_PROFILE=<file>: the CPU profiler runs from start-up) stops the
 *         profiler and writes its .cpuprofile to that file (open it in Chrome DevTools)
 * Only acts in the process running server.js (NODE_OPTIONS also reaches its children).
 */
'use strict';
const file = process.env.BENCH_LOOP_FILE;
if (file && /server\.js$/.test(process.argv[1] || '')) {
	const fs = require('node:fs');
	const { monitorEventLoopDelay } = require('node:perf_hooks');
	const v8 = require('node:v8');
	const vm = require('node:vm');
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc');
	const RESOLUTION_MS = 10;
	const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
	h.enable();
	let since = Date.now();
	const ms = (ns) => Math.round(Math.max(0, ns / 1e6 - RESOLUTION_MS) * 100) / 100;
	const rssKiB = () => {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
		return m ? Number(m[1]) : null;
	};
	const answer = (body) => {
		fs.writeFileSync(`${file}.tmp`, JSON.stringify(body));
		fs.renameSync(`${file}.tmp`, file);
	};
	const profileFile = process.env.BENCH_SERVER_PROFILE;
	let profiler = null;
	if (profileFile) {
		const inspector = require('node:inspector');
		profiler = new inspector.Session();
		profiler.connect();
		profiler.post('Profiler.enable', () =>
			profiler.post('Profiler.setSamplingInterval', { interval: 500 }, () => profiler.post('Profiler.start'))
		);
	}
	process.on('SIGUSR2', () => {
		let cmd;
		try {
			cmd = JSON.parse(fs.readFileSync(`${file}.cmd`, 'utf8'));
		} catch {
			return;
		}
		if (cmd.cmd === 'mark') {
			const window = {
				seconds: (Date.now() - since) / 1000,
				p50Ms: ms(h.percentile(50)),
				p99Ms: ms(h.percentile(99)),
				maxMs: ms(h.max),
				meanMs: ms(h.mean),
				samples: h.count
			};
			h.reset();
			since = Date.now();
			answer({ seq: cmd.seq, window });
		} else if (cmd.cmd === 'profile') {
			if (!profiler) return answer({ seq: cmd.seq, written: null });
			profiler.post('Profiler.stop', (err, result) => {
				if (!err) fs.writeFileSync(profileFile, JSON.stringify(result.profile));
				profiler.disconnect();
				profiler = null;
				answer({ seq: cmd.seq, written: err ? null : profileFile, error: err ? String(err) : undefined });
			});
		} else if (cmd.cmd === 'gc') {
			gc();
			gc();
			const mem = process.memoryUsage();
			answer({
				seq: cmd.seq,
				rssKiB: rssKiB(),
				heapUsedKiB: Math.round(mem.heapUsed / 1024),
				externalKiB: Math.round(mem.external / 1024)
			});
		}
	});
}
