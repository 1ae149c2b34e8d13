import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { dlqName } from '../config.ts';
import { acknowledge } from '../policy-checks.ts';
import { keyPolicy } from './key-policy.ts';

/** Properties of a `PipelineQueue`. */
export type PipelineQueueProps = {
  /** Physical name of the queue; its dead-letter queue is named `dlqName(queueName)`. */
  readonly queueName: string;
  /** Visibility timeout: `visibilityTimeoutSeconds(fn)` of the function that consumes the queue. */
  readonly visibilityTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** How long a message stays in the dead-letter queue (SQS allows at most 14 days). */
  readonly deadLetterRetention: Duration;
  /**
   * How long a message stays in the queue itself.
   * @default Duration.days(4) (the SQS default)
   */
  readonly retentionPeriod?: Duration;
  /**
   * The customer-managed key that encrypts the queue and its dead-letter queue.
   * @default a new key with rotation on, owned by this construct
   */
  readonly encryptionKey?: IKey;
  /**
   * What happens to the queues and the key when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
};

/**
 * An SQS queue with its dead-letter queue: both encrypted with a customer-managed KMS key, both refusing
 * requests that are not over TLS. The queue's own key (not the bucket's) lets S3 publish to it without
 * a dependency cycle between the bucket and the queue.
 */
export class PipelineQueue extends Construct {
  /** The queue a function consumes. */
  public readonly queue: Queue;
  /** Where a message goes after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: Queue;
  /** Physical name of the queue. */
  public readonly queueName: string;
  /** Physical name of the dead-letter queue. */
  public readonly deadLetterQueueName: string;
  /** How long a received message stays invisible to other consumers. */
  public readonly visibilityTimeout: Duration;
  /** The key that encrypts both queues; producers need kms:GenerateDataKey and consumers kms:Decrypt. */
  public readonly key: IKey;

  constructor(scope: Construct, id: string, props: PipelineQueueProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.queueName = props.queueName;
    this.deadLetterQueueName = dlqName(props.queueName);
    this.visibilityTimeout = props.visibilityTimeout;
    this.key =
      props.encryptionKey ??
      new Key(this, 'Key', {
        description: `Encrypts SQS queue ${props.queueName} and its dead-letter queue`,
        enableKeyRotation: true,
        policy: keyPolicy('sqs'),
        removalPolicy,
      });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: this.deadLetterQueueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention,
      removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      `${this.deadLetterQueueName} is the dead-letter queue of ${this.queueName}: messages stay there for an operator to inspect and redrive, not to be dead-lettered again.`,
    );
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy,
    });
  }
}
