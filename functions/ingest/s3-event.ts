import { z } from 'zod';

/** The part of an S3 event notification record that ingest uses. https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html */
const S3EventRecordSchema = z.object({
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

const S3EventSchema = z.union([
  z.object({ Records: z.array(S3EventRecordSchema) }),
  // S3 sends a test event when a notification is configured; there is nothing to ingest.
  z.object({ Event: z.literal('s3:TestEvent') }),
]);

/** An uploaded object named by an S3 event. */
export type ObjectRef = {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
};

/** Object keys in S3 events are URL-encoded with spaces as '+'. */
export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * Reads the ObjectCreated records from an SQS message body holding an S3 event notification.
 * Throws a zod error for a body that is not an S3 event (the message then goes to the DLQ).
 */
export const objectsFromS3EventBody = (body: string): ObjectRef[] => {
  const event = S3EventSchema.parse(JSON.parse(body));
  if (!('Records' in event)) return [];
  return event.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    ...(r.s3.object.size === undefined ? {} : { size: r.s3.object.size }),
    ...(r.s3.object.eTag === undefined ? {} : { eTag: r.s3.object.eTag }),
    ...(r.s3.object.versionId === undefined ? {} : { versionId: r.s3.object.versionId }),
  }));
};
