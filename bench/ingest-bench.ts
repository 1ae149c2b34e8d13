// `npm run bench`: measures the ingest chain against parsing alone, on one core, for 100k- and 1M-row
// extracts (CSV, JSON Lines, gzip) and for a 100k-row .xlsx workbook. Each case runs in its own process so
// that peak RSS is its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { INGEST_NODE_OPTIONS } from '../functions/ingest/runtime.ts';
import { writeExtract } from './extract-writer.ts';

type CaseResult = {
  mode: string;
  seconds: number;
  rows: number;
  peakRssMb: number;
  messages?: number;
  billedChunks?: number;
  phases?: { inspect: number; curate: number; queue: number };
};

const program = new Command('bench')
  .description('Benchmark the ingest chain (decode, parse, validate, normalise, pack) against parsing alone.')
  .option('--json', 'print one JSON object per case instead of a table')
  .option('--sizes <list>', 'row counts to generate, comma-separated', '100000,1000000')
  .option('--data <dir>', 'where generated extracts are kept', 'bench-data')
  .parse();
const opts = program.opts<{ json?: boolean; sizes: string; data: string }>();
const sizes = opts.sizes.split(',').map((s) => Number(s.trim()));

const oneCore = (): string[] => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return ['taskset', '-c', '0'];
  } catch {
    return [];
  }
};
const pin = oneCore();

const run = (mode: string, file: string, format: 'csv' | 'jsonl' | 'xlsx'): CaseResult => {
  const command = [
    ...pin,
    process.execPath,
    ...INGEST_NODE_OPTIONS.split(' '),
    join(import.meta.dirname, 'ingest-case.ts'),
    mode,
    file,
    format,
  ];
  const res = spawnSync(command[0] as string, command.slice(1), { encoding: 'utf-8' });
  if (res.status !== 0) throw new Error(`${mode} ${file} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() as string) as CaseResult;
};

await mkdir(opts.data, { recursive: true });
const TARGETS = { ratio: 0.3, csvRowsPerSec: 80_000, chunksPer100Records: 1 } as const;
const breakdown: { case: string; microsPerRow: Record<string, number>; verdict?: string }[] = [];
const cases = sizes.flatMap((rows) => [
  { rows, format: 'csv' as const, gzip: false },
  { rows, format: 'jsonl' as const, gzip: false },
  { rows, format: 'csv' as const, gzip: true },
  // Workbooks at 100k rows (issue 15): an .xlsx of a million rows is near Excel's own row limit.
  ...(rows <= 100_000 ? [{ rows, format: 'xlsx' as const, gzip: false }] : []),
]);

if (!opts.json) {
  process.stdout.write(`One core${pin.length ? ' (taskset -c 0)' : ''}, Node ${process.version}\n`);
  process.stdout.write(
    `${['case', 'rows', 'MB', 'chain rows/s', 'chain MB/s', 'parse rows/s', 'parser', 'ratio', 'peak RSS MB', 'SQS msgs', 'billed 64K', 'chunks/100 rec', 'verdict'].join('\t')}\n`,
  );
}
for (const c of cases) {
  const name = `subjects-${c.rows}.${c.format}${c.gzip ? '.gz' : ''}`;
  const file = join(opts.data, name);
  if (!existsSync(file))
    await writeExtract(file, { rows: c.rows, format: c.format, gzip: c.gzip, org: 'PF-E23000001' });
  const mb = statSync(file).size / 1e6;
  const parsers =
    c.format === 'csv'
      ? ['parse-papaparse', 'parse-csv-parse']
      : [c.format === 'xlsx' ? 'parse-xlsx' : 'parse-jsonl'];
  const parses = parsers.map((mode) => run(mode, file, c.format));
  const best = parses.reduce((a, b) => (a.rows / a.seconds >= b.rows / b.seconds ? a : b));
  const validate = run('validate', file, c.format);
  const chain = run('chain', file, c.format);
  const phases = chain.phases ?? { inspect: 0, curate: 0, queue: 0 };
  const perRow = (seconds: number): number => Number(((seconds * 1e6) / chain.rows).toFixed(1));
  const chainRowsPerSec = Math.round(chain.rows / chain.seconds);
  const parseOnlyRowsPerSec = Math.round(best.rows / best.seconds);
  const summary = {
    case: name,
    rows: chain.rows,
    fileMb: Number(mb.toFixed(1)),
    chainRowsPerSec,
    chainMbPerSec: Number((mb / chain.seconds).toFixed(1)),
    parseOnlyRowsPerSec,
    parser: best.mode.replace('parse-', ''),
    parsers: Object.fromEntries(
      parses.map((p) => [p.mode.replace('parse-', ''), Math.round(p.rows / p.seconds)]),
    ),
    ratio: Number((chainRowsPerSec / parseOnlyRowsPerSec).toFixed(2)),
    peakRssMb: chain.peakRssMb,
    sqsMessages: chain.messages,
    sqsBilledChunks: chain.billedChunks,
    chunksPer100Records: Number((((chain.billedChunks ?? 0) * 100) / chain.rows).toFixed(2)),
    // Where the chain's time goes, in microseconds per row: inspect (hash, size, encoding), parse (the
    // fastest parser alone), validate (validate and normalise, over csv-parse or JSON.parse), curate
    // (serialise the curated records and compress them into records members, the report), queue (read
    // the curated object back and cut it into message bodies by its members' headers).
    microsPerRow: {
      inspect: perRow(phases.inspect),
      parse: perRow(best.seconds),
      validate: perRow(Math.max(0, validate.seconds - best.seconds)),
      curate: perRow(Math.max(0, phases.curate - validate.seconds)),
      queue: perRow(phases.queue),
    },
  };
  // The targets of issue 13, item 4: the chain at least 0.3 of parse-alone (same run), at least 80k
  // rows/s on one core for CSV, at most one billed 64 KiB SQS chunk per 100 records.
  const verdicts = {
    ratio: summary.ratio >= TARGETS.ratio,
    rowsPerSec: c.format !== 'csv' || c.gzip || summary.chainRowsPerSec >= TARGETS.csvRowsPerSec,
    chunks: summary.chunksPer100Records <= TARGETS.chunksPer100Records,
  };
  const missed = Object.entries(verdicts).flatMap(([target, met]) => (met ? [] : [target]));
  const verdict = missed.length === 0 ? 'PASS' : `FAIL (${missed.join(', ')})`;
  Object.assign(summary, { verdicts, verdict });
  breakdown.push(summary);
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${[summary.case, summary.rows, summary.fileMb, summary.chainRowsPerSec, summary.chainMbPerSec, summary.parseOnlyRowsPerSec, summary.parser, summary.ratio, summary.peakRssMb, summary.sqsMessages, summary.sqsBilledChunks, summary.chunksPer100Records, verdict].join('\t')}\n`,
    );
}
if (!opts.json) {
  process.stdout.write('\nWhere the chain spends its time, microseconds per row\n');
  process.stdout.write(`${['case', 'inspect', 'parse', 'validate', 'curate', 'queue'].join('\t')}\n`);
  for (const b of breakdown) {
    const m = b.microsPerRow;
    process.stdout.write(`${[b.case, m.inspect, m.parse, m.validate, m.curate, m.queue].join('\t')}\n`);
  }
  process.stdout.write(
    `\nTargets (issue 13, item 4): chain >= ${TARGETS.ratio} of parse-alone in the same run; >= ${TARGETS.csvRowsPerSec} rows/s for CSV (plain) on one core; <= ${TARGETS.chunksPer100Records} billed 64 KiB SQS chunk per 100 records.\n`,
  );
  process.stdout.write(`${breakdown.every((b) => b.verdict === 'PASS') ? 'PASS' : 'FAIL'}\n`);
}
