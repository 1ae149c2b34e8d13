import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { PipelineQueue } from './pipeline-queue.ts';

/** The top-level prefixes of the data bucket, one per stage of the data's life. */
export const DATA_PREFIXES = {
  /** Uploads from forces and agencies: incoming/{org}/{YYYY-MM}/{file}. */
  incoming: 'incoming/',
  /** Rejection reports: reports/{org}/{uploadId}.json|.csv. */
  reports: 'reports/',
  /** Accepted, normalised records: curated/{YYYY-MM}/{org}/{uploadId}.jsonl.gz. */
  curated: 'curated/',
  /** Monthly national aggregates: aggregates/{YYYY-MM}/. */
  aggregates: 'aggregates/',
} as const;

/** One of the data bucket's top-level prefixes. */
export type DataPrefix = (typeof DATA_PREFIXES)[keyof typeof DATA_PREFIXES];

/** Properties of a `DataBucket`. */
export type DataBucketProps = {
  /** Physical bucket name (fixed, so queue policies can name the bucket without referencing it). */
  readonly bucketName: string;
  /**
   * What happens to the buckets and the key when the stack deletes them. DESTROY only deletes empty
   * buckets: objects are never deleted behind an operator's back.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * How long server access logs are kept.
   * @default Duration.days(365)
   */
  readonly accessLogsRetention?: Duration;
  /**
   * The customer-managed key for SSE-KMS.
   * @default a new key with rotation on, owned by this construct
   */
  readonly encryptionKey?: IKey;
};

/**
 * The pipeline's one data bucket: SSE-KMS with a customer-managed key (S3 Bucket Keys on), versioned,
 * all public access blocked, TLS-only, ACLs disabled, with server access logs written to a separate
 * bucket. Prefixes are in `DATA_PREFIXES`.
 */
export class DataBucket extends Construct {
  /** The data bucket. */
  public readonly bucket: Bucket;
  /** The key that encrypts the data bucket's objects. */
  public readonly key: IKey;
  /** The bucket that receives the data bucket's server access logs (SSE-S3, as S3 log delivery requires). */
  public readonly accessLogsBucket: Bucket;

  private readonly bucketName: string;
  private readonly queueConfigurations: CfnBucket.QueueConfigurationProperty[] = [];

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.bucketName = props.bucketName;

    this.key =
      props.encryptionKey ??
      new Key(this, 'Key', {
        description: `Encrypts the objects of S3 bucket ${props.bucketName}`,
        enableKeyRotation: true,
        removalPolicy,
      });

    // S3 server access logging delivers only to a bucket with SSE-S3 default encryption (cdk-nag S1
    // recognises this bucket as a log target and does not ask it to log itself).
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ expiration: props.accessLogsRetention ?? Duration.days(365) }],
      removalPolicy,
    });
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
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy,
    });
  }

  /** The ARN pattern of every object under one of the bucket's prefixes, for IAM statements. */
  public arnForPrefix(prefix: DataPrefix): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }

  /**
   * Sends an S3 ObjectCreated notification for every object created under `prefix` to `target`.
   *
   * The notification is set on the bucket itself rather than through CDK's notifications custom
   * resource (a Lambda function with s3:PutBucketNotification on `*`). The queue policy names the bucket
   * by its fixed ARN, not by reference, and the bucket waits for that policy, so S3's test message on
   * creation succeeds and there is no cycle.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
   */
  public notifyObjectCreated(prefix: DataPrefix, target: PipelineQueue): void {
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    const s3 = new ServicePrincipal('s3.amazonaws.com');
    const policy = target.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowS3ObjectCreatedNotifications',
        principals: [s3],
        actions: ['sqs:SendMessage'],
        resources: [target.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    // S3 encrypts the message it sends with the queue's key, so the key policy must let it.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ways-to-add-notification-config-to-bucket.html#step1-create-sqs-queue-for-notification
    target.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowS3ToEncryptNotifications',
        principals: [s3],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
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
