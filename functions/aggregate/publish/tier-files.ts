import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import type { TierTable } from '../disclosure/published.ts';
import { renderMonthReport } from '../report/month-report.ts';
import { tableCsv } from './csv.ts';

/**
 * Every file of one tier, by path relative to the tier folder: `national.json`, one `tables/{id}.csv` per
 * table and `report.html` (rendered from the tier's tables under `policy`).
 */
export const tierFiles = (
  national: NationalPicture,
  tables: readonly TierTable[],
  policy: DisclosurePolicy,
): Map<string, string> => {
  const files = new Map<string, string>();
  files.set('national.json', `${JSON.stringify(national, null, 2)}\n`);
  for (const table of national.tables) files.set(`tables/${table.id}.csv`, tableCsv(table));
  files.set('report.html', renderMonthReport(national, tables, policy));
  return files;
};
