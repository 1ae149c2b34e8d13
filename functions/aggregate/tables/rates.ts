import type { Rate } from '../../../schemas/aggregate/national.ts';
import type { AggregateCell, Table } from '../../../schemas/aggregate/table.ts';
import { type CellValue, wholePercent } from '../disclosure/published.ts';
import { KEY_FIELD_LABELS } from './categories.ts';

type RateTable = Pick<Table<AggregateCell>, 'id' | 'rows' | 'columns' | 'cells' | 'rowTotals'>;

const find = (tables: readonly RateTable[], id: string): RateTable | undefined =>
  tables.find((t) => t.id === id);

/**
 * Whole-number percentages derived from a tier's own tables: crimes recorded per 100 NRM referrals by
 * submitting organisation (A6a / A6b) and the share of subject records with an unknown key field by submitter
 * (A9b / A9c). They use `wholePercent`, so a percentage is `[c]` whenever its count or base is suppressed
 * or the base is zero, and in the shareable tier it comes from the published, rounded counts.
 */
export const ratesOf = (tables: readonly RateTable[]): Rate[] => {
  const rates: Rate[] = [];
  const crimes = find(tables, 'A6a');
  const referrals = find(tables, 'A6b');
  if (crimes !== undefined && referrals !== undefined) {
    rates.push({
      id: 'crimesPer100Referrals',
      label: 'Crimes recorded (class 106) per 100 NRM referrals, by submitting organisation',
      rows: crimes.rows.map((label, r) => ({
        label,
        percent: wholePercent(crimes.cells[r]?.[0] as CellValue, referrals.cells[r]?.[0] as CellValue),
      })),
    });
  }
  const unknown = find(tables, 'A9b');
  const base = find(tables, 'A9c');
  if (unknown !== undefined && base !== undefined) {
    Object.entries(KEY_FIELD_LABELS).forEach(([field, label], f) => {
      rates.push({
        id: `unknown-${field}`,
        label: `Subject records with ${label.toLowerCase()} unknown (%), by submitter`,
        rows: unknown.rows.map((submitter, r) => ({
          label: submitter,
          percent: wholePercent(
            unknown.cells[r]?.[f] as CellValue,
            (field === 'exploitationType' ? base.cells[r]?.[0] : base.rowTotals[r]) as CellValue,
          ),
        })),
      });
    });
  }
  return rates;
};
