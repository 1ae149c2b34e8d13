import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/config.ts';
import {
  allows,
  resolveValue,
  roleStatements,
  type Statement,
  type TemplateJson,
} from '../../infra/local/iam/policy-evaluator.ts';
import type { PipelineStack } from '../../infra/stack.ts';
import {
  QUERY_RESULTS_PREFIX,
  queryDatabaseName,
  queryWorkgroupName,
} from '../../schemas/query/athena-names.ts';
import { QUERY_TABLES, QUERY_VIEWS } from '../../schemas/query/tables.ts';
import { buildTestApp, synthTemplate } from './build.ts';

const settings = settingsFor('dev');
const ACCOUNT = '111122223333';
const REGION = 'eu-west-2';
let stack: PipelineStack;
let template: TemplateJson;
let data: string;

type TableInput = {
  Name: string;
  TableType: string;
  Parameters: Record<string, unknown>;
  StorageDescriptor: { SerdeInfo: { SerializationLibrary?: string } };
  ViewOriginalText: string;
};
type WorkGroupConfiguration = {
  EnforceWorkGroupConfiguration: boolean;
  ResultConfiguration: {
    OutputLocation: unknown;
    EncryptionConfiguration: { EncryptionOption: string; KmsKey: unknown };
  };
};

const resources = (type: string) =>
  Object.entries(template.Resources ?? {}).filter(([, r]) => (r as { Type: string }).Type === type) as [
    string,
    { Properties: Record<string, unknown> },
  ][];

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: false });
  stack = built.stack;
  template = synthTemplate(built).toJSON() as TemplateJson;
  data = String(
    resolveValue(template, {
      'Fn::GetAtt': [stack.getLogicalId(stack.data.bucket.node.defaultChild as CfnElement), 'Arn'],
    }),
  );
});

const workgroupArn = `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${queryWorkgroupName(settings)}`;
const tableArn = (name: string) =>
  `arn:aws:glue:${REGION}:${ACCOUNT}:table/${queryDatabaseName(settings)}/${name}`;

describe('the query catalog and workgroup', () => {
  it('define every table with partition projection over its curated prefix, and every view', () => {
    const tables = resources('AWS::Glue::Table').map(([, r]) => r.Properties.TableInput as TableInput);
    expect(tables.map((t) => t.Name).sort()).toEqual(
      [...QUERY_TABLES.map((t) => t.name), ...QUERY_VIEWS.map((v) => v.name)].sort(),
    );
    for (const table of QUERY_TABLES) {
      const input = tables.find((t) => t.Name === table.name) as TableInput;
      expect(input.TableType).toBe('EXTERNAL_TABLE');
      expect(input.Parameters['projection.enabled']).toBe('true');
      expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
        `/${table.prefix}month=\${month}`,
      );
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
        'org.openx.data.jsonserde.JsonSerDe',
      );
    }
    for (const view of QUERY_VIEWS) {
      const input = tables.find((t) => t.Name === view.name) as TableInput;
      expect(input.TableType).toBe('VIRTUAL_VIEW');
      const encoded = /^\/\* Presto View: (.+) \*\/$/.exec(input.ViewOriginalText)?.[1] ?? '';
      expect(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')).originalSql).toBe(view.sql);
    }
    expect(resources('AWS::Glue::Crawler')).toEqual([]);
  });

  it('enforce the workgroup configuration, with results encrypted by the data key under an expiring prefix', () => {
    const [[, workgroup] = ['', { Properties: {} }]] = resources('AWS::Athena::WorkGroup');
    const config = workgroup.Properties.WorkGroupConfiguration as WorkGroupConfiguration;
    expect(config.EnforceWorkGroupConfiguration).toBe(true);
    expect(config.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
    const key = stack.getLogicalId(stack.data.key.node.defaultChild as CfnElement);
    expect(JSON.stringify(config.ResultConfiguration.EncryptionConfiguration.KmsKey)).toContain(key);
    expect(JSON.stringify(config.ResultConfiguration.OutputLocation)).toContain(`/${QUERY_RESULTS_PREFIX}`);
    const bucket = resources('AWS::S3::Bucket').find(
      ([id]) => id === stack.getLogicalId(stack.data.bucket.node.defaultChild as CfnElement),
    );
    const rules = (
      (bucket as NonNullable<typeof bucket>)[1].Properties.LifecycleConfiguration as {
        Rules: Record<string, unknown>[];
      }
    ).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: QUERY_RESULTS_PREFIX,
        ExpirationInDays: settings.dataRetention.queryResultsDays,
      }),
    );
  });

  it('may be used by the national team role only', () => {
    const national = stack.getLogicalId(stack.nationalTeamRole.role.node.defaultChild as CfnElement);
    const roles = resources('AWS::IAM::Role').map(([id]) => id);
    const functionRoles = new Set(
      [...stack.functions.values()].map((fn) => stack.getLogicalId(fn.role.node.defaultChild as CfnElement)),
    );
    expect(roles.length).toBeGreaterThan(10);
    const requests = [
      { action: 'athena:StartQueryExecution', resource: workgroupArn },
      { action: 'athena:GetQueryResults', resource: workgroupArn },
      { action: 'glue:GetTable', resource: tableArn('subjects') },
      { action: 'glue:GetTable', resource: tableArn('current_subjects') },
      {
        action: 's3:GetObject',
        resource: `${data}/curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz`,
      },
      { action: 's3:PutObject', resource: `${data}/${QUERY_RESULTS_PREFIX}q-1.csv` },
    ];
    for (const id of roles) {
      const statements: Statement[] = roleStatements(template, id);
      for (const request of requests) {
        // Pipeline functions that read curated/ (ingest, the aggregation) are judged in isolation.test.ts.
        if (request.action === 's3:GetObject' && functionRoles.has(id)) continue;
        const allowed = allows(statements, request);
        const expected = id === national;
        expect([id, request.action, allowed]).toEqual([id, request.action, expected]);
      }
    }
  });
});
