import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { readCuratedRecords } from '../../../functions/aggregate/read/sources.ts';
import { indexRecordsMessage } from '../../../functions/indexer/index-records.ts';
import { ingestObject } from '../../../functions/ingest/ingest-object.ts';
import { encodeRecordsMessage } from '../../../functions/shared/records-codec.ts';
import type { UploadLedgerEntry } from '../../../schemas/index.ts';
import { createWorld, ORG } from '../upload-status/world.ts';

// A malformed line's text never reaches what ingest writes for the organisation (the report as JSON and
// CSV, the status object), what it queues, what it logs, nor the errors of the indexer and the aggregation.
// Each case hides a distinctive fake name where only the parser saw it.

const NAME = 'Zebedee Quackenbush';

/** A version 2 body whose gzip member has one deflated byte flipped (its CRC no longer matches). */
const spoilMember = (body: string): string => {
  const message = JSON.parse(body) as { recordsGzip: string };
  const member = Buffer.from(message.recordsGzip, 'base64');
  member[30] = (member[30] ?? 0) ^ 0x55;
  return JSON.stringify({ ...message, recordsGzip: member.toString('base64') });
};
const CSV_HEADER = 'source_record_ref,source_system,roles';
const VALID_CSV_ROWS = Array.from({ length: 12 }, (_, i) => `P-${i},NICHE,POTENTIAL_VICTIM`);
const VALID_JSONL = Array.from({ length: 12 }, (_, i) =>
  JSON.stringify({ source_record_ref: `P-${i}`, source_system: 'NICHE', roles: 'POTENTIAL_VICTIM' }),
);

const CASES: { name: string; file: string; body: string | Buffer; status: string }[] = [
  {
    name: 'a JSON Lines line with a bare name in it (V8 quotes the line)',
    file: 'subjects.jsonl',
    body: [...VALID_JSONL, `{"source_record_ref":"P-99","source_system":"NICHE","name": ${NAME}}`].join('\n'),
    status: 'INDEXED',
  },
  {
    name: 'a JSON Lines line cut off inside a string (V8 gives a position)',
    file: 'subjects.jsonl',
    body: [...VALID_JSONL, `{"source_record_ref":"P-99","note":"${NAME}`].join('\n'),
    status: 'INDEXED',
  },
  {
    name: 'a CSV quote that is never closed',
    file: 'subjects.csv',
    body: [CSV_HEADER, ...VALID_CSV_ROWS, `P-99,NICHE,"POTENTIAL_VICTIM ${NAME}`].join('\r\n'),
    status: 'FAILED',
  },
  {
    name: 'a CSV field longer than the column allows, the name past the clipped part',
    file: 'subjects.csv',
    body: [CSV_HEADER, ...VALID_CSV_ROWS, `${'R'.repeat(80)} ${NAME},NICHE,POTENTIAL_VICTIM`].join('\r\n'),
    status: 'INDEXED',
  },
  {
    name: 'a CSV record longer than 1 MiB (an unclosed quote gathering the file)',
    file: 'subjects.csv',
    body: [CSV_HEADER, ...VALID_CSV_ROWS, `P-99,NICHE,"${'x'.repeat(1024 * 1024)} ${NAME}`].join('\r\n'),
    status: 'FAILED',
  },
  {
    name: 'a corrupt gzip stream',
    file: 'subjects.csv.gz',
    body: Buffer.concat([
      gzipSync([CSV_HEADER, ...VALID_CSV_ROWS, `P-99,NICHE,${NAME}`].join('\r\n')).subarray(0, 60),
      Buffer.from(NAME),
    ]),
    status: 'FAILED',
  },
];

/** Everything written to stdout, stderr or the console while `work` runs, with what it returns. */
const capturingOutput = async <T>(work: () => Promise<T>): Promise<{ result: T; output: string }> => {
  const output: string[] = [];
  const keep = (...args: unknown[]) => {
    output.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(keep),
    ),
  ];
  try {
    return { result: await work(), output: output.join('\n') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
};

/** An error as a log line or an invocation result would show it: message, stack, context, cause. */
const shownError = (error: unknown): string =>
  error instanceof Error
    ? [error.message, error.stack, JSON.stringify(error), String(error.cause ?? '')].join('\n')
    : String(error);

describe('no record content in what ingest writes, queues and logs', () => {
  it.each(CASES)('$name', async ({ file, body, status }) => {
    // Prepare
    const world = createWorld();
    const logged: unknown[] = [];
    const deps = { ...world.deps, log: (...args: unknown[]) => void logged.push(args) };
    const ref = world.put(`incoming/${ORG}/2026-10/${file}`, body as string);
    if (Buffer.isBuffer(body)) world.objects.set(`${ref.bucket}/${ref.key}`, body);

    // Act
    const { result, output } = await capturingOutput(async () => {
      const outcome = await ingestObject(deps, ref);
      await world.index();
      return outcome;
    });

    // Assess: the outcome is the expected one, and the name is nowhere the organisation or a log can see.
    expect(result?.status === 'QUEUED' ? 'INDEXED' : result?.status).toBe(status);
    const uploadId = result?.uploadId ?? '';
    const report = world.objects.get(`data/reports/${ORG}/${uploadId}.json`)?.toString() ?? '';
    const reportCsv = world.objects.get(`data/reports/${ORG}/${uploadId}.csv`)?.toString() ?? '';
    const statusObject = JSON.stringify(world.statusObject(ORG, uploadId));
    const ledger = JSON.stringify(await world.ledger.get(uploadId));
    expect(report).toContain('"entries"');
    expect(reportCsv).toContain('line,row,source_record_ref,severity,field,code,message,value');
    for (const [what, text] of Object.entries({
      report,
      reportCsv,
      statusObject,
      ledger,
      logs: JSON.stringify(logged),
      output,
      queued: world.queued.join('\n'),
    })) {
      expect(text, what).not.toContain('Zebedee');
      expect(text, what).not.toContain('Quackenbush');
    }
    const entries = (JSON.parse(report) as { entries: { message: string; value?: string }[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect([...(entry.value ?? '')].length).toBeLessThanOrEqual(64);
  });

  it('says where a JSON Lines line is broken with a fixed message and at most a character position', async () => {
    // Prepare
    const world = createWorld();
    const ref = world.put(`incoming/${ORG}/2026-10/subjects.jsonl`, String(CASES[1]?.body));

    // Act
    const result = await ingestObject(world.deps, ref);

    // Assess
    const report = world.objects.get(`data/reports/${ORG}/${result?.uploadId}.json`)?.toString() ?? '';
    const entries = (JSON.parse(report) as { entries: { row: number; code: string; message: string }[] })
      .entries;
    expect(entries).toEqual([
      expect.objectContaining({
        row: 13,
        code: 'INVALID_JSON',
        message: expect.stringMatching(/^The line is not valid JSON \(at character \d+\)$/),
      }),
    ]);
  });
});

describe('no record content in the errors of the indexer and the aggregation', () => {
  const upload = {
    uploadId: 'u-bad',
    curatedKey: `curated/record_type=subject/month=2026-10/org=${ORG}/u-bad.jsonl.gz`,
  } as UploadLedgerEntry;
  const readAll = async (lines: readonly string[]) => {
    const world = createWorld();
    world.objects.set(`data/${upload.curatedKey}`, gzipSync(lines.join('\n')));
    const s3 = world.deps.s3;
    const records: unknown[] = [];
    for await (const record of readCuratedRecords(s3, 'data', [upload])) records.push(record);
    return records;
  };

  it.each([
    ['not JSON', `{"recordType":"subject","name": ${NAME}}`],
    ['not a canonical record', JSON.stringify({ recordType: 'subject', sourceRecordRef: NAME })],
  ])(
    'stops the aggregation on a curated line that is %s, naming the object and line only',
    async (_, bad) => {
      // Act
      const error = await readAll(['', bad]).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assess
      expect(error).toMatchObject({
        code: 'CURATED_RECORD_INVALID',
        context: { key: upload.curatedKey, uploadId: 'u-bad', line: 2 },
      });
      expect(shownError(error)).not.toMatch(/Zebedee|Quackenbush/);
    },
  );

  it.each([
    ['not JSON', `{"uploadId":"u1","chunk":0,"records":[{"name": ${NAME}}]}`],
    ['not a records message', JSON.stringify({ uploadId: 'u1', chunk: 0, records: [{ name: NAME }] })],
    [
      'version 2 with records that are not canonical',
      encodeRecordsMessage('u1', 0, [JSON.stringify({ name: NAME })]),
    ],
    ['version 2 with a record that is not JSON', encodeRecordsMessage('u1', 0, [`{"name": ${NAME}}`])],
    [
      'version 2 with fewer records than it counts',
      encodeRecordsMessage('u1', 0, [`{"name": ${NAME}}`]).replace('"count":1', '"count":2'),
    ],
    [
      'version 2 with records that are not base64',
      JSON.stringify({ v: 2, uploadId: 'u1', chunk: 0, count: 1, recordsGzip: `${NAME}==` }),
    ],
    [
      'version 2 with records that are not gzip',
      JSON.stringify({
        v: 2,
        uploadId: 'u1',
        chunk: 0,
        count: 1,
        recordsGzip: Buffer.from(`{"name":"${NAME}"}\n`).toString('base64'),
      }),
    ],
    [
      'version 2 with a corrupt gzip member',
      spoilMember(encodeRecordsMessage('u1', 0, [JSON.stringify({ name: NAME })])),
    ],
  ])('fails an indexer message that is %s without quoting it', async (_, body) => {
    // Act
    const error = await indexRecordsMessage({} as never, body).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toMatchObject({ code: 'RECORDS_MESSAGE_INVALID' });
    expect(shownError(error)).not.toMatch(/Zebedee|Quackenbush/);
  });
});
