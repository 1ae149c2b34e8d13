/**
 * The physical names of the roles people and the upload API assume: the CDK stack creates them, the
 * upload API recognises its callers by them, and the local stack (which never loads aws-cdk-lib) gives
 * its personas their policies by them.
 */
type Prefixed = { readonly prefix: string };

/** An organisation's upload role, e.g. `msht-prod-upload-PF-E23000001`. */
export const uploadRoleName = (settings: Prefixed, org: string): string => `${settings.prefix}-upload-${org}`;

/** The national analysis team's role. */
export const nationalTeamRoleName = (settings: Prefixed): string => `${settings.prefix}-national-team`;

/** Readers of the shareable tier only (OFFICIAL): partners the national picture is shared with. */
export const publicationReaderRoleName = (settings: Prefixed): string =>
  `${settings.prefix}-publication-reader`;

/** The downstream feed consumers' role. */
export const feedConsumerRoleName = (settings: Prefixed): string => `${settings.prefix}-feed-consumer`;

/** The role the upload API signs forms with, one session per organisation. */
export const uploadFormSignerRoleName = (settings: Prefixed): string =>
  `${settings.prefix}-upload-form-signer`;
