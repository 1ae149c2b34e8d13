import { Aws, type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type AddToResourcePolicyResult, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../policy-checks.ts';
import { keyPolicy } from './key-policy.ts';

/**
 * A queue whose resource-policy statements for AWS services always carry `aws:SourceAccount` (this
 * account): EventBridge targets add their dead-letter statements with `aws:SourceArn` only.
 */
class SourceAccountQueue extends Queue {
  public override addToResourcePolicy(statement: PolicyStatement): AddToResourcePolicyResult {
    if (statement.principals.some((p) => p instanceof ServicePrincipal))
      statement.addCondition('StringEquals', { 'aws:SourceAccount': Aws.ACCOUNT_ID });
    return super.addToResourcePolicy(statement);
  }
}

/** Properties of a `FailureQueue`. */
export type FailureQueueProps = {
  /** Physical name of the queue. */
  readonly queueName: string;
  /** How long a failure record stays (SQS allows at most 14 days). */
  readonly retentionPeriod: Duration;
  /**
   * What happens to the queue and its key when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
};

/**
 * A dead-letter queue for work that has no source queue: scheduled invocations that EventBridge could not
 * deliver (rule target dead-letter queue) and that Lambda gave up on after its retries (on-failure
 * destination). KMS-encrypted with its own key, whose policy lets EventBridge rules of this account use it,
 * and TLS-only.
 */
export class FailureQueue extends Construct {
  /** The queue. */
  public readonly queue: Queue;
  /** The key that encrypts the queue. */
  public readonly key: IKey;
  /** Physical name of the queue. */
  public readonly queueName: string;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.queueName = props.queueName;
    const key = new Key(this, 'Key', {
      description: `Encrypts SQS queue ${props.queueName} (failed scheduled invocations)`,
      enableKeyRotation: true,
      policy: keyPolicy('sqs'),
      removalPolicy,
    });
    // EventBridge encrypts what it dead-letters with the queue's key.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowEventBridgeRulesToDeadLetter',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*` },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    this.key = key;
    this.queue = new SourceAccountQueue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod,
      removalPolicy,
    });
    const reason = `${props.queueName} is itself a dead-letter queue (of EventBridge rule targets and of Lambda asynchronous invocations): failures stay there for an operator to inspect, not to be dead-lettered again.`;
    acknowledge(this.queue, 'AwsSolutions-SQS3', reason);
    acknowledge(this.queue, 'Serverless-SQSRedrivePolicy', reason);
  }
}
