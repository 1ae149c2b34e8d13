import { Aws, CfnOutput } from 'aws-cdk-lib';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { pushConsumerId } from '../../schemas/feed/push-consumers.ts';
import { uploadRoleName } from '../../schemas/role-names.ts';
import type { StageSettings } from '../config.ts';
import type { AccessRoles } from './access.ts';
import type { Observability } from './observability.ts';
import type { Storage } from './storage.ts';

/** Properties of the `Outputs` stage. */
export type OutputsProps = {
  readonly settings: StageSettings;
  readonly storage: Storage;
  readonly access: AccessRoles;
  readonly observability: Observability;
  readonly uploadApiUrl: FunctionUrl | undefined;
};

/**
 * The real names the CLI and operators need (see docs/deploy.md for setting MSHT_* from them). Each
 * output keeps its plain id as its OutputKey (`DataBucketName`, …), which scripts read.
 */
export class Outputs extends Construct {
  constructor(scope: Construct, id: string, props: OutputsProps) {
    super(scope, id);
    const { settings, storage, access, observability } = props;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description }).overrideLogicalId(id);
    output(
      'LandingBucketName',
      storage.landing.bucketName,
      'Landing bucket (incoming/): MSHT_LANDING_BUCKET',
    );
    if (props.uploadApiUrl) {
      output(
        'UploadApiUrl',
        props.uploadApiUrl.url,
        'Upload API (IAM auth): POST {"fileName","period"} for a form',
      );
    }
    output(
      'DataBucketName',
      storage.data.bucketName,
      'Data bucket (reports/, curated/, aggregates/): MSHT_BUCKET',
    );
    output('UploadsTableName', storage.uploads.table.tableName, 'Uploads ledger: MSHT_UPLOADS_TABLE');
    output('MarkersTableName', storage.markers.table.tableName, 'Markers: MSHT_MARKERS_TABLE');
    output('FeedTableName', storage.feed.table.tableName, 'Feed change log: MSHT_FEED_TABLE');
    output('RecordsQueueUrl', storage.recordsQueue.queue.queueUrl, 'Records queue: MSHT_RECORDS_QUEUE_URL');
    output('FeedQueueUrl', storage.feedQueue.queue.queueUrl, 'Feed queue: MSHT_FEED_QUEUE_URL');
    const pushQueues = [...storage.pushQueues].map(
      ([name, q]) => [`Push${pushConsumerId(name)}`, q] as const,
    );
    for (const [id, q] of pushQueues)
      output(`${id}QueueUrl`, q.queue.queueUrl, `Push queue of consumer ${q.queueName}`);
    for (const [id, q] of [
      ['Ingest', storage.ingestQueue],
      ['Records', storage.recordsQueue],
      ['Feed', storage.feedQueue],
      ...pushQueues,
    ] as const) {
      output(`${id}QueueArn`, q.queue.queueArn, `${q.queueName}: destination of a DLQ redrive`);
      output(
        `${id}DeadLetterQueueArn`,
        q.deadLetterQueue.queueArn,
        `${q.deadLetterQueueName}: source of a DLQ redrive`,
      );
    }
    output(
      'ScheduledFailuresQueueUrl',
      storage.scheduledFailures.queue.queueUrl,
      'Failed scheduled invocations',
    );
    output('AlarmTopicArn', observability.alarms.topic.topicArn, 'Subscribe to receive alarms');
    output(
      'UploadRoleArnPattern',
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${uploadRoleName(settings, '{org}')}`,
      'Upload role of an organisation: replace {org} with its code',
    );
    output('NationalTeamRoleArn', access.nationalTeamRole.role.roleArn, 'Role of the national analysis team');
    output('FeedConsumerRoleArn', access.feedConsumerRole.role.roleArn, 'Role of feed consumers');
    output(
      'PublicationReaderRoleArn',
      access.publicationReaderRole.role.roleArn,
      'Role of partners who read the shareable national picture',
    );
    output('DashboardName', observability.dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}
