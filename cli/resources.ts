import { ENV } from '../functions/shared/env-names.ts';
import { settingsFor } from '../infra/config.ts';
import type { OrgCode } from '../schemas/index.ts';

/** Where the CLI finds the pipeline: the `MSHT_*` variables (printed by `msht local` and by the stack outputs) or the stage's default names. */
export type PipelineResources = {
  readonly landingBucket: string;
  readonly bucket: string;
  readonly uploadsTable: string;
  readonly markersTable: string;
  /** The organisations the stage onboards, whose uploads `msht status` lists without --org. */
  readonly organisations: readonly OrgCode[];
};

export const resolveResources = (stage: string, env: NodeJS.ProcessEnv = process.env): PipelineResources => {
  const settings = settingsFor(stage);
  return {
    landingBucket: env[ENV.landingBucket] || settings.landingBucketName,
    bucket: env[ENV.bucket] || settings.bucketName,
    uploadsTable: env[ENV.uploadsTable] || settings.tables.uploads.name,
    markersTable: env[ENV.markersTable] || settings.tables.markers.name,
    organisations: settings.organisations.map((o) => o.code),
  };
};
