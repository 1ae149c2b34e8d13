import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/config.ts';
import {
  allows,
  evaluate,
  type Request,
  resolveValue,
  roleStatements,
  type Statement,
  TEST_TARGET,
  type TemplateJson,
} from '../../infra/local/iam/policy-evaluator.ts';
import type { PipelineStack } from '../../infra/stack.ts';
import { buildTestApp, synthTemplate } from './build.ts';

// The isolation properties are about the synthesized policies, not function code: no bundling.
const settings = settingsFor('dev');
const orgs = settings.organisations.map((o) => o.code);
let stack: PipelineStack;
let template: TemplateJson;
let landing: string;
let data: string;
let keys: { landing: string; data: string };
const statementsByRole = new Map<Role, Statement[]>();

beforeAll(() => {
  // Every optional function is built (from any existing handler: nothing is bundled) so its role is judged too.
  const anyHandler = fileURLToPath(new URL('../../functions/indexer/handler.ts', import.meta.url));
  const built = buildTestApp('dev', {
    bundle: false,
    handlers: {
      aggregate: anyHandler,
      pndExport: anyHandler,
      feedPublisher: anyHandler,
      markerExpiry: anyHandler,
      stuckUploads: anyHandler,
      uploadApi: anyHandler,
    },
  });
  stack = built.stack;
  template = synthTemplate(built).toJSON() as TemplateJson;
  const arn = (construct: { node: { defaultChild?: unknown } }) =>
    String(
      resolveValue(template, {
        'Fn::GetAtt': [stack.getLogicalId(construct.node.defaultChild as CfnElement), 'Arn'],
      }),
    );
  landing = arn(stack.landing.bucket);
  data = arn(stack.data.bucket);
  keys = { landing: arn(stack.landing.key as never), data: arn(stack.data.key as never) };
});

/** The statements of a role, resolved once. */
const statementsOf = (role: Role): Statement[] => {
  let statements = statementsByRole.get(role);
  if (!statements) {
    statements = roleStatements(
      template,
      stack.getLogicalId(role.node.defaultChild as CfnElement),
      TEST_TARGET,
    );
    statementsByRole.set(role, statements);
  }
  return statements;
};
const uploadRole = (org: string): Role => {
  const role = stack.uploadRoles.get(org);
  if (!role) throw new Error(`No upload role for ${org}`);
  return role.access.role;
};
const s3 = (action: string, bucketArn: string, key: string): Request => ({
  action,
  resource: `${bucketArn}/${key}`,
});
const list = (bucketArn: string, prefix?: string): Request => ({
  action: 's3:ListBucket',
  resource: bucketArn,
  ...(prefix === undefined ? {} : { context: { 's3:prefix': prefix } }),
});
const viaS3 = { 'kms:ViaService': `s3.${TEST_TARGET.region}.amazonaws.com` };

describe('organisation upload roles', () => {
  it('exist for every configured organisation, one each', () => {
    expect([...stack.uploadRoles.keys()].sort()).toEqual([...orgs].sort());
  });

  it('let an organisation upload under its own incoming/ prefix and read its own reports', () => {
    for (const org of orgs) {
      // Prepare
      const statements = statementsOf(uploadRole(org));

      // Act and Assess
      expect(allows(statements, s3('s3:PutObject', landing, `incoming/${org}/2026-10/subjects.csv`))).toBe(
        true,
      );
      expect(
        allows(statements, s3('s3:AbortMultipartUpload', landing, `incoming/${org}/2026-10/a.csv`)),
      ).toBe(true);
      expect(allows(statements, s3('s3:GetObject', data, `reports/${org}/u-1.json`))).toBe(true);
      expect(allows(statements, list(landing, `incoming/${org}/`))).toBe(true);
      expect(allows(statements, list(data, `reports/${org}/`))).toBe(true);
      expect(
        allows(statements, { action: 'kms:GenerateDataKey', resource: keys.landing, context: viaS3 }),
      ).toBe(true);
      expect(allows(statements, { action: 'kms:Decrypt', resource: keys.data, context: viaS3 })).toBe(true);
    }
  });

  it("never let an organisation write another's prefix, read another's reports or list another's keys", () => {
    for (const org of orgs) {
      const statements = statementsOf(uploadRole(org));
      for (const other of orgs) {
        if (other === org) continue;
        expect(
          allows(statements, s3('s3:PutObject', landing, `incoming/${other}/2026-10/subjects.csv`)),
        ).toBe(false);
        expect(allows(statements, s3('s3:GetObject', data, `reports/${other}/u-1.json`))).toBe(false);
        expect(allows(statements, list(landing, `incoming/${other}/`))).toBe(false);
        expect(allows(statements, list(data, `reports/${other}/`))).toBe(false);
      }
    }
  });

  it('never let an organisation read curated records, aggregates or uploads, or delete, or change Object Lock', () => {
    for (const org of orgs) {
      const statements = statementsOf(uploadRole(org));
      const denied: Request[] = [
        s3('s3:GetObject', data, `curated/record_type=subject/month=2026-10/org=${org}/u-1.jsonl.gz`),
        s3('s3:GetObject', data, 'aggregates/2026-10/latest.json'),
        s3('s3:GetObject', landing, `incoming/${org}/2026-10/subjects.csv`),
        s3('s3:GetObjectVersion', landing, `incoming/${org}/2026-10/subjects.csv`),
        s3('s3:DeleteObject', landing, `incoming/${org}/2026-10/subjects.csv`),
        s3('s3:DeleteObjectVersion', landing, `incoming/${org}/2026-10/subjects.csv`),
        s3('s3:PutObjectRetention', landing, `incoming/${org}/2026-10/subjects.csv`),
        s3('s3:BypassGovernanceRetention', landing, `incoming/${org}/2026-10/subjects.csv`),
        s3('s3:PutObject', data, `reports/${org}/forged.json`),
        s3('s3:PutObject', data, `curated/record_type=subject/month=2026-10/org=${org}/forged.jsonl.gz`),
        list(data, 'curated/'),
        list(landing),
        list(data),
        { action: 's3:PutBucketPolicy', resource: landing },
        { action: 'kms:Decrypt', resource: keys.data },
        {
          action: 'kms:Decrypt',
          resource: keys.landing,
          context: { 'kms:ViaService': `sqs.${TEST_TARGET.region}.amazonaws.com` },
        },
      ];
      for (const request of denied)
        expect([org, request, evaluate(statements, request)]).toEqual([org, request, 'ImplicitDeny']);
    }
  });

  it('for any key outside incoming/{org}/, an organisation cannot put it in either bucket', () => {
    const org = orgs[0] as string;
    const statements = statementsOf(uploadRole(org));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom(...orgs).chain((o) => fc.string().map((rest) => `incoming/${o}/${rest}`)),
          fc.string().map((rest) => `incoming/${org}${rest.replace(/^\//, 'x')}`),
        ),
        (key) => {
          const own = key.startsWith(`incoming/${org}/`);
          expect(allows(statements, s3('s3:PutObject', landing, key))).toBe(own);
          expect(allows(statements, s3('s3:PutObject', data, key))).toBe(false);
        },
      ),
    );
  });
});

describe('the national team role', () => {
  it('reads every aggregate, every report and the curated records, and writes nothing in the buckets', () => {
    const statements = statementsOf(stack.nationalTeamRole.role);
    for (const org of orgs) {
      expect(allows(statements, s3('s3:GetObject', data, `reports/${org}/u-1.json`))).toBe(true);
      expect(
        allows(
          statements,
          s3('s3:GetObject', data, `curated/record_type=subject/month=2026-10/org=${org}/u-1.jsonl.gz`),
        ),
      ).toBe(true);
      expect(
        allows(
          statements,
          s3('s3:PutObject', data, `curated/record_type=subject/month=2026-10/org=${org}/u-1.jsonl.gz`),
        ),
      ).toBe(false);
      expect(allows(statements, s3('s3:GetObject', landing, `incoming/${org}/2026-10/subjects.csv`))).toBe(
        false,
      );
      expect(allows(statements, s3('s3:PutObject', landing, `incoming/${org}/2026-10/subjects.csv`))).toBe(
        false,
      );
    }
    expect(
      allows(statements, s3('s3:GetObject', data, 'aggregates/2026-10/runs/r/internal/national.json')),
    ).toBe(true);
    expect(allows(statements, s3('s3:PutObject', data, 'aggregates/2026-10/latest.json'))).toBe(false);
    expect(allows(statements, list(data, 'aggregates/2026-10/'))).toBe(true);
    expect(allows(statements, list(data, 'curated/'))).toBe(true);
  });
});

describe('the feed consumer role', () => {
  it('receives from the feed queue and reads nothing in the buckets or the markers table', () => {
    const statements = statementsOf(stack.feedConsumerRole.role);
    const arnOf = (construct: { node: { defaultChild?: unknown } }) =>
      String(
        resolveValue(template, {
          'Fn::GetAtt': [stack.getLogicalId(construct.node.defaultChild as CfnElement), 'Arn'],
        }),
      );
    const feedQueue = arnOf(stack.feedQueue.queue);
    expect(allows(statements, { action: 'sqs:ReceiveMessage', resource: feedQueue })).toBe(true);
    expect(allows(statements, { action: 'sqs:DeleteMessage', resource: feedQueue })).toBe(true);
    expect(allows(statements, { action: 'sqs:SendMessage', resource: feedQueue })).toBe(false);
    expect(
      allows(statements, { action: 'sqs:ReceiveMessage', resource: arnOf(stack.recordsQueue.queue) }),
    ).toBe(false);
    expect(allows(statements, { action: 'dynamodb:GetItem', resource: arnOf(stack.markers.table) })).toBe(
      false,
    );
    expect(allows(statements, { action: 'dynamodb:Query', resource: arnOf(stack.feed.table) })).toBe(true);
    expect(allows(statements, s3('s3:GetObject', data, 'aggregates/2026-10/latest.json'))).toBe(false);
    expect(
      allows(
        statements,
        s3('s3:GetObject', data, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
      ),
    ).toBe(false);
  });
});

describe('function roles', () => {
  it('ingest reads uploads and writes reports and curated records, but never writes uploads or reads aggregates', () => {
    const statements = statementsOf(stack.ingest.role);
    expect(allows(statements, s3('s3:GetObject', landing, 'incoming/PF-BTP/2026-10/subjects.csv'))).toBe(
      true,
    );
    expect(allows(statements, list(landing))).toBe(true);
    expect(allows(statements, list(data))).toBe(false);
    expect(allows(statements, s3('s3:PutObject', data, 'reports/PF-BTP/u.json'))).toBe(true);
    expect(
      allows(
        statements,
        s3('s3:PutObject', data, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
      ),
    ).toBe(true);
    expect(allows(statements, s3('s3:PutObject', landing, 'incoming/PF-BTP/2026-10/subjects.csv'))).toBe(
      false,
    );
    expect(allows(statements, s3('s3:DeleteObject', landing, 'incoming/PF-BTP/2026-10/subjects.csv'))).toBe(
      false,
    );
    expect(allows(statements, s3('s3:GetObject', data, 'aggregates/2026-10/latest.json'))).toBe(false);
  });

  it('the indexer touches no bucket', () => {
    const statements = statementsOf(stack.indexer.role);
    for (const bucket of [landing, data]) {
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:ListBucket']) {
        expect(
          allows(
            statements,
            s3(action, bucket, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
          ),
        ).toBe(false);
      }
    }
  });

  it('aggregation reads curated records and writes aggregates, but never writes curated records or reports', () => {
    const statements = statementsOf((stack.scheduled.aggregate as { role: Role }).role);
    expect(
      allows(
        statements,
        s3('s3:GetObject', data, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
      ),
    ).toBe(true);
    expect(allows(statements, list(data, 'aggregates/2026-10/runs/'))).toBe(true);
    expect(allows(statements, list(data, 'curated/2026-10/'))).toBe(false);
    expect(
      allows(statements, s3('s3:PutObject', data, 'aggregates/2026-10/runs/r/internal/national.json')),
    ).toBe(true);
    expect(
      allows(statements, s3('s3:DeleteObject', data, 'aggregates/2026-10/runs/old/internal/national.json')),
    ).toBe(true);
    expect(
      allows(
        statements,
        s3('s3:DeleteObject', data, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
      ),
    ).toBe(false);
    expect(
      allows(
        statements,
        s3('s3:PutObject', data, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
      ),
    ).toBe(false);
    expect(
      allows(statements, s3('s3:PutObject', data, 'curated/uploads/month=2026-10/uploads.jsonl.gz')),
    ).toBe(true);
    expect(allows(statements, s3('s3:PutObject', data, 'reports/PF-BTP/u.json'))).toBe(false);
    expect(allows(statements, s3('s3:GetObject', landing, 'incoming/PF-BTP/2026-10/subjects.csv'))).toBe(
      false,
    );
  });

  it('the PND export writes only under the PND batch prefix, and the feed publisher touches no bucket', () => {
    const pnd = statementsOf((stack.scheduled.pndExport as { role: Role }).role);
    const prefix = settings.pnd.batchPrefix;
    expect(allows(pnd, s3('s3:PutObject', data, `${prefix}b-1/markers.jsonl`))).toBe(true);
    expect(allows(pnd, s3('s3:PutObject', data, 'aggregates/2026-10/latest.json'))).toBe(false);
    expect(
      allows(
        pnd,
        s3('s3:GetObject', data, 'curated/record_type=subject/month=2026-10/org=PF-BTP/u.jsonl.gz'),
      ),
    ).toBe(false);
    const feed = statementsOf((stack.scheduled.feedPublisher as { role: Role }).role);
    for (const bucket of [landing, data]) {
      expect(allows(feed, s3('s3:GetObject', bucket, `${prefix}b-1/markers.jsonl`))).toBe(false);
    }
  });

  it('only the upload roles may call the upload API, and only through its IAM-authorised Function URL', () => {
    const fn = stack.uploadApi?.fn.fn;
    if (!fn) throw new Error('the upload API was not built');
    const functionArn = String(
      resolveValue(template, {
        'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as CfnElement), 'Arn'],
      }),
    );
    const invokeUrl = (authType: string): Request => ({
      action: 'lambda:InvokeFunctionUrl',
      resource: functionArn,
      context: { 'lambda:FunctionUrlAuthType': authType },
    });
    // Since October 2025 a Function URL call also needs lambda:InvokeFunction, with this key true.
    const invoke = (viaUrl?: 'true' | 'false'): Request => ({
      action: 'lambda:InvokeFunction',
      resource: functionArn,
      ...(viaUrl ? { context: { 'lambda:InvokedViaFunctionUrl': viaUrl } } : {}),
    });
    const orgRoleIds = new Set<string>();
    for (const org of orgs) {
      const role = uploadRole(org);
      orgRoleIds.add(stack.getLogicalId(role.node.defaultChild as CfnElement));
      const statements = statementsOf(role);
      expect([org, allows(statements, invokeUrl('AWS_IAM'))]).toEqual([org, true]);
      expect([org, allows(statements, invokeUrl('NONE'))]).toEqual([org, false]);
      expect([org, allows(statements, invoke('true'))]).toEqual([org, true]);
      expect([org, allows(statements, invoke('false'))]).toEqual([org, false]);
      expect([org, allows(statements, invoke())]).toEqual([org, false]);
    }
    // No other role may invoke it, through the URL or directly.
    const others = Object.entries(template.Resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && !orgRoleIds.has(id))
      .map(([id]) => id);
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) {
      const statements = roleStatements(template, id);
      for (const request of [invokeUrl('AWS_IAM'), invoke('true'), invoke('false'), invoke()]) {
        expect([id, request.context, allows(statements, request)]).toEqual([id, request.context, false]);
      }
    }
  });

  it('every KMS permission of every role is limited to use through one AWS service', () => {
    const roles = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([id]) => id);
    let kmsStatements = 0;
    for (const id of roles) {
      for (const statement of roleStatements(template, id)) {
        const actions = ([] as string[]).concat(statement.Action ?? []);
        if (!actions.some((a) => a.startsWith('kms:'))) continue;
        kmsStatements++;
        expect([id, statement.Condition?.StringEquals?.['kms:ViaService']]).toEqual([
          id,
          expect.stringMatching(/^(s3|sqs|dynamodb|secretsmanager)\.eu-west-2\.amazonaws\.com$/),
        ]);
      }
    }
    expect(kmsStatements).toBeGreaterThan(orgs.length);
  });
});
