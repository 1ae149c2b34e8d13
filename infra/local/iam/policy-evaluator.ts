/**
 * A small IAM policy evaluator over a synthesized CloudFormation template: "may these statements allow
 * this action on this resource?". Statements come from the template with every intrinsic resolved (see
 * template.ts) for a fixed account and region; the rules are IAM's for one policy set: an explicit Deny
 * wins, otherwise any matching Allow allows, otherwise the request is implicitly denied. Actions match
 * case-insensitively with `*` and `?` wildcards, resources case-sensitively; conditions are in
 * conditions.ts. Which policy sets apply to a request (identity, resource, session) is authorize.ts's.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { type Condition, conditionsHold, type RequestContext, wildcardMatch } from './conditions.ts';
import {
  type DeployTarget,
  resolveValue,
  TEST_TARGET,
  type TemplateJson,
  TemplateResolutionError,
} from './template.ts';

export { wildcardMatch } from './conditions.ts';
export { type DeployTarget, resolveValue, TEST_TARGET, type TemplateJson } from './template.ts';

/** The principal element of a resource-based or trust policy statement. */
export type PrincipalElement =
  | '*'
  | {
      readonly AWS?: string | string[];
      readonly Service?: string | string[];
      readonly Federated?: string | string[];
      readonly CanonicalUser?: string | string[];
    };

/** A policy statement with every intrinsic resolved. */
export type Statement = {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PrincipalElement;
  readonly NotPrincipal?: PrincipalElement;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Condition;
};

/** One API request: the action, the resource ARN and the request context keys that conditions read. */
export type Request = {
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
};

export type Decision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

/** A policy element that may be one value or a list, as a list. */
export const asArray = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];

type PolicyDocument = { readonly PolicyDocument: { readonly Statement: unknown } };

/** The statements of a policy document, resolved (a lone statement object counts as a list of one). */
export const documentStatements = (
  template: TemplateJson,
  document: unknown,
  target: DeployTarget = TEST_TARGET,
): Statement[] => {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  if (statements === undefined) throw new TemplateResolutionError('A policy document has no Statement');
  return asArray(resolveValue(template, statements, target) as Statement | Statement[]);
};

/**
 * The identity-policy statements a role has from the template itself: its inline policies and every
 * AWS::IAM::Policy and AWS::IAM::ManagedPolicy that lists it in `Roles` (by Ref or by name). Managed
 * policies it names in `ManagedPolicyArns` are the IAM model's business (iam-model.ts).
 */
export const roleStatements = (
  template: TemplateJson,
  roleId: string,
  target: DeployTarget = TEST_TARGET,
): Statement[] => {
  const role = template.Resources[roleId];
  if (!role) throw new TemplateResolutionError(`No resource ${roleId} in the template`);
  if (role.Type !== 'AWS::IAM::Role')
    throw new TemplateResolutionError(`${roleId} is a ${role.Type}, not a role`);
  const roleName = String(resolveValue(template, { Ref: roleId }, target));
  const inline = asArray(role.Properties?.Policies as PolicyDocument[] | undefined);
  const attached = Object.values(template.Resources)
    .filter(
      (r) =>
        (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') &&
        asArray(r.Properties?.Roles as unknown[] | undefined).some(
          (ref) => String(resolveValue(template, ref, target)) === roleName,
        ),
    )
    .map((r) => r.Properties as PolicyDocument);
  return [...inline, ...attached].flatMap((doc) => documentStatements(template, doc.PolicyDocument, target));
};

/** Whether a statement's action, resource and conditions cover the request (its principal is not judged). */
export const statementApplies = (statement: Statement, request: Request): boolean => {
  const actionMatches = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.action, true));
  const resourceMatches = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.resource));
  const action =
    statement.Action !== undefined
      ? actionMatches(asArray(statement.Action))
      : !actionMatches(asArray(statement.NotAction));
  const resource =
    statement.Resource !== undefined
      ? resourceMatches(asArray(statement.Resource))
      : !resourceMatches(asArray(statement.NotResource));
  return action && resource && conditionsHold(statement.Condition, request.context ?? {});
};

/** The IAM decision for one request against one set of statements. */
export const evaluate = (statements: readonly Statement[], request: Request): Decision => {
  const applying = statements.filter((s) => statementApplies(s, request));
  if (applying.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  return applying.some((s) => s.Effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
};

/** Shorthand: whether the statements allow the request. */
export const allows = (statements: readonly Statement[], request: Request): boolean =>
  evaluate(statements, request) === 'Allow';
