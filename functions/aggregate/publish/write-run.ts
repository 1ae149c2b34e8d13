import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { AggregateLatest, ShareableLatest } from '../../../schemas/aggregate/national.ts';
import { deleteObject, putObject } from '../../shared/aws/s3.ts';
import type { AggregationResult } from '../aggregate-core.ts';
import type { Month } from '../month.ts';
import { readLatest, readShareableLatest } from '../read/history.ts';
import {
  latestKey,
  outputKey,
  runPrefix,
  runsPrefix,
  shareableLatestKey,
  shareablePrefix,
  tierPrefix,
} from './output-keys.ts';

const CONTENT_TYPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.json$/, 'application/json; charset=utf-8'],
  [/\.csv$/, 'text/csv; charset=utf-8'],
  [/\.html$/, 'text/html; charset=utf-8'],
  [/\.xlsx$/, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
];

const contentType = (path: string): string =>
  CONTENT_TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'application/octet-stream';

/** Run metadata stored in the internal pointer (not part of the deterministic outputs). */
export type RunMetadata = Pick<AggregateLatest, 'generatedAt' | 'uploads' | 'recordsRead'>;

const putJson = (s3: S3Client, bucket: string, key: string, value: unknown) =>
  putObject(s3, {
    bucket,
    key,
    body: `${JSON.stringify(value, null, 2)}\n`,
    contentType: 'application/json; charset=utf-8',
  });

/** Deletes every object under `prefix` for which `drop(key)` holds. */
const deleteUnder = async (
  s3: S3Client,
  bucket: string,
  prefix: string,
  drop: (key: string) => boolean,
): Promise<void> => {
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      if (drop(key)) await deleteObject(s3, bucket, key);
    }
  }
};

/** The files of a tier, written under its folder; returns their paths relative to the month's folder. */
const writeTier = async (
  s3: S3Client,
  bucket: string,
  month: Month,
  runId: string,
  files: ReadonlyMap<string, string | Buffer>,
  tier: 'internal' | 'shareable',
): Promise<string[]> => {
  const written: string[] = [];
  for (const [path, body] of files) {
    await putObject(s3, {
      bucket,
      key: outputKey(month, runId, tier, path),
      body,
      contentType: contentType(path),
    });
    written.push(path);
  }
  return written.sort();
};

/**
 * Publishes a run for readers, each tier behind its own pointer:
 * 1. the internal files go under `aggregates/{month}/runs/{runId}/internal/` and the shareable files under
 *    `aggregates/{month}/shareable/{shareableRunId}/`, prefixes no reader looks at yet (unchanged shareable
 *    outputs are not rewritten: same content, same run id);
 * 2. `aggregates/{month}/shareable/latest.json`, then `aggregates/{month}/latest.json` are replaced, each in
 *    one PUT, which S3 applies atomically (a reader sees the old or the new pointer, never a mix);
 * 3. internal runs other than the new one and the one the old pointer named are deleted (a reader that has
 *    just read the old pointer can still finish), and every shareable version but the new one: an earlier
 *    shareable publication is never left readable once it is replaced (a reader that read the old pointer
 *    gets NoSuchKey and reads the pointer again).
 * A crash before (2) leaves the old outputs current; the run ids are digests of the outputs, so
 * re-running writes the same files again.
 */
export const writeRun = async (
  s3: S3Client,
  bucket: string,
  result: AggregationResult,
  metadata: RunMetadata,
): Promise<{ readonly latest: AggregateLatest; readonly shareable: ShareableLatest }> => {
  const { month, runId, shareableRunId } = result;
  const previous = await readLatest(s3, bucket, month);
  const previousShareable = await readShareableLatest(s3, bucket, month);
  const filesOf = (tier: 'internal' | 'shareable') =>
    new Map<string, string | Buffer>([...result.tiers[tier].files, ...result.tiers[tier].binaries]);
  // Same run id, same figures: the files the pointer already names stay as they are (the bulletin keeps
  // the data cut-off and publication date of the run that first published them).
  const internalFiles =
    previous?.runId === runId
      ? previous.files.filter((f) => f.startsWith('internal/')).map((f) => f.slice('internal/'.length))
      : await writeTier(s3, bucket, month, runId, filesOf('internal'), 'internal');
  const national = result.tiers.shareable.national;
  let shareable: ShareableLatest;
  if (previousShareable?.runId === shareableRunId) {
    shareable = previousShareable;
  } else {
    const files = await writeTier(s3, bucket, month, shareableRunId, filesOf('shareable'), 'shareable');
    shareable = {
      schemaVersion: 1,
      month,
      runId: shareableRunId,
      prefix: tierPrefix(month, shareableRunId, 'shareable'),
      publishedAt: metadata.generatedAt,
      revision: national.revision?.number ?? 0,
      files,
    };
    await putJson(s3, bucket, shareableLatestKey(month), shareable);
  }
  const latest: AggregateLatest = {
    schemaVersion: 1,
    month,
    runId,
    prefix: runPrefix(month, runId),
    shareableRunId,
    ...metadata,
    files: [
      ...internalFiles.map((path) => `internal/${path}`),
      ...shareable.files.map((path) => `shareable/${path}`),
    ].sort(),
  };
  await putJson(s3, bucket, latestKey(month), latest);
  const keep = new Set([runPrefix(month, runId), ...(previous ? [runPrefix(month, previous.runId)] : [])]);
  await deleteUnder(s3, bucket, runsPrefix(month), (key) => {
    const run = /^(.*\/runs\/[^/]+\/)/.exec(key)?.[1];
    // Runs written before the shareable tier had its own folder kept a shareable/ copy: never kept.
    return run !== undefined && (!keep.has(run) || key.startsWith(`${run}shareable/`));
  });
  const current = tierPrefix(month, shareableRunId, 'shareable');
  await deleteUnder(
    s3,
    bucket,
    shareablePrefix(month),
    (key) => key !== shareableLatestKey(month) && !key.startsWith(current),
  );
  return { latest, shareable };
};
