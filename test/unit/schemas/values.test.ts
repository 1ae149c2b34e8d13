import { describe, expect, it } from 'vitest';
import { splitMultiValue } from '../../../schemas/normalise/normalise-row.ts';
import {
  parseClassification,
  parseDate,
  parseIntelGrading,
  parseTimestamp,
  readRaw,
} from '../../../schemas/normalise/values.ts';

describe('parseDate', () => {
  it.each([
    ['2026-03-14', { date: '2026-03-14', precision: 'DAY' }],
    ['14/03/2026', { date: '2026-03-14', precision: 'DAY' }],
    ['4/3/2026', { date: '2026-03-04', precision: 'DAY' }],
    ['2024-02-29', { date: '2024-02-29', precision: 'DAY' }],
    ['2026-03', { date: '2026-03-01', precision: 'MONTH' }],
    ['1998', { date: '1998-01-01', precision: 'YEAR' }],
    ['2026-03-14T23:30:00-05:00', { date: '2026-03-14', precision: 'DAY' }],
  ])('reads %s', (text, value) => {
    // Assess
    expect(parseDate(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['31/02/1990', 'not-real'],
    ['2023-02-29', 'not-real'],
    ['2026-13', 'not-real'],
    ['1850-01-01', 'range'],
    ['14-03-2026', 'format'],
    ['03/14/26', 'format'],
    ['yesterday', 'format'],
  ])('refuses %s (%s)', (text, reason) => {
    // Assess
    expect(parseDate(text)).toEqual({ ok: false, reason });
  });
});

describe('parseTimestamp', () => {
  it('normalises offsets to UTC with milliseconds', () => {
    // Assess
    expect(parseTimestamp('2026-10-14T09:30:00Z')).toEqual({ ok: true, value: '2026-10-14T09:30:00.000Z' });
    expect(parseTimestamp('2026-10-14T10:30:00+01:00')).toEqual({
      ok: true,
      value: '2026-10-14T09:30:00.000Z',
    });
    expect(parseTimestamp('2026-10-14 09:30')).toEqual({ ok: true, value: '2026-10-14T09:30:00.000Z' });
    expect(parseTimestamp('2026-10-14')).toEqual({ ok: true, value: '2026-10-14T00:00:00.000Z' });
    expect(parseTimestamp('14/10/2026')).toEqual({ ok: true, value: '2026-10-14T00:00:00.000Z' });
  });

  it('refuses impossible times and other text', () => {
    // Assess
    expect(parseTimestamp('2026-10-14T25:00:00Z')).toEqual({ ok: false, reason: 'not-real' });
    expect(parseTimestamp('last Tuesday')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('parseClassification', () => {
  it('reads OFFICIAL markings with the SENSITIVE caveat and descriptors', () => {
    // Assess
    expect(parseClassification('OFFICIAL')).toEqual({
      ok: true,
      value: { tier: 'OFFICIAL', sensitive: false },
    });
    expect(parseClassification('official-sensitive')).toEqual({
      ok: true,
      value: { tier: 'OFFICIAL', sensitive: true },
    });
    expect(parseClassification('OFFICIAL - SENSITIVE')).toEqual({
      ok: true,
      value: { tier: 'OFFICIAL', sensitive: true },
    });
    expect(parseClassification('OFFICIAL-SENSITIVE: PERSONAL, COMMERCIAL')).toEqual({
      ok: true,
      value: { tier: 'OFFICIAL', sensitive: true, descriptors: ['PERSONAL', 'COMMERCIAL'] },
    });
    expect(parseClassification('RESTRICTED')).toEqual({
      ok: true,
      value: { tier: 'OFFICIAL', sensitive: true },
    });
  });

  it('flags SECRET, TOP SECRET and CONFIDENTIAL as too high', () => {
    // Assess
    for (const text of ['SECRET', 'top secret', 'TOP-SECRET', 'CONFIDENTIAL']) {
      expect(parseClassification(text)).toMatchObject({ ok: false, reason: 'too-high' });
    }
    expect(parseClassification('OFFICIALISH')).toMatchObject({ ok: false, reason: 'unrecognised' });
  });
});

describe('parseIntelGrading', () => {
  it('reads 3x5x2 in its common spellings and keeps 5x5x5 raw', () => {
    // Assess
    expect(parseIntelGrading('1/A/P')).toEqual({
      ok: true,
      value: { scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
    });
    expect(parseIntelGrading('2bc')).toEqual({
      ok: true,
      value: { scheme: '3x5x2', source: '2', intelligence: 'B', handling: 'C' },
    });
    expect(parseIntelGrading('3x5x2: 3 E P')).toMatchObject({
      ok: true,
      value: { source: '3', intelligence: 'E' },
    });
    expect(parseIntelGrading('B24')).toEqual({ ok: true, value: { scheme: '5x5x5', raw: 'B24' } });
    expect(parseIntelGrading('5x5x5 c/3/1')).toEqual({ ok: true, value: { scheme: '5x5x5', raw: 'c/3/1' } });
    expect(parseIntelGrading('4/A/P')).toEqual({ ok: false });
    expect(parseIntelGrading('3x5x2 B24')).toEqual({ ok: false });
  });
});

describe('raw values', () => {
  it('treats blank, NULL and null as blank and splits multi-values on ; and |', () => {
    // Assess
    expect(readRaw('  ')).toEqual({ kind: 'blank' });
    expect(readRaw('NULL')).toEqual({ kind: 'blank' });
    expect(readRaw(null)).toEqual({ kind: 'blank' });
    expect(readRaw(12)).toEqual({ kind: 'text', text: '12' });
    expect(readRaw({ a: 1 })).toEqual({ kind: 'bad', what: 'an object' });
    expect(splitMultiValue('a; b|c ;')).toEqual(['a', 'b', 'c']);
    expect(splitMultiValue(['a;b', 'c', null])).toEqual(['a', 'b', 'c']);
  });
});
