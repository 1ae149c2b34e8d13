import { z } from 'zod';
import {
  DEFAULT_LIMITS,
  type IngestLimits,
  IngestLimitsSchema,
} from '../../schemas/settings/ingest-limits.ts';
import { parseEnv } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';

export { DEFAULT_LIMITS, type IngestLimits };

/** A limit from its variable: a number, checked by the stage settings' own rule for it, else its default. */
export const ingestLimitFromEnv = (key: keyof IngestLimits) =>
  z.coerce.number().pipe(IngestLimitsSchema.shape[key]).default(DEFAULT_LIMITS[key]);

const LimitsEnvSchema = z.object({
  maxFileBytes: ingestLimitFromEnv('maxFileBytes'),
  maxDecompressedBytes: ingestLimitFromEnv('maxDecompressedBytes'),
  maxRows: ingestLimitFromEnv('maxRows'),
  maxRejectedShare: ingestLimitFromEnv('maxRejectedShare'),
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
