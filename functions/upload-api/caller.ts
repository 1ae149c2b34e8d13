import type { OrgCode } from '../../schemas/index.ts';
import { uploadRoleName } from '../../schemas/role-names.ts';

/**
 * The organisation an upload-API caller acts for, read from the IAM identity that signed the request
 * (the Function URL's `requestContext.authorizer.iam.userArn`): a session of the organisation's upload
 * role `{prefix}-upload-{org}`, in this account, for one of the configured organisations. Never from
 * anything the caller sends, so no organisation can ask for another's prefix. Undefined otherwise.
 */
export const organisationOfCaller = (
  userArn: string | undefined,
  options: {
    readonly prefix: string;
    readonly accountId: string;
    readonly organisations: readonly OrgCode[];
  },
): OrgCode | undefined => {
  const match = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(userArn ?? '');
  if (!match || match[1] !== options.accountId) return undefined;
  const roleName = match[2] ?? '';
  return options.organisations.find((code) => uploadRoleName(options, code) === roleName);
};
