import { z } from 'zod';

/** The police business area a record comes from (PND feeds; NRM for referral records). */
export const BusinessAreaSchema = z.enum([
  'CRIME',
  'INTELLIGENCE',
  'CUSTODY',
  'CHILD_ABUSE',
  'DOMESTIC_ABUSE',
  'NRM',
]);
export type BusinessArea = z.infer<typeof BusinessAreaSchema>;
