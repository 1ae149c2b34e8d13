import { percentDecode, queryValues } from './query.ts';
import type { AuthorizationRequest, IncomingRequest, Target } from './request-types.ts';

/** Path-style addressing: `/bucket/key...`, the key percent-decoded (it may hold `/`, `//`, `..`). */
export const parseS3Path = (path: string): { bucket?: string; key?: string } => {
  const rest = path.startsWith('/') ? path.slice(1) : path;
  const slash = rest.indexOf('/');
  const bucket = percentDecode(slash < 0 ? rest : rest.slice(0, slash));
  const key = slash < 0 ? '' : percentDecode(rest.slice(slash + 1));
  return { ...(bucket ? { bucket } : {}), ...(key ? { key } : {}) };
};

const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;

type Actions = {
  readonly GET?: string;
  readonly PUT?: string;
  readonly DELETE?: string;
  readonly POST?: string;
};

/**
 * Bucket sub-resources and the action each method needs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-actions.html).
 * Several deletes need the Put action: S3 has no separate permission for them.
 */
const BUCKET_SUBRESOURCES: Readonly<Record<string, Actions>> = {
  policy: { GET: 's3:GetBucketPolicy', PUT: 's3:PutBucketPolicy', DELETE: 's3:DeleteBucketPolicy' },
  policyStatus: { GET: 's3:GetBucketPolicyStatus' },
  notification: { GET: 's3:GetBucketNotification', PUT: 's3:PutBucketNotification' },
  versioning: { GET: 's3:GetBucketVersioning', PUT: 's3:PutBucketVersioning' },
  encryption: {
    GET: 's3:GetEncryptionConfiguration',
    PUT: 's3:PutEncryptionConfiguration',
    DELETE: 's3:PutEncryptionConfiguration',
  },
  lifecycle: {
    GET: 's3:GetLifecycleConfiguration',
    PUT: 's3:PutLifecycleConfiguration',
    DELETE: 's3:PutLifecycleConfiguration',
  },
  cors: { GET: 's3:GetBucketCORS', PUT: 's3:PutBucketCORS', DELETE: 's3:PutBucketCORS' },
  tagging: { GET: 's3:GetBucketTagging', PUT: 's3:PutBucketTagging', DELETE: 's3:PutBucketTagging' },
  acl: { GET: 's3:GetBucketAcl', PUT: 's3:PutBucketAcl' },
  website: { GET: 's3:GetBucketWebsite', PUT: 's3:PutBucketWebsite', DELETE: 's3:DeleteBucketWebsite' },
  logging: { GET: 's3:GetBucketLogging', PUT: 's3:PutBucketLogging' },
  location: { GET: 's3:GetBucketLocation' },
  publicAccessBlock: {
    GET: 's3:GetBucketPublicAccessBlock',
    PUT: 's3:PutBucketPublicAccessBlock',
    DELETE: 's3:PutBucketPublicAccessBlock',
  },
  ownershipControls: {
    GET: 's3:GetBucketOwnershipControls',
    PUT: 's3:PutBucketOwnershipControls',
    DELETE: 's3:PutBucketOwnershipControls',
  },
  'object-lock': { GET: 's3:GetBucketObjectLockConfiguration', PUT: 's3:PutBucketObjectLockConfiguration' },
  replication: {
    GET: 's3:GetReplicationConfiguration',
    PUT: 's3:PutReplicationConfiguration',
    DELETE: 's3:PutReplicationConfiguration',
  },
  requestPayment: { GET: 's3:GetBucketRequestPayment', PUT: 's3:PutBucketRequestPayment' },
  accelerate: { GET: 's3:GetAccelerateConfiguration', PUT: 's3:PutAccelerateConfiguration' },
  uploads: { GET: 's3:ListBucketMultipartUploads' },
  versions: { GET: 's3:ListBucketVersions' },
};

/** Object sub-resources; the rest (uploads, uploadId, partNumber) are the object's own writes. */
const OBJECT_SUBRESOURCES: Readonly<Record<string, Actions>> = {
  tagging: { GET: 's3:GetObjectTagging', PUT: 's3:PutObjectTagging', DELETE: 's3:DeleteObjectTagging' },
  acl: { GET: 's3:GetObjectAcl', PUT: 's3:PutObjectAcl' },
  retention: { GET: 's3:GetObjectRetention', PUT: 's3:PutObjectRetention' },
  'legal-hold': { GET: 's3:GetObjectLegalHold', PUT: 's3:PutObjectLegalHold' },
  attributes: { GET: 's3:GetObjectAttributes' },
  restore: { POST: 's3:RestoreObject' },
  // SelectObjectContent reads the object.
  select: { POST: 's3:GetObject' },
};

/**
 * The action for the first sub-resource the query names. A method the sub-resource does not serve
 * (DELETE ?notification) gets an action no policy grants, rather than falling through to the bare
 * bucket's or object's operation (DeleteBucket).
 */
const subresourceAction = (
  table: Readonly<Record<string, Actions>>,
  method: string,
  names: Iterable<string>,
): string | undefined => {
  for (const name of names) {
    const actions = table[name];
    if (actions) return actions[method as keyof Actions] ?? `s3:Unsupported${method}-${name}`;
  }
  return undefined;
};

type Context = Record<string, string>;

/** The request headers S3 exposes as condition keys (each only when the header is sent). */
const headerContext = (headers: IncomingRequest['headers']): Context => {
  const context: Context = {};
  for (const name of [
    'x-amz-server-side-encryption',
    'x-amz-server-side-encryption-aws-kms-key-id',
    'x-amz-acl',
    'x-amz-copy-source',
  ]) {
    const value = headers[name];
    if (value !== undefined) context[`s3:${name}`] = value;
  }
  return context;
};

const withContext = (action: string, resource: string, context: Context): AuthorizationRequest =>
  Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };

/** `x-amz-copy-source: /bucket/key?versionId=v` (or without the leading slash), percent-encoded. */
const copySourceRequest = (header: string): AuthorizationRequest | undefined => {
  const [path = '', query = ''] = header.split('?', 2);
  const { bucket, key } = parseS3Path(path.startsWith('/') ? path : `/${path}`);
  if (!bucket || !key) return undefined;
  const versionId = queryValues(query).get('versionId');
  return versionId === undefined
    ? { action: 's3:GetObject', resource: objectArn(bucket, key) }
    : {
        action: 's3:GetObjectVersion',
        resource: objectArn(bucket, key),
        context: { 's3:VersionId': versionId },
      };
};

const bucketRequests = (
  method: string,
  bucket: string,
  query: ReadonlyMap<string, string>,
): AuthorizationRequest[] => {
  const resource = bucketArn(bucket);
  // DeleteObjects names its keys in the XML body, which the gateway has not parsed: asking for
  // s3:DeleteObject on every key of the bucket is stricter than S3 (which asks per key), never looser.
  if (method === 'POST' && query.has('delete'))
    return [{ action: 's3:DeleteObject', resource: `${resource}/*` }];
  const sub = subresourceAction(BUCKET_SUBRESOURCES, method, query.keys());
  if (sub) {
    if (sub !== 's3:ListBucketMultipartUploads' && sub !== 's3:ListBucketVersions')
      return [{ action: sub, resource }];
    return [withContext(sub, resource, listContext(query))];
  }
  switch (method) {
    case 'GET':
      return [withContext('s3:ListBucket', resource, listContext(query))];
    // HeadBucket: S3 asks for s3:ListBucket.
    case 'HEAD':
      return [{ action: 's3:ListBucket', resource }];
    case 'PUT':
      return [{ action: 's3:CreateBucket', resource }];
    case 'DELETE':
      return [{ action: 's3:DeleteBucket', resource }];
    default:
      return [{ action: `s3:Unknown${method}Bucket`, resource }];
  }
};

/** The listing condition keys; s3:prefix is always there ('' when absent) so `StringLike` on it works. */
const listContext = (query: ReadonlyMap<string, string>): Context => {
  const context: Context = { 's3:prefix': query.get('prefix') ?? '' };
  const delimiter = query.get('delimiter');
  const maxKeys = query.get('max-keys') ?? query.get('max-uploads');
  if (delimiter !== undefined) context['s3:delimiter'] = delimiter;
  if (maxKeys !== undefined) context['s3:max-keys'] = maxKeys;
  return context;
};

/**
 * A write is s3:PutObject; setting an ACL or tags with it (x-amz-acl, x-amz-grant-*, x-amz-tagging) also
 * needs s3:PutObjectAcl or s3:PutObjectTagging, as S3 asks.
 */
const writeRequests = (
  headers: IncomingRequest['headers'],
  resource: string,
  context: Context,
): AuthorizationRequest[] => {
  const setsAcl = Object.keys(headers).some(
    (name) => name === 'x-amz-acl' || name.startsWith('x-amz-grant-'),
  );
  return [
    withContext('s3:PutObject', resource, context),
    ...(setsAcl ? [withContext('s3:PutObjectAcl', resource, context)] : []),
    ...(headers['x-amz-tagging'] !== undefined ? [{ action: 's3:PutObjectTagging', resource }] : []),
  ];
};

const objectRequests = (
  request: IncomingRequest,
  bucket: string,
  key: string,
  query: ReadonlyMap<string, string>,
): AuthorizationRequest[] => {
  const { method, headers } = request;
  const resource = objectArn(bucket, key);
  const context = headerContext(headers);
  const versionId = query.get('versionId');
  if (versionId !== undefined) context['s3:VersionId'] = versionId;
  const sub = subresourceAction(OBJECT_SUBRESOURCES, method, query.keys());
  if (sub) return [withContext(sub, resource, context)];
  switch (method) {
    // A specific version needs the version's permission.
    case 'GET':
    case 'HEAD':
      if (query.has('uploadId')) return [{ action: 's3:ListMultipartUploadParts', resource }];
      return [
        withContext(versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', resource, context),
      ];
    case 'PUT': {
      // PutObject and UploadPart; with x-amz-copy-source, CopyObject and UploadPartCopy also read the source.
      const copySource = headers['x-amz-copy-source'];
      const source = copySource === undefined ? undefined : copySourceRequest(copySource);
      return [...writeRequests(headers, resource, context), ...(source ? [source] : [])];
    }
    // CreateMultipartUpload (?uploads) and CompleteMultipartUpload (?uploadId) are writes of the object.
    case 'POST':
      return writeRequests(headers, resource, context);
    case 'DELETE':
      if (query.has('uploadId')) return [{ action: 's3:AbortMultipartUpload', resource }];
      return [
        withContext(
          versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion',
          resource,
          context,
        ),
      ];
    default:
      return [{ action: `s3:Unknown${method}Object`, resource }];
  }
};

/**
 * What S3 asks IAM before serving a REST request (path-style). An operation it does not know maps to an
 * action no policy grants (`s3:Unknown...`), so it is denied rather than let through.
 */
// S3 ARNs name neither account nor region; the target is taken for a signature like the other services'.
export const s3AuthorizationRequests = (
  request: IncomingRequest,
  _target: Target,
): AuthorizationRequest[] => {
  const { bucket, key } = parseS3Path(request.path);
  const query = queryValues(request.query);
  if (!bucket)
    return [
      { action: request.method === 'GET' ? 's3:ListAllMyBuckets' : 's3:UnknownService', resource: '*' },
    ];
  return key === undefined
    ? bucketRequests(request.method, bucket, query)
    : objectRequests(request, bucket, key, query);
};

/**
 * A browser-based POST upload: s3:PutObject on the form's key, with `${filename}` replaced by the file's
 * name as S3 does, and the encryption and ACL fields as condition keys. Field names are case-insensitive.
 */
export const s3PostObjectRequests = (
  bucket: string,
  fields: Readonly<Record<string, string>>,
  _target: Target,
  fileName = '',
): AuthorizationRequest[] => {
  const lower = new Map(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), value] as const));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal placeholder, not a template.
  const key = (lower.get('key') ?? '').replaceAll('${filename}', fileName);
  const context: Context = {};
  for (const [field, conditionKey] of [
    ['x-amz-server-side-encryption', 's3:x-amz-server-side-encryption'],
    ['x-amz-server-side-encryption-aws-kms-key-id', 's3:x-amz-server-side-encryption-aws-kms-key-id'],
    ['acl', 's3:x-amz-acl'],
  ] as const) {
    const value = lower.get(field);
    if (value !== undefined) context[conditionKey] = value;
  }
  return [withContext('s3:PutObject', objectArn(bucket, key), context)];
};
