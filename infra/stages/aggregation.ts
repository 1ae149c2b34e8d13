import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CURATED_UPLOADS_PREFIX, PREFIXES } from '../../schemas/object-keys.ts';
import { keyViaService, listUnder } from '../constructs/iam-statements.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import type { BuildFunction } from './functions.ts';
import type { Storage } from './storage.ts';

/** Properties of the `Aggregation` stage. */
export type AggregationProps = { readonly storage: Storage; readonly build: BuildFunction };

/** The monthly aggregation: a month of curated records, the ledger and the markers into aggregates/. */
export class Aggregation extends Construct {
  /** The aggregation function, unless left out. */
  public readonly aggregate: PipelineFunction | undefined;

  constructor(scope: Construct, id: string, props: AggregationProps) {
    super(scope, id);
    this.aggregate = props.build(this, 'aggregate');
    if (this.aggregate) grantAggregate(this.aggregate, props.storage);
  }
}

/** The aggregation reads curated records, the ledger and the markers, and writes aggregates/. */
const grantAggregate = (fn: PipelineFunction, { data, uploads, markers }: Storage): void => {
  fn.allow(
    new PolicyStatement({
      sid: 'ReadCuratedAndAggregates',
      actions: ['s3:GetObject'],
      resources: [data.arnForPrefix(PREFIXES.curated), data.arnForPrefix(PREFIXES.aggregates)],
    }),
    {
      wildcardReason:
        "Aggregation streams a month's curated records and reads earlier months' aggregates for trends.",
    },
  );
  // writeRun lists aggregates/{YYYY-MM}/runs/ to delete superseded runs; the listing also lets S3 answer
  // 404 (not 403) for a month's latest.json that does not exist yet.
  fn.allow(listUnder('ListAggregates', data.bucket.bucketArn, [PREFIXES.aggregates]));
  fn.allow(
    new PolicyStatement({
      sid: 'WriteAggregates',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [data.arnForPrefix(PREFIXES.aggregates)],
    }),
    {
      wildcardReason:
        "Aggregation writes each run's outputs under aggregates/{YYYY-MM}/runs/{runId}/, replaces latest.json and deletes superseded runs.",
    },
  );
  fn.allow(
    new PolicyStatement({
      sid: 'WriteUploadsManifests',
      actions: ['s3:PutObject'],
      resources: [data.arnForPrefix(CURATED_UPLOADS_PREFIX)],
    }),
    {
      wildcardReason:
        "Aggregation writes each month's uploads manifest, curated/uploads/month={YYYY-MM}/uploads.jsonl.gz, for SQL (docs/query.md).",
    },
  );
  fn.allow(keyViaService('UseDataKey', data.key, 's3', 'encrypt-decrypt'));
  // functions/aggregate/read/sources.ts: listMonthUploads queries byOrg; scanMarkerFacts scans the markers.
  fn.allow(
    new PolicyStatement({
      sid: 'ListMonthUploads',
      actions: ['dynamodb:Query'],
      resources: [uploads.indexArn('byOrg')],
    }),
  );
  fn.allow(
    new PolicyStatement({
      sid: 'ScanMarkers',
      actions: ['dynamodb:Scan'],
      resources: [markers.table.tableArn],
    }),
  );
  fn.allow(keyViaService('DecryptLedger', uploads.key, 'dynamodb', 'decrypt'));
  fn.allow(keyViaService('DecryptMarkers', markers.key, 'dynamodb', 'decrypt'));
};
