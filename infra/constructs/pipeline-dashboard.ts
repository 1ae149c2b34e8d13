import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** A queue shown on the dashboard, with its dead-letter queue when it has one. */
export type DashboardQueue = { readonly name: string; readonly queue: IQueue; readonly deadLetter?: IQueue };

/** A function shown on the dashboard. */
export type DashboardFunction = { readonly name: string; readonly fn: IFunction };

/** Properties of a `PipelineDashboard`. */
export type PipelineDashboardProps = {
  readonly dashboardName: string;
  readonly queues: readonly DashboardQueue[];
  readonly functions: readonly DashboardFunction[];
  readonly alarms: readonly IAlarm[];
};

const PERIOD = Duration.minutes(5);

/**
 * The pipeline on one CloudWatch dashboard: alarm states first, then each queue's backlog, the age of its
 * oldest message and its dead-letter queue, then each function's invocations, errors, throttles and
 * duration.
 */
export class PipelineDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const queueWidgets: IWidget[] = props.queues.flatMap(({ name, queue, deadLetter }) => [
      new GraphWidget({
        title: `${name}: backlog and in flight`,
        width: 8,
        left: [
          queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          queue.metricApproximateNumberOfMessagesNotVisible({ period: PERIOD, statistic: 'Maximum' }),
        ],
      }),
      new GraphWidget({
        title: `${name}: age of oldest message (s)`,
        width: 8,
        left: [queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' })],
      }),
      new GraphWidget({
        title: deadLetter ? `${name}: dead-letter queue` : `${name}: messages sent`,
        width: 8,
        left: [
          deadLetter
            ? deadLetter.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' })
            : queue.metricNumberOfMessagesSent({ period: PERIOD, statistic: 'Sum' }),
        ],
      }),
    ]);
    const functionWidgets: IWidget[] = props.functions.flatMap(({ name, fn }) => [
      new GraphWidget({
        title: `${name}: invocations, errors, throttles`,
        width: 12,
        left: [
          fn.metricInvocations({ period: PERIOD, statistic: 'Sum' }),
          fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
          fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        ],
      }),
      new GraphWidget({
        title: `${name}: duration (ms)`,
        width: 12,
        left: [
          fn.metricDuration({ period: PERIOD, statistic: 'p50' }),
          fn.metricDuration({ period: PERIOD, statistic: 'p99' }),
          fn.metricDuration({ period: PERIOD, statistic: 'Maximum' }),
        ],
      }),
    ]);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({
            markdown: `# ${props.dashboardName}\nAlarms, queues and functions of the pipeline. What each alarm means and what to do: docs/deploy.md.`,
            width: 24,
            height: 2,
          }),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 })],
        queueWidgets,
        functionWidgets,
      ],
    });
  }
}
