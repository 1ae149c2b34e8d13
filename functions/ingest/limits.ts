import { z } from 'zod';
import { parseEnv } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';

/** Limits that stop a whole file before anything from it is applied. */
export type IngestLimits = {
  /** Largest object accepted, as stored (compressed or not). */
  readonly maxFileBytes: number;
  /** Largest content accepted after decompression: stops decompression bombs. */
  readonly maxDecompressedBytes: number;
  /** Most data rows accepted in one file. */
  readonly maxRows: number;
  /**
   * Largest share (0-1) of rejected rows an upload may have and still be applied; above it the upload
   * is QUARANTINED. 1 turns quarantine off.
   */
  readonly maxRejectedShare: number;
};

export const DEFAULT_LIMITS: IngestLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxDecompressedBytes: 2 * 1024 * 1024 * 1024,
  maxRows: 5_000_000,
  maxRejectedShare: 0.5,
};

const positiveInt = z.coerce.number().int().positive();

const LimitsEnvSchema = z.object({
  maxFileBytes: positiveInt.default(DEFAULT_LIMITS.maxFileBytes),
  maxDecompressedBytes: positiveInt.default(DEFAULT_LIMITS.maxDecompressedBytes),
  maxRows: positiveInt.default(DEFAULT_LIMITS.maxRows),
  maxRejectedShare: z.coerce.number().min(0).max(1).default(DEFAULT_LIMITS.maxRejectedShare),
});

const LIMIT_ENV: Readonly<Record<keyof IngestLimits, string>> = {
  maxFileBytes: ENV.ingestMaxFileBytes,
  maxDecompressedBytes: ENV.ingestMaxDecompressedBytes,
  maxRows: ENV.ingestMaxRows,
  maxRejectedShare: ENV.ingestMaxRejectedShare,
};

/**
 * Reads the ingest limits from the environment once, at the edge; an unset (or empty) variable keeps
 * its default. Throws a `ConfigError` naming every invalid variable (`parseEnv`).
 */
export const loadIngestLimits = (env: NodeJS.ProcessEnv = process.env): IngestLimits =>
  parseEnv(LimitsEnvSchema, LIMIT_ENV, 'ingest limits', env);
