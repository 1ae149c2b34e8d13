import { z } from 'zod';
import { PartialDateSchema } from '../common/dates.ts';
import { AgeAtExploitationSchema, AgeBandSchema, SexSchema } from '../common/demographics.ts';
import {
  ExploitationLocationSchema,
  ExploitationSubTypeSchema,
  ExploitationTypeSchema,
  LabourIndustrySchema,
  MeansOfControlSchema,
  RecruiterRelationshipSchema,
  RecruitmentMethodSchema,
  RoleInProcessSchema,
} from '../common/exploitation.ts';
import { CountryCodeSchema, NationalitySchema } from '../common/nationality.ts';
import { PseudonymousRefSchema } from '../common/pseudonym.ts';
import { ENVELOPE_SHAPE, LinkedRefSchema } from './envelope.ts';

/** Roles a person can have in MSHT records; a subject has one or more. */
export const SUBJECT_ROLES = [
  'POTENTIAL_VICTIM',
  'VICTIM',
  'SUSPECT',
  'OFFENDER',
  'WITNESS',
  'ASSOCIATE',
] as const;
export const SubjectRoleSchema = z.enum(SUBJECT_ROLES);
export type SubjectRole = z.infer<typeof SubjectRoleSchema>;

/** PNC ID, e.g. `2001/0123456X` or `01/123456X` (normalised to upper case). */
export const PncIdSchema = z.string().regex(/^\d{2}(\d{2})?\/\d{1,7}[A-Z]$/);
/** CRO number, e.g. `123456/01A`. */
export const CroNumberSchema = z.string().regex(/^\d{1,6}\/\d{2}[A-Z]$/);

/**
 * National identifiers of a person, for deterministic de-duplication. Restricted: never copied into
 * markers or aggregates.
 */
export const SubjectIdentifiersSchema = z.strictObject({
  pncId: PncIdSchema.optional(),
  croNumber: CroNumberSchema.optional(),
  nrmReference: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9/-]{0,31}$/)
    .optional(),
  passport: z
    .strictObject({
      number: z.string().regex(/^[A-Z0-9]{5,20}$/),
      issuingState: CountryCodeSchema.optional(),
    })
    .optional(),
});
export type SubjectIdentifiers = z.infer<typeof SubjectIdentifiersSchema>;

/** A decision of the NRM competent authority. */
export const NrmDecisionSchema = z.enum(['POSITIVE', 'NEGATIVE', 'PENDING']);

/** NRM status of a (potential) victim. */
export const NrmStatusSchema = z.strictObject({
  referralDate: PartialDateSchema.optional(),
  competentAuthority: z.enum(['SCA', 'IECA']).optional(),
  rgDecision: NrmDecisionSchema.optional(),
  cgDecision: NrmDecisionSchema.optional(),
  /** A Duty to Notify report only: the adult did not consent to an NRM referral. */
  dtnOnly: z.boolean(),
});
export type NrmStatus = z.infer<typeof NrmStatusSchema>;

/**
 * A person in an MSHT record (POLE person) with their roles. Names and other free text are never held:
 * only demographics needed for the national picture, identifiers for de-duplication, victim and
 * offender context. `subjectId` is pseudonymous.
 */
export const SubjectSchema = z.strictObject({
  recordType: z.literal('subject'),
  ...ENVELOPE_SHAPE,
  /** Pseudonymous id: `pseudonymousRef(key, sourceOrg, sourceSystem, sourceRecordRef)`. */
  subjectId: PseudonymousRefSchema,
  roles: z.array(SubjectRoleSchema).min(1),
  operationRefs: z.array(LinkedRefSchema),
  operationKeys: z.array(PseudonymousRefSchema),
  crimeRefs: z.array(LinkedRefSchema),
  identifiers: SubjectIdentifiersSchema,
  sex: SexSchema,
  dateOfBirth: PartialDateSchema.optional(),
  ageAtExploitation: AgeAtExploitationSchema,
  /** Age band at the end of the period, from the date of birth, the age or a given band. */
  ageBand: AgeBandSchema,
  /** Nationalities, first = primary; `XXX` alone when unknown. */
  nationalities: z.array(NationalitySchema).min(1),
  countryOfBirth: CountryCodeSchema.optional(),
  exploitationTypes: z.array(ExploitationTypeSchema),
  exploitationSubTypes: z.array(ExploitationSubTypeSchema),
  exploitationLocation: ExploitationLocationSchema,
  meansOfControl: z.array(MeansOfControlSchema),
  recruitmentMethods: z.array(RecruitmentMethodSchema),
  recruiterRelationship: RecruiterRelationshipSchema.optional(),
  labourIndustry: LabourIndustrySchema.optional(),
  nrm: NrmStatusSchema,
  countyLinesFlag: z.boolean(),
  roleInProcess: z.array(RoleInProcessSchema),
});
export type Subject = z.infer<typeof SubjectSchema>;
