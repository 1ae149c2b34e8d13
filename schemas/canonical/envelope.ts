import { z } from 'zod';
import { BusinessAreaSchema } from '../common/business-area.ts';
import { OfficialClassificationSchema } from '../common/classification.ts';
import { IsoMonthSchema, IsoTimestampSchema } from '../common/dates.ts';
import { IntelGradingSchema } from '../common/intel-grading.ts';
import { MopiGroupSchema } from '../common/mopi.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { ProvenanceSchema, SourceRecordRefSchema, SourceSystemSchema } from '../common/provenance.ts';

/** A reference to another record of the same source system (e.g. an operation or a subject). */
export const LinkedRefSchema = SourceRecordRefSchema;

/**
 * The fields every canonical record carries, whatever its type: where it came from, when it was last
 * updated at source (`asAt`), its extract period, classification, MoPI group and provenance.
 */
export const ENVELOPE_SHAPE = {
  schemaVersion: z.literal(1),
  sourceOrg: OrgCodeSchema,
  sourceSystem: SourceSystemSchema,
  sourceRecordRef: SourceRecordRefSchema,
  /** When the record was last updated in the source system; the end of the period when not given. */
  asAt: IsoTimestampSchema,
  period: IsoMonthSchema,
  classification: OfficialClassificationSchema,
  businessArea: BusinessAreaSchema.optional(),
  intelGrading: IntelGradingSchema.optional(),
  mopiGroup: MopiGroupSchema,
  /** Present only when the source record was withdrawn (deleted at source); its markers are then withdrawn. */
  recordStatus: z.literal('WITHDRAWN').optional(),
  provenance: ProvenanceSchema,
} as const;
