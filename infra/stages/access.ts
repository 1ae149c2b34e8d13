import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { pushConsumerRoleName } from '../../schemas/feed/push-consumers.ts';
import { PREFIXES } from '../../schemas/object-keys.ts';
import {
  feedConsumerRoleName,
  nationalTeamRoleName,
  publicationReaderRoleName,
  uploadRoleName,
} from '../../schemas/role-names.ts';
import type { StageSettings } from '../config.ts';
import { type AccessGrant, AccessRole } from '../constructs/access-role.ts';
import { keyViaService, listUnder } from '../constructs/iam-statements.ts';
import { OrganisationUploadRole } from '../constructs/organisation-upload-role.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import type { PipelineQueue } from '../constructs/pipeline-queue.ts';
import type { Query } from './query.ts';
import type { Storage } from './storage.ts';

/** Properties of the `AccessRoles` stage. */
export type AccessRolesProps = {
  readonly settings: StageSettings;
  readonly storage: Storage;
  /** SQL over the curated zone: the national team alone may use its workgroup and tables. */
  readonly query: Query;
  /** The aggregation, when built: the national team may run it. */
  readonly aggregate: PipelineFunction | undefined;
  /** The upload API, when built: upload roles may call its Function URL. */
  readonly uploadApi: PipelineFunction | undefined;
};

/** Who may do what from outside: one upload role per organisation, the national team, feed consumers. */
export class AccessRoles extends Construct {
  public readonly uploadRoles: ReadonlyMap<string, OrganisationUploadRole>;
  public readonly nationalTeamRole: AccessRole;
  public readonly feedConsumerRole: AccessRole;
  /** Each push consumer's role, by consumer name: it may read its own queue and nothing else. */
  public readonly pushConsumerRoles: ReadonlyMap<string, AccessRole>;
  public readonly publicationReaderRole: AccessRole;

  constructor(scope: Construct, id: string, props: AccessRolesProps) {
    super(scope, id);
    const { settings, storage, uploadApi } = props;
    this.uploadRoles = new Map(
      settings.organisations.map((organisation) => [
        organisation.code,
        new OrganisationUploadRole(this, `Upload-${organisation.code}`, {
          organisation,
          roleName: uploadRoleName(settings, organisation.code),
          landing: storage.landing,
          data: storage.data,
          ...(uploadApi ? { uploadApiFunctionArn: uploadApi.fn.functionArn } : {}),
        }),
      ]),
    );
    this.nationalTeamRole = new AccessRole(this, 'NationalTeam', {
      roleName: nationalTeamRoleName(settings),
      description: 'National analysis team: reads aggregates, all rejection reports and the curated records',
      principals: settings.nationalTeam.principals,
      grants: [...nationalTeamGrants(storage, props.aggregate), ...props.query.nationalTeamGrants()],
    });
    this.publicationReaderRole = new AccessRole(this, 'PublicationReaders', {
      roleName: publicationReaderRoleName(settings),
      description:
        'Partners: read the current shareable (OFFICIAL) national picture of each month, nothing else',
      principals: settings.publicationReaders.principals,
      grants: publicationReaderGrants(storage),
    });
    this.feedConsumerRole = new AccessRole(this, 'FeedConsumers', {
      roleName: feedConsumerRoleName(settings),
      description: 'Downstream feed consumers: receive from the feed queue and read the change log',
      principals: settings.feedConsumers.principals,
      grants: feedConsumerGrants(storage),
    });
    this.pushConsumerRoles = new Map(
      settings.pushConsumers.map((consumer) => {
        const queue = storage.pushQueues.get(consumer.name);
        if (!queue) throw new Error(`No push queue for consumer ${consumer.name}`);
        return [
          consumer.name,
          new AccessRole(this, `PushConsumer-${consumer.name}`, {
            roleName: pushConsumerRoleName(settings, consumer.name),
            description: `Push consumer ${consumer.name}: receives from its own feed queue, nothing else`,
            principals: consumer.principals,
            grants: queueConsumerGrants(queue),
          }),
        ];
      }),
    );
  }
}

/**
 * The national team reads aggregates, every organisation's reports and the curated records (SQL over the
 * whole data set), and can run an aggregation.
 */
const nationalTeamGrants = (
  { data, uploads }: Storage,
  aggregate: PipelineFunction | undefined,
): AccessGrant[] => [
  {
    statement: new PolicyStatement({
      sid: 'ReadAggregatesReportsAndCurated',
      actions: ['s3:GetObject'],
      resources: [
        data.arnForPrefix(PREFIXES.aggregates),
        data.arnForPrefix(PREFIXES.reports),
        data.arnForPrefix(PREFIXES.curated),
      ],
    }),
    wildcardReason:
      'The national team reads every aggregate, every organisation’s rejection reports and, to analyse the whole data set (msht query, docs/query.md), the curated records (OFFICIAL-SENSITIVE).',
  },
  {
    statement: listUnder('ListAggregatesReportsAndCurated', data.bucket.bucketArn, [
      PREFIXES.aggregates,
      PREFIXES.reports,
      PREFIXES.curated,
    ]),
  },
  { statement: keyViaService('DecryptData', data.key, 's3', 'decrypt') },
  {
    statement: new PolicyStatement({
      sid: 'ReadLedger',
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resources: [uploads.table.tableArn, ...Object.values(uploads.indexArns)],
    }),
  },
  { statement: keyViaService('DecryptLedger', uploads.key, 'dynamodb', 'decrypt') },
  ...(aggregate
    ? [
        {
          statement: new PolicyStatement({
            sid: 'RunAggregation',
            actions: ['lambda:InvokeFunction'],
            resources: [aggregate.fn.functionArn],
          }),
        },
      ]
    : []),
];

/**
 * Publication readers read `aggregates/{month}/shareable/` (the pointer and the current version: earlier
 * versions are deleted when replaced, and no s3:GetObjectVersion is granted), never the internal tier.
 */
const publicationReaderGrants = ({ data }: Storage): AccessGrant[] => [
  {
    statement: new PolicyStatement({
      sid: 'ReadShareablePublications',
      actions: ['s3:GetObject'],
      resources: [`${data.bucket.bucketArn}/${PREFIXES.aggregates}*/shareable/*`],
    }),
    wildcardReason: 'Every month’s shareable publication, under aggregates/{month}/shareable/ only.',
  },
  { statement: keyViaService('DecryptData', data.key, 's3', 'decrypt') },
];

/** Receiving from one queue: what a consumer of it needs, and only for that queue and its key. */
const queueConsumerGrants = (queue: PipelineQueue): AccessGrant[] => [
  {
    statement: new PolicyStatement({
      sid: 'ConsumeFeedQueue',
      actions: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ],
      resources: [queue.queue.queueArn],
    }),
  },
  { statement: keyViaService('DecryptFeedQueue', queue.key, 'sqs', 'decrypt') },
];

/** Feed consumers read the feed queue and the feed change log, nothing else. */
const feedConsumerGrants = ({ feedQueue, feed }: Storage): AccessGrant[] => [
  ...queueConsumerGrants(feedQueue),
  {
    statement: new PolicyStatement({
      sid: 'ReadFeedLog',
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
      resources: [feed.table.tableArn],
    }),
  },
  { statement: keyViaService('DecryptFeedLog', feed.key, 'dynamodb', 'decrypt') },
];
