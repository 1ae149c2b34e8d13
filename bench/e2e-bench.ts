// End-to-end benchmark of the local stack: starts `msht local` in its own process, uploads a synthetic
// subjects extract of N rows with `msht upload` as the organisation's own role, and prints rows/s from
// the start of the upload to INDEXED, and `msht local`'s peak RSS (VmHWM from /proc, so Linux only).
// Usage: npm run bench:e2e [-- 100000 1000000]   (default: 100000 rows)
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeExtract } from './extract-writer.ts';

const MSHT = fileURLToPath(new URL('../bin/msht.mjs', import.meta.url));
const ORG = 'PF-E23000001';
const PERIOD = '2026-10';
const sizes = process.argv.slice(2).map(Number);
const ROWS = sizes.length > 0 ? sizes : [100_000];
if (ROWS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('row counts must be positive integers');

/** Peak resident set of a process so far (kB from /proc/PID/status), in MB. */
const peakRssMb = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
};

/** Starts `msht local` and resolves with its process and the environment its export lines give. */
const startLocal = async (
  dataDir: string,
  portBase: number,
): Promise<{ child: ChildProcess; env: Record<string, string> }> => {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_LOCAL_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      MSHT,
      'local',
      '--data',
      dataDir,
      '--port-base',
      String(portBase),
      '--log-level',
      'WARN',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const m = /^\s+export (\w+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) env[m[1]] = m[2];
    if (line.startsWith('Ready in')) break;
  }
  if (!env.AWS_ENDPOINT_URL_S3) throw new Error('msht local did not print its environment');
  child.stdout?.resume();
  return { child, env };
};

const runOne = async (rows: number, portBase: number): Promise<Record<string, number | string>> => {
  const dir = await mkdtemp(join(tmpdir(), 'msht-bench-e2e-'));
  try {
    const file = join(dir, 'subjects.csv');
    await writeExtract(file, { rows, format: 'csv', gzip: false, org: ORG });
    const { child, env } = await startLocal(join(dir, 'data'), portBase);
    try {
      const started = performance.now();
      let sampled = 0;
      const sampler = setInterval(() => {
        if (child.pid) void peakRssMb(child.pid).then((mb) => (sampled = Math.max(sampled, mb)));
      }, 1000);
      const upload = spawn(
        process.execPath,
        [MSHT, 'upload', file, '--org', ORG, '--period', PERIOD, '--issues', '0', '--timeout', '3600'],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            ...env,
            AWS_PROFILE: `org-${ORG}`,
            AWS_ACCESS_KEY_ID: '',
            AWS_SECRET_ACCESS_KEY: '',
            AWS_SESSION_TOKEN: '',
          },
        },
      );
      const [code] = (await once(upload, 'exit')) as [number | null];
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const peak = child.pid ? Math.max(sampled, await peakRssMb(child.pid)) : sampled;
      return {
        rows,
        exit: code ?? -1,
        seconds: Number(seconds.toFixed(1)),
        rowsPerSecond: Math.round(rows / seconds),
        peakRssMb: Math.round(peak),
      };
    } finally {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The first of the ports `msht local` listens on (BENCH_PORT_BASE), so two benches can run side by side. */
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 24_600);
const results = [];
for (const [i, rows] of ROWS.entries()) {
  const result = await runOne(rows, PORT_BASE + i * 10);
  results.push(result);
  console.log(
    `${String(rows).padStart(9)} rows  exit ${result.exit}  ${String(result.seconds).padStart(7)} s  ` +
      `${String(result.rowsPerSecond).padStart(7)} rows/s  msht local peak RSS ${result.peakRssMb} MB`,
  );
}
if (process.env.BENCH_JSON) console.log(JSON.stringify(results));
