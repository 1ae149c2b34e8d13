import { Aws, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ORG_CODES } from '../../schemas/common/organisations.ts';
import {
  QUERY_RESULTS_PREFIX,
  queryDatabaseName,
  queryWorkgroupName,
} from '../../schemas/query/athena-names.ts';
import { type ColumnType, glueType } from '../../schemas/query/columns.ts';
import { QUERY_TABLES, QUERY_VIEWS, type QueryTable } from '../../schemas/query/tables.ts';
import type { StageSettings } from '../config.ts';
import type { AccessGrant } from '../constructs/access-role.ts';
import { keyViaService, listUnder } from '../constructs/iam-statements.ts';
import type { Storage } from './storage.ts';

/** Properties of the `Query` stage. */
export type QueryProps = { readonly settings: StageSettings; readonly storage: Storage };

/** The first month partition projection lists (months before it hold no curated records). */
const FIRST_MONTH = '2020-01';

/** The Presto (Trino) name of a column type, for a view's stored definition. */
const prestoType = (type: ColumnType): string => {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'varchar';
    case 'array':
      return `array(${prestoType(type.of)})`;
    case 'struct':
      return `row(${type.fields.map((f) => `${f.name.toLowerCase()} ${prestoType(f.type)}`).join(', ')})`;
    default:
      return type.kind;
  }
};

const columnsOfTable = (table: QueryTable) => [
  ...table.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type })),
  ...table.partitions.map((name) => ({ name, type: { kind: 'string' } as ColumnType })),
];

/**
 * SQL over the whole curated zone on AWS: a Glue Data Catalog database with one table per record type and
 * one over the uploads manifests (partition projection: no crawler, no partitions to add), the views of
 * docs/query.md, and an Athena workgroup whose enforced settings write results encrypted with the data
 * key under query-results/ (expired by the data bucket's lifecycle). Only the national team may use them
 * (`nationalTeamGrants`); table and view definitions come from schemas/query/tables.ts.
 */
export class Query extends Construct {
  public readonly database: CfnDatabase;
  public readonly workgroup: CfnWorkGroup;
  public readonly tables: readonly CfnTable[];
  private readonly storage: Storage;
  private readonly databaseName: string;

  constructor(scope: Construct, id: string, props: QueryProps) {
    super(scope, id);
    const { settings, storage } = props;
    this.storage = storage;
    const bucketName = storage.data.bucket.bucketName;
    const databaseName = queryDatabaseName(settings);
    this.databaseName = databaseName;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: databaseName,
        description: 'Curated MSHT records (OFFICIAL-SENSITIVE): national team only (docs/query.md)',
      },
    });
    const tables = QUERY_TABLES.map((table) => {
      const location = `s3://${bucketName}/${table.prefix}`;
      const template = `${location}${table.partitions.map((name) => `${name}=\${${name}}`).join('/')}/`;
      const projection: Record<string, string> = {
        'projection.enabled': 'true',
        'projection.month.type': 'date',
        'projection.month.format': 'yyyy-MM',
        'projection.month.range': `${FIRST_MONTH},NOW`,
        'projection.month.interval': '1',
        'projection.month.interval.unit': 'MONTHS',
        ...(table.partitions.includes('org')
          ? { 'projection.org.type': 'enum', 'projection.org.values': ORG_CODES.join(',') }
          : {}),
        'storage.location.template': template,
      };
      const cfn = new CfnTable(this, `Table-${table.name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName,
        tableInput: {
          name: table.name,
          description: table.title,
          tableType: 'EXTERNAL_TABLE',
          // https://docs.aws.amazon.com/athena/latest/ug/partition-projection-setting-up.html
          parameters: { classification: 'json', compressionType: 'gzip', ...projection },
          partitionKeys: table.partitions.map((name) => ({ name, type: 'string' })),
          storageDescriptor: {
            location,
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            // https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html (gzip read by the .gz suffix)
            serdeInfo: {
              serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'FALSE' },
            },
            columns: table.columns.map((c) => ({
              name: c.name.toLowerCase(),
              type: glueType(c.type),
              ...(c.description === undefined ? {} : { comment: c.description.slice(0, 255) }),
            })),
          },
        },
      });
      cfn.addDependency(this.database);
      return cfn;
    });
    const byName = new Map(QUERY_TABLES.map((table) => [table.name, table]));
    const views = QUERY_VIEWS.map((view) => {
      const source = byName.get(view.from);
      if (source === undefined) throw new Error(`View ${view.name} reads no known table (${view.from})`);
      const columns = columnsOfTable(source);
      // An Athena view in the Glue catalog: the Presto view definition, base64 in ViewOriginalText.
      // https://docs.aws.amazon.com/athena/latest/ug/views.html
      const definition = {
        originalSql: view.sql,
        catalog: 'awsdatacatalog',
        schema: databaseName,
        columns: columns.map((c) => ({ name: c.name, type: prestoType(c.type) })),
      };
      const encoded = Buffer.from(JSON.stringify(definition)).toString('base64');
      const cfn = new CfnTable(this, `View-${view.name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName,
        tableInput: {
          name: view.name,
          description: view.title,
          tableType: 'VIRTUAL_VIEW',
          parameters: { presto_view: 'true', comment: 'Presto View' },
          viewOriginalText: `/* Presto View: ${encoded} */`,
          viewExpandedText: '/* Presto View */',
          storageDescriptor: {
            columns: columns.map((c) => ({ name: c.name, type: glueType(c.type) })),
            serdeInfo: {},
          },
        },
      });
      cfn.addDependency(this.database);
      return cfn;
    });
    this.tables = [...tables, ...views];
    this.workgroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: queryWorkgroupName(settings),
      description: 'SQL over the curated zone: national team only (docs/query.md)',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      // Enforced: a query cannot choose another results location or go unencrypted.
      // https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${bucketName}/${QUERY_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: storage.data.key.keyArn },
        },
      },
    });
  }

  /** What the national team needs to query: the workgroup, the catalog entries, curated/ and the results prefix. */
  public nationalTeamGrants(): AccessGrant[] {
    const stack = Stack.of(this);
    const { data } = this.storage;
    const database = this.databaseName;
    const catalog = stack.formatArn({ service: 'glue', resource: 'catalog' });
    const workgroup = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workgroup.name,
    });
    return [
      {
        statement: new PolicyStatement({
          sid: 'UseQueryWorkgroup',
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:GetWorkGroup',
            'athena:ListQueryExecutions',
          ],
          resources: [workgroup],
        }),
      },
      {
        statement: new PolicyStatement({
          sid: 'ReadQueryCatalog',
          actions: [
            'glue:GetDatabase',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartition',
            'glue:GetPartitions',
          ],
          resources: [
            catalog,
            stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
            stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/*` }),
          ],
        }),
        wildcardReason: 'Every table and view of the query database, which holds nothing else.',
      },
      {
        statement: new PolicyStatement({
          sid: 'ReadWriteQueryResults',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [data.arnForPrefix(QUERY_RESULTS_PREFIX)],
        }),
        wildcardReason: "Athena writes and reads the workgroup's results under query-results/ as the caller.",
      },
      {
        statement: listUnder('ListQueryResults', data.bucket.bucketArn, [QUERY_RESULTS_PREFIX]),
      },
      {
        statement: new PolicyStatement({
          sid: 'GetDataBucketLocation',
          actions: ['s3:GetBucketLocation'],
          resources: [data.bucket.bucketArn],
        }),
      },
      { statement: keyViaService('EncryptQueryResults', data.key, 's3', 'encrypt-decrypt') },
    ];
  }
}
