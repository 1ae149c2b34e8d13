// `npm run bench:memory`: writes the hostile corpus (bench/hostile-corpus.ts) at full size, runs
// `msht validate` on each file in a child process of its own, and prints its peak RSS (VmHWM) and time;
// exits 1 when any file peaks over the budget (256 MB) or ends other than its class says.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { ENV } from '../functions/shared/env-names.ts';
import type { IngestLimits } from '../schemas/settings/ingest-limits.ts';
import { HOSTILE_CORPUS, type HostileOutcome } from './hostile-corpus.ts';

const program = new Command('bench:memory')
  .description('Peak RSS and time of msht validate on each file of the hostile corpus.')
  .option('--data <dir>', 'where the corpus is written (kept between runs)', 'bench-data/hostile')
  .option('--only <names>', 'comma-separated case names')
  .option('--budget-mb <n>', 'peak RSS allowed per file', '256')
  .option('--json', 'one JSON object per file')
  .parse();
const opts = program.opts<{ data: string; only?: string; budgetMb: string; json?: boolean }>();
const budget = Number(opts.budgetMb);
const only = opts.only?.split(',').map((s) => s.trim());
const cases = HOSTILE_CORPUS.filter((c) => !only || only.includes(c.name));

const LIMIT_ENV: Record<keyof IngestLimits, string> = {
  maxFileBytes: ENV.ingestMaxFileBytes,
  maxDecompressedBytes: ENV.ingestMaxDecompressedBytes,
  maxRows: ENV.ingestMaxRows,
  maxRejectedShare: ENV.ingestMaxRejectedShare,
};

/** What the report says the file ended in (read as a stream: a report of every rejected row is large). */
const outcomeOf = async (
  reportBase: string,
): Promise<{ file?: string; rows?: number; rejected?: number; codes: Set<string> }> => {
  const codes = new Set<string>();
  let tail = '';
  for await (const chunk of createReadStream(`${reportBase}.json`, { encoding: 'utf8' })) {
    const text = tail + chunk;
    for (const m of text.matchAll(/"code":"([A-Z_]+)"/g)) codes.add(m[1] as string);
    tail = text.slice(-4096);
  }
  const summaryAt = tail.lastIndexOf('"summary":');
  const summary = JSON.parse(
    tail
      .slice(summaryAt + '"summary":'.length)
      .trim()
      .slice(0, -1),
  ) as {
    status: string;
    failure?: { code: string };
    counts?: { rows: number; rejected: number };
  };
  if (summary.status === 'FAILED') return { file: summary.failure?.code, codes };
  return { rows: summary.counts?.rows, rejected: summary.counts?.rejected, codes };
};

const matches = (got: Awaited<ReturnType<typeof outcomeOf>>, want: HostileOutcome): string | undefined => {
  if ('file' in want)
    return got.file === want.file ? undefined : `expected ${want.file}, got ${got.file ?? 'rows read'}`;
  if (got.file) return `expected rows read, got ${got.file}`;
  if (got.rows !== want.rows) return `expected ${want.rows} rows, got ${got.rows}`;
  if (want.rejected !== undefined && got.rejected !== want.rejected)
    return `expected ${want.rejected} rejected, got ${got.rejected}`;
  const missing = want.codes.filter((c) => !got.codes.has(c));
  return missing.length ? `report lacks ${missing.join(', ')}` : undefined;
};

await mkdir(opts.data, { recursive: true });
const msht = join(import.meta.dirname, '..', 'bin', 'msht.mjs');
const preload = join(import.meta.dirname, 'peak-rss.ts');
let failed = 0;
if (!opts.json)
  process.stdout.write(`${['file', 'MB', 'outcome', 'peak RSS MB', 'seconds', 'verdict'].join('\t')}\n`);
for (const c of cases) {
  const path = join(opts.data, c.fileName);
  if (!existsSync(path)) await c.write(path, 1);
  const reportBase = join(opts.data, `${c.name}.report`);
  const rssFile = join(opts.data, `${c.name}.rss`);
  await rm(rssFile, { force: true });
  // The preload goes in NODE_OPTIONS, so that it also measures the process `msht validate` runs itself in.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MSHT_PEAK_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
  };
  for (const [key, value] of Object.entries(c.limits?.(1) ?? {}))
    env[LIMIT_ENV[key as keyof IngestLimits]] = String(value);
  const started = process.hrtime.bigint();
  const res = spawnSync(
    process.execPath,
    [msht, 'validate', path, '--org', 'PF-E23000001', '--period', '2026-10', '--report', reportBase],
    { env, encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = existsSync(rssFile) ? Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024) : Number.NaN;
  let problem: string | undefined;
  let shown = '';
  if (res.status === null || res.status > 2)
    problem = `exit ${res.status ?? res.signal}: ${res.stderr.slice(0, 400)}`;
  else {
    const got = await outcomeOf(reportBase);
    shown = got.file ?? `${got.rows} rows, ${got.rejected} rejected`;
    problem = matches(got, c.expect(1));
  }
  if (!problem && !(peakMb <= budget)) problem = `peak RSS ${peakMb} MB over ${budget} MB`;
  if (problem) failed++;
  const line = {
    case: c.name,
    fileMb: Number((statSync(path).size / 1e6).toFixed(1)),
    outcome: shown,
    peakRssMb: peakMb,
    seconds: Number(seconds.toFixed(1)),
    verdict: problem ?? 'ok',
  };
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(line)}\n`
      : `${[line.case, line.fileMb, line.outcome, line.peakRssMb, line.seconds, line.verdict].join('\t')}\n`,
  );
}
if (failed > 0) {
  process.stderr.write(`${failed} file(s) failed (budget ${budget} MB)\n`);
  process.exitCode = 1;
}
