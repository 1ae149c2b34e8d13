import { z } from 'zod';
import { type OrgCode, OrgCodeSchema } from '../../schemas/common/organisations.ts';
import { StageSettingsSchema } from '../../schemas/settings/stage-settings.ts';
import { ingestLimitFromEnv } from '../ingest/limits.ts';
import { jsonOf, parseEnv } from '../shared/config.ts';
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
  /** The role forms are signed with: a session of it per organisation, scoped to that prefix. */
  readonly signerRoleArn: string;
};

const Schema = z.object({
  prefix: StageSettingsSchema.shape.prefix,
  organisations: jsonOf(z.array(OrgCodeSchema)),
  landingBucket: z.string().min(3),
  maxFileBytes: ingestLimitFromEnv('maxFileBytes'),
  signerRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@-]+$/, 'must be the ARN of an IAM role')
    .optional(),
});

/** Parses the upload API's configuration from the `ENV` variables (`parseEnv`). */
export const loadUploadApiConfig = (env: NodeJS.ProcessEnv = process.env): UploadApiConfig => {
  const { prefix, organisations, landingBucket, maxFileBytes, signerRoleArn } = parseEnv(
    Schema,
    {
      prefix: ENV.prefix,
      organisations: ENV.organisations,
      landingBucket: ENV.landingBucket,
      maxFileBytes: ENV.ingestMaxFileBytes,
      signerRoleArn: ENV.uploadFormSignerRoleArn,
    },
    'function environment',
    env,
  );
  if (!signerRoleArn) throw new ConfigError('MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN is not set');
  return { landingBucket, prefix, organisations, maxFileBytes, signerRoleArn };
};
