import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { AggregateLatest } from '../../../schemas/aggregate/national.ts';
import { deleteObject, putObject } from '../../shared/aws/s3.ts';
import type { AggregationResult } from '../aggregate-core.ts';
import { readLatest } from '../read/history.ts';
import { latestKey, monthPrefix, outputKey, runPrefix } from './output-keys.ts';

const CONTENT_TYPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.json$/, 'application/json; charset=utf-8'],
  [/\.csv$/, 'text/csv; charset=utf-8'],
  [/\.html$/, 'text/html; charset=utf-8'],
];

const contentType = (path: string): string =>
  CONTENT_TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'application/octet-stream';

/** Run metadata stored in the pointer (not part of the deterministic outputs). */
export type RunMetadata = Pick<AggregateLatest, 'generatedAt' | 'uploads' | 'recordsRead'>;

/**
 * Publishes a run atomically for readers: (1) every file goes under `aggregates/{month}/runs/{runId}/`,
 * a prefix no reader looks at yet; (2) `aggregates/{month}/latest.json` is replaced in one PUT, which S3
 * applies atomically (a reader sees the old or the new pointer, never a mix); (3) runs other than the new
 * one and the one the old pointer named are deleted, so a reader that has just read the old pointer can
 * still finish. A crash before (2) leaves the old outputs current; the run id is a digest of the outputs,
 * so re-running writes the same files again.
 */
export const writeRun = async (
  s3: S3Client,
  bucket: string,
  result: AggregationResult,
  metadata: RunMetadata,
): Promise<AggregateLatest> => {
  const { month, runId } = result;
  const previous = await readLatest(s3, bucket, month);
  const files: string[] = [];
  for (const tier of ['internal', 'shareable'] as const) {
    for (const [path, body] of result.tiers[tier].files) {
      const key = outputKey(month, runId, tier, path);
      await putObject(s3, { bucket, key, body, contentType: contentType(path) });
      files.push(`${tier}/${path}`);
    }
  }
  const latest: AggregateLatest = {
    schemaVersion: 1,
    month,
    runId,
    prefix: runPrefix(month, runId),
    ...metadata,
    files: files.sort(),
  };
  await putObject(s3, {
    bucket,
    key: latestKey(month),
    body: `${JSON.stringify(latest, null, 2)}\n`,
    contentType: 'application/json; charset=utf-8',
  });
  const keep = new Set([runPrefix(month, runId), ...(previous ? [runPrefix(month, previous.runId)] : [])]);
  const runs = paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, Prefix: `${monthPrefix(month)}runs/` },
  );
  for await (const page of runs) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      const run = /^(.*\/runs\/[^/]+\/)/.exec(key)?.[1];
      if (run !== undefined && !keep.has(run)) await deleteObject(s3, bucket, key);
    }
  }
  return latest;
};
