import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { PndAckJsonSchema, PndExportJsonSchema } from '../../schemas/cli/json-output.ts';
import { profileEnv } from '../support/profile-env.ts';

// The national team's, the feed consumer's and the platform engineer's journeys with the real `msht`,
// each under its own profile of the local stack, whose gateways check every request against the policies
// of the CDK app.
const MSHT = new URL('../../bin/msht.mjs', import.meta.url).pathname;
const A = 'PF-E23000001';
const B = 'PF-E23000005';
const csv = (prefix: string) =>
  [
    'source_record_ref,source_system,roles,sex,date_of_birth,nationality,exploitation_types',
    `${prefix}-1,NICHE,potential victim,F,14/03/2009,Albanian,labour`,
    `${prefix}-2,NICHE,suspect,male,1990-01-02,GBR,sexual`,
  ].join('\r\n');

let stack: LocalStack;
let dir: string;

type Run = { code: number | null; stdout: string; stderr: string };
const msht = (profile: string, args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [MSHT, ...args],
      { env: profileEnv(stack, profile), timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msht-cli-personas-'));
  stack = await startLocalStack({
    dataDir: join(dir, 'data'),
    logLevel: 'ERROR',
    // The platform engineer's test runs the PND export itself: the every-minute schedule would, on a
    // slow (loaded) machine, have exported the pending markers before it, leaving it nothing to export.
    schedules: { pndExport: false },
  });
  // Two forces upload, each as itself.
  for (const org of [A, B]) {
    const file = join(dir, `subjects-${org}.csv`);
    await writeFile(file, csv(org));
    const upload = await msht(`org-${org}`, ['upload', file, '--org', org, '--period', '2026-10']);
    expect(upload.code, `${org}: ${upload.stderr}`).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the national team', () => {
  it('sees the uploads of every organisation', async () => {
    const run = await msht('national', ['status', '--json']);
    expect(run.code).toBe(0);
    const orgs = (JSON.parse(run.stdout) as { uploads: { org: string }[] }).uploads.map((e) => e.org);
    expect(new Set(orgs)).toEqual(new Set([A, B]));
  });

  it('triggers the month’s national picture (the aggregation function runs as its own role) and downloads both tiers', async () => {
    const out = join(dir, 'reports');
    const run = await msht('national', ['aggregate', '--month', '2026-10', '--download', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Report (shareable)');
    expect((await readdir(join(out, '2026-10'))).sort()).toEqual([
      'national-internal.json',
      'national-internal.xlsx',
      'national-shareable.json',
      'national-shareable.xlsx',
      'report-internal.html',
      'report-shareable.html',
    ]);
  });
});

describe('the national team, after the aggregation', () => {
  it('asks SQL of the whole data set (DuckDB over curated/, read as itself), as CSV', async () => {
    const sql =
      "SELECT org, count(*) AS n FROM current_subjects WHERE month = '2026-10' GROUP BY 1 ORDER BY 1";
    const run = await msht('national', ['query', sql, '--format', 'csv']);
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\r\n');
    expect(header).toBe('org,n');
    expect(rows.map((row) => row.split(',')[0])).toEqual([A, B].sort());
  });
});

describe('a force', () => {
  it('may not query the curated zone (exit 4)', async () => {
    const run = await msht(`org-${A}`, ['query', 'SELECT count(*) FROM subjects']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/may not do this: .*s3:ListBucket/);
  });

  it('is told in one line that it may not list every organisation’s uploads (exit 4)', async () => {
    const run = await msht(`org-${A}`, ['status']);
    expect(run.code).toBe(4);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/credentials may not .*reports\//);
  });

  it('may not trigger the national picture', async () => {
    const run = await msht(`org-${A}`, ['aggregate', '--month', '2026-10']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/may not do this: .*lambda:InvokeFunction/);
  });
});

describe('a feed consumer', () => {
  it('reads the committed changes from the start of the feed', async () => {
    await stack.schedules.feedPublisher?.runNow();
    const run = await msht('feed', ['feed', '--since', '0', '--limit', '100']);
    expect(run.code).toBe(0);
    const orgs = run.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { sourceOrg: string }).sourceOrg);
    expect(new Set(orgs)).toEqual(new Set([A, B]));
  });

  it('follows the feed (--follow) until stopped with Ctrl-C', async () => {
    const child = spawn(process.execPath, [MSHT, 'feed', '--since', '0', '--follow'], {
      env: profileEnv(stack, 'feed'),
    });
    const first = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(JSON.parse(first)).toHaveProperty('sourceOrg');
    expect([0, 130]).toContain(code);
  });

  it('may not read the upload status of any organisation', async () => {
    const run = await msht('feed', ['status', '--org', A]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(new RegExp(`credentials may not .*reports/${A}/`));
  });
});

describe('the platform engineer', () => {
  it('exports the pending markers for PND, applies its answer and releases a held marker', async () => {
    const exported = await msht('admin', ['pnd', 'export', '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const document = PndExportJsonSchema.parse(JSON.parse(exported.stdout));
    const batchId = document.batch?.batchId;
    expect(document).toMatchObject({ kind: 'msht.pnd.export', resent: 0, held: 0 });
    expect(document.exported).toBeGreaterThan(0);
    expect(document.batch?.location).toMatch(new RegExp(`^s3://.+/${batchId}/$`));
    const answer = join(dir, 'pnd-answer.json');
    await writeFile(answer, JSON.stringify({ batchId, results: [] }));
    const acked = await msht('admin', ['pnd', 'ack', answer]);
    expect([acked.code, acked.stdout]).toEqual([0, expect.stringContaining(`Batch ${batchId}:`)]);
    const again = await msht('admin', ['pnd', 'ack', answer, '--json']);
    expect([again.code, PndAckJsonSchema.parse(JSON.parse(again.stdout))]).toEqual([
      0,
      {
        schemaVersion: 1,
        kind: 'msht.pnd.ack',
        batchId,
        acked: 0,
        rejected: 0,
        requeued: 0,
        unchanged: 0,
        unknown: 0,
      },
    ]);
    // Nothing more is pending: no batch.
    const nothing = await msht('admin', ['pnd', 'export', '--json']);
    expect(PndExportJsonSchema.parse(JSON.parse(nothing.stdout))).toMatchObject({ exported: 0 });
    expect(JSON.parse(nothing.stdout)).not.toHaveProperty('batch');
    // Nothing is held: the release runs (it is allowed) and says so, exit 1.
    const released = await msht('admin', ['pnd', 'release', '0'.repeat(64)]);
    expect([released.code, released.stdout]).toEqual([1, expect.stringContaining('is not HELD')]);
    const releasedJson = await msht('admin', ['pnd', 'release', '0'.repeat(64), '--json']);
    expect([releasedJson.code, JSON.parse(releasedJson.stdout)]).toEqual([
      1,
      { schemaVersion: 1, kind: 'msht.pnd.release', naturalKey: '0'.repeat(64), released: false },
    ]);
  });

  it('is the only one of the personas who may: a feed consumer may not export to PND', async () => {
    const run = await msht('feed', ['pnd', 'export']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/may not do this/);
  });
});
