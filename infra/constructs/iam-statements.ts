import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';

/** The AWS services through which a principal may use a customer-managed key. */
export type KeyService = 's3' | 'sqs' | 'dynamodb' | 'secretsmanager';

/** What a principal does with a key: read what the service decrypts, or also write what it encrypts. */
export type KeyUse = 'decrypt' | 'encrypt-decrypt';

const KEY_ACTIONS: Readonly<Record<KeyService, Readonly<Record<KeyUse, readonly string[]>>>> = {
  // S3 with Bucket Keys calls GenerateDataKey on upload and Decrypt on download and multipart uploads.
  s3: { decrypt: ['kms:Decrypt'], 'encrypt-decrypt': ['kms:Decrypt', 'kms:GenerateDataKey'] },
  sqs: { decrypt: ['kms:Decrypt'], 'encrypt-decrypt': ['kms:Decrypt', 'kms:GenerateDataKey'] },
  dynamodb: {
    decrypt: ['kms:Decrypt', 'kms:DescribeKey'],
    'encrypt-decrypt': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  },
  // GetSecretValue decrypts; PutSecretValue would generate a data key.
  // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
  secretsmanager: { decrypt: ['kms:Decrypt'], 'encrypt-decrypt': ['kms:Decrypt', 'kms:GenerateDataKey'] },
};

/**
 * Use of a customer-managed key only through one AWS service in this region (`kms:ViaService`): the
 * principal can have S3, SQS, DynamoDB or Secrets Manager decrypt for it, but cannot call KMS directly
 * with the key.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export const keyViaService = (sid: string, key: IKey, service: KeyService, use: KeyUse): PolicyStatement =>
  new PolicyStatement({
    sid,
    actions: [...KEY_ACTIONS[service][use]],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
  });

/**
 * s3:ListBucket restricted to key prefixes (`s3:prefix`), so that a principal can list its own keys and
 * no one else's: a listing without a prefix, or under another prefix, is denied.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
export const listUnder = (sid: string, bucketArn: string, prefixes: readonly string[]): PolicyStatement =>
  new PolicyStatement({
    sid,
    actions: ['s3:ListBucket'],
    resources: [bucketArn],
    conditions: { StringLike: { 's3:prefix': prefixes.flatMap((p) => [p, `${p}*`]) } },
  });
