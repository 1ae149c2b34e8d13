import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingRequest } from '../../../../infra/local/iam/request-types.ts';
import {
  parseS3Path,
  s3AuthorizationRequests,
  s3PostObjectRequests,
} from '../../../../infra/local/iam/s3-requests.ts';
import { cannedServer, clientOptions } from './aws-sdk-server.ts';

const TARGET = { account: '000000000000', region: 'eu-west-2' };
const OBJECT = 'arn:aws:s3:::landing/incoming/NA-NCA/2026 12/a+b.csv';
const KEY = 'incoming/NA-NCA/2026 12/a+b.csv';

// Each command goes through the real S3 client to a server that answers 200 with nothing: what it sent
// is what the gateway will map.
let server: Awaited<ReturnType<typeof cannedServer>>;
let s3: S3Client;
beforeAll(async () => {
  server = await cannedServer({ status: 200, headers: {}, body: '' });
  s3 = new S3Client({ ...clientOptions(server.endpoint), forcePathStyle: true });
});
afterAll(() => server.close());

// Any command: the client's send overloads do not accept a union of command types.
type AnyCommand = Parameters<S3Client['send']>[0] | object;
const sent = async (command: AnyCommand): Promise<IncomingRequest> => {
  const before = server.seen.length;
  await s3.send(command as never).catch(() => undefined);
  const request = server.seen[before];
  if (!request) throw new Error('the SDK sent nothing');
  const [path = '', query = ''] = request.url.split('?', 2);
  return {
    method: request.method,
    path,
    query,
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : value,
      ]),
    ),
  };
};
const mapped = async (command: AnyCommand) => s3AuthorizationRequests(await sent(command), TARGET);

describe('parseS3Path', () => {
  it('splits bucket and percent-decoded key, keeping slashes in the key', () => {
    expect(parseS3Path('/landing/incoming/a%20b//c%2Bd.csv')).toEqual({
      bucket: 'landing',
      key: 'incoming/a b//c+d.csv',
    });
    expect(parseS3Path('/landing')).toEqual({ bucket: 'landing' });
    expect(parseS3Path('/landing/')).toEqual({ bucket: 'landing' });
    expect(parseS3Path('/')).toEqual({});
  });

  it('gives back any key the SDK encodes, segment by segment', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), (key) => {
        const path = `/landing/${key.split('/').map(encodeURIComponent).join('/')}`;
        expect(parseS3Path(path)).toEqual({ bucket: 'landing', key });
      }),
    );
  });
});

describe('s3AuthorizationRequests, over what the S3 client sends', () => {
  it('reads and heads objects with s3:GetObject, a version with s3:GetObjectVersion', async () => {
    expect(await mapped(new GetObjectCommand({ Bucket: 'landing', Key: KEY }))).toEqual([
      { action: 's3:GetObject', resource: OBJECT },
    ]);
    expect(await mapped(new HeadObjectCommand({ Bucket: 'landing', Key: KEY }))).toEqual([
      { action: 's3:GetObject', resource: OBJECT },
    ]);
    expect(await mapped(new GetObjectCommand({ Bucket: 'landing', Key: KEY, VersionId: 'v1' }))).toEqual([
      { action: 's3:GetObjectVersion', resource: OBJECT, context: { 's3:VersionId': 'v1' } },
    ]);
  });

  it('writes with s3:PutObject and the encryption and ACL condition keys', async () => {
    const put = new PutObjectCommand({
      Bucket: 'landing',
      Key: KEY,
      Body: 'x',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:eu-west-2:000000000000:key/k',
      ACL: 'private',
    });
    expect(await mapped(put)).toEqual([
      {
        action: 's3:PutObject',
        resource: OBJECT,
        context: {
          's3:x-amz-server-side-encryption': 'aws:kms',
          's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-2:000000000000:key/k',
          's3:x-amz-acl': 'private',
        },
      },
      expect.objectContaining({ action: 's3:PutObjectAcl', resource: OBJECT }),
    ]);
  });

  it('asks for the ACL and tagging permissions when a write sets them', async () => {
    const put = new PutObjectCommand({
      Bucket: 'landing',
      Key: KEY,
      Body: 'x',
      ACL: 'private',
      Tagging: 'a=b',
    });
    expect(await mapped(put)).toEqual([
      { action: 's3:PutObject', resource: OBJECT, context: { 's3:x-amz-acl': 'private' } },
      { action: 's3:PutObjectAcl', resource: OBJECT, context: { 's3:x-amz-acl': 'private' } },
      { action: 's3:PutObjectTagging', resource: OBJECT },
    ]);
  });

  it('maps the multipart upload steps', async () => {
    const upload = { Bucket: 'landing', Key: KEY };
    expect(await mapped(new CreateMultipartUploadCommand(upload))).toEqual([
      { action: 's3:PutObject', resource: OBJECT },
    ]);
    expect(
      await mapped(new UploadPartCommand({ ...upload, UploadId: 'u', PartNumber: 1, Body: 'x' })),
    ).toEqual([{ action: 's3:PutObject', resource: OBJECT }]);
    expect(
      await mapped(
        new CompleteMultipartUploadCommand({
          ...upload,
          UploadId: 'u',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: 'e' }] },
        }),
      ),
    ).toEqual([{ action: 's3:PutObject', resource: OBJECT }]);
    expect(await mapped(new AbortMultipartUploadCommand({ ...upload, UploadId: 'u' }))).toEqual([
      { action: 's3:AbortMultipartUpload', resource: OBJECT },
    ]);
    expect(await mapped(new ListPartsCommand({ ...upload, UploadId: 'u' }))).toEqual([
      { action: 's3:ListMultipartUploadParts', resource: OBJECT },
    ]);
    expect(await mapped(new ListMultipartUploadsCommand({ Bucket: 'landing', Prefix: 'incoming/' }))).toEqual(
      [
        {
          action: 's3:ListBucketMultipartUploads',
          resource: 'arn:aws:s3:::landing',
          context: { 's3:prefix': 'incoming/' },
        },
      ],
    );
  });

  it('deletes with s3:DeleteObject; DeleteObjects asks for every key of the bucket', async () => {
    expect(await mapped(new DeleteObjectCommand({ Bucket: 'landing', Key: KEY }))).toEqual([
      { action: 's3:DeleteObject', resource: OBJECT },
    ]);
    expect(
      await mapped(new DeleteObjectsCommand({ Bucket: 'landing', Delete: { Objects: [{ Key: 'a' }] } })),
    ).toEqual([{ action: 's3:DeleteObject', resource: 'arn:aws:s3:::landing/*' }]);
  });

  it('copies with s3:PutObject on the target and s3:GetObject on the source', async () => {
    const copy = new CopyObjectCommand({
      Bucket: 'curated',
      Key: 'out/b.csv',
      CopySource: `landing/${encodeURIComponent(KEY)}`,
    });
    expect(await mapped(copy)).toEqual([
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::curated/out/b.csv',
        context: { 's3:x-amz-copy-source': `landing/${encodeURIComponent(KEY)}` },
      },
      { action: 's3:GetObject', resource: OBJECT },
    ]);
  });

  it('lists with s3:ListBucket on the bucket and the listing condition keys', async () => {
    expect(
      await mapped(
        new ListObjectsV2Command({
          Bucket: 'landing',
          Prefix: 'incoming/NA-NCA/',
          Delimiter: '/',
          MaxKeys: 10,
        }),
      ),
    ).toEqual([
      {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::landing',
        context: { 's3:prefix': 'incoming/NA-NCA/', 's3:delimiter': '/', 's3:max-keys': '10' },
      },
    ]);
    expect(await mapped(new ListObjectsV2Command({ Bucket: 'landing' }))).toEqual([
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::landing', context: { 's3:prefix': '' } },
    ]);
    expect(await mapped(new HeadBucketCommand({ Bucket: 'landing' }))).toEqual([
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::landing' },
    ]);
    expect(await mapped(new ListBucketsCommand({}))).toEqual([
      { action: 's3:ListAllMyBuckets', resource: '*' },
    ]);
  });

  it('maps bucket sub-resources to their own actions', async () => {
    expect(await mapped(new GetBucketPolicyCommand({ Bucket: 'landing' }))).toEqual([
      { action: 's3:GetBucketPolicy', resource: 'arn:aws:s3:::landing' },
    ]);
    expect(await mapped(new GetBucketLocationCommand({ Bucket: 'landing' }))).toEqual([
      { action: 's3:GetBucketLocation', resource: 'arn:aws:s3:::landing' },
    ]);
    expect(
      await mapped(
        new PutBucketVersioningCommand({ Bucket: 'landing', VersioningConfiguration: { Status: 'Enabled' } }),
      ),
    ).toEqual([{ action: 's3:PutBucketVersioning', resource: 'arn:aws:s3:::landing' }]);
    expect(
      await mapped(
        new PutBucketNotificationConfigurationCommand({ Bucket: 'landing', NotificationConfiguration: {} }),
      ),
    ).toEqual([{ action: 's3:PutBucketNotification', resource: 'arn:aws:s3:::landing' }]);
  });

  it('denies what it does not know rather than let it through', () => {
    const odd = s3AuthorizationRequests(
      { method: 'PATCH', path: '/landing/k', query: '', headers: {} },
      TARGET,
    );
    expect(odd).toEqual([{ action: 's3:UnknownPATCHObject', resource: 'arn:aws:s3:::landing/k' }]);
    const deleteNotification = s3AuthorizationRequests(
      { method: 'DELETE', path: '/landing', query: 'notification', headers: {} },
      TARGET,
    );
    expect(deleteNotification).toEqual([
      { action: 's3:UnsupportedDELETE-notification', resource: 'arn:aws:s3:::landing' },
    ]);
  });
});

describe('s3PostObjectRequests', () => {
  it('asks s3:PutObject on the form key with the filename placeholder replaced and the encryption fields', () => {
    const fields = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal placeholder, not a template.
      Key: 'incoming/NA-NCA/${filename}',
      'X-Amz-Server-Side-Encryption': 'aws:kms',
      acl: 'private',
    };
    expect(s3PostObjectRequests('landing', fields, TARGET, 'subjects.csv')).toEqual([
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::landing/incoming/NA-NCA/subjects.csv',
        context: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-acl': 'private' },
      },
    ]);
  });
});
