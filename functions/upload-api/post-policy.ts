import { createHmac } from 'node:crypto';

/** The credentials a POST policy is signed with (a signer session scoped to the organisation's prefix). */
export type SigningCredentials = {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
};

/** What a presigned POST allows: one bucket, keys under a prefix, a size range, until it expires. */
export type PostPolicyRequest = {
  readonly bucket: string;
  readonly region: string;
  /** The key the form sets; it must start with `keyPrefix`. */
  readonly key: string;
  readonly keyPrefix: string;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly expiresInSeconds: number;
  readonly now: Date;
  readonly credentials: SigningCredentials;
};

/** The form fields of a browser-based upload (S3 POST Object) signed with Signature Version 4. */
export type PresignedPost = {
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: string;
  /** The policy's conditions, as S3 will check them. */
  readonly conditions: readonly unknown[];
};

const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * The Signature Version 4 signing key for a day, region and service: HMAC-SHA256 of "aws4_request" under
 * the chain AWS4+secret → date → region → service.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
 */
const signingKey = (secretAccessKey: string, day: string, region: string, service: string): Buffer =>
  hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');

/**
 * Builds and signs a POST policy. S3 accepts the upload only if the form's key starts with `keyPrefix`,
 * its size is within [minBytes, maxBytes], it reaches `bucket` before the expiry, and the fields match
 * the signed ones. The signature is the hex HMAC of the base64 policy under the signing key.
 */
export const presignPost = (request: PostPolicyRequest): PresignedPost => {
  if (!request.key.startsWith(request.keyPrefix))
    throw new RangeError(`The key ${request.key} is not under ${request.keyPrefix}`);
  const amzDate = request.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const credential = `${request.credentials.accessKeyId}/${day}/${request.region}/s3/aws4_request`;
  const expiresAt = new Date(request.now.getTime() + request.expiresInSeconds * 1000).toISOString();
  const signed: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': amzDate,
    ...(request.credentials.sessionToken ? { 'X-Amz-Security-Token': request.credentials.sessionToken } : {}),
  };
  const conditions: unknown[] = [
    { bucket: request.bucket },
    ['starts-with', '$key', request.keyPrefix],
    ['content-length-range', request.minBytes, request.maxBytes],
    ...Object.entries(signed).map(([name, value]) => ({ [name.toLowerCase()]: value })),
  ];
  const policy = Buffer.from(JSON.stringify({ expiration: expiresAt, conditions }), 'utf8').toString(
    'base64',
  );
  const signature = createHmac(
    'sha256',
    signingKey(request.credentials.secretAccessKey, day, request.region, 's3'),
  )
    .update(policy, 'utf8')
    .digest('hex');
  return {
    fields: { key: request.key, ...signed, Policy: policy, 'X-Amz-Signature': signature },
    expiresAt,
    conditions,
  };
};
