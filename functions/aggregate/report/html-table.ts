import { type CellValue, isSuppressed, type TierTable } from '../disclosure/published.ts';
import { isOneWay } from '../disclosure/table.ts';
import { formatValue } from './chart-spec.ts';
import { escapeHtml } from './escape.ts';

const cell = (value: CellValue, tag: 'td' | 'th' = 'td'): string =>
  isSuppressed(value)
    ? `<${tag} class="num suppressed"><abbr title="suppressed to protect small numbers">[c]</abbr></${tag}>`
    : `<${tag} class="num">${formatValue(value)}</${tag}>`;

/** A value of a row none of whose organisations had a counted return: missing, not zero. */
const NOT_SUBMITTED_CELL = '<td class="not-submitted">not submitted</td>';

/**
 * Renders a table as an accessible HTML table: caption, column and row header cells with scope, totals in
 * a footer row; one-way tables have no separate row-total column (it would repeat the cells).
 */
export const renderTableHtml = (table: TierTable, notSubmitted: readonly string[] = []): string => {
  const oneWay = isOneWay(table);
  // `nearest-5` reads "counts rounded to the nearest 5".
  const note =
    table.tier === 'internal'
      ? 'Exact counts.'
      : table.rounding === 'none'
        ? '[c] = suppressed; exact counts (audit view).'
        : `[c] = suppressed; counts rounded to the ${table.rounding.replace('-', ' ')}; totals rounded independently.`;
  const captionNote = ` <span class="caption-note">${note}</span>`;
  const corner = oneWay
    ? escapeHtml(table.rowDimension)
    : `${escapeHtml(table.rowDimension)} \u2193 / ${escapeHtml(table.columnDimension)} \u2192`;
  const head =
    `<tr><th scope="col">${corner}</th>` +
    table.columns.map((column) => `<th scope="col" class="num">${escapeHtml(column)}</th>`).join('') +
    (oneWay ? '' : '<th scope="col" class="num">Total</th>') +
    '</tr>';
  const body = table.rows
    .map((label, r) => {
      const values = (table.cells[r] ?? []) as readonly CellValue[];
      if (notSubmitted.includes(label))
        return `<tr><th scope="row">${escapeHtml(label)}</th>${values.map(() => NOT_SUBMITTED_CELL).join('')}${oneWay ? '' : NOT_SUBMITTED_CELL}</tr>`;
      const total = oneWay ? '' : cell(table.rowTotals[r] as CellValue);
      return `<tr><th scope="row">${escapeHtml(label)}</th>${values.map((value) => cell(value)).join('')}${total}</tr>`;
    })
    .join('');
  const foot =
    '<tr><th scope="row">Total</th>' +
    (oneWay ? '' : (table.columnTotals as readonly CellValue[]).map((value) => cell(value)).join('')) +
    cell(table.grandTotal) +
    '</tr>';
  return (
    // The title sits above the scrolling wrapper (a <caption> would scroll away with a wide table on a
    // phone); the table and its wrapper are named by it.
    `<p class="table-title" id="${escapeHtml(`caption-${table.id}`)}">${escapeHtml(table.title)}.${captionNote}</p>` +
    `<div class="table-wrap" role="region" tabindex="0" aria-labelledby="${escapeHtml(`caption-${table.id}`)}">` +
    `<table id="${escapeHtml(`table-${table.id}`)}" aria-labelledby="${escapeHtml(`caption-${table.id}`)}">` +
    `<thead>${head}</thead><tbody>${body}</tbody><tfoot>${foot}</tfoot></table></div>`
  );
};
