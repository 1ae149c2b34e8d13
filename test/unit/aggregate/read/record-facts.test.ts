import { describe, expect, it } from 'vitest';
import { factsOf } from '../../../../functions/aggregate/read/record-facts.ts';
import { operation } from '../records.ts';

const closedIn = (overrides: Parameters<typeof operation>[2], month: string, period = '2026-10') => {
  const facts = factsOf(operation('PF-E23000001', 'OP1', overrides, { period }), month as never);
  return facts.kind === 'operation' ? facts.closedInMonth : undefined;
};

describe('factsOf: operations closed in the month', () => {
  it('counts an operation closed in the month of its closed_on', () => {
    const closedOn = { date: '2026-10-20', precision: 'DAY' } as const;
    expect(closedIn({ status: 'CLOSED', closedOn }, '2026-10')).toBe(true);
    expect(closedIn({ status: 'CLOSED', closedOn }, '2026-11', '2026-11')).toBe(false);
  });

  it('counts a CLOSED operation without closed_on as closed in the month of its extract, and only then', () => {
    expect(closedIn({ status: 'CLOSED' }, '2026-10')).toBe(true);
    expect(closedIn({ status: 'CLOSED' }, '2026-11')).toBe(false);
    expect(closedIn({ status: 'LIVE' }, '2026-10')).toBe(false);
  });

  it('counts a year-only closed_on in no month', () => {
    expect(
      closedIn({ status: 'CLOSED', closedOn: { date: '2026-01-01', precision: 'YEAR' } }, '2026-10'),
    ).toBe(false);
  });
});
