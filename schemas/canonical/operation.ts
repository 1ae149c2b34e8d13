import { z } from 'zod';
import { PartialDateSchema } from '../common/dates.ts';
import { ExploitationSubTypeSchema, ExploitationTypeSchema } from '../common/exploitation.ts';
import { CountryCodeSchema } from '../common/nationality.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { PseudonymousRefSchema } from '../common/pseudonym.ts';
import { ENVELOPE_SHAPE, LinkedRefSchema } from './envelope.ts';

/** The kind of threat an operation addresses. */
export const ThreatTypeSchema = z.enum(['MODERN_SLAVERY', 'HUMAN_TRAFFICKING', 'OIC', 'MIXED']);
export type ThreatType = z.infer<typeof ThreatTypeSchema>;

/** Status of an operation at the end of the snapshot month. */
export const OperationStatusSchema = z.enum(['LIVE', 'SUSPENDED', 'CLOSED']);
export type OperationStatus = z.infer<typeof OperationStatusSchema>;

/** A Home Office offence classification code, e.g. `106` (modern slavery) or `106/1`. */
export const HoOffenceCodeSchema = z.string().regex(/^\d{1,3}[A-Z]?(\/\d{1,2}[A-Z]?)?$/);

const Count = z.number().int().nonnegative().max(1_000_000);

/** Activity counts of an operation for its snapshot month; a count not given is left out (unknown, not 0). */
export const OperationCountsSchema = z.strictObject({
  potentialVictimsIdentified: Count.optional(),
  nrmReferralsMade: Count.optional(),
  dtnReports: Count.optional(),
  suspectsIdentified: Count.optional(),
  arrests: Count.optional(),
  charges: Count.optional(),
  stpoStroSought: Count.optional(),
});
export type OperationCounts = z.infer<typeof OperationCountsSchema>;

/**
 * An MSHT / OIC operation as at the end of one month (a monthly snapshot; `period` is the snapshot month).
 * `sourceRecordRef` is the operation's local reference; the codename is never stored.
 * Unique per (`sourceOrg`, `sourceRecordRef`, `period`): each organisation reports its own part of an
 * operation, so another organisation's return (even one naming this one as `leadOrg`) never replaces it.
 */
export const OperationSchema = z.strictObject({
  recordType: z.literal('operation'),
  ...ENVELOPE_SHAPE,
  /** Pseudonymous key of the operation: `pseudonymousRef(key, sourceOrg, sourceRecordRef)`. */
  operationKey: PseudonymousRefSchema,
  /** The lead organisation as the submitter gave it (an attribute only: figures count under `sourceOrg`). */
  leadOrg: OrgCodeSchema,
  partnerOrgs: z.array(OrgCodeSchema),
  threatType: ThreatTypeSchema,
  exploitationTypes: z.array(ExploitationTypeSchema),
  exploitationSubTypes: z.array(ExploitationSubTypeSchema),
  status: OperationStatusSchema,
  openedOn: PartialDateSchema,
  closedOn: PartialDateSchema.optional(),
  /** Police force areas where activity occurs (territorial force codes). */
  pfaCodes: z.array(OrgCodeSchema),
  overseasCountries: z.array(CountryCodeSchema),
  hoOffenceCodes: z.array(HoOffenceCodeSchema),
  crimeRefs: z.array(LinkedRefSchema),
  ocgLinked: z.boolean().optional(),
  counts: OperationCountsSchema,
});
export type Operation = z.infer<typeof OperationSchema>;
