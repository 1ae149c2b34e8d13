// Preloaded (`node --import`) into a process whose peak memory `npm run bench:memory` measures: on exit,
// writes the process's peak resident set size (VmHWM in /proc/self/status, kB) to the file named by
// MSHT_PEAK_RSS_FILE, unless a process before it (one it started, with the same NODE_OPTIONS) peaked higher.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const target = process.env.MSHT_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? process.resourceUsage().maxRSS);
    const before = existsSync(target) ? Number(readFileSync(target, 'utf8')) : 0;
    writeFileSync(target, String(Math.max(kb, before)));
  });
}
