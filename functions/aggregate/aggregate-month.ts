import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DisclosurePolicy } from '../../schemas/aggregate/disclosure-policy.ts';
import type { AggregateLatest, HeadlineFigure } from '../../schemas/aggregate/national.ts';
import type { PublicationSettings } from '../../schemas/aggregate/publication.ts';
import type { AggregateCell } from '../../schemas/aggregate/table.ts';
import { aggregateRecords } from './aggregate-core.ts';
import { addMonths, isMonth, type Month } from './month.ts';
import { latestKey, outputKey, shareableLatestKey } from './publish/output-keys.ts';
import { releaseInfo } from './publish/release.ts';
import { writeUploadsManifest } from './publish/uploads-manifest.ts';
import { writeRun } from './publish/write-run.ts';
import { readHistory, readMonthOutputs } from './read/history.ts';
import type { LinkStats } from './read/link-subjects.ts';
import { selectUploads } from './read/select-uploads.ts';
import { listMonthUploads, readCuratedRecords, scanMarkerFacts } from './read/sources.ts';
import { MonthEmptyError, MonthNotStartedError } from './refused.ts';

/** What aggregating a month needs from the outside world (the Lambda handler and the CLI build it). */
export interface AggregateDeps {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly bucket: string;
  readonly uploadsTable: string;
  readonly markersTable: string;
  /** Days after the month's end by which submissions are due (later ones are listed as late). */
  readonly submissionDays: number;
  /** Disclosure control of the shareable tier (stage settings `disclosure`); the default policy when absent. */
  readonly disclosure?: DisclosurePolicy;
  /** The bulletin's producer, contact and methods notes (stage settings `aggregation.publication`). */
  readonly publication?: PublicationSettings;
  /** The aggregation's schedule (stage settings `aggregation.schedule`): the bulletin's next release. */
  readonly schedule?: string;
  readonly now: () => Date;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
  readonly onProgress?: (step: string, done: number, total?: number) => void;
}

/** What a run returns: the headline national figures and where the reports are. */
export interface AggregateMonthResult {
  readonly month: Month;
  readonly runId: string;
  /** The shareable publication's run id and revision number (0: the first publication of the month). */
  readonly shareableRunId: string;
  readonly revision: number;
  /** Internal tier (exact) headline figures with month-on-month change. */
  readonly headline: readonly HeadlineFigure[];
  readonly linking: LinkStats;
  readonly recordsRead: number;
  readonly uploads: AggregateLatest['uploads'];
  /** The internal pointer, and the shareable publication's own pointer. */
  readonly latestKey: string;
  readonly shareableLatestKey: string;
  /** S3 keys of report.html per tier. */
  readonly reportKeys: { readonly internal: string; readonly shareable: string };
  readonly bucket: string;
}

/** The instant after which an upload of `month` is late: the end of day `days` of the following month. */
export const lateAfter = (month: Month, days: number): string => {
  const [year, m] = addMonths(month, 1).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1, 1 + days) - 1).toISOString();
};

/**
 * Aggregates one month end to end: lists the month's uploads in the ledger, streams the curated records
 * of the counted ones, reads the markers and the earlier months' outputs, builds both tiers, and
 * publishes them atomically under `aggregates/{month}/` (see `writeRun`).
 */
export const aggregateMonth = async (input: {
  month: Month;
  deps: AggregateDeps;
  /** Publish even when no upload of the month is counted (every figure then "not submitted"). */
  allowEmpty?: boolean;
}): Promise<AggregateMonthResult> => {
  const { month, deps } = input;
  if (!isMonth(month)) throw new Error(`not a month (YYYY-MM): ${month}`);
  const thisMonth = deps.now().toISOString().slice(0, 7);
  if (month > thisMonth)
    throw new MonthNotStartedError(
      `${month} has not started yet (this month is ${thisMonth}): nothing was published`,
    );
  const progress = deps.onProgress ?? (() => undefined);
  progress('ledger', 0);
  const cutOff = deps.now();
  const selection = selectUploads(await listMonthUploads(deps.dynamodb, deps.uploadsTable, month), month);
  if (selection.counted.length === 0 && input.allowEmpty !== true)
    throw new MonthEmptyError(
      `No upload for ${month} is counted (${selection.inFlight.length} in flight, ${selection.failed.length} failed): ` +
        'nothing was published; ask again with allowEmpty (msht aggregate --allow-empty) to publish the month as not submitted',
    );
  const expected = selection.counted.reduce((sum, upload) => sum + upload.counts.accepted, 0);
  progress('records', 0, expected);
  const history = await readHistory(deps.s3, deps.bucket, month);
  const current = await readMonthOutputs(deps.s3, deps.bucket, month);
  const result = await aggregateRecords({
    month,
    records: readCuratedRecords(deps.s3, deps.bucket, selection.counted),
    uploads: selection,
    markers: scanMarkerFacts(deps.dynamodb, deps.markersTable, month),
    history,
    ...(current === undefined ? {} : { current }),
    lateAfter: lateAfter(month, deps.submissionDays),
    onProgress: (read) => progress('records', read, expected),
    ...(deps.disclosure ? { policy: deps.disclosure } : {}),
    release: releaseInfo({
      month,
      cutOff,
      now: deps.now(),
      ...(deps.schedule === undefined ? {} : { schedule: deps.schedule }),
      ...(deps.publication === undefined ? {} : { publication: deps.publication }),
    }),
  });
  if (result.recordsRead !== expected) {
    deps.log?.('Curated records differ from the ledger count', { month, read: result.recordsRead, expected });
  }
  progress('write', 0);
  const uploads = {
    counted: selection.counted.length,
    superseded: selection.superseded.length,
    failed: selection.failed.length,
    duplicate: selection.duplicate.length,
    inFlight: selection.inFlight.length,
  };
  const { latest, shareable } = await writeRun(deps.s3, deps.bucket, result, {
    generatedAt: deps.now().toISOString(),
    uploads,
    recordsRead: result.recordsRead,
  });
  await writeUploadsManifest(deps.s3, deps.bucket, month, selection, latest.runId);
  deps.log?.('Month aggregated', {
    month,
    runId: result.runId,
    shareableRunId: shareable.runId,
    revision: shareable.revision,
    recordsRead: result.recordsRead,
    ...uploads,
  });
  return {
    month,
    runId: latest.runId,
    headline: result.tiers.internal.national.headline,
    linking: result.linking,
    recordsRead: result.recordsRead,
    uploads,
    shareableRunId: shareable.runId,
    revision: shareable.revision,
    latestKey: latestKey(month),
    shareableLatestKey: shareableLatestKey(month),
    reportKeys: {
      internal: outputKey(month, latest.runId, 'internal', 'report.html'),
      shareable: outputKey(month, shareable.runId, 'shareable', 'report.html'),
    },
    bucket: deps.bucket,
  };
};

/** A headline value for a terminal line (`1,234` or `[c]`). */
export const formatCell = (value: AggregateCell | null): string =>
  value === null ? 'n/a' : value === '[c]' ? '[c]' : value.toLocaleString('en-GB');
