import { NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import {
  type AggregateLatest,
  AggregateLatestSchema,
  type AggregateTier,
  type NationalPicture,
  NationalPictureSchema,
  type ShareableLatest,
  ShareableLatestSchema,
} from '../../../schemas/aggregate/national.ts';
import { readObjectText } from '../../shared/aws/s3.ts';
import { addMonths, type Month } from '../month.ts';
import { latestKey, outputKey, shareableLatestKey } from '../publish/output-keys.ts';

/** The outputs of an earlier month (read through its `latest.json`), for change, trends and rolling sums. */
export interface HistoryMonth {
  readonly month: Month;
  readonly internal?: NationalPicture;
  readonly shareable?: NationalPicture;
}

const isMissing = (error: unknown): boolean =>
  error instanceof NoSuchKey ||
  (error as { name?: string } | undefined)?.name === 'NoSuchKey' ||
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 404;

/** A JSON object parsed with `parse`, or undefined when the object does not exist. */
const readJson = async <T>(
  s3: S3Client,
  bucket: string,
  key: string,
  parse: (value: unknown) => T,
): Promise<T | undefined> => {
  try {
    return parse(JSON.parse(await readObjectText(s3, bucket, key)));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
};

/** The current pointer of a month, or undefined when the month has never been aggregated. */
export const readLatest = (
  s3: S3Client,
  bucket: string,
  month: Month,
): Promise<AggregateLatest | undefined> =>
  readJson(s3, bucket, latestKey(month), (value) => AggregateLatestSchema.parse(value));

/** The pointer to a month's current shareable publication, or undefined when there is none. */
export const readShareableLatest = (
  s3: S3Client,
  bucket: string,
  month: Month,
): Promise<ShareableLatest | undefined> =>
  readJson(s3, bucket, shareableLatestKey(month), (value) => ShareableLatestSchema.parse(value));

const readNational = (
  s3: S3Client,
  bucket: string,
  month: Month,
  runId: string,
  tier: AggregateTier,
): Promise<NationalPicture | undefined> =>
  readJson(s3, bucket, outputKey(month, runId, tier, 'national.json'), (value) =>
    NationalPictureSchema.parse(value),
  );

/** The current outputs of a month (through its pointers), or undefined when it has never been aggregated. */
export const readMonthOutputs = async (
  s3: S3Client,
  bucket: string,
  month: Month,
): Promise<HistoryMonth | undefined> => {
  const latest = await readLatest(s3, bucket, month);
  if (latest === undefined) return undefined;
  const internal = await readNational(s3, bucket, month, latest.runId, 'internal');
  const shareable =
    latest.shareableRunId === undefined
      ? undefined
      : await readNational(s3, bucket, month, latest.shareableRunId, 'shareable');
  return {
    month,
    ...(internal === undefined ? {} : { internal }),
    ...(shareable === undefined ? {} : { shareable }),
  };
};

/** The current outputs of the 11 months before `month` that have been aggregated (through their pointers). */
export const readHistory = async (s3: S3Client, bucket: string, month: Month): Promise<HistoryMonth[]> => {
  const history: HistoryMonth[] = [];
  for (let back = 11; back >= 1; back -= 1) {
    const earlier = await readMonthOutputs(s3, bucket, addMonths(month, -back));
    if (earlier !== undefined) history.push(earlier);
  }
  return history;
};
