import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../cli/demo/run-demo.ts';
import { DEFAULT_DISCLOSURE_POLICY } from '../../schemas/aggregate/disclosure-policy.ts';
import { NationalPictureSchema } from '../../schemas/aggregate/national.ts';
import { attack } from '../support/attacker.ts';

const MONTHS = ['2026-09', '2026-10'] as const;

describe('npm start (msht demo)', () => {
  it('runs the main job end to end on the local stack and reconciles every upload', async () => {
    // Prepare
    const lines: string[] = [];
    const dataDir = await mkdtemp(join(tmpdir(), 'msht-e2e-'));
    // Act
    const code = await runDemo({
      dataDir,
      seed: 7,
      rowsPerFile: 30,
      orgs: ['PF-E23000001', 'NA-NCA'],
      months: [...MONTHS],
      timeoutMs: 120_000,
      logLevel: 'ERROR',
      out: (text) => lines.push(...text.split('\n')),
    });
    // Assess
    const output = lines.join('\n');
    expect(code, output).toBe(0);
    expect(output).toContain('Every upload reconciles');
    const table = lines.filter((line) => /^(PF-E23000001|NA-NCA)\s/.test(line));
    expect(table).toHaveLength(16);
    for (const row of table) expect(row).toMatch(/INDEXED .* yes$/);
    const total = lines.find((line) => line.startsWith('Total:'));
    expect(total).toMatch(/^Total: 16 uploads, 480 rows = (\d+) accepted \+ (\d+) rejected; \1 indexed$/);
    // A determined analyst with both months' shareable publications narrows no suppressed value below
    // the protection interval; the truth (internal tier) is always inside what the analyst derives.
    const read = async (month: string, tier: string) =>
      NationalPictureSchema.parse(
        JSON.parse(await readFile(join(dataDir, 'reports', month, `national-${tier}.json`), 'utf8')),
      );
    const publications = await Promise.all(
      MONTHS.map(async (month) => ({
        doc: await read(month, 'shareable'),
        truth: await read(month, 'internal'),
      })),
    );
    const findings = await attack(publications, { policy: DEFAULT_DISCLOSURE_POLICY });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      if (f.truth !== undefined) expect(f.truth).toBeGreaterThanOrEqual(f.lower);
      if (f.truth !== undefined) expect(f.truth).toBeLessThanOrEqual(f.upper);
    }
    expect(findings.filter((f) => f.width < DEFAULT_DISCLOSURE_POLICY.minimumWidth)).toEqual([]);
  }, 420_000);
});
