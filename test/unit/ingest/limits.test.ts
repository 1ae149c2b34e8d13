import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, loadIngestLimits } from '../../../functions/ingest/limits.ts';
import { quarantineVerdict } from '../../../functions/ingest/quarantine.ts';
import { ENV } from '../../../functions/shared/env-names.ts';
import { ConfigError } from '../../../functions/shared/errors.ts';

describe('loadIngestLimits', () => {
  it('keeps the defaults when no variable is set', () => {
    expect(loadIngestLimits({})).toEqual(DEFAULT_LIMITS);
  });

  it('reads every limit from its environment variable', () => {
    // Act
    const limits = loadIngestLimits({
      [ENV.ingestMaxFileBytes]: '1000',
      [ENV.ingestMaxDecompressedBytes]: '5000',
      [ENV.ingestMaxRows]: '10',
      [ENV.ingestMaxRejectedShare]: '0.2',
    });
    // Assess
    expect(limits).toEqual({
      maxFileBytes: 1000,
      maxDecompressedBytes: 5000,
      maxRows: 10,
      maxRejectedShare: 0.2,
    });
  });

  it('names every invalid variable', () => {
    const load = () => loadIngestLimits({ [ENV.ingestMaxRows]: 'many', [ENV.ingestMaxRejectedShare]: '2' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/MSHT_INGEST_MAX_ROWS.*MSHT_INGEST_MAX_REJECTED_SHARE/);
  });
});

describe('quarantineVerdict', () => {
  const counts = (rows: number, rejected: number) => ({
    rows,
    rejected,
    accepted: rows - rejected,
    warnings: 0,
  });

  it('quarantines only above the threshold', () => {
    expect(quarantineVerdict(counts(10, 5), { maxRejectedShare: 0.5 })).toBeUndefined();
    expect(quarantineVerdict(counts(10, 6), { maxRejectedShare: 0.5 })).toMatchObject({
      code: 'TOO_MANY_REJECTED',
      message: expect.stringContaining('6 of 10 rows (60%)'),
    });
  });

  it('never quarantines an empty file, nor when the threshold is 1', () => {
    expect(quarantineVerdict(counts(0, 0), { maxRejectedShare: 0 })).toBeUndefined();
    expect(quarantineVerdict(counts(4, 4), { maxRejectedShare: 1 })).toBeUndefined();
  });
});
