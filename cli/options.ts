import { InvalidArgumentError } from 'commander';
import { type IsoMonth, IsoMonthSchema, isOrgCode, type OrgCode, resolveOrg } from '../schemas/index.ts';

/**
 * Parses an organisation option: whatever the extract's `org` column accepts (the code, e.g.
 * PF-E23000001, its ONS code, the name or a common short name such as MET or "Metropolitan Police
 * Service"), with a message naming the accepted forms.
 */
export const orgOption = (value: string): OrgCode => {
  const code = isOrgCode(value) ? value : resolveOrg(value);
  if (code === undefined) {
    throw new InvalidArgumentError(
      `"${value}" is not an organisation: give its code (e.g. PF-E23000001, NA-NCA), ONS code or name ` +
        '(e.g. "Metropolitan Police Service", MET); see docs/extract-spec.md, section 4 "Values"',
    );
  }
  return code;
};

/** Parses a YYYY-MM month option. */
export const monthOption = (value: string): IsoMonth => {
  const month = IsoMonthSchema.safeParse(value);
  if (!month.success) throw new InvalidArgumentError('expected a month as YYYY-MM');
  return month.data;
};

/** Parses a whole number above zero. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
};

/** Parses a whole number, 0 or more. */
export const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
};

/** This month as YYYY-MM (UTC). */
export const currentMonth = (now: Date = new Date()): IsoMonth => now.toISOString().slice(0, 7) as IsoMonth;
