/**
 * The order of tables in the bulletin and the spreadsheet: by family A1–A9, then sub-table (A1a, A1b, …),
 * with A3r right after A3 (`A3` < `A3r` < `A4a`): the order of domain §8.7, whatever order the table
 * groups are protected in.
 */
export const compareTableIds = (a: string, b: string): number => {
  const key = (id: string) => {
    const match = /^A(\d+)(.*)$/.exec(id);
    return match === null ? [Number.MAX_SAFE_INTEGER, id] : ([Number(match[1]), match[2] ?? ''] as const);
  };
  const [fa, ra] = key(a);
  const [fb, rb] = key(b);
  if (fa !== fb) return (fa as number) - (fb as number);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
};

/** The tables in bulletin order (a copy). */
export const bulletinOrder = <T extends { readonly id: string }>(tables: readonly T[]): T[] =>
  [...tables].sort((a, b) => compareTableIds(a.id, b.id));
