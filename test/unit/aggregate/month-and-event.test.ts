import { describe, expect, it } from 'vitest';
import { monthOfEvent, requestOfEvent } from '../../../functions/aggregate/aggregate-event.ts';
import { lateAfter } from '../../../functions/aggregate/aggregate-month.ts';
import { addMonths, monthsEnding, previousMonthOf } from '../../../functions/aggregate/month.ts';

describe('months', () => {
  it('adds months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(monthsEnding('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(previousMonthOf(new Date('2027-01-06T06:00:00Z'))).toBe('2026-12');
  });

  it('puts the submission deadline at the end of day N of the next month', () => {
    expect(lateAfter('2026-10', 5)).toBe('2026-11-05T23:59:59.999Z');
    expect(lateAfter('2026-12', 0)).toBe('2026-12-31T23:59:59.999Z');
  });
});

describe('monthOfEvent', () => {
  it('aggregates the month before a scheduled event, or the month asked for', () => {
    expect(
      monthOfEvent({ 'detail-type': 'Scheduled Event', time: '2026-11-06T06:00:00Z', source: 'aws.events' }),
    ).toBe('2026-10');
    expect(monthOfEvent({ month: '2026-09' })).toBe('2026-09');
  });

  it('rejects anything else', () => {
    expect(() => monthOfEvent({ month: '2026-13' })).toThrow();
    expect(() => monthOfEvent({ hello: 'world' })).toThrow();
  });
});

describe('requestOfEvent', () => {
  it('allows an empty month only when asked on demand, never on the schedule', () => {
    expect(requestOfEvent({ month: '2026-09' })).toEqual({ month: '2026-09', allowEmpty: false });
    expect(requestOfEvent({ month: '2026-09', allowEmpty: true })).toEqual({
      month: '2026-09',
      allowEmpty: true,
    });
    expect(
      requestOfEvent({ 'detail-type': 'Scheduled Event', time: '2026-11-06T06:00:00Z', allowEmpty: true }),
    ).toEqual({ month: '2026-10', allowEmpty: false });
    expect(() => requestOfEvent({ month: '2026-09', allowEmpty: 'yes' })).toThrow();
  });
});
