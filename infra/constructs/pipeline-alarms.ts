import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keyPolicy } from './key-policy.ts';

/** Properties of `PipelineAlarms`. */
export type PipelineAlarmsProps = {
  /** Prefix of the alarm names and the topic name, e.g. `msht-prod`. */
  readonly prefix: string;
  /**
   * What happens to the topic's key when the stack deletes it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
};

/** Namespace of the pipeline's own metrics (Powertools Metrics in the functions). */
export const METRICS_NAMESPACE = 'msht';

/**
 * The pipeline's alarms and the SNS topic they notify (KMS-encrypted with its own key, TLS-only). Each
 * alarm name says what went wrong; docs/deploy.md says what to do about each. Subscribe people or a
 * chat integration to the topic (its ARN is a stack output).
 */
export class PipelineAlarms extends Construct {
  /** The topic every alarm notifies, on ALARM and back to OK. */
  public readonly topic: Topic;
  /** Every alarm, in the order they were added (the dashboard shows them). */
  public readonly alarms: Alarm[] = [];

  private readonly prefix: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.prefix = props.prefix;
    const key = new Key(this, 'Key', {
      description: `Encrypts SNS topic ${props.prefix}-alarms`,
      enableKeyRotation: true,
      policy: keyPolicy('sns'),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
    };
    // CloudWatch publishes to an encrypted topic only if the key policy lets it.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: `${props.prefix}-alarms`,
      displayName: `${props.prefix} pipeline alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    this.action = new SnsAction(this.topic);
  }

  /**
   * An alarm on `metric` reaching `threshold`, notifying the topic on ALARM and on OK. Its name is `name`
   * with the stage prefix, unless `name` (e.g. a queue name) already starts with it.
   */
  public add(
    id: string,
    props: {
      readonly name: string;
      readonly description: string;
      readonly metric: IMetric;
      readonly threshold: number;
      readonly evaluationPeriods?: number;
      readonly treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: props.name.startsWith(`${this.prefix}-`) ? props.name : `${this.prefix}-${props.name}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** A dead-letter (or failure) queue holds at least one message: some work failed for good. */
  public queueNotEmpty(id: string, queue: IQueue, queueName: string, holds: string): Alarm {
    return this.add(id, {
      name: `${queueName}-not-empty`,
      description: `${queueName} holds ${holds}. See docs/deploy.md, "Alarms: what each means and what to do".`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
    });
  }

  /** The oldest message of a queue has waited `seconds` or more: its consumer is stuck or too slow. */
  public oldestMessageAge(id: string, queue: IQueue, queueName: string, seconds: number): Alarm {
    return this.add(id, {
      name: `${queueName}-oldest-message-age`,
      description: `The oldest message in ${queueName} has waited ${seconds}s or more. See docs/deploy.md, "Alarms: what each means and what to do".`,
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: seconds,
    });
  }

  /** A function failed (Errors) or was refused (Throttles) at least once in five minutes. */
  public functionHealth(id: string, fn: IFunction, functionName: string): void {
    this.add(`${id}Errors`, {
      name: `${functionName}-errors`,
      description: `${functionName} failed at least once in 5 minutes. See docs/deploy.md, "Alarms: what each means and what to do".`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
    });
    this.add(`${id}Throttles`, {
      name: `${functionName}-throttles`,
      description: `${functionName} was throttled at least once in 5 minutes. See docs/deploy.md, "Alarms: what each means and what to do".`,
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
    });
  }

  /**
   * Uploads stuck in PROCESSING: the `UploadsStuckInProcessing` metric (namespace `msht`, dimensions
   * `service` and `stage`, as Powertools Metrics publishes them) is the number of ledger entries still
   * PROCESSING longer than the ingest function can run. Missing data counts as breaching once
   * `expectMetric` says its publisher is deployed, so a publisher that stops publishing is noticed too.
   */
  public uploadsStuck(id: string, stage: string, service: string, expectMetric: boolean): Alarm {
    return this.add(id, {
      name: 'uploads-stuck-in-processing',
      description:
        'At least one upload has been RECEIVED or PROCESSING in the ledger for longer than ingest can hold it. See docs/deploy.md, "Alarms: what each means and what to do".',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'UploadsStuckInProcessing',
        dimensionsMap: { service, stage },
        period: Duration.minutes(15),
        statistic: 'Maximum',
      }),
      threshold: 1,
      treatMissingData: expectMetric ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
    });
  }
}
