import type { CfnElement } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/config.ts';
import {
  allows,
  type Request,
  resolveValue,
  roleStatements,
  TEST_TARGET,
  type TemplateJson,
} from '../../infra/local/iam/policy-evaluator.ts';
import type { PipelineStack } from '../../infra/stack.ts';
import { type OrgCode, uploadStatusKey, uploadStatusPrefix } from '../../schemas/index.ts';
import { buildTestApp, synthTemplate } from './build.ts';

// What `msht upload` and `msht status` call (cli/upload-statuses.ts) is what an organisation's upload role
// may do: list and read its own status objects under reports/{org}/uploads/, nobody else's, and never the
// ledger. The national team may do it for every organisation.
const settings = settingsFor('dev');
const orgs = settings.organisations.map((o) => o.code);
const ID = 'u0123456789abcdef01234567';
let stack: PipelineStack;
let template: TemplateJson;
let data: string;
let uploadsTable: string;

const arnOf = (construct: IConstruct) =>
  String(
    resolveValue(template, {
      'Fn::GetAtt': [stack.getLogicalId(construct.node.defaultChild as CfnElement), 'Arn'],
    }),
  );
const statementsOf = (role: Role) =>
  roleStatements(template, stack.getLogicalId(role.node.defaultChild as CfnElement), TEST_TARGET);
const uploadRole = (org: OrgCode): Role => {
  const role = stack.uploadRoles.get(org);
  if (!role) throw new Error(`No upload role for ${org}`);
  return role.access.role;
};
/** The two requests `readStatus` makes: list with the key as prefix, then read it. */
const readsStatus = (org: OrgCode): Request[] => [
  { action: 's3:ListBucket', resource: data, context: { 's3:prefix': uploadStatusKey(org, ID) } },
  { action: 's3:GetObject', resource: `${data}/${uploadStatusKey(org, ID)}` },
];
/** The listing `latestStatuses` makes. */
const listsStatuses = (org: OrgCode): Request => ({
  action: 's3:ListBucket',
  resource: data,
  context: { 's3:prefix': uploadStatusPrefix(org) },
});

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: false });
  stack = built.stack;
  template = synthTemplate(built).toJSON() as TemplateJson;
  data = arnOf(stack.data.bucket);
  uploadsTable = arnOf(stack.uploads.table);
});

describe('upload status objects', () => {
  it("are listed and read by an organisation's upload role for its own uploads only, and the ledger never", () => {
    for (const org of orgs) {
      const statements = statementsOf(uploadRole(org));
      for (const request of [...readsStatus(org), listsStatuses(org)])
        expect([org, request, allows(statements, request)]).toEqual([org, request, true]);
      const other = orgs.find((o) => o !== org) as OrgCode;
      for (const request of [...readsStatus(other), listsStatuses(other)])
        expect([org, request, allows(statements, request)]).toEqual([org, request, false]);
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'])
        expect(allows(statements, { action, resource: uploadsTable })).toBe(false);
    }
  });

  it('are listed and read by the national team for every organisation', () => {
    const statements = statementsOf(stack.nationalTeamRole.role);
    for (const org of orgs)
      for (const request of [...readsStatus(org), listsStatuses(org)])
        expect([org, request, allows(statements, request)]).toEqual([org, request, true]);
  });
});
