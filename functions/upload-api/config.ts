import { z } from 'zod';
import { settingsFor } from '../../infra/config.ts';
import type { OrgCode } from '../../schemas/index.ts';
import { DEFAULT_LIMITS } from '../ingest/limits.ts';
import { parseEnv } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';

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
  maxFileBytes: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxFileBytes),
});

/** Parses the upload API's configuration from the `ENV` variables (`parseEnv`). */
export const loadUploadApiConfig = (env: NodeJS.ProcessEnv = process.env): UploadApiConfig => {
  const { stage, landingBucket, maxFileBytes } = parseEnv(
    Schema,
    { stage: ENV.stage, landingBucket: ENV.landingBucket, maxFileBytes: ENV.ingestMaxFileBytes },
    'function environment',
    env,
  );
  const settings = settingsFor(stage);
  return {
    landingBucket,
    prefix: settings.prefix,
    organisations: settings.organisations.map((o) => o.code),
    maxFileBytes,
  };
};
