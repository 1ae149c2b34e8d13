import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parseQuery } from './query.ts';
import type { Authenticated, AuthFailure, Credentials, IncomingRequest } from './request-types.ts';

// Verification is written over node:crypto rather than @smithy/signature-v4: the SDK signer decides for
// itself which headers to sign (and adds x-amz-date, the security token and the content hash), so making it
// reproduce a signature over exactly the caller's SignedHeaders would mean working against it. Written out
// here, each step is the spec's (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html),
// and the tests check it against the SDK signer, an independent implementation.

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a request whose signing time is further than this from its own clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** The longest a presigned URL may live: seven days. */
const MAX_PRESIGN_SECONDS = 604_800;

export type PayloadHash = { readonly hash: string } | { readonly body: Buffer };
export type CredentialLookup = (accessKeyId: string) => Credentials | undefined;

/** The credential scope: `AKID/20261202/eu-west-2/s3/aws4_request`. */
export type Scope = {
  readonly accessKeyId: string;
  readonly day: string;
  readonly region: string;
  readonly service: string;
};

/** What a signature covers, read from the Authorization header or from a presigned URL's query. */
type SignedParts = {
  readonly scope: Scope;
  readonly amzDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly securityToken: string | undefined;
  /** Seconds a presigned URL is valid; absent for the Authorization header. */
  readonly expiresSeconds: number | undefined;
};

const fail = (code: AuthFailure['code'], message: string): AuthFailure => ({ ok: false, code, message });

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** The signing key for a day, region and service: the HMAC chain AWS4+secret → day → region → service. */
export const signingKey = (secret: string, scope: Scope): Buffer =>
  hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.day), scope.region), scope.service), 'aws4_request');

/**
 * Signing keys already derived, by key id and scope (a key is valid for a day, as AWS caches them too):
 * four HMACs a request otherwise. The secret is kept beside it, so a key id issued again with another
 * secret derives afresh. Bounded: starts afresh at 1,024 scopes.
 */
const derivedKeys = new Map<string, { readonly secret: string; readonly key: Buffer }>();
const cachedSigningKey = (accessKeyId: string, secret: string, scope: Scope): Buffer => {
  const id = `${accessKeyId}/${scope.day}/${scope.region}/${scope.service}`;
  const known = derivedKeys.get(id);
  if (known?.secret === secret) return known.key;
  if (derivedKeys.size >= 1024) derivedKeys.clear();
  const key = signingKey(secret, scope);
  derivedKeys.set(id, { secret, key });
  return key;
};

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent leaves !'()* alone, AWS does not. */
const uriEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * S3 signs the path exactly as sent (already encoded once, never normalised: a key may hold `//` or `..`).
 * Every other service signs the normalised path with each segment encoded again, so `%20` becomes `%2520`
 * (what the SDK does with uriEscapePath).
 */
const canonicalUri = (path: string, service: string): string => {
  if (service === 's3') return path === '' ? '/' : path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
};

/** Every parameter but the signature, decoded then re-encoded, sorted by name then value. */
const canonicalQuery = (query: string): string =>
  parseQuery(query)
    .filter(({ name }) => name !== 'X-Amz-Signature')
    .map(({ name, value }) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([n1, v1], [n2, v2]) => (n1 === n2 ? compare(v1, v2) : compare(n1, n2)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');

// Code-unit order, as the spec's "sort by character code point" over ASCII (the encoded text is ASCII).
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const canonicalHeaderValue = (value: string): string =>
  value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();

/** Reads `AKID/20261202/eu-west-2/s3/aws4_request`. */
export const parseScope = (credential: string): Scope | undefined => {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId = '', day = '', region = '', service = ''] = parts;
  if (!accessKeyId || !/^\d{8}$/.test(day) || !region || !service) return undefined;
  return { accessKeyId, day, region, service };
};

/** `20261202T101500Z` → a Date, or undefined when malformed. */
export const parseAmzDate = (amzDate: string): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const fromAuthorizationHeader = (
  header: string,
  headers: IncomingRequest['headers'],
): SignedParts | AuthFailure => {
  if (!header.startsWith(`${ALGORITHM} `))
    return fail('IncompleteSignature', `Unsupported Authorization type; only ${ALGORITHM} is accepted`);
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const amzDate = headers['x-amz-date'];
  if (!credential || !signedHeaders || !signature || !amzDate)
    return fail(
      'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature, and the request an X-Amz-Date header',
    );
  const scope = parseScope(credential);
  if (!scope) return fail('IncompleteSignature', `Malformed credential scope: ${credential}`);
  return {
    scope,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    securityToken: headers['x-amz-security-token'],
    expiresSeconds: undefined,
  };
};

const fromPresignedQuery = (params: ReadonlyMap<string, string>): SignedParts | AuthFailure => {
  const algorithm = params.get('X-Amz-Algorithm');
  const credential = params.get('X-Amz-Credential');
  const amzDate = params.get('X-Amz-Date');
  const expires = params.get('X-Amz-Expires');
  const signedHeaders = params.get('X-Amz-SignedHeaders');
  const signature = params.get('X-Amz-Signature');
  if (algorithm !== ALGORITHM)
    return fail('IncompleteSignature', `X-Amz-Algorithm must be ${ALGORITHM}, not ${algorithm ?? 'absent'}`);
  if (!credential || !amzDate || !expires || !signedHeaders || !signature)
    return fail(
      'IncompleteSignature',
      'A presigned request requires X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature',
    );
  const scope = parseScope(credential);
  if (!scope) return fail('IncompleteSignature', `Malformed credential scope: ${credential}`);
  const expiresSeconds = Number(expires);
  if (!/^\d+$/.test(expires) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_SECONDS)
    return fail('IncompleteSignature', `X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds`);
  return {
    scope,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    securityToken: params.get('X-Amz-Security-Token'),
    expiresSeconds,
  };
};

/**
 * The hash S3 signs: the x-amz-content-sha256 header; for a presigned URL the same value hoisted into the
 * query (the SDK's presigner does that), else UNSIGNED-PAYLOAD.
 */
export const s3PayloadHash = (request: IncomingRequest): { readonly hash: string } => ({
  hash:
    request.headers['x-amz-content-sha256'] ??
    parseQuery(request.query).find(({ name }) => name.toLowerCase() === 'x-amz-content-sha256')?.value ??
    'UNSIGNED-PAYLOAD',
});

/** Constant-time comparison of two hex signatures. */
export const signaturesEqual = (expected: string, given: string): boolean => {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Checks the time window: within the clock skew for a header, before the expiry for a presigned URL. */
const checkTime = (parts: SignedParts, now: Date): AuthFailure | undefined => {
  const signedAt = parseAmzDate(parts.amzDate);
  if (!signedAt) return fail('IncompleteSignature', `Malformed X-Amz-Date: ${parts.amzDate}`);
  if (parts.amzDate.slice(0, 8) !== parts.scope.day)
    return fail(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from X-Amz-Date: '${parts.scope.day}' != '${parts.amzDate.slice(0, 8)}'`,
    );
  const skew = signedAt.getTime() - now.getTime();
  if (skew > MAX_CLOCK_SKEW_MS)
    return fail(
      'RequestExpired',
      `Request is not yet valid: signed for ${parts.amzDate}, now ${now.toISOString()}`,
    );
  if (parts.expiresSeconds === undefined) {
    if (-skew > MAX_CLOCK_SKEW_MS)
      return fail(
        'RequestExpired',
        `Request has expired: signed at ${parts.amzDate}, more than 15 minutes before ${now.toISOString()}`,
      );
  } else if (now.getTime() > signedAt.getTime() + parts.expiresSeconds * 1000) {
    return fail('RequestExpired', 'Request has expired');
  }
  return undefined;
};

/**
 * Authenticates a request signed with Signature Version 4, in the Authorization header or as a presigned
 * URL. For S3 pass `s3PayloadHash(request)` (the gateway must still check the body against a hex hash, as S3
 * does, while streaming it); for the JSON and query services pass the body, whose sha256 is what was signed.
 */
export const verifySignedRequest = (
  request: IncomingRequest,
  payload: PayloadHash,
  lookup: CredentialLookup,
  now: Date,
): Authenticated | AuthFailure => {
  const authorization = request.headers.authorization;
  const params = new Map(parseQuery(request.query).map(({ name, value }) => [name, value] as const));
  const presigned = params.has('X-Amz-Algorithm') || params.has('X-Amz-Signature');
  // Two signatures could disagree about what is signed: AWS refuses the request rather than pick one.
  if (authorization !== undefined && presigned)
    return fail(
      'IncompleteSignature',
      'Only one auth mechanism allowed: the X-Amz-Algorithm query parameter or the Authorization header',
    );
  let parts: SignedParts | AuthFailure;
  if (authorization !== undefined) parts = fromAuthorizationHeader(authorization, request.headers);
  else if (presigned) parts = fromPresignedQuery(params);
  else return fail('MissingAuthenticationToken', 'Request is missing Authentication Token');
  if ('ok' in parts) return parts;

  const { scope } = parts;
  if (!parts.signedHeaders.includes('host'))
    return fail('IncompleteSignature', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const timeFailure = checkTime(parts, now);
  if (timeFailure) return timeFailure;

  // S3 names an unknown key and a wrong session token itself; the other services call both an invalid
  // client token id (see error-responses.ts for the service-specific wire codes).
  const isS3 = scope.service === 's3';
  const credentials = lookup(scope.accessKeyId);
  if (!credentials)
    return isS3
      ? fail('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.')
      : fail('InvalidClientTokenId', 'The security token included in the request is invalid.');
  if (credentials.sessionToken !== parts.securityToken)
    return isS3
      ? fail('InvalidToken', 'The provided token is malformed or otherwise invalid.')
      : fail('InvalidClientTokenId', 'The security token included in the request is invalid.');

  const headerLines: string[] = [];
  for (const name of parts.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined)
      return fail('SignatureDoesNotMatch', `The signed header ${name} is not in the request`);
    headerLines.push(`${name}:${canonicalHeaderValue(value)}`);
  }
  const payloadHash = 'hash' in payload ? payload.hash : sha256Hex(payload.body);
  const canonicalRequest = [
    request.method,
    canonicalUri(request.path, scope.service),
    canonicalQuery(request.query),
    ...headerLines,
    '',
    parts.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, parts.amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const expected = createHmac(
    'sha256',
    cachedSigningKey(scope.accessKeyId, credentials.secretAccessKey, scope),
  )
    .update(stringToSign, 'utf8')
    .digest('hex');
  if (!signaturesEqual(expected, parts.signature))
    return fail(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  return { ok: true, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service };
};
