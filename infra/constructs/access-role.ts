import { Duration } from 'aws-cdk-lib';
import {
  AccountPrincipal,
  AccountRootPrincipal,
  FederatedPrincipal,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { TrustedPrincipal } from '../config.ts';
import { acknowledge, wildcardResourceFinding } from '../policy-checks.ts';

/** One permission of an access role, with why any wildcard resource in it is the least privilege. */
export type AccessGrant = {
  readonly statement: PolicyStatement;
  /**
   * Why a wildcard resource (an S3 prefix such as `incoming/PF-E23000001/*`) is the narrowest possible.
   * @default wildcards are not acknowledged (and fail the policy gate)
   */
  readonly wildcardReason?: string;
};

/** Properties of an `AccessRole`. */
export type AccessRoleProps = {
  /** Physical role name, so that trusted principals can name the role they assume. */
  readonly roleName: string;
  readonly description: string;
  /** Who may assume the role; empty trusts this account (its administrators delegate with IAM policy). */
  readonly principals: readonly TrustedPrincipal[];
  /** Everything the role may do: one inline policy, no managed policies. */
  readonly grants: readonly AccessGrant[];
};

const ACCOUNT_ID = /^\d{12}$/;
const SAML_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/;

/** The IAM principal for a configured trusted principal; throws on a malformed account id or ARN. */
export const principalFor = (trusted: TrustedPrincipal): IPrincipal => {
  if (trusted.kind === 'account') {
    if (!ACCOUNT_ID.test(trusted.accountId))
      throw new Error(`"${trusted.accountId}" is not an AWS account id`);
    const account = new AccountPrincipal(trusted.accountId);
    return trusted.externalId
      ? account.withConditions({ StringEquals: { 'sts:ExternalId': trusted.externalId } })
      : account;
  }
  if (!SAML_PROVIDER_ARN.test(trusted.providerArn)) {
    throw new Error(`"${trusted.providerArn}" is not the ARN of an IAM SAML provider`);
  }
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
  return new FederatedPrincipal(
    trusted.providerArn,
    { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    'sts:AssumeRoleWithSAML',
  );
};

/**
 * A role that people or systems outside the pipeline assume (an organisation's uploader, the national
 * team, a feed consumer): trusted only by the configured principals, one-hour sessions, and exactly the
 * grants given, as one inline policy. Wildcard resources are acknowledged to cdk-nag with their reason.
 */
export class AccessRole extends Construct {
  /** The role. */
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    const [first, ...rest] =
      props.principals.length === 0 ? [new AccountRootPrincipal()] : props.principals.map(principalFor);
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: props.description,
      assumedBy: first as IPrincipal,
      maxSessionDuration: Duration.hours(1),
      inlinePolicies:
        props.grants.length === 0
          ? {}
          : { access: new PolicyDocument({ statements: props.grants.map((g) => g.statement) }) },
    });
    for (const principal of rest) {
      this.role.assumeRolePolicy?.addStatements(
        new PolicyStatement({
          actions: [principal.assumeRoleAction],
          principals: [principal],
        }),
      );
    }
    for (const { statement, wildcardReason } of props.grants) {
      if (!wildcardReason) continue;
      for (const resource of statement.resources) {
        if (resource.includes('*'))
          acknowledge(this.role, wildcardResourceFinding(this, resource), wildcardReason);
      }
    }
  }
}
