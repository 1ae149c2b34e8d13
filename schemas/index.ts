// The one barrel of the data contracts: every public schema, type and pure function of schemas/, by name.
// The normaliser (schemas/normalise/) is not here: ingest imports it from its own files.
export {
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
  DisclosurePolicySchema,
} from './aggregate/disclosure-policy.ts';
export {
  AggregateChangeSchema,
  type AggregateLatest,
  AggregateLatestSchema,
  type AggregateTier,
  AggregateTierSchema,
  type DisclosureGroup,
  DisclosureGroupSchema,
  type HeadlineFigure,
  HeadlineFigureSchema,
  type LinkingSummary,
  LinkingSummarySchema,
  NationalityCountsSchema,
  type NationalPicture,
  NationalPictureSchema,
  type NationalTable,
  NationalTableSchema,
  type Rate,
  RateSchema,
  TrendSchema,
} from './aggregate/national.ts';
export {
  type AggregateCell,
  AggregateCellSchema,
  SUPPRESSED,
  type Table,
  tableShape,
} from './aggregate/table.ts';
export { ENVELOPE_SHAPE, LinkedRefSchema } from './canonical/envelope.ts';
export {
  LOCATION_TYPES,
  type Location,
  LocationSchema,
  type LocationType,
  LocationTypeSchema,
  UkPostcodeSchema,
} from './canonical/location.ts';
export {
  MARKER_CONTENT_SHAPE,
  MARKER_TYPES,
  type MarkerDraft,
  MarkerDraftSchema,
  type MarkerLifecycle,
  MarkerLifecycleSchema,
  type MarkerStatus,
  MarkerStatusSchema,
  type MarkerSubjectType,
  MarkerSubjectTypeSchema,
  type MarkerType,
  MarkerTypeSchema,
} from './canonical/marker.ts';
export {
  IDENTIFIER_SCHEMES,
  OBJECT_TYPES,
  type ObjectRecord,
  ObjectRecordSchema,
  type ObjectType,
  ObjectTypeSchema,
} from './canonical/object.ts';
export {
  HoOffenceCodeSchema,
  type Operation,
  type OperationCounts,
  OperationCountsSchema,
  OperationSchema,
  type OperationStatus,
  OperationStatusSchema,
  type ThreatType,
  ThreatTypeSchema,
} from './canonical/operation.ts';
export { type CanonicalRecord, CanonicalRecordSchema } from './canonical/record.ts';
export {
  CroNumberSchema,
  NrmDecisionSchema,
  type NrmStatus,
  NrmStatusSchema,
  PncIdSchema,
  SUBJECT_ROLES,
  type Subject,
  type SubjectIdentifiers,
  SubjectIdentifiersSchema,
  type SubjectRole,
  SubjectRoleSchema,
  SubjectSchema,
} from './canonical/subject.ts';
export {
  UPLOAD_STATUSES,
  type UploadCounts,
  UploadCountsSchema,
  type UploadLedgerEntry,
  UploadLedgerEntrySchema,
  type UploadStatus,
  type UploadStatusObject,
  UploadStatusObjectSchema,
  UploadStatusSchema,
  uploadStatusOf,
} from './canonical/upload-ledger.ts';
export { type UploadProgress, UploadProgressSchema } from './canonical/upload-progress.ts';
export { type BusinessArea, BusinessAreaSchema } from './common/business-area.ts';
export {
  CLASSIFICATION_TIERS,
  type Classification,
  ClassificationSchema,
  type ClassificationTier,
  ClassificationTierSchema,
  formatClassification,
  type OfficialClassification,
  OfficialClassificationSchema,
} from './common/classification.ts';
export { COUNTRIES, type Country, ICAO_SPECIAL_NATIONALITIES } from './common/countries.ts';
export {
  DATE_PRECISIONS,
  type DatePrecision,
  DatePrecisionSchema,
  daysInMonth,
  endOfMonth,
  type IsoDate,
  IsoDateSchema,
  type IsoMonth,
  IsoMonthSchema,
  type IsoTimestamp,
  IsoTimestampSchema,
  isRealDate,
  type PartialDate,
  PartialDateSchema,
} from './common/dates.ts';
export {
  AGE_BANDS,
  AGES_AT_EXPLOITATION,
  type AgeAtExploitation,
  AgeAtExploitationSchema,
  type AgeBand,
  AgeBandSchema,
  ageBandFor,
  SEXES,
  type Sex,
  SexSchema,
} from './common/demographics.ts';
export {
  EXPLOITATION_SUB_TYPES,
  EXPLOITATION_TYPES,
  type ExploitationLocation,
  ExploitationLocationSchema,
  type ExploitationSubType,
  ExploitationSubTypeSchema,
  type ExploitationType,
  ExploitationTypeSchema,
  type LabourIndustry,
  LabourIndustrySchema,
  type MeansOfControl,
  MeansOfControlSchema,
  type RecruiterRelationship,
  RecruiterRelationshipSchema,
  type RecruitmentMethod,
  RecruitmentMethodSchema,
  type RoleInProcess,
  RoleInProcessSchema,
} from './common/exploitation.ts';
export {
  formatIntelGrading,
  HandlingCodeSchema,
  type IntelGrading,
  IntelGradingSchema,
  IntelligenceAssessmentSchema,
  SourceEvaluationSchema,
} from './common/intel-grading.ts';
export { type MopiGroup, MopiGroupSchema } from './common/mopi.ts';
export {
  type CountryCode,
  CountryCodeSchema,
  countryByAlpha3,
  countryLookupKey,
  type Nationality,
  NationalitySchema,
  resolveCountry,
  resolveNationality,
} from './common/nationality.ts';
export {
  isOrgCode,
  isTerritorialForce,
  ORG_CODES,
  ORGANISATIONS,
  type OrgCode,
  OrgCodeSchema,
  type OrgKind,
  orgKind,
  orgLookupKey,
  orgName,
  orgRegion,
  REGIONS,
  type Region,
  resolveOrg,
} from './common/organisations.ts';
export {
  type Provenance,
  ProvenanceSchema,
  Sha256HexSchema,
  SourceRecordRefSchema,
  SourceSystemSchema,
} from './common/provenance.ts';
export {
  createPseudonymKey,
  type DigestPurpose,
  KeyedDigestSchema,
  KeyVersionNumberSchema,
  keyedDigest,
  keyVersionOf,
  type PseudonymKey,
  type PseudonymKeySecret,
  PseudonymKeySecretSchema,
  PseudonymousRefSchema,
  pseudonymousRef,
  randomPseudonymKey,
} from './common/pseudonym.ts';
export {
  type ColumnKind,
  type ColumnSpec,
  column,
  ExtractValueSchema,
  extractRowSchema,
} from './extract/column-spec.ts';
export { EXTRACT_COLUMNS, EXTRACT_ROW_SCHEMAS } from './extract/columns.ts';
export { LOCATION_COLUMNS, LocationExtractRowSchema } from './extract/location.ts';
export { OBJECT_COLUMNS, ObjectExtractRowSchema } from './extract/object.ts';
export { OPERATION_COLUMNS, OperationExtractRowSchema } from './extract/operation.ts';
export {
  FILE_WHAT_TO_DO,
  renderSpecTables,
  SPEC_DOC_BEGIN,
  SPEC_DOC_END,
  updateSpecDoc,
  WHAT_TO_DO,
} from './extract/spec-doc.ts';
export { SUBJECT_COLUMNS, SubjectExtractRowSchema } from './extract/subject.ts';
export {
  AGE_AT_EXPLOITATION_VOCABULARY,
  AGE_BAND_VOCABULARY,
  BOOLEAN_VOCABULARY,
  BUSINESS_AREA_VOCABULARY,
  COMPETENT_AUTHORITY_VOCABULARY,
  EXPLOITATION_LOCATION_VOCABULARY,
  EXPLOITATION_SUB_TYPE_VOCABULARY,
  EXPLOITATION_TYPE_VOCABULARY,
  LABOUR_INDUSTRY_VOCABULARY,
  LOCATION_TYPE_VOCABULARY,
  MEANS_OF_CONTROL_VOCABULARY,
  MOPI_GROUP_VOCABULARY,
  NRM_DECISION_VOCABULARY,
  OBJECT_TYPE_VOCABULARY,
  OPERATION_STATUS_VOCABULARY,
  RECORD_STATUS_VOCABULARY,
  RECRUITER_RELATIONSHIP_VOCABULARY,
  RECRUITMENT_METHOD_VOCABULARY,
  ROLE_IN_PROCESS_VOCABULARY,
  ROLE_VOCABULARY,
  SEX_VOCABULARY,
  THREAT_TYPE_VOCABULARY,
} from './extract/vocabularies.ts';
export { lookupVocabulary, type Vocabulary, vocabularyKey, vocabularyValues } from './extract/vocabulary.ts';
export { type FeedChange, FeedChangeSchema } from './feed/feed-change.ts';
export { type FeedCursor, FeedCursorSchema } from './feed/feed-cursor.ts';
export { type MshtMarker, MshtMarkerSchema } from './markers/published-marker.ts';
export { MAX_UNLOGGED, type StoredMarker, StoredMarkerSchema } from './markers/stored-marker.ts';
export {
  RECORDS_MESSAGE_MAX_BYTES,
  RECORDS_MESSAGE_MAX_RECORDS,
  RECORDS_MESSAGE_VERSION,
  type RecordsMessage,
  RecordsMessageBodySchema,
  type RecordsMessageV1,
  RecordsMessageV1Schema,
  type RecordsMessageV2,
  RecordsMessageV2Schema,
} from './messages/records-message.ts';
export {
  CURATED_UPLOADS_PREFIX,
  curatedKey,
  curatedRecordsPrefix,
  curatedUploadsKey,
  type IncomingKey,
  incomingKey,
  PREFIXES,
  parseIncomingKey,
  reportKey,
  uploadProgressKey,
  uploadProgressPrefix,
  uploadStatusKey,
  uploadStatusPrefix,
} from './object-keys.ts';
export { type PndAckFile, PndAckFileSchema, type PndAckResult, PndAckResultSchema } from './pnd/ack.ts';
export { type PndBatchLine, PndBatchLineSchema } from './pnd/batch-line.ts';
export { type PndManifest, PndManifestSchema } from './pnd/manifest.ts';
export { PND_SYNC_STATES, type PndSyncState, PndSyncStateSchema } from './pnd/sync-state.ts';
export {
  type ExtractFormat,
  FILE_NAME_RULE,
  fileNameProblem,
  RECORD_TYPES,
  type RecordType,
  recordTypeFromFileName,
} from './record-types.ts';
export { MAPPING_VERSION, SCHEMA_VERSION } from './version.ts';
