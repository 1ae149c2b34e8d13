// Runs one benchmark case in its own process (so peak RSS is the case's own) and prints one JSON line.
// Usage: node bench/ingest-case.ts <chain|validate|parse-papaparse|parse-csv-parse|parse-jsonl|parse-xlsx> <file> <csv|jsonl|xlsx>
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { decodeText } from '../functions/ingest/decode.ts';
import { inspectObject } from '../functions/ingest/inspect.ts';
import { DEFAULT_LIMITS } from '../functions/ingest/limits.ts';
import { curatedSink, DEFAULT_PACK_LIMITS, packCuratedObject } from '../functions/ingest/pack.ts';
import { processFile } from '../functions/ingest/process-file.ts';
import { readCsvRows, readJsonlRows } from '../functions/ingest/read-rows.ts';
import { createReportWriter } from '../functions/ingest/report.ts';
import { splitLines } from '../functions/ingest/text-lines.ts';
import type { TextSink } from '../functions/ingest/text-sink.ts';
import { readXlsxRows } from '../functions/ingest/xlsx/read-xlsx-rows.ts';
import { randomPseudonymKey } from '../schemas/index.ts';
import { type NormaliseContext, normaliseRow } from '../schemas/normalise/normalise-row.ts';

const [mode, file, format] = process.argv.slice(2) as [string, string, 'csv' | 'jsonl' | 'xlsx'];
const SQS_CHUNK = 64 * 1024;
const BENCH_KEY = randomPseudonymKey();
const discard = (): TextSink => ({ write: async () => undefined, close: async () => undefined });

const text = (): AsyncIterable<string> =>
  decodeText(createReadStream(file, { highWaterMark: 1 << 16 }), 'utf-8');

const parsePapaparse = async (): Promise<number> => {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
    header: false,
    delimiter: ',',
    skipEmptyLines: 'greedy',
  });
  Readable.from(text(), { objectMode: false }).pipe(parser);
  let rows = -1;
  for await (const _ of parser as AsyncIterable<string[]>) rows++;
  return rows;
};

const parseCsvParse = async (): Promise<number> => {
  const parser = csvParse({ skip_empty_lines: true, relax_column_count: true });
  Readable.from(text(), { objectMode: false }).pipe(parser);
  let rows = -1;
  for await (const _ of parser) rows++;
  return rows;
};

const parseJsonl = async (): Promise<number> => {
  let rows = 0;
  for await (const { line } of splitLines(text())) {
    if (line.trim() === '') continue;
    JSON.parse(line);
    rows++;
  }
  return rows;
};

/** A workbook's rows read (spooled, unzipped, XML parsed, header mapped), nothing validated. */
const parseXlsx = async (): Promise<number> => {
  let rows = 0;
  for await (const batch of readXlsxRows(
    createReadStream(file),
    'subject',
    file,
    DEFAULT_LIMITS,
    () => undefined,
  ))
    rows += batch.length;
  return rows;
};

const CONTEXT: NormaliseContext = {
  org: 'PF-E23000001',
  period: '2026-10',
  uploadId: 'bench',
  fileSha256: 'a'.repeat(64),
  rowNumber: 0,
  ingestedAt: '2026-11-01T00:00:00.000Z',
  pseudonymKey: BENCH_KEY,
};

/** Decode, parse, validate and normalise every row, keeping nothing: the chain without its outputs. */
const validateOnly = async (): Promise<number> => {
  const read =
    format === 'xlsx'
      ? readXlsxRows(createReadStream(file), 'subject', file, DEFAULT_LIMITS, () => undefined)
      : (format === 'csv' ? readCsvRows : readJsonlRows)(text(), 'subject', file, () => undefined);
  let rows = 0;
  for await (const batch of read) {
    for (const row of batch) {
      rows++;
      if (row.issue) throw new Error(`row ${row.rowNumber} rejected: the bench data should be valid`);
      CONTEXT.rowNumber = row.rowNumber;
      if (normaliseRow('subject', row.fields, CONTEXT).status === 'REJECTED')
        throw new Error(`row ${row.rowNumber} rejected: the bench data should be valid`);
    }
  }
  return rows;
};

const since = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** The production chain: inspect, then decode/parse/validate/normalise into the curated gzip (records members), then the queue pass (members to message bodies). */
const chain = async (): Promise<{
  rows: number;
  messages: number;
  billedChunks: number;
  phases: { inspect: number; curate: number; queue: number };
}> => {
  const dir = await mkdtemp(join(tmpdir(), 'msht-bench-'));
  try {
    const curatedPath = join(dir, 'curated.jsonl.gz');
    let start = process.hrtime.bigint();
    const inspection = await inspectObject(createReadStream(file), DEFAULT_LIMITS, file, format);
    const inspect = since(start);
    start = process.hrtime.bigint();
    const curated = curatedSink(
      (body) => pipeline(body, createWriteStream(curatedPath)),
      'bench',
      DEFAULT_PACK_LIMITS,
    );
    const outcome = await processFile(
      createReadStream(file, { highWaterMark: 1 << 16 }),
      {
        file,
        recordType: 'subject',
        format,
        org: 'PF-E23000001',
        period: '2026-10',
        uploadId: 'bench',
        fileSha256: inspection.sha256,
        encoding: inspection.encoding,
        ingestedAt: '2026-11-01T00:00:00.000Z',
        pseudonymKey: BENCH_KEY,
        limits: DEFAULT_LIMITS,
      },
      {
        curated,
        report: createReportWriter({ json: discard(), csv: discard() }, {}),
      },
    );
    await curated.close();
    const curate = since(start);
    start = process.hrtime.bigint();
    let messages = 0;
    let billedChunks = 0;
    for await (const message of packCuratedObject(
      'bench',
      createReadStream(curatedPath, { highWaterMark: 1 << 16 }),
      DEFAULT_PACK_LIMITS,
    )) {
      messages++;
      billedChunks += Math.ceil(Buffer.byteLength(message.body) / SQS_CHUNK);
    }
    if (outcome.counts.rejected > 0)
      throw new Error(`${outcome.counts.rejected} rows rejected: the bench data should be valid`);
    const queue = since(start);
    return { rows: outcome.counts.rows, messages, billedChunks, phases: { inspect, curate, queue } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const started = process.hrtime.bigint();
const result =
  mode === 'chain'
    ? await chain()
    : mode === 'validate'
      ? { rows: await validateOnly() }
      : {
          rows:
            mode === 'parse-papaparse'
              ? await parsePapaparse()
              : mode === 'parse-csv-parse'
                ? await parseCsvParse()
                : mode === 'parse-xlsx'
                  ? await parseXlsx()
                  : await parseJsonl(),
        };
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `${JSON.stringify({ mode, seconds, ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
