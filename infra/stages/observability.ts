import { Construct } from 'constructs';
import type { StageSettings } from '../config.ts';
import { PipelineAlarms } from '../constructs/pipeline-alarms.ts';
import { type DashboardQueue, PipelineDashboard } from '../constructs/pipeline-dashboard.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import { FUNCTIONS, type HandlerName } from '../function-registry.ts';
import { removalPolicyOf, type Storage } from './storage.ts';

/** Properties of the `Observability` stage. */
export type ObservabilityProps = {
  readonly settings: StageSettings;
  readonly storage: Storage;
  /** Every function the stack built, in registry order. */
  readonly functions: ReadonlyMap<HandlerName, PipelineFunction>;
};

/**
 * The alarms (to one SNS topic) and the dashboard: dead letters and old messages on the queues, failed
 * scheduled invocations, errors and throttles of every function, and uploads stuck in processing.
 */
export class Observability extends Construct {
  public readonly alarms: PipelineAlarms;
  public readonly dashboard: PipelineDashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { settings, storage, functions } = props;
    const { ingestQueue, recordsQueue, feedQueue, scheduledFailures } = storage;
    this.alarms = new PipelineAlarms(this, 'Alarms', {
      prefix: settings.prefix,
      removalPolicy: removalPolicyOf(settings),
    });
    const queues: (DashboardQueue & { readonly ageSeconds?: number })[] = [
      {
        name: ingestQueue.queueName,
        queue: ingestQueue.queue,
        deadLetter: ingestQueue.deadLetterQueue,
        ageSeconds: settings.alarms.oldestMessageAgeSeconds.ingest,
      },
      {
        name: recordsQueue.queueName,
        queue: recordsQueue.queue,
        deadLetter: recordsQueue.deadLetterQueue,
        ageSeconds: settings.alarms.oldestMessageAgeSeconds.records,
      },
      { name: feedQueue.queueName, queue: feedQueue.queue, deadLetter: feedQueue.deadLetterQueue },
      ...[...storage.pushQueues.values()].map((q) => ({
        name: q.queueName,
        queue: q.queue,
        deadLetter: q.deadLetterQueue,
      })),
      { name: scheduledFailures.queueName, queue: scheduledFailures.queue },
    ];
    for (const q of queues) {
      // Stable construct ids from the queue's own (IngestQueue, ...), whatever the order here.
      const id = (q.queue.node.scope as Construct).node.id;
      if (q.deadLetter) {
        this.alarms.queueNotEmpty(
          `${id}DeadLetters`,
          q.deadLetter,
          `${q.name}-dlq`,
          'messages that failed every retry',
        );
      }
      if (q.ageSeconds !== undefined)
        this.alarms.oldestMessageAge(`${id}OldestMessage`, q.queue, q.name, q.ageSeconds);
    }
    this.alarms.queueNotEmpty(
      'ScheduledFailuresNotEmpty',
      scheduledFailures.queue,
      scheduledFailures.queueName,
      'scheduled invocations that failed every retry',
    );
    for (const fn of functions.values())
      this.alarms.functionHealth(`${fn.node.id}Health`, fn.fn, fn.functionName);
    this.alarms.uploadsStuck(
      'UploadsStuck',
      settings.stage,
      FUNCTIONS.stuckUploads.service,
      functions.has('stuckUploads'),
    );
    this.dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: settings.prefix,
      queues,
      functions: [...functions.values()].map((fn) => ({ name: fn.functionName, fn: fn.fn })),
      alarms: this.alarms.alarms,
    });
  }
}
