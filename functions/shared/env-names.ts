/**
 * Names of the environment variables the functions read. Infra sets them and functions parse them,
 * both from this one list, so the two cannot drift.
 */
export const ENV = {
  bucket: 'MSHT_BUCKET',
  /** The landing bucket organisations upload to (incoming/): the CLI and the upload API; ingest reads it from the S3 event. */
  landingBucket: 'MSHT_LANDING_BUCKET',
  recordsQueueUrl: 'MSHT_RECORDS_QUEUE_URL',
  uploadsTable: 'MSHT_UPLOADS_TABLE',
  markersTable: 'MSHT_MARKERS_TABLE',
  stage: 'MSHT_STAGE',
  feedTable: 'MSHT_FEED_TABLE',
  feedQueueUrl: 'MSHT_FEED_QUEUE_URL',
  feedPushQueues: 'MSHT_FEED_PUSH_QUEUES',
  /** JSON of `StageSettings.retention` (MoPI review rules per group). */
  retentionRules: 'MSHT_RETENTION_RULES',
  /** JSON of `StageSettings.pnd`. */
  pndSettings: 'MSHT_PND_SETTINGS',
  /** JSON of `StageSettings.feed`. */
  feedSettings: 'MSHT_FEED_SETTINGS',
  /** Days after the end of a month by which organisations should have submitted it (aggregation, A9 late). */
  aggregateSubmissionDays: 'MSHT_AGGREGATE_SUBMISSION_DAYS',
  /** JSON of `StageSettings.aggregation.publication` (the bulletin's producer, contact and methods notes). */
  aggregatePublication: 'MSHT_AGGREGATE_PUBLICATION',
  /** `StageSettings.aggregation.schedule`: the bulletin's next release date follows from it. */
  aggregateSchedule: 'MSHT_AGGREGATE_SCHEDULE',
  /** JSON of `StageSettings.disclosure` (threshold, rounding base, protection interval of the shareable tier). */
  disclosurePolicy: 'MSHT_DISCLOSURE_POLICY',
  /** Ingest: largest object accepted, in bytes as stored (default 512 MiB). */
  ingestMaxFileBytes: 'MSHT_INGEST_MAX_FILE_BYTES',
  /** Ingest: largest content after decompression, in bytes (default 2 GiB); stops decompression bombs. */
  ingestMaxDecompressedBytes: 'MSHT_INGEST_MAX_DECOMPRESSED_BYTES',
  /** Ingest: most data rows in one file (default 5,000,000). */
  ingestMaxRows: 'MSHT_INGEST_MAX_ROWS',
  /** Ingest: share (0-1) of rejected rows above which an upload is QUARANTINED (default 0.5; 1 = off). */
  ingestMaxRejectedShare: 'MSHT_INGEST_MAX_REJECTED_SHARE',
  /** Upload API: the stage's resource-name prefix; an organisation's upload role is `{prefix}-upload-{org}`. */
  prefix: 'MSHT_PREFIX',
  /** Upload API: JSON array of the organisation codes the stage onboards (`StageSettings.organisations`). */
  organisations: 'MSHT_ORGANISATIONS',
  /** Upload API: the role it signs forms with, `{prefix}-upload-form-signer`, one session per organisation. */
  uploadFormSignerRoleArn: 'MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN',
  /** Stuck-uploads check: seconds after which an upload still RECEIVED or PROCESSING cannot be in ingest any more. */
  stuckAfterSeconds: 'MSHT_STUCK_AFTER_SECONDS',
  /** Functions that derive references: the pseudonym key secret (its ARN on AWS). */
  pseudonymKeySecret: 'MSHT_PSEUDONYM_KEY_SECRET',
  /** Functions that derive references: the key version the secret must hold (`StageSettings.pseudonyms.keyVersion`). */
  pseudonymKeyVersion: 'MSHT_PSEUDONYM_KEY_VERSION',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
