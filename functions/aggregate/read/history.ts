import { NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import {
  type AggregateLatest,
  AggregateLatestSchema,
  type AggregateTier,
  type NationalPicture,
  NationalPictureSchema,
} from '../../../schemas/aggregate/national.ts';
import { readObjectText } from '../../shared/aws/s3.ts';
import { addMonths, type Month } from '../month.ts';
import { latestKey, outputKey } from '../publish/output-keys.ts';

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

const readNational = (
  s3: S3Client,
  bucket: string,
  latest: AggregateLatest,
  tier: AggregateTier,
): Promise<NationalPicture | undefined> =>
  readJson(s3, bucket, outputKey(latest.month, latest.runId, tier, 'national.json'), (value) =>
    NationalPictureSchema.parse(value),
  );

/** The current outputs of the 11 months before `month` that have been aggregated (through their pointers). */
export const readHistory = async (s3: S3Client, bucket: string, month: Month): Promise<HistoryMonth[]> => {
  const history: HistoryMonth[] = [];
  for (let back = 11; back >= 1; back -= 1) {
    const earlier = addMonths(month, -back);
    const latest = await readLatest(s3, bucket, earlier);
    if (latest === undefined) continue;
    const internal = await readNational(s3, bucket, latest, 'internal');
    const shareable = await readNational(s3, bucket, latest, 'shareable');
    history.push({
      month: earlier,
      ...(internal === undefined ? {} : { internal }),
      ...(shareable === undefined ? {} : { shareable }),
    });
  }
  return history;
};
