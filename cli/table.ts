/** Renders rows as a plain-text table with a header and aligned columns (numbers right-aligned). */
export const renderTable = (
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string => {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[], source: readonly (string | number)[]): string =>
    row
      .map((cell, i) =>
        typeof source[i] === 'number' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0] ?? [], header), rule, ...rows.map((row, i) => line(cells[i + 1] ?? [], row))].join(
    '\n',
  );
};
