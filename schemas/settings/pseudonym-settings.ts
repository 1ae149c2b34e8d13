import { z } from 'zod';
import { KeyVersionNumberSchema } from '../common/pseudonym.ts';

/**
 * The pseudonym key (schemas/common/pseudonym.ts): the Secrets Manager secret the stack creates and the
 * functions that derive references read, and the key version they must find in it. Raising
 * `keyVersion` after putting a new value in the secret rolls a rotation out (docs/deploy.md,
 * "Rotating the pseudonym key"): the functions get the new version in their environment, start afresh
 * and refuse a secret of any other version.
 */
export const PseudonymSettingsSchema = z.strictObject({
  /** Name of the secret, e.g. `msht-dev-pseudonym-key`. */
  secretName: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret name'),
  /** The version of the key in the secret that the functions use (`k{keyVersion}_` in every reference). */
  keyVersion: KeyVersionNumberSchema,
});
export type PseudonymSettings = z.infer<typeof PseudonymSettingsSchema>;
