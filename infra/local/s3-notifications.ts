import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { S3EventListener, S3RequestInfo, S3rverEventRecord } from './emulators.ts';
import { errorMessage, type LocalLog } from './log.ts';

/** The prefix whose ObjectCreated events the CDK stack sends to the ingest queue. */
export const INCOMING_PREFIX = 'incoming/';

/** The configuration id the local notification carries (S3 puts the notification configuration's id here). */
export const LOCAL_NOTIFICATION_ID = 'msht-local-incoming';

// application/x-www-form-urlencoded leaves only ALPHA / DIGIT / '*' / '-' / '.' / '_' as they are.
const FORM_UNRESERVED = /[A-Za-z0-9*\-._]/;

/**
 * Encodes an object key as S3 writes it into event notifications: form URL encoding (UTF-8 bytes as
 * %XX, a space as '+'), with '/' left as it is. "incoming/a b(1).csv" → "incoming/a+b%281%29.csv".
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export const encodeS3EventKey = (key: string): string => {
  let out = '';
  for (const char of key) {
    if (char === '/' || FORM_UNRESERVED.test(char)) out += char;
    else if (char === ' ') out += '+';
    else
      for (const byte of Buffer.from(char, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
};

/**
 * The event name S3 gives an s3rver event. s3rver calls a multipart completion a POST; S3 names it
 * `ObjectCreated:CompleteMultipartUpload` (the request carries an `uploadId`).
 */
export const s3EventName = (s3rverName: string, request: S3RequestInfo | undefined): string =>
  s3rverName === 'ObjectCreated:Post' && request !== undefined && 'uploadId' in request.query
    ? 'ObjectCreated:CompleteMultipartUpload'
    : s3rverName;

/**
 * Sequencers that only grow, as S3's do for one key. s3rver uses the millisecond clock, which repeats
 * within a millisecond; these add a counter, as 18 upper-case hex digits like S3's.
 */
export const createSequencer = (now: () => number = Date.now): (() => string) => {
  let last = 0n;
  return () => {
    const candidate = BigInt(now()) << 16n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
};

export type NotificationRecordOptions = {
  readonly region: string;
  readonly sequencer: string;
  readonly request?: S3RequestInfo;
  /** eTag and size when s3rver's record lacks them (it omits the eTag of a copy). */
  readonly eTag?: string;
  readonly size?: number;
};

type S3rverRecordExtras = Partial<
  Pick<S3EventRecord, 'userIdentity' | 'requestParameters' | 'responseElements'>
> & {
  readonly s3: { readonly bucket: { readonly ownerIdentity?: { readonly principalId: string } } };
};

/**
 * Shapes an s3rver event record into the record S3 puts in a notification. s3rver differs from S3:
 * region always us-east-1, bucket ARN `arn:aws:s3: : :name`, the key not URL-encoded, eventVersion 2.0,
 * a millisecond-clock sequencer, no eTag on copies, and `Post` for multipart completions.
 */
export const toS3NotificationRecord = (
  record: S3rverEventRecord,
  options: NotificationRecordOptions,
): S3EventRecord => {
  const extras = record as S3rverEventRecord & S3rverRecordExtras;
  const bucket = record.s3.bucket.name;
  const size = record.s3.object.size ?? options.size;
  const eTag = record.s3.object.eTag ?? options.eTag;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: options.region,
    eventTime: record.eventTime,
    eventName: s3EventName(record.eventName, options.request),
    userIdentity: extras.userIdentity ?? { principalId: 'AWS:MSHTLOCAL' },
    requestParameters: extras.requestParameters ?? { sourceIPAddress: '127.0.0.1' },
    responseElements: extras.responseElements ?? {
      'x-amz-request-id': 'MSHTLOCAL',
      'x-amz-id-2': 'MSHTLOCAL',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: LOCAL_NOTIFICATION_ID,
      bucket: {
        name: bucket,
        ownerIdentity: extras.s3.bucket.ownerIdentity ?? { principalId: 'MSHTLOCAL' },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: {
        key: encodeS3EventKey(record.s3.object.key),
        size: size !== undefined && Number.isFinite(size) ? size : 0,
        eTag: eTag ?? '',
        sequencer: options.sequencer,
      },
    },
  };
};

/** The SQS message body S3 sends for one event: `{"Records":[record]}`. */
export const s3NotificationBody = (record: S3EventRecord): string =>
  JSON.stringify({ Records: [record] } satisfies S3Event);

/** Whether the notification configuration (ObjectCreated, prefix, this bucket) selects an s3rver record. */
export const isForwarded = (record: S3rverEventRecord, bucket: string, prefix: string): boolean =>
  record.eventName.startsWith('ObjectCreated:') &&
  record.s3.bucket.name === bucket &&
  record.s3.object.key.startsWith(prefix);

export type S3NotificationsOptions = {
  readonly onS3Event: (listener: S3EventListener) => void;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly bucket: string;
  readonly queueUrl: string;
  readonly region: string;
  readonly prefix?: string;
  readonly log: LocalLog;
};

/** The running notification forwarder: how many events are on their way, and a stop that lets them land. */
export type S3Notifications = { readonly pending: () => number; readonly stop: () => Promise<void> };

const RETRIES = 5;

/**
 * Plays the bucket's notification configuration: every ObjectCreated event under the prefix becomes
 * one message on the ingest queue, with the body S3 would send. Delivery is retried a few times.
 */
export const startS3Notifications = (options: S3NotificationsOptions): S3Notifications => {
  const prefix = options.prefix ?? INCOMING_PREFIX;
  const nextSequencer = createSequencer();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const headObject = async (record: S3rverEventRecord): Promise<{ eTag?: string; size?: number }> => {
    if (record.s3.object.eTag !== undefined && record.s3.object.size !== undefined) return {};
    const head = await options.s3.send(
      new HeadObjectCommand({ Bucket: record.s3.bucket.name, Key: record.s3.object.key }),
    );
    return {
      ...(head.ETag === undefined ? {} : { eTag: head.ETag.replace(/"/g, '') }),
      ...(head.ContentLength === undefined ? {} : { size: head.ContentLength }),
    };
  };

  const forward = async (record: S3rverEventRecord, request: S3RequestInfo | undefined): Promise<void> => {
    const sequencer = nextSequencer();
    const fields = { bucket: record.s3.bucket.name, key: record.s3.object.key };
    for (let attempt = 1; ; attempt++) {
      try {
        const missing = await headObject(record);
        const body = s3NotificationBody(
          toS3NotificationRecord(record, {
            region: options.region,
            sequencer,
            ...(request === undefined ? {} : { request }),
            ...missing,
          }),
        );
        await options.sqs.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: body }));
        options.log('debug', 'S3 notification sent', fields);
        return;
      } catch (err) {
        if (attempt >= RETRIES || stopped) {
          options.log('error', 'S3 notification lost', { ...fields, error: errorMessage(err) });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      }
    }
  };

  // S3 answers the upload once its notification is on the queue (emulators.ts holds the answer back
  // for the promise returned here), so an upload acknowledged is never lost to a crash of the stack.
  options.onS3Event((event, request) => {
    if (stopped) return undefined;
    const jobs: Promise<void>[] = [];
    for (const record of event.Records) {
      if (!isForwarded(record, options.bucket, prefix)) continue;
      const job = forward(record, request).finally(() => inFlight.delete(job));
      inFlight.add(job);
      jobs.push(job);
    }
    return jobs.length === 0 ? undefined : Promise.all(jobs);
  });

  return {
    pending: () => inFlight.size,
    stop: async () => {
      stopped = true;
      await Promise.all(inFlight);
    },
  };
};
