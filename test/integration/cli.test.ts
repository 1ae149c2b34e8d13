import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import {
  ReportJsonSchema,
  StatusJsonSchema,
  UploadJsonSchema,
  ValidateJsonSchema,
} from '../../schemas/cli/json-output.ts';
import { profileEnv } from '../support/profile-env.ts';

// The real `msht` in a child process against the local stack, as a force's data team would run it: with
// the force's own upload role (profile org-{ORG}), whose requests the local stack checks against the
// app's policies. The upload and status commands read status objects from S3, never the ledger: they run
// here with DynamoDB pointed at nothing too.
const MSHT = new URL('../../bin/msht.mjs', import.meta.url).pathname;
const ORG = 'PF-E23000014';
const SUBJECTS_CSV = [
  'source_record_ref,source_system,roles,sex,date_of_birth,nationality,exploitation_types',
  'C-1,NICHE,potential victim,F,14/03/2009,Albanian,labour',
  'C-2,NICHE,suspect,male,1990-01-02,GBR,sexual',
  'C-3,NICHE,victim,woman,31/02/1990,Vietnamese,criminal',
].join('\r\n');

/** The machine's own node when it is older than 24 (these machines have 20): bin/msht.mjs then re-runs on 24. */
const OLDER_NODE = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir !== '' && !dir.includes('node_modules'))
  .map((dir) => join(dir, 'node'))
  .find((candidate) => {
    if (!existsSync(candidate)) return false;
    const major = Number(
      execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]']).toString().trim(),
    );
    return major < 24;
  });

let stack: LocalStack;
let dir: string;

type Run = { code: number | null; stdout: string; stderr: string };
/** DynamoDB (the ledger) out of reach, as it is for an organisation's upload role. */
const NO_LEDGER = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1', AWS_MAX_ATTEMPTS: '1' };
const msht = (
  args: string[],
  profile = `org-${ORG}`,
  env: Record<string, string> = NO_LEDGER,
): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [MSHT, ...args],
      { env: { ...profileEnv(stack, profile), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msht-cli-'));
  stack = await startLocalStack({ dataDir: join(dir, 'data'), logLevel: 'ERROR' });
});

afterAll(async () => {
  await stack?.stop();
});

describe('msht against the local stack', () => {
  let uploadId = '';

  it('uploads a file, waits for it, and lists the rows it rejected and why (exit 1)', async () => {
    const file = join(dir, 'subjects.csv');
    await writeFile(file, SUBJECTS_CSV);

    const run = await msht(['upload', file, '--org', ORG, '--period', '2026-10']);

    expect(run.code, run.stderr).toBe(1);
    const line = run.stdout.split('\n').find((l) => l.includes('subjects.csv')) ?? '';
    expect(line.split(/\s+/).slice(1, 10)).toEqual([
      ORG,
      '2026-10',
      'subjects.csv',
      'INDEXED',
      '3',
      '2',
      '0',
      '1',
      '2',
    ]);
    expect(run.stdout).toContain('Issues (1):');
    // The line of the file (the header is line 1) and the row's own reference, to fix it at source.
    expect(run.stdout).toMatch(/\n\s*4\s+C-3\s+error\s+date_of_birth\s+INVALID_DATE\s/);
    expect(run.stdout).toContain('By code: INVALID_DATE 1');
    uploadId = line.split(/\s+/)[0] ?? '';
    expect(uploadId).toMatch(/^u[0-9a-f]{24}$/);
    // The id is told as soon as the file is uploaded, with the stages it went through.
    expect(run.stderr).toContain(`Upload id ${uploadId}`);
    expect(run.stderr).toMatch(/Processing: INDEXED after \d+s/);
  });

  it('shows the upload again by id, with its issues, and in the list of its organisation', async () => {
    const one = await msht(['status', uploadId, '--org', ORG]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('By code: INVALID_DATE 1');
    expect(one.stdout).toContain(`reports/${ORG}/uploads/${uploadId}.json`);
    const list = await msht(['status', '--org', ORG]);
    expect(list.stdout).toContain(uploadId);
    // Without --org, the upload is looked for in every organisation's reports: the national team may.
    const anywhere = await msht(['status', uploadId], 'national');
    expect(anywhere.code).toBe(0);
    expect(anywhere.stdout).toContain('By code: INVALID_DATE 1');
  });

  it('lists the latest uploads newest first, of one organisation or of all, also as JSON', async () => {
    // Prepare: a second upload, of another organisation.
    const other = 'PF-E23000001';
    const file = join(dir, 'subjects.csv');
    await writeFile(file, SUBJECTS_CSV);
    const second = await msht(['upload', file, '--org', other, '--period', '2026-10'], `org-${other}`);
    expect(second.code).toBe(1);

    // Act
    const mine = await msht(['status', '--org', ORG, '--json']);
    const all = await msht(['status', '--json'], 'national');
    const newest = await msht(['status', '--json', '--limit', '1'], 'national');
    const one = await msht(['status', uploadId, '--org', ORG, '--json']);
    const missing = await msht(['status', 'u000000000000000000000000', '--org', ORG]);
    const ofPeriod = await msht(['status', '--org', ORG, '--period', '2026-10', '--json']);
    const otherPeriod = await msht(['status', '--org', ORG, '--period', '2026-09', '--json']);

    // Assess
    const uploadsOf = (run: Run) => StatusJsonSchema.parse(JSON.parse(run.stdout)).uploads;
    const orgsOf = (run: Run) => uploadsOf(run).map((e) => e.org);
    expect(new Set(orgsOf(mine))).toEqual(new Set([ORG]));
    expect(orgsOf(all)).toEqual([other, ORG]);
    const received = uploadsOf(all).map((e) => e.receivedAt);
    expect(received).toEqual([...received].sort().reverse());
    expect(orgsOf(newest)).toEqual([other]);
    expect(uploadsOf(ofPeriod).map((e) => e.uploadId)).toContain(uploadId);
    expect(uploadsOf(otherPeriod)).toEqual([]);
    const shown = StatusJsonSchema.parse(JSON.parse(one.stdout));
    expect(shown.uploads).toHaveLength(1);
    expect(shown.uploads[0]).toMatchObject({
      uploadId,
      org: ORG,
      status: 'INDEXED',
      counts: { rows: 3, accepted: 2, rejected: 1, indexed: 2 },
    });
    expect(shown.issues).toMatchObject({ total: 1, byCode: { INVALID_DATE: 1 } });
    expect(shown.uploads[0]).not.toHaveProperty('sha256');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No upload u000000000000000000000000 in reports/${ORG}/uploads/`);
  });

  it('never prints escape sequences from a hostile file (upload, status, validate)', async () => {
    // Header cells and values carry ESC sequences: window title, clear screen, colours.
    const file = join(dir, 'locations.csv');
    await writeFile(
      file,
      'source_record_ref,source_system,location_type,town,\u001b]0;pwned\u0007\u001b[2J\n' +
        'L-1,NICHE,\u001b[31mRESIDENCE\u001b[0m,Leeds,x\nL-2,NICHE,RESIDENCE,Leeds,x\n',
    );
    const upload = await msht(['upload', file, '--org', ORG, '--period', '2026-10']);
    const id =
      upload.stdout
        .split('\n')
        .find((l) => l.includes('locations.csv'))
        ?.split(/\s+/)[0] ?? '';
    const status = await msht(['status', id, '--org', ORG]);
    const validate = await msht([
      'validate',
      file,
      '--org',
      ORG,
      '--period',
      '2026-10',
      '--report',
      join(dir, 'v'),
    ]);
    const badHeader = join(dir, 'subjects.csv');
    await writeFile(badHeader, '\u001b[2Jref;system\nA;B\n');
    const rejected = await msht(['validate', badHeader, '--org', ORG, '--report', join(dir, 'w')]);

    expect(upload.stdout).toContain('INVALID_VALUE');
    expect(status.stdout).toContain('\\u{1B}[31mRESIDENCE');
    expect(rejected.stderr).toContain('MISSING_REQUIRED_COLUMN');
    for (const run of [upload, status, validate, rejected]) {
      expect(`${run.stdout}${run.stderr}`).not.toContain('\u001b');
      expect(`${run.stdout}${run.stderr}`).not.toContain('\u0007');
    }
  });

  it('stops quietly when the reader of its output goes away (msht feed | head -1)', async () => {
    // A downstream engineer reads the feed with the feed consumers' role.
    const child = spawn(process.execPath, [MSHT, 'feed', '--since', '0'], { env: profileEnv(stack, 'feed') });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const firstLine = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) {
          child.stdout.destroy();
          resolve(out.split('\n')[0] ?? '');
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(JSON.parse(firstLine)).toMatchObject({ seq: 1, sourceOrg: ORG });
    expect(code).toBe(0);
    expect(stderr).not.toContain('EPIPE');
  });

  it('msht feed --follow prints its cursor and exits 0 on Ctrl-C, however often the signal is delivered', async () => {
    // As npx or a terminal does: the launcher (re-running on Node 24 when the shell's node is older)
    // and the command both get the SIGINT, and the launcher passes it on too.
    const runs = [
      ...(OLDER_NODE ? [{ node: OLDER_NODE, signal: 'SIGINT' as const }] : []),
      { node: process.execPath, signal: 'SIGINT' as const },
      { node: process.execPath, signal: 'SIGTERM' as const },
    ];
    for (const { node, signal } of runs) {
      const child = spawn(node, [MSHT, 'feed', '--since', '0', '--follow', '--poll-ms', '200'], {
        env: profileEnv(stack, 'feed'),
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Wait until it has printed the feed so far and is following.
      for (let i = 0; i < 600 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(stdout, `no change printed; stderr: ${stderr}`).toContain('\n');
      await new Promise((r) => setTimeout(r, 500));
      const group = -(child.pid as number);
      process.kill(group, signal);
      process.kill(group, signal);
      const code = await closed;
      const printed = stdout.trim().split('\n');
      const last = JSON.parse(printed[printed.length - 1] as string) as { seq: number };
      expect(code, `${node} ${signal}: ${stderr}`).toBe(0);
      expect(stderr).toContain(`cursor ${last.seq}`);
    }
  });

  it('uploads as Excel users name files and organisations, and prints one JSON document with --json', async () => {
    const file = join(dir, 'Subjects Nov 2026.csv');
    await writeFile(file, SUBJECTS_CSV.replaceAll('C-', 'N-'));

    const run = await msht([
      'upload',
      file,
      '--org',
      'West Midlands Police',
      '--period',
      '2026-11',
      '--json',
      '--quiet',
    ]);

    expect(run.code, run.stderr).toBe(1);
    // --quiet: the result on stdout and nothing on stderr (no progress, status line or notes).
    expect(run.stderr).toBe('');
    const out = UploadJsonSchema.parse(JSON.parse(run.stdout));
    expect(out).toMatchObject({
      kind: 'msht.upload',
      outcome: 'INDEXED',
      key: `incoming/${ORG}/2026-11/Subjects Nov 2026.csv`,
      upload: { org: ORG, fileName: 'Subjects Nov 2026.csv', counts: { rows: 3, accepted: 2, rejected: 1 } },
      issues: { total: 1, byCode: { INVALID_DATE: 1 } },
    });
  });

  it('uploads and validates an .xlsx workbook as it would the CSV: the same counts, issues by Excel row', async () => {
    // The CSV's rows in a workbook: the header on row 1, C-2's date a date cell, a blank row 4, so that
    // C-3 (its date 31/02/1990 typed as text) is on row 5.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Subjects');
    const [header, ...rows] = SUBJECTS_CSV.split('\r\n').map((line) => line.split(','));
    sheet.addRow(header ?? []);
    sheet.addRow(rows[0] ?? []);
    sheet.addRow((rows[1] ?? []).map((v, i) => (i === 4 ? new Date(Date.UTC(1990, 0, 2)) : v)));
    sheet.getCell('E3').numFmt = 'dd/mm/yyyy';
    sheet.addRow([]);
    sheet.addRow(rows[2] ?? []);
    const file = join(dir, 'subjects Nov 2026.xlsx');
    await book.xlsx.writeFile(file);

    const validate = await msht(['validate', file, '--org', 'WMP', '--period', '2026-11', '--json']);
    expect(validate.code, validate.stderr).toBe(1);
    expect(ValidateJsonSchema.parse(JSON.parse(validate.stdout))).toMatchObject({
      outcome: 'ROWS_REJECTED',
      counts: { rows: 3, accepted: 2, rejected: 1 },
      issueCounts: { INVALID_DATE: 1 },
    });

    const upload = await msht(['upload', file, '--org', ORG, '--period', '2026-11']);
    expect(upload.code, upload.stderr).toBe(1);
    const line = upload.stdout.split('\n').find((l) => l.includes('subjects Nov 2026.xlsx')) ?? '';
    expect(line).toContain('INDEXED');
    // The Excel row of C-3 (5), not its data row number.
    expect(upload.stdout).toMatch(/\n\s*5\s+C-3\s+error\s+date_of_birth\s+INVALID_DATE\s/);
  });

  it('msht validate --json prints one JSON document of the documented shape, with the exit code', async () => {
    const file = join(dir, 'subjects_Nov2026.csv');
    await writeFile(file, SUBJECTS_CSV);
    const run = await msht(['validate', file, '--org', 'WMP', '--period', '2026-11', '--json']);
    expect(run.code).toBe(1);
    expect(ValidateJsonSchema.parse(JSON.parse(run.stdout))).toMatchObject({
      outcome: 'ROWS_REJECTED',
      org: ORG,
      counts: { rows: 3, accepted: 2, rejected: 1 },
      issueCounts: { INVALID_DATE: 1 },
    });
  });

  it('msht report saves the report for Excel: CSV with a BOM and a workbook, row by row as the JSON', async () => {
    const out = (ext: string) => join(dir, `report.${ext}`);
    for (const format of ['json', 'csv', 'xlsx'])
      expect(
        (await msht(['report', uploadId, '--org', ORG, '--format', format, '--out', out(format)])).code,
      ).toBe(0);
    const json = JSON.parse(await readFile(out('json'), 'utf8')) as {
      upload: { status: string };
      entries: { line?: number; row: number; sourceRecordRef?: string; code: string; field: string }[];
    };
    expect(json.upload.status).toBe('INDEXED');
    expect(json.entries).toEqual([
      expect.objectContaining({
        line: 4,
        row: 3,
        sourceRecordRef: 'C-3',
        field: 'date_of_birth',
        code: 'INVALID_DATE',
      }),
    ]);
    const asCells = (e: (typeof json.entries)[number]) => [
      String(e.line ?? ''),
      String(e.row),
      e.sourceRecordRef ?? '',
      e.code,
    ];

    const csv = await readFile(out('csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const csvRows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(csvRows[0]).toEqual([
      'line',
      'row',
      'source_record_ref',
      'severity',
      'field',
      'code',
      'message',
      'value',
    ]);
    expect(csvRows[1]?.slice(3, 6)).toEqual(['status', '(file)', 'INDEXED']);
    expect(csvRows.slice(2).map((r) => [r[0], r[1], r[2], r[5]])).toEqual(json.entries.map(asCells));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out('xlsx'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Issues']);
    const issues: string[][] = [];
    workbook.getWorksheet('Issues')?.eachRow((row, n) => {
      if (n > 1) issues.push([1, 2, 3, 6].map((c) => String(row.getCell(c).value ?? '')));
    });
    expect(issues).toEqual(json.entries.map(asCells));
    const summary: string[] = [];
    workbook
      .getWorksheet('Summary')
      ?.eachRow((row) => summary.push(`${row.getCell(1).value}=${row.getCell(2).value}`));
    expect(summary).toContain('Status=INDEXED');
    expect(summary).toContain('INVALID_DATE=1');

    const scripted = await msht(['report', uploadId, '--org', ORG, '--out', out('2.csv'), '--json']);
    expect(scripted.code).toBe(0);
    expect(ReportJsonSchema.parse(JSON.parse(scripted.stdout))).toEqual({
      schemaVersion: 1,
      kind: 'msht.report',
      uploadId,
      org: ORG,
      status: 'INDEXED',
      format: 'csv',
      file: out('2.csv'),
      issues: 1,
    });
    expect(await readFile(out('2.csv'), 'utf8')).toBe(csv);
  });
});
