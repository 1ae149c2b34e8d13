import { z } from 'zod';
import { HeadlineFigureSchema } from '../aggregate/national.ts';
import { UploadStatusObjectSchema } from '../canonical/upload-ledger.ts';
import { IsoMonthSchema } from '../common/dates.ts';
import { OrgCodeSchema } from '../common/organisations.ts';

/**
 * What `msht … --json` prints on stdout: one JSON document per command run, with `schemaVersion` (a
 * field is only ever added within a version; removing or changing one makes version 2) and `kind`, the
 * command. Human text (progress, errors) goes to stderr. JSON Schemas: schemas/json/cli-*.schema.json.
 */
const envelope = <K extends string>(kind: K) => ({
  schemaVersion: z.literal(1),
  kind: z.literal(kind),
});

/**
 * One issue of a rejection report: the row (data rows from 1; 0 for the file), the line of the sender's
 * file it starts on (the header is line 1), its source_record_ref, field, code, message, clipped value.
 */
export const ReportIssueSchema = z.strictObject({
  row: z.number().int().nonnegative(),
  line: z.number().int().positive().optional(),
  sourceRecordRef: z.string().optional(),
  severity: z.enum(['error', 'warning']),
  field: z.string(),
  code: z.string(),
  message: z.string(),
  value: z.string().optional(),
});

/** The first issues of a report and how many there are of each code. */
export const IssueDigestSchema = z.strictObject({
  total: z.number().int().nonnegative(),
  byCode: z.record(z.string(), z.number().int().positive()),
  first: z.array(ReportIssueSchema),
});

/** `msht validate FILE --json`. */
export const ValidateJsonSchema = z.strictObject({
  ...envelope('msht.validate'),
  file: z.string(),
  org: OrgCodeSchema,
  period: IsoMonthSchema,
  /** ACCEPTED: every row; ROWS_REJECTED: some; FILE_REJECTED or WOULD_QUARANTINE: the file as a whole. */
  outcome: z.enum(['ACCEPTED', 'ROWS_REJECTED', 'FILE_REJECTED', 'WOULD_QUARANTINE']),
  counts: z
    .strictObject({
      rows: z.number().int().nonnegative(),
      accepted: z.number().int().nonnegative(),
      warnings: z.number().int().nonnegative(),
      rejected: z.number().int().nonnegative(),
    })
    .optional(),
  issueCounts: z.record(z.string(), z.number().int().positive()).optional(),
  failure: z.strictObject({ code: z.string(), message: z.string() }).optional(),
  encoding: z.string().optional(),
  sha256: z.string().optional(),
  report: z.strictObject({ json: z.string(), csv: z.string() }),
});
export type ValidateJson = z.infer<typeof ValidateJsonSchema>;

/** `msht upload FILE --json`. */
export const UploadJsonSchema = z.strictObject({
  ...envelope('msht.upload'),
  uploadId: z.string(),
  key: z.string(),
  /** The upload's final status; NOT_WAITED with --no-wait; TIMED_OUT when --timeout passed first. */
  outcome: z.enum(['INDEXED', 'FAILED', 'QUARANTINED', 'DUPLICATE', 'NOT_WAITED', 'TIMED_OUT']),
  upload: UploadStatusObjectSchema.optional(),
  issues: IssueDigestSchema.optional(),
});
export type UploadJson = z.infer<typeof UploadJsonSchema>;

/** `msht status … --json`: the uploads shown (one with an id), newest first, and the one's issues. */
export const StatusJsonSchema = z.strictObject({
  ...envelope('msht.status'),
  uploads: z.array(UploadStatusObjectSchema),
  issues: IssueDigestSchema.optional(),
});
export type StatusJson = z.infer<typeof StatusJsonSchema>;

/** `msht aggregate --month M --json`. */
export const AggregateJsonSchema = z.strictObject({
  ...envelope('msht.aggregate'),
  month: IsoMonthSchema,
  runId: z.string(),
  shareableRunId: z.string(),
  /** 0 for the month's first shareable publication, then 1, 2, … */
  revision: z.number().int().nonnegative(),
  headline: z.array(HeadlineFigureSchema),
  recordsRead: z.number().int().nonnegative(),
  uploads: z.strictObject({
    counted: z.number().int().nonnegative(),
    superseded: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    duplicate: z.number().int().nonnegative(),
    inFlight: z.number().int().nonnegative(),
  }),
  /** s3:// URIs of report.html per tier. */
  reports: z.strictObject({ internal: z.string(), shareable: z.string() }),
  /** With --download: where the files were saved. */
  downloaded: z.strictObject({ internal: z.string(), shareable: z.string() }).optional(),
});
export type AggregateJson = z.infer<typeof AggregateJsonSchema>;
