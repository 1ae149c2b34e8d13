/**
 * Whether a principal may make a request, by AWS's evaluation logic (same account; across accounts both
 * the identity and the resource policy must allow; no SCPs or permissions boundaries) over
 * the IAM model of the template: explicit denies in any applicable policy win; KMS keys need their key
 * policy to allow (directly, or by delegating to the account's IAM policies); other resources are allowed
 * by the identity policies or by a resource policy naming the principal; a session policy bounds it all.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
import { wildcardMatch } from './conditions.ts';
import type { IamModel } from './iam-model.ts';
import {
  asArray,
  type Decision,
  type PrincipalElement,
  type Request,
  type Statement,
  statementApplies,
} from './policy-evaluator.ts';

/**
 * Who calls. `arn` is the role ARN (`arn:aws:iam::A:role/R`) or a role session ARN
 * (`arn:aws:sts::A:assumed-role/R/S`); `statements` are its identity policies; `sessionStatements` the
 * session policy passed to AssumeRole, if any.
 */
export type Principal = {
  readonly arn: string;
  readonly account: string;
  readonly statements: readonly Statement[];
  readonly sessionStatements?: readonly Statement[];
};

/** The decision and, for error messages, why (in AWS's own wording where it has one). */
export type Authorization = { readonly decision: Decision; readonly reason: string };

/** The role a session ARN belongs to: `aws:PrincipalArn` of a role session is the role's ARN. */
const roleArnOf = (arn: string): string => {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : arn;
};

/**
 * How a statement's principal element names the caller: `session` names the session ARN itself, `direct`
 * the role (or everyone, `*`), `account` the caller's account (a delegation to its IAM policies).
 */
type Naming = 'session' | 'direct' | 'account';

const naming = (element: PrincipalElement | undefined, principal: Principal): Naming | undefined => {
  if (element === undefined) return undefined;
  if (element === '*') return 'direct';
  // Service, Federated and CanonicalUser principals are never a role of this account.
  const names = asArray(element.AWS);
  const roleArn = roleArnOf(principal.arn);
  const found = names.map((name): Naming | undefined => {
    if (name === '*') return 'direct';
    if (name === principal.account || /^arn:[^:]+:iam::(\d{12}):root$/.exec(name)?.[1] === principal.account)
      return 'account';
    if (name === principal.arn && roleArn !== principal.arn) return 'session';
    return wildcardMatch(name, roleArn) || wildcardMatch(name, principal.arn) ? 'direct' : undefined;
  });
  // The strongest naming wins: a session grant is not bounded by the session policy, a direct one not by IAM.
  return (['session', 'direct', 'account'] as const).find((n) => found.includes(n));
};

/** Whether a resource-policy statement is about this caller (NotPrincipal: everyone it does not name). */
const namingOf = (statement: Statement, principal: Principal): Naming | undefined => {
  if (statement.NotPrincipal !== undefined)
    return naming(statement.NotPrincipal, principal) === undefined ? 'direct' : undefined;
  return naming(statement.Principal, principal);
};

/** The ARN whose resource policy governs a request: a bucket's for its objects, a table's for its indexes. */
const policyResourceOf = (resource: string): string => {
  const s3 = /^(arn:[^:]+:s3:::[^/]+)(\/.*)?$/.exec(resource);
  if (s3) return s3[1] as string;
  const index = /^(arn:[^:]+:dynamodb:[^:]*:\d*:table\/[^/]+)\/(index|stream)\/.+$/.exec(resource);
  return index ? (index[1] as string) : resource;
};

const isKey = (resource: string): boolean => /^arn:[^:]+:kms:[^:]*:\d*:key\//.test(resource);

/** A role's name when the resource is a role: its trust policy is the resource policy of sts:AssumeRole. */
const roleNameOf = (resource: string): string | undefined =>
  /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(resource)?.[1];

export const authorize = (model: IamModel, principal: Principal, request: Request): Authorization => {
  const { action } = request;
  const context = {
    ...request.context,
    'aws:PrincipalArn': roleArnOf(principal.arn),
    'aws:PrincipalAccount': principal.account,
    // KMS names the caller's account in every request to a key.
    ...(/^kms:/i.test(request.action) ? { 'kms:CallerAccount': principal.account } : {}),
  };
  const req: Request = { ...request, context };
  const applying = (statements: readonly Statement[]) => statements.filter((s) => statementApplies(s, req));
  const allowsIn = (statements: readonly Statement[]) => statements.some((s) => s.Effect === 'Allow');
  const deniesIn = (statements: readonly Statement[]) => statements.some((s) => s.Effect === 'Deny');
  const deny = (reason: string): Authorization => ({ decision: 'ExplicitDeny', reason });
  const implicit = (reason: string): Authorization => ({ decision: 'ImplicitDeny', reason });

  const identity = applying(principal.statements);
  const session = principal.sessionStatements && applying(principal.sessionStatements);
  const role = roleNameOf(request.resource);
  const resourcePolicy =
    role === undefined
      ? model.resourcePolicies.get(policyResourceOf(request.resource))
      : model.roles.get(role)?.trust;
  // Keys and roles can only be used as their own policy says (the key policy; the role's trust policy).
  const gated = isKey(request.resource) || (role !== undefined && /^sts:AssumeRole/i.test(action));
  const resource = applying(resourcePolicy ?? []).flatMap((s) => {
    const named = namingOf(s, principal);
    return named ? [{ statement: s, named }] : [];
  });

  if (deniesIn(identity)) return deny('explicit deny in an identity-based policy');
  if (session && deniesIn(session)) return deny('explicit deny in a session policy');
  if (resource.some((r) => r.statement.Effect === 'Deny'))
    return deny(`explicit deny in ${isKey(request.resource) ? 'the key policy' : 'a resource-based policy'}`);

  const grants = resource.filter((r) => r.statement.Effect === 'Allow').map((r) => r.named);
  const sessionAllows = !session || allowsIn(session);
  if (principal.account !== model.target.account) {
    // Across accounts both sides must allow: the caller's identity policies and the owner's resource policy.
    if (grants.length === 0) return implicit(`no resource-based policy allows the ${action} action`);
    if (!allowsIn(identity)) return implicit(`no identity-based policy allows the ${action} action`);
    if (!sessionAllows && !grants.includes('session'))
      return implicit(`no session policy allows the ${action} action`);
    return { decision: 'Allow', reason: 'allowed by an identity-based and a resource-based policy' };
  }
  // A grant to the session ARN itself is added after the session is made, so its policy does not bound it.
  if (grants.includes('session')) return { decision: 'Allow', reason: 'allowed by a resource-based policy' };

  if (gated) {
    // A key policy is the only way to a key, a trust policy the only way into a role: without it (or its
    // delegation to the account's IAM policies) no identity policy can allow.
    const which = isKey(request.resource) ? 'key policy' : 'trust policy';
    if (resourcePolicy === undefined) return implicit(`there is no ${which}, so nothing allows ${action}`);
    if (grants.includes('direct')) {
      if (!sessionAllows) return implicit(`no session policy allows the ${action} action`);
      return { decision: 'Allow', reason: `allowed by the ${which}` };
    }
    if (!grants.includes('account')) return implicit(`the ${which} does not allow the ${action} action`);
  } else if (grants.includes('direct')) {
    if (!sessionAllows) return implicit(`no session policy allows the ${action} action`);
    return { decision: 'Allow', reason: 'allowed by a resource-based policy' };
  }

  if (!allowsIn(identity)) return implicit(`no identity-based policy allows the ${action} action`);
  if (!sessionAllows) return implicit(`no session policy allows the ${action} action`);
  return { decision: 'Allow', reason: 'allowed by an identity-based policy' };
};
