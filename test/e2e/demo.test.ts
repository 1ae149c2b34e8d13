import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../cli/demo/run-demo.ts';

describe('npm start (msht demo)', () => {
  it('runs the main job end to end on the local stack and reconciles every upload', async () => {
    // Prepare
    const lines: string[] = [];
    // Act
    const code = await runDemo({
      dataDir: await mkdtemp(join(tmpdir(), 'msht-e2e-')),
      seed: 7,
      rowsPerFile: 30,
      orgs: ['PF-E23000001', 'NA-NCA'],
      months: ['2026-10'],
      timeoutMs: 120_000,
      logLevel: 'ERROR',
      out: (text) => lines.push(...text.split('\n')),
    });
    // Assess
    const output = lines.join('\n');
    expect(code, output).toBe(0);
    expect(output).toContain('Every upload reconciles');
    const table = lines.filter((line) => /^(PF-E23000001|NA-NCA)\s/.test(line));
    expect(table).toHaveLength(8);
    for (const row of table) expect(row).toMatch(/INDEXED .* yes$/);
    const total = lines.find((line) => line.startsWith('Total:'));
    expect(total).toMatch(/^Total: 8 uploads, 240 rows = (\d+) accepted \+ (\d+) rejected; \1 indexed$/);
  }, 180_000);
});
