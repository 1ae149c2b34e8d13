import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CORPUS } from '../../../bench/hostile-corpus.ts';
import { validateFile } from '../../../cli/validate-file.ts';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import type { ReportEntry } from '../../../functions/ingest/report.ts';

// Every class of the hostile corpus (bench/hostile-corpus.ts), written at a small scale at run time and
// validated with the chain `msht validate` runs: each ends as its class says, with a clear rejection
// naming the file, row, field and reason, never a crash. Memory is shown by `npm run bench:memory`.
const SCALE = 0.01;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msht-hostile-corpus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Report = {
  file: string;
  entries: ReportEntry[];
  summary: {
    status: string;
    failure?: { code: string; message: string };
    counts?: { rows: number; rejected: number };
  };
};

describe('hostile corpus', () => {
  for (const c of HOSTILE_CORPUS) {
    it(`${c.name}: ${c.attack}`, async () => {
      const path = join(dir, c.fileName);
      await c.write(path, SCALE);
      const reportBase = join(dir, `${c.name}.report`);
      const result = await validateFile(path, {
        org: 'PF-E23000001',
        period: '2026-10',
        reportBase,
        now: () => '2026-11-02T10:00:00.000Z',
        limits: { ...DEFAULT_LIMITS, maxRejectedShare: 1, ...c.limits?.(SCALE) },
      });
      const report = JSON.parse(await readFile(`${reportBase}.json`, 'utf8')) as Report;
      expect(report.file).toBe(c.fileName);
      const want = c.expect(SCALE);
      if ('file' in want) {
        if (result.kind !== 'file-rejected') throw new Error(`expected ${want.file}, but the rows were read`);
        expect(result.code).toBe(want.file);
        expect(report.summary.failure?.code).toBe(want.file);
        expect(report.entries).toEqual([
          expect.objectContaining({ row: 0, field: '(file)', code: want.file }),
        ]);
        expect(result.message.length).toBeLessThanOrEqual(1024);
        return;
      }
      if (result.kind !== 'checked') throw new Error(`rejected as a whole: ${result.code} ${result.message}`);
      expect(result.outcome.counts.rows).toBe(want.rows);
      if (want.rejected !== undefined) expect(result.outcome.counts.rejected).toBe(want.rejected);
      const codes = new Set(report.entries.map((e) => e.code));
      for (const code of want.codes) expect(codes).toContain(code);
      // Every rejected row is listed, each entry naming its row and field, clipped.
      const rejectedRows = new Set(report.entries.filter((e) => e.severity === 'error').map((e) => e.row));
      expect(rejectedRows.size).toBe(result.outcome.counts.rejected);
      for (const e of report.entries) {
        expect(e.field.length).toBeGreaterThan(0);
        expect([...e.field].length).toBeLessThanOrEqual(64);
        expect(e.message.length).toBeLessThanOrEqual(1024);
        expect([...(e.value ?? '')].length).toBeLessThanOrEqual(64);
      }
    });
  }

  it('names the row limit in the TOO_MANY_ROWS message', async () => {
    const c = HOSTILE_CORPUS.find((h) => h.name === 'csv-too-many-rows');
    const path = join(dir, 'subjects-limit.csv');
    await c?.write(path, 0.001);
    const result = await validateFile(path, {
      org: 'PF-E23000001',
      period: '2026-10',
      reportBase: join(dir, 'limit.report'),
      now: () => '2026-11-02T10:00:00.000Z',
      limits: { ...DEFAULT_LIMITS, maxRows: 1500 },
    });
    expect(result).toMatchObject({ kind: 'file-rejected', code: 'TOO_MANY_ROWS' });
    expect(result.kind === 'file-rejected' && result.message).toContain('more than 1500 rows');
  });
});
