import { visibleText } from '../functions/shared/visible-text.ts';

/**
 * Renders rows as a plain-text table with a header and aligned columns (numeric columns right-aligned).
 * Cells may hold text from files (field names, messages, file names): control and invisible characters
 * are escaped, so that no cell can move the cursor, recolour the terminal or break the layout.
 */
export const renderTable = (
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string => {
  const cells = [header, ...rows].map((row) => row.map((cell) => visibleText(String(cell))));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
};
