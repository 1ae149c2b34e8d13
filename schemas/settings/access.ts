import { z } from 'zod';
import { OrgCodeSchema } from '../common/organisations.ts';
import { PushConsumerNameSchema } from '../feed/push-consumers.ts';

/**
 * Who may assume a role: an AWS account (its administrators then delegate `sts:AssumeRole` with IAM
 * policy; `externalId` when a third party assumes it), or a SAML 2.0 identity provider in this account
 * (federated sign-in of an organisation's own staff).
 */
export const TrustedPrincipalSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('account'),
    accountId: z.string().regex(/^\d{12}$/, 'is not an AWS account id (12 digits)'),
    externalId: z.string().min(2).max(1224).optional(),
  }),
  z.strictObject({ kind: z.literal('saml'), providerArn: z.string().min(1) }),
]);
export type TrustedPrincipal = z.infer<typeof TrustedPrincipalSchema>;

/** Who may assume an access role; an empty list trusts the pipeline's own account only. */
export const AccessSettingsSchema = z.strictObject({ principals: z.array(TrustedPrincipalSchema) });
export type AccessSettings = z.infer<typeof AccessSettingsSchema>;

/** A downstream system with a push queue of its own, and who may read it (its own role). */
export const PushConsumerSettingsSchema = AccessSettingsSchema.extend({ name: PushConsumerNameSchema });
export type PushConsumerSettings = z.infer<typeof PushConsumerSettingsSchema>;

/** An organisation that uploads extracts, and who may act for it. */
export const OrganisationSettingsSchema = AccessSettingsSchema.extend({ code: OrgCodeSchema });
export type OrganisationSettings = z.infer<typeof OrganisationSettingsSchema>;
