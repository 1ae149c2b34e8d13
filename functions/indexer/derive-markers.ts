import {
  type CanonicalRecord,
  type Classification,
  keyedDigest,
  type MarkerDraft,
  type MarkerSubjectType,
  type MarkerType,
  type PseudonymKey,
  type SubjectRole,
} from '../../schemas/index.ts';
import { canonicalJson, sha256Hex } from '../shared/canonical-json.ts';

/** The marker each subject role gives; witnesses and associates are not marked. */
export const ROLE_MARKERS: Readonly<Partial<Record<SubjectRole, MarkerType>>> = {
  POTENTIAL_VICTIM: 'MSHT_POTENTIAL_VICTIM',
  VICTIM: 'MSHT_VICTIM',
  SUSPECT: 'MSHT_SUSPECT',
  OFFENDER: 'MSHT_OFFENDER',
};

const VICTIM_MARKERS: readonly MarkerType[] = ['MSHT_POTENTIAL_VICTIM', 'MSHT_VICTIM'];

/**
 * The natural key of a marker: the keyed digest (`k{version}_` and 64 hex) of
 * `sourceOrg|sourceSystem|sourceRecordRef|markerType`, so it cannot be recomputed without the key.
 */
export const naturalKeyOf = (
  key: PseudonymKey,
  sourceOrg: string,
  sourceSystem: string,
  sourceRecordRef: string,
  markerType: MarkerType,
): string => keyedDigest(key, 'marker', `${sourceOrg}|${sourceSystem}|${sourceRecordRef}|${markerType}`);

const markerTypesOf = (
  record: CanonicalRecord,
): { subjectType: MarkerSubjectType; subjectRef: string; types: MarkerType[] } => {
  switch (record.recordType) {
    case 'subject':
      return {
        subjectType: 'PERSON',
        subjectRef: record.subjectId,
        types: record.roles.flatMap((role) => ROLE_MARKERS[role] ?? []),
      };
    case 'object':
      return {
        subjectType: 'OBJECT',
        subjectRef: record.objectId,
        types:
          record.objectType === 'VEHICLE'
            ? ['MSHT_VEHICLE']
            : record.objectType === 'PHONE'
              ? ['MSHT_COMMS']
              : [],
      };
    case 'location':
      return {
        subjectType: 'LOCATION',
        subjectRef: record.locationId,
        types: record.locationType === 'EXPLOITATION_SITE' ? ['MSHT_PREMISES'] : [],
      };
    case 'operation':
      return { subjectType: 'EVENT', subjectRef: record.operationKey, types: [] };
  }
};

/**
 * The markers a canonical record gives (pure): subject roles → victim / suspect / offender markers,
 * vehicles and phones → vehicle / comms markers, exploitation sites → premises markers; operations none.
 * Markers carry a pseudonymous `subjectRef`, never names or personal identifiers (PNC ID, passport…);
 * victim markers are always OFFICIAL-SENSITIVE. `contentHash` covers everything but provenance, as-at
 * time and period, so an unchanged resubmission can be skipped. Natural keys are keyed with `key`.
 */
export const deriveMarkers = (record: CanonicalRecord, key: PseudonymKey): MarkerDraft[] => {
  const { subjectType, subjectRef, types } = markerTypesOf(record);
  return [...new Set(types)].map((markerType) => {
    const classification: Classification = VICTIM_MARKERS.includes(markerType)
      ? { ...record.classification, sensitive: true }
      : record.classification;
    const content = {
      schemaVersion: record.schemaVersion,
      naturalKey: naturalKeyOf(
        key,
        record.sourceOrg,
        record.sourceSystem,
        record.sourceRecordRef,
        markerType,
      ),
      markerType,
      subjectType,
      subjectRef,
      exploitationTypes: record.recordType === 'subject' ? [...record.exploitationTypes] : [],
      sourceOrg: record.sourceOrg,
      sourceSystem: record.sourceSystem,
      sourceRecordRef: record.sourceRecordRef,
      ...(record.businessArea ? { sourceBusinessArea: record.businessArea } : {}),
      ...(record.recordType === 'subject' && record.crimeRefs[0] ? { crimeRef: record.crimeRefs[0] } : {}),
      mopiGroup: record.mopiGroup,
      classification,
      ...(record.intelGrading ? { intelGrading: record.intelGrading } : {}),
    };
    return {
      ...content,
      period: record.period,
      asAt: record.asAt,
      provenance: record.provenance,
      contentHash: sha256Hex(canonicalJson(content)),
    };
  });
};
