import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import type { TierTable } from '../disclosure/published.ts';
import { renderMonthReport } from '../report/month-report.ts';
import { tableCsv } from './csv.ts';
import { type ReleaseInfo, UNDATED_RELEASE } from './release.ts';
import { nationalWorkbook } from './workbook.ts';

/**
 * Every text file of one tier, by path relative to the tier folder: `national.json`, one
 * `tables/{id}.csv` per table and `report.html` (rendered from the tier's tables under `policy`, with the
 * release metadata, which national.json never holds).
 */
export const tierFiles = (
  national: NationalPicture,
  tables: readonly TierTable[],
  policy: DisclosurePolicy,
  release: ReleaseInfo = UNDATED_RELEASE,
): Map<string, string> => {
  const files = new Map<string, string>();
  files.set('national.json', `${JSON.stringify(national, null, 2)}\n`);
  for (const table of national.tables) files.set(`tables/${table.id}.csv`, tableCsv(table));
  files.set('report.html', renderMonthReport(national, tables, policy, release));
  return files;
};

/** The tier's spreadsheet, `national.xlsx` (the same tables as national.json, one per sheet). */
export const tierWorkbook = (
  national: NationalPicture,
  policy: DisclosurePolicy,
  release: ReleaseInfo = UNDATED_RELEASE,
): Promise<Buffer> => nationalWorkbook(national, policy, release);
