import type { StoredMarker } from '../../schemas/index.ts';
import type { LoggedChange } from './feed-log.ts';

/**
 * The feed payload of a stored marker state: pseudonymous fields only. The source record and crime
 * references, the source system, provenance and handling conditions (free text) stay in the index.
 */
export const changeOf = (m: StoredMarker): LoggedChange => {
  const d = m.draft;
  const handlingCode =
    d.intelGrading && d.intelGrading.scheme === '3x5x2' ? d.intelGrading.handling : undefined;
  return {
    schemaVersion: 1,
    committedAt: m.updatedAt,
    naturalKey: m.naturalKey,
    markerId: m.markerId,
    version: m.version,
    status: m.status,
    markerType: d.markerType,
    subjectType: d.subjectType,
    subjectRef: d.subjectRef,
    exploitationTypes: [...d.exploitationTypes],
    sourceOrg: d.sourceOrg,
    ...(d.sourceBusinessArea ? { sourceBusinessArea: d.sourceBusinessArea } : {}),
    mopiGroup: d.mopiGroup,
    reviewDueOn: m.reviewDueOn,
    asAt: d.asAt,
    period: d.period,
    classification: { tier: d.classification.tier, sensitive: d.classification.sensitive },
    ...(handlingCode ? { handlingCode } : {}),
  };
};
