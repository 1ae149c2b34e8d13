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

/** `msht report UPLOAD_ID --json`: where the report was saved, and what it holds. */
export const ReportJsonSchema = z.strictObject({
  ...envelope('msht.report'),
  uploadId: z.string(),
  org: OrgCodeSchema,
  /** The upload's status when the report was read. */
  status: UploadStatusObjectSchema.shape.status,
  format: z.enum(['csv', 'xlsx', 'json']),
  /** The file written. */
  file: z.string(),
  /** Issues in it (rejected rows' errors and warnings, and issues of the file as a whole). */
  issues: z.number().int().nonnegative(),
});
export type ReportJson = z.infer<typeof ReportJsonSchema>;

/** `msht pnd export --json`: the batch written (none when nothing was PENDING) and what else it did. */
export const PndExportJsonSchema = z.strictObject({
  ...envelope('msht.pnd.export'),
  /** The new batch's id and where its objects are; absent when nothing was exported. */
  batch: z.strictObject({ batchId: z.string(), location: z.string() }).optional(),
  exported: z.number().int().nonnegative(),
  /** Of `exported`, markers sent again after PND did not answer in time. */
  resent: z.number().int().nonnegative(),
  /** Batches an interrupted export had left unfinished, finished now. */
  completedBatches: z.array(z.string()),
  /** Markers REJECTED because PND never answered after the last attempt. */
  rejectedUnanswered: z.number().int().nonnegative(),
  /** Markers HELD for review (handling code C), not exported. */
  held: z.number().int().nonnegative(),
});
export type PndExportJson = z.infer<typeof PndExportJsonSchema>;

/** `msht pnd ack FILE --json`: what applying PND's answer did. */
export const PndAckJsonSchema = z.strictObject({
  ...envelope('msht.pnd.ack'),
  batchId: z.string(),
  acked: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** Put back to PENDING, to be sent again. */
  requeued: z.number().int().nonnegative(),
  /** Already applied, or the marker changed since it was sent. */
  unchanged: z.number().int().nonnegative(),
  /** Results naming a marker not in the batch. */
  unknown: z.number().int().nonnegative(),
});
export type PndAckJson = z.infer<typeof PndAckJsonSchema>;

/** `msht pnd release KEY --json`: whether a HELD marker was released. */
export const PndReleaseJsonSchema = z.strictObject({
  ...envelope('msht.pnd.release'),
  naturalKey: z.string(),
  released: z.boolean(),
});
export type PndReleaseJson = z.infer<typeof PndReleaseJsonSchema>;

/** A value in a query result: JSON scalars, arrays and objects (integers beyond 2^53 as text). */
const QueryValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(QueryValueSchema),
    z.record(z.string(), QueryValueSchema),
  ]),
);

/** `msht query … --json` (or `--format json`): the columns in order and one object per row. */
export const QueryJsonSchema = z.strictObject({
  ...envelope('msht.query'),
  /** duckdb against the local stack, athena on AWS. */
  engine: z.enum(['duckdb', 'athena']),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), QueryValueSchema)),
  rowCount: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
});
export type QueryJson = z.infer<typeof QueryJsonSchema>;
