import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { FailureQueue } from './failure-queue.ts';
import type { PipelineFunction } from './pipeline-function.ts';

/** Properties of a `ScheduledInvocation`. */
export type ScheduledInvocationProps = {
  /** The function to run. */
  readonly fn: PipelineFunction;
  /** EventBridge schedule expression in UTC, e.g. `cron(0 3 6 * ? *)` or `rate(1 hour)`. */
  readonly schedule: string;
  /** What the rule is for, shown in the console. */
  readonly description: string;
  /** Where undeliverable events and failed invocations go. */
  readonly failures: FailureQueue;
  /**
   * Times EventBridge retries delivery, and Lambda retries a failed invocation.
   * @default 2
   */
  readonly retryAttempts?: number;
};

/**
 * Runs a function on an EventBridge schedule. The function receives EventBridge's scheduled event (its
 * `time` says which run this is, e.g. the month before it for the monthly aggregation). An event
 * EventBridge cannot deliver, and an invocation that still fails after Lambda's retries, both end in the
 * failure queue, whose depth is alarmed.
 */
export class ScheduledInvocation extends Construct {
  /** The EventBridge rule. */
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledInvocationProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 2;
    this.rule = new Rule(this, 'Rule', {
      description: props.description,
      schedule: Schedule.expression(props.schedule),
      targets: [
        new LambdaFunction(props.fn.fn, {
          deadLetterQueue: props.failures.queue,
          retryAttempts,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    props.fn.sendAsyncFailuresTo(props.failures, retryAttempts);
  }
}
