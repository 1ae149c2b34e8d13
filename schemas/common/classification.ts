import { z } from 'zod';

/** Government Security Classifications tiers (GSCP 2014, updated 2024). */
export const CLASSIFICATION_TIERS = ['OFFICIAL', 'SECRET', 'TOP SECRET'] as const;
export const ClassificationTierSchema = z.enum(CLASSIFICATION_TIERS);
export type ClassificationTier = z.infer<typeof ClassificationTierSchema>;

/**
 * The descriptors an extract's classification may carry (GSCP): PERSONAL (personal data), COMMERCIAL
 * (commercially sensitive), LOCSEN (locally sensitive). Any other word after the marking is not accepted.
 */
export const CLASSIFICATION_DESCRIPTORS = ['PERSONAL', 'COMMERCIAL', 'LOCSEN'] as const;
export type ClassificationDescriptor = (typeof CLASSIFICATION_DESCRIPTORS)[number];

/** The markings an extract may use, as messages and the extract specification state them. */
export const ACCEPTED_MARKINGS = `OFFICIAL or OFFICIAL-SENSITIVE, optionally followed by ': ' and descriptors ${CLASSIFICATION_DESCRIPTORS.join(', ')} (legacy PROTECT and RESTRICTED are read as OFFICIAL and OFFICIAL-SENSITIVE)`;

/** A descriptor as stored: upper-case words, e.g. PERSONAL, COMMERCIAL, LOCSEN. */
const DescriptorSchema = z.string().regex(/^[A-Z][A-Z0-9 _-]{0,31}$/);

/** A security classification as marked on a record: tier, the SENSITIVE marking, descriptors. */
export const ClassificationSchema = z.strictObject({
  tier: ClassificationTierSchema,
  sensitive: z.boolean(),
  descriptors: z.array(DescriptorSchema).max(8).optional(),
  handlingInstructions: z.string().min(1).max(500).optional(),
});
export type Classification = z.infer<typeof ClassificationSchema>;

/** The classification of records the pipeline accepts: OFFICIAL only (higher tiers are rejected). */
export const OfficialClassificationSchema = ClassificationSchema.extend({ tier: z.literal('OFFICIAL') });
export type OfficialClassification = z.infer<typeof OfficialClassificationSchema>;

/** Renders a classification as it is marked, e.g. `OFFICIAL-SENSITIVE: PERSONAL`. */
export const formatClassification = (c: Classification): string => {
  const base = `${c.tier}${c.sensitive ? '-SENSITIVE' : ''}`;
  return c.descriptors && c.descriptors.length > 0 ? `${base}: ${c.descriptors.join(', ')}` : base;
};
