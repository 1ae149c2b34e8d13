import { z } from 'zod';

/**
 * MoPI review group carried by force systems (1 certain public protection matters, 2 other sexual,
 * violent or serious offences, 3 all other offences, 4 undetected crime); the review periods are config.
 */
export const MopiGroupSchema = z.enum(['1', '2', '3', '4', 'UNASSIGNED']);
export type MopiGroup = z.infer<typeof MopiGroupSchema>;
