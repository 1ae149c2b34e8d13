import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../../cli/validate-file.ts';
import { DEFAULT_LIMITS, type IngestLimits } from '../../../functions/ingest/limits.ts';

type Expected = {
  file: string;
  limits?: Partial<IngestLimits>;
  fileRejected?: string;
  encoding?: string;
  rows?: number;
  accepted?: number;
  rejected?: number;
  warnings?: number;
  codes?: Record<string, number>;
  quarantined?: string;
};

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ingest');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  fixtures: Expected[];
};
const ORG = 'PF-E23000001';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'msht-fixtures-'));
});

/** Runs a file through the chain `msht validate` runs, and reads back the JSON report it wrote. */
const check = async (path: string, limits: Partial<IngestLimits> | undefined, name: string) => {
  const reportBase = join(out, name);
  const result = await validateFile(path, {
    org: ORG,
    period: '2026-10',
    reportBase,
    now: () => '2026-11-02T10:00:00.000Z',
    limits: { ...DEFAULT_LIMITS, ...limits },
  });
  const report = JSON.parse(await readFile(`${reportBase}.json`, 'utf8')) as {
    entries: { code: string; severity: string }[];
    summary: { status: string };
  };
  return { result, report };
};

describe('the ingest fixture corpus (test/fixtures/ingest/manifest.json)', () => {
  manifest.fixtures.forEach((expected, i) => {
    const limitsNote = expected.limits ? ` with ${JSON.stringify(expected.limits)}` : '';
    const outcome = expected.fileRejected
      ? `is rejected as a whole with ${expected.fileRejected}`
      : `reconciles to ${expected.accepted} accepted + ${expected.rejected} rejected`;
    it(`${expected.file}${limitsNote} ${outcome}`, async () => {
      // Act
      const { result, report } = await check(join(FIXTURES, expected.file), expected.limits, `r${i}`);
      // Assess
      if (expected.fileRejected) {
        expect(result).toMatchObject({ kind: 'file-rejected', code: expected.fileRejected });
        expect(report.summary.status).toBe('FAILED');
        expect(report.entries.map((e) => e.code)).toEqual([expected.fileRejected]);
        return;
      }
      if (result.kind !== 'checked') throw new Error(`rejected as a whole: ${result.code} ${result.message}`);
      const { counts, issueCounts } = result.outcome;
      expect(counts).toEqual({
        rows: expected.rows,
        accepted: expected.accepted,
        rejected: expected.rejected,
        warnings: expected.warnings,
      });
      expect(counts.rows).toBe(counts.accepted + counts.rejected);
      expect(issueCounts).toEqual(expected.codes);
      const reported: Record<string, number> = {};
      for (const entry of report.entries) reported[entry.code] = (reported[entry.code] ?? 0) + 1;
      expect(reported).toEqual(expected.codes);
      if (expected.encoding) expect(result.encoding).toBe(expected.encoding);
      expect(result.quarantine?.code).toBe(expected.quarantined);
      expect(report.summary.status).toBe(expected.quarantined ? 'QUARANTINED' : 'CHECKED');
    });
  });

  it('rejects a decompression bomb (generated here) with TOO_LARGE before reading any row', async () => {
    // Prepare: 2 MB of CSV compressing to a few KB, against a 1 MB decompressed limit.
    const header = 'source_record_ref,source_system,roles\n';
    const body = `${header}${'R-1,NICHE,VICTIM\n'.repeat(120_000)}`;
    const path = join(out, 'subjects-bomb.csv.gz');
    await writeFile(path, gzipSync(body, { level: 9 }));
    // Act
    const { result } = await check(path, { maxDecompressedBytes: 1_000_000 }, 'bomb');
    // Assess
    expect(result).toMatchObject({ kind: 'file-rejected', code: 'TOO_LARGE' });
  });
});
