import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of an `AccessLogsBucket`. */
export type AccessLogsBucketProps = {
  /** How long server access logs are kept. */
  readonly retention: Duration;
  /**
   * What happens to the bucket when the stack deletes it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether deleting the stack empties the bucket first (needs `RemovalPolicy.DESTROY`).
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
};

/**
 * The bucket that receives the S3 server access logs of the pipeline's buckets, each under its own
 * prefix. SSE-S3, because S3 log delivery writes only to buckets with SSE-S3 default encryption; cdk-nag
 * S1 recognises it as a log target and does not ask it to log itself.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export class AccessLogsBucket extends Construct {
  /** The log bucket. */
  public readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        { expiration: props.retention, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
    });
  }
}
