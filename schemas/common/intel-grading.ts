import { z } from 'zod';
import { charsSchema } from './text-length.ts';

/** 3x5x2 source evaluation: 1 reliable, 2 untested, 3 not reliable. */
export const SourceEvaluationSchema = z.enum(['1', '2', '3']);
/** 3x5x2 intelligence assessment: A known directly … E suspected to be false. */
export const IntelligenceAssessmentSchema = z.enum(['A', 'B', 'C', 'D', 'E']);
/** 3x5x2 handling code: P lawful sharing permitted, C permitted with conditions. */
export const HandlingCodeSchema = z.enum(['P', 'C']);

const Grading3x5x2P = z.strictObject({
  scheme: z.literal('3x5x2'),
  source: SourceEvaluationSchema,
  intelligence: IntelligenceAssessmentSchema,
  handling: z.literal('P'),
});
const Grading3x5x2C = z.strictObject({
  scheme: z.literal('3x5x2'),
  source: SourceEvaluationSchema,
  intelligence: IntelligenceAssessmentSchema,
  handling: z.literal('C'),
  handlingConditions: charsSchema(500),
});
/** Legacy 5x5x5 grading, kept as marked: it is never mapped to 3x5x2 automatically. */
const Grading5x5x5 = z.strictObject({ scheme: z.literal('5x5x5'), raw: z.string().min(3).max(32) });

/**
 * Intelligence grading of an intelligence-derived record: 3x5x2 (handling conditions required when the
 * handling code is C) or legacy 5x5x5 kept raw.
 */
export const IntelGradingSchema = z.union([Grading3x5x2P, Grading3x5x2C, Grading5x5x5]);
export type IntelGrading = z.infer<typeof IntelGradingSchema>;

/** Renders a grading as an extract would give it: `1/A/P` for 3x5x2, the raw text for 5x5x5. */
export const formatIntelGrading = (g: IntelGrading): string =>
  g.scheme === '5x5x5' ? g.raw : `${g.source}/${g.intelligence}/${g.handling}`;
