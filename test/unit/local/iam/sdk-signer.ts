import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingRequest } from '../../../../infra/local/iam/request-types.ts';
import { NodeSha256 } from '../../../support/node-sha256.ts';

// The AWS SDK's own signer signs the requests the verifier must accept: an independent implementation.

export const ACCESS_KEY_ID = 'AKIDEXAMPLE0000001';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

export type SdkRequest = {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
};

/** S3 signs the path as sent, the others encode it again: the SDK's uriEscapePath. */
export type SigningIdentity = { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string };

export const signer = (service: string, credentials?: SigningIdentity) =>
  new SignatureV4({
    credentials: {
      accessKeyId: credentials?.accessKeyId ?? ACCESS_KEY_ID,
      secretAccessKey: credentials?.secretAccessKey ?? SECRET,
      sessionToken: credentials?.sessionToken,
    },
    region: 'eu-west-2',
    service,
    sha256: NodeSha256,
    uriEscapePath: service !== 's3',
    applyChecksum: service !== 's3',
  });

// The query as the SDK's querystring builder puts it on the wire (RFC 3986, every reserved character escaped).
const escapeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const wireQuery = (query: Record<string, string | string[] | null | undefined>): string =>
  Object.entries(query)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => `${escapeRfc3986(name)}=${escapeRfc3986(value)}`)
    .join('&');

const toIncoming = (signed: {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}): IncomingRequest => ({
  method: signed.method,
  path: signed.path,
  query: wireQuery(signed.query ?? {}),
  headers: Object.fromEntries(
    Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
  ),
});

const httpRequest = (request: SdkRequest) => ({
  method: request.method,
  protocol: 'http:',
  hostname: 'localhost',
  port: 4566,
  path: request.path,
  query: request.query ?? {},
  headers: { host: 'localhost:4566', ...request.headers },
  body: request.body,
});

/** Signs with the Authorization header, as an SDK client does, and returns what the gateway would see. */
export const signWithSdk = async (
  service: string,
  request: SdkRequest,
  signingDate: Date,
  credentials?: SigningIdentity,
): Promise<IncomingRequest> => {
  const signed = await signer(service, credentials).sign(httpRequest(request), { signingDate });
  return toIncoming(signed as Parameters<typeof toIncoming>[0]);
};

/** A presigned URL, as SignatureV4.presign (what @aws-sdk/s3-request-presigner calls) makes it. */
export const presignWithSdk = async (
  service: string,
  request: SdkRequest,
  signingDate: Date,
  expiresIn: number,
  credentials?: SigningIdentity,
): Promise<IncomingRequest> => {
  const presigned = await signer(service, credentials).presign(httpRequest(request), {
    signingDate,
    expiresIn,
  });
  return toIncoming(presigned as Parameters<typeof toIncoming>[0]);
};
