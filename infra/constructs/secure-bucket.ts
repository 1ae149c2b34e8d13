import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  type LifecycleRule,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { keyPolicy } from './key-policy.ts';
import type { PipelineQueue } from './pipeline-queue.ts';

/** How long objects under one prefix are kept. */
export type PrefixRetention = {
  /** Key prefix, e.g. `curated/`. */
  readonly prefix: string;
  /** Days after creation the current version expires; `null` keeps it. */
  readonly days: number | null;
};

/** Properties of a `SecureBucket`. */
export type SecureBucketProps = {
  /** Physical bucket name; globally unique, so it should include the account and region. */
  readonly bucketName: string;
  /** What the bucket holds, for the key's description. */
  readonly purpose: string;
  /** Where server access logs go (under `{bucketName}/`). */
  readonly accessLogsBucket: IBucket;
  /** Expiration per prefix (S3 lifecycle rules). */
  readonly retention: readonly PrefixRetention[];
  /** Days a noncurrent (replaced or deleted) version is kept. */
  readonly noncurrentVersionDays: number;
  /**
   * Object Lock default retention: every new object version is immutable for `days`. Object Lock can be
   * enabled only when a bucket is created.
   * @default Object Lock off
   */
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number } | null;
  /**
   * What happens to the bucket and its key when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether deleting the stack empties the bucket first (needs `RemovalPolicy.DESTROY`; CDK adds a
   * custom resource that deletes every object version).
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
};

/**
 * A bucket for OFFICIAL-SENSITIVE data: SSE-KMS with its own customer-managed key (rotation on, S3 Bucket
 * Keys on), versioned, all public access blocked, TLS 1.2+ only, ACLs disabled, server access logs to the
 * log bucket, lifecycle rules from retention settings and optionally Object Lock.
 */
export class SecureBucket extends Construct {
  /** The bucket. */
  public readonly bucket: Bucket;
  /** The key that encrypts the bucket's objects. */
  public readonly key: IKey;
  /** Physical name of the bucket. */
  public readonly bucketName: string;

  private readonly queueConfigurations: CfnBucket.QueueConfigurationProperty[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.bucketName = props.bucketName;
    this.key = new Key(this, 'Key', {
      description: `Encrypts the objects of the S3 bucket for ${props.purpose}`,
      enableKeyRotation: true,
      policy: keyPolicy('s3'),
      removalPolicy,
    });
    const noncurrentVersionExpiration = Duration.days(props.noncurrentVersionDays);
    const lifecycleRules: LifecycleRule[] = [
      {
        id: 'abort-incomplete-multipart-uploads-and-expire-noncurrent-versions',
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        noncurrentVersionExpiration,
        expiredObjectDeleteMarker: true,
      },
      ...props.retention
        .filter((rule) => rule.days !== null)
        .map((rule) => ({
          id: `expire-${rule.prefix.replace(/\/$/, '')}`,
          prefix: rule.prefix,
          expiration: Duration.days(rule.days as number),
        })),
    ];
    const lock = props.objectLock;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules,
      ...(lock
        ? {
            objectLockEnabled: true,
            objectLockDefaultRetention:
              lock.mode === 'COMPLIANCE'
                ? ObjectLockRetention.compliance(Duration.days(lock.days))
                : ObjectLockRetention.governance(Duration.days(lock.days)),
          }
        : {}),
      removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
    });
  }

  /**
   * Denies every s3:PutObject that asks for any encryption other than this bucket's key: another algorithm
   * (`x-amz-server-side-encryption` not `aws:kms`), another KMS key (`…-aws-kms-key-id` not this key's
   * ARN) or a customer-provided key (SSE-C). A request without these headers is let through: S3 then
   * applies the bucket's default encryption, which is this key.
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionRule.html
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
   */
  public denyUploadsNotUnderOwnKey(): void {
    const deny = (sid: string, conditions: Record<string, unknown>) =>
      this.bucket.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects('*')],
          conditions,
        }),
      );
    // Null false: the header is present (an absent one means the bucket default, this key).
    deny('DenyUploadsNotEncryptedWithKms', {
      Null: { 's3:x-amz-server-side-encryption': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
    deny('DenyUploadsUnderAnotherKey', {
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.key.keyArn },
    });
    deny('DenyUploadsWithCustomerKeys', {
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
    });
  }

  /** The ARN pattern of every object under a prefix (e.g. `incoming/PF-E23000001/`), for IAM statements. */
  public arnForPrefix(prefix: string): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }

  /**
   * Sends an S3 ObjectCreated notification for every object created under `prefix` to `target`.
   *
   * The notification is set on the bucket itself rather than through CDK's notifications custom
   * resource (a Lambda function with s3:PutBucketNotification on `*`). The queue policy names the bucket
   * by its ARN built from the name, not by reference, and the bucket waits for that policy, so S3's test
   * message on creation succeeds and there is no cycle. The queue has its own key (CDK check F3004).
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
   */
  public notifyObjectCreated(prefix: string, target: PipelineQueue): void {
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    const s3 = new ServicePrincipal('s3.amazonaws.com');
    const sourceConditions = {
      ArnEquals: { 'aws:SourceArn': bucketArn },
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    };
    const policy = target.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowS3ObjectCreatedNotifications',
        principals: [s3],
        actions: ['sqs:SendMessage'],
        resources: [target.queue.queueArn],
        conditions: sourceConditions,
      }),
    );
    // S3 encrypts the message it sends with the queue's key, so the key policy must let it (as in the AWS
    // example), for this bucket and account only, like the queue policy above.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ways-to-add-notification-config-to-bucket.html#step1-create-sqs-queue-for-notification
    target.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowS3ToEncryptNotifications',
        principals: [s3],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: sourceConditions,
      }),
    );
    this.queueConfigurations.push({
      event: 's3:ObjectCreated:*',
      queue: target.queue.queueArn,
      filter: { s3Key: { rules: [{ name: 'prefix', value: prefix }] } },
    });
    const cfnBucket = this.bucket.node.defaultChild as CfnBucket;
    cfnBucket.notificationConfiguration = { queueConfigurations: [...this.queueConfigurations] };
    if (policy.policyDependable) cfnBucket.node.addDependency(policy.policyDependable);
  }
}
