import { z } from 'zod';
import {
  DEFAULT_DISCLOSURE_POLICY,
  DisclosurePolicySchema,
} from '../../schemas/aggregate/disclosure-policy.ts';
import {
  DEFAULT_PUBLICATION_SETTINGS,
  PublicationSettingsSchema,
} from '../../schemas/aggregate/publication.ts';
import { ScheduledFunctionSettingsSchema } from '../../schemas/settings/function-settings.ts';
import { AggregationSettingsSchema, StageNameSchema } from '../../schemas/settings/stage-settings.ts';
import { jsonOf, parseEnv } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';

/** What the aggregation function needs from its environment (no queue: it only reads and writes S3 and tables). */
export const AggregateConfigSchema = z.object({
  bucket: z.string().min(3),
  uploadsTable: z.string().min(3),
  markersTable: z.string().min(3),
  /** Uploads received more than this many days after the month ends are late (A9). */
  submissionDays: z.coerce.number().pipe(AggregationSettingsSchema.shape.submissionDays).default(5),
  stage: StageNameSchema.default('dev'),
  /** Disclosure control of the shareable tier; the default policy when unset. */
  disclosure: jsonOf(DisclosurePolicySchema).default(DEFAULT_DISCLOSURE_POLICY),
  /** The bulletin's producer, contact and methods notes; the defaults when unset. */
  publication: jsonOf(PublicationSettingsSchema).default(DEFAULT_PUBLICATION_SETTINGS),
  /** The aggregation's own schedule (the bulletin's next release date); none when unset. */
  schedule: ScheduledFunctionSettingsSchema.shape.schedule.optional(),
});
export type AggregateConfig = z.infer<typeof AggregateConfigSchema>;

const NAMES: Readonly<Record<string, string>> = {
  bucket: ENV.bucket,
  uploadsTable: ENV.uploadsTable,
  markersTable: ENV.markersTable,
  submissionDays: ENV.aggregateSubmissionDays,
  stage: ENV.stage,
  disclosure: ENV.disclosurePolicy,
  publication: ENV.aggregatePublication,
  schedule: ENV.aggregateSchedule,
};

/** Parses the aggregation configuration from the `ENV` variables (`parseEnv`). */
export const loadAggregateConfig = (env: NodeJS.ProcessEnv = process.env): AggregateConfig =>
  parseEnv(AggregateConfigSchema, NAMES, 'aggregation environment', env);
