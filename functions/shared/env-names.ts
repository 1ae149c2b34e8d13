/**
 * Names of the environment variables the functions read. Infra sets them and functions parse them,
 * both from this one list, so the two cannot drift.
 */
export const ENV = {
  bucket: 'MSHT_BUCKET',
  recordsQueueUrl: 'MSHT_RECORDS_QUEUE_URL',
  uploadsTable: 'MSHT_UPLOADS_TABLE',
  markersTable: 'MSHT_MARKERS_TABLE',
  stage: 'MSHT_STAGE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
