import { z } from 'zod';
import { settingsFor } from '../../infra/config.ts';
import type { OrgCode } from '../../schemas/index.ts';
import { DEFAULT_LIMITS } from '../ingest/limits.ts';
import { ENV } from '../shared/env-names.ts';
import { ConfigError } from '../shared/errors.ts';

/** What the upload API needs, parsed once at the edge. */
export type UploadApiConfig = {
  readonly landingBucket: string;
  /** Physical names start with it; upload roles are `{prefix}-upload-{org}`. */
  readonly prefix: string;
  readonly organisations: readonly OrgCode[];
  /** The largest upload a presigned POST admits: ingest's own file size limit. */
  readonly maxFileBytes: number;
};

const Schema = z.object({
  stage: z.string().min(1),
  landingBucket: z.string().min(3),
  maxFileBytes: z.coerce.number().int().positive().optional(),
});

/** Parses the upload API's configuration from the `ENV` variables; throws a `ConfigError` naming each problem. */
export const loadUploadApiConfig = (env: NodeJS.ProcessEnv = process.env): UploadApiConfig => {
  const parsed = Schema.safeParse({
    stage: env[ENV.stage] || undefined,
    landingBucket: env[ENV.landingBucket] || undefined,
    maxFileBytes: env[ENV.ingestMaxFileBytes] || undefined,
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      stage: ENV.stage,
      landingBucket: ENV.landingBucket,
      maxFileBytes: ENV.ingestMaxFileBytes,
    };
    const problems = parsed.error.issues.map((i) => `${names[String(i.path[0])]}: ${i.message}`);
    throw new ConfigError(`Invalid function environment: ${problems.join('; ')}`);
  }
  const settings = settingsFor(parsed.data.stage);
  return {
    landingBucket: parsed.data.landingBucket,
    prefix: settings.prefix,
    organisations: settings.organisations.map((o) => o.code),
    maxFileBytes: parsed.data.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes,
  };
};
