import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import { type OrgCode, orgName, orgRegion, REGIONS } from '../../../schemas/common/organisations.ts';
import { EXPECTED_ORGANISATIONS } from '../tables/coverage.ts';
import { escapeHtml } from './escape.ts';
import { formatMonth } from './format.ts';

/** Each expected organisation's return for the month: counted, failed (nothing counted), or none. */
export type CoverageStatus =
  | 'Submitted'
  | 'Submitted late'
  | 'Not counted (every file failed)'
  | 'Not submitted';

/** The status of every expected organisation, in the order of `EXPECTED_ORGANISATIONS`. */
export const coverageRows = (
  national: NationalPicture,
): { readonly org: OrgCode; readonly region: string; readonly status: CoverageStatus }[] => {
  const s = national.submitters;
  return EXPECTED_ORGANISATIONS.map((org) => ({
    org,
    region: orgRegion(org),
    status: s.nothingSubmitted.includes(org)
      ? 'Not submitted'
      : s.noneCounted.includes(org)
        ? 'Not counted (every file failed)'
        : s.late.includes(org)
          ? 'Submitted late'
          : 'Submitted',
  }));
};

/** The coverage figures in one sentence: counts of organisations only. */
export const coverageSentence = (national: NationalPicture): string => {
  const rows = coverageRows(national);
  const count = (status: CoverageStatus) => rows.filter((row) => row.status === status).length;
  const counted = count('Submitted') + count('Submitted late');
  return (
    `${counted} of the ${rows.length} expected organisations (the 43 police forces of England and Wales, ` +
    'Police Scotland, the Police Service of Northern Ireland, British Transport Police and the partner ' +
    `agencies) submitted a return for ${formatMonth(national.month)} that is counted in these figures` +
    `${count('Submitted late') === 0 ? '' : `, ${count('Submitted late')} of them after the deadline`}. ` +
    `${count('Not submitted')} sent nothing` +
    `${count('Not counted (every file failed)') === 0 ? '' : ` and ${count('Not counted (every file failed)')} sent only files that failed validation`}: ` +
    'their figures are missing, not zero, and are shown as "not submitted" wherever a table has a row for them.'
  );
};

const list = (label: string, orgs: readonly OrgCode[]): string =>
  `<p><strong>${escapeHtml(label)} (${orgs.length}):</strong> ${
    orgs.length === 0 ? 'none' : escapeHtml(orgs.map(orgName).join('; '))
  }.</p>`;

/** The coverage section: a sentence, returns by region, and who did not submit or was late, by name. */
export const coverageHtml = (national: NationalPicture): string => {
  const rows = coverageRows(national);
  const byRegion = REGIONS.map((region) => {
    const inRegion = rows.filter((row) => row.region === region);
    const n = (keep: (status: CoverageStatus) => boolean) =>
      inRegion.filter((row) => keep(row.status)).length;
    return (
      `<tr><th scope="row">${escapeHtml(region)}</th><td class="num">${inRegion.length}</td>` +
      `<td class="num">${n((s) => s === 'Submitted' || s === 'Submitted late')}</td>` +
      `<td class="num">${n((s) => s === 'Submitted late')}</td>` +
      `<td class="num">${n((s) => s === 'Not submitted' || s === 'Not counted (every file failed)')}</td></tr>`
    );
  }).join('');
  const s = national.submitters;
  return (
    `<p>${escapeHtml(coverageSentence(national))}</p>` +
    '<p class="table-title" id="caption-coverage">Returns by region: expected organisations, returns counted, ' +
    'late returns and organisations not submitted.</p>' +
    '<div class="table-wrap" role="region" tabindex="0" aria-labelledby="caption-coverage">' +
    '<table id="table-coverage" aria-labelledby="caption-coverage"><thead><tr>' +
    '<th scope="col">Region</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Counted</th>' +
    '<th scope="col" class="num">Late</th><th scope="col" class="num">Not submitted</th></tr></thead>' +
    `<tbody>${byRegion}</tbody><tfoot><tr><th scope="row">Total</th><td class="num">${rows.length}</td>` +
    `<td class="num">${s.submitted.length - s.noneCounted.length}</td><td class="num">${s.late.length}</td>` +
    `<td class="num">${s.nothingSubmitted.length + s.noneCounted.length}</td></tr></tfoot></table></div>` +
    list('Not submitted', s.nothingSubmitted) +
    (s.noneCounted.length === 0 ? '' : list('Submitted, but every file failed validation', s.noneCounted)) +
    list('Late returns (received after the submission deadline)', s.late)
  );
};
