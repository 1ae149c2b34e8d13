import { describe, expect, it } from 'vitest';
import { resolveNationality } from '../../../schemas/common/nationality.ts';
import { codePointLength, truncateCodePoints } from '../../../schemas/common/text-length.ts';
import { headerKey } from '../../../schemas/normalise/headers.ts';
import { normaliseRow, type RowOutcome } from '../../../schemas/normalise/normalise-row.ts';
import { parseClassification, readRaw } from '../../../schemas/normalise/values.ts';
import { CTX, VALID_ROWS } from './fixtures.ts';

const issuesOf = (outcome: RowOutcome): string[] =>
  (outcome.status === 'REJECTED' ? outcome.issues : outcome.warnings).map((i) => `${i.field}:${i.code}`);

describe('parseClassification: markings that hide a higher tier or an unknown descriptor', () => {
  it.each([
    ['OFFICIAL: TOP SECRET', 'TOP SECRET'],
    ['OFFICIAL SECRET', 'SECRET'],
    ['OFFICIAL-SENSITIVE [SECRET]', 'SECRET'],
    ['OFFICIAL-SENSITIVE: PERSONAL, CONFIDENTIAL', 'CONFIDENTIAL'],
    ['official - sensitive / top-secret', 'TOP SECRET'],
    ['ＳＥＣＲＥＴ', 'SECRET'],
    ['SE\u200bCRET', 'SECRET'],
  ])('%j is too high (%s)', (text, tier) => {
    expect(parseClassification(text)).toEqual({ ok: false, reason: 'too-high', tier });
  });

  it.each([
    'OFFICIAL-SENSITIVE: HMG',
    'OFFICIAL: PERSONAL DATA',
    'OFFICIAL-SENSITIVE: UK EYES ONLY',
    'OFFICIAL X',
  ])('%j is not recognised (descriptors only from the documented list)', (text) => {
    expect(parseClassification(text)).toEqual({ ok: false, reason: 'unrecognised' });
  });

  it('accepts each documented descriptor', () => {
    expect(parseClassification('OFFICIAL-SENSITIVE: PERSONAL, COMMERCIAL, LOCSEN')).toEqual({
      ok: true,
      value: { tier: 'OFFICIAL', sensitive: true, descriptors: ['PERSONAL', 'COMMERCIAL', 'LOCSEN'] },
    });
  });

  it('names the accepted forms in the INVALID_VALUE message', () => {
    const outcome = normaliseRow('subject', { ...VALID_ROWS.subject, classification: 'OFFICIAL: HMG' }, CTX);
    expect(outcome.status === 'REJECTED' && outcome.issues[0]?.message).toContain(
      'OFFICIAL or OFFICIAL-SENSITIVE',
    );
  });
});

describe('resolveNationality: text that reads as nothing is unrecognised, not blank', () => {
  it.each(['🇦🇱', 'عربي', 'Русский', '???', '-'])('%j is XXX, not recognised', (text) => {
    expect(resolveNationality(text)).toEqual({ code: 'XXX', recognised: false });
  });

  it('still reads blank as XXX, recognised', () => {
    expect(resolveNationality('  ')).toEqual({ code: 'XXX', recognised: true });
  });

  it('warns for such a country too, which is left out', () => {
    const outcome = normaliseRow('subject', { ...VALID_ROWS.subject, country_of_birth: '???' }, CTX);
    expect(issuesOf(outcome)).toEqual(['country_of_birth:COUNTRY_UNRECOGNISED']);
  });
});

describe('references', () => {
  it.each([
    ['\u202e', 'right-to-left override'],
    ['\u2066', 'left-to-right isolate'],
    ['\u200b', 'zero-width space'],
    ['\u200d', 'zero-width joiner'],
    ['\ufeff', 'byte-order mark'],
  ])('rejects a reference holding U+%s (%s) as INVALID_FORMAT', (ch) => {
    const row = { ...VALID_ROWS.subject, source_record_ref: `P${ch}1`, operation_refs: `OP${ch}2` };
    expect(issuesOf(normaliseRow('subject', row, CTX))).toEqual([
      'source_record_ref:INVALID_FORMAT',
      'operation_refs:INVALID_FORMAT',
    ]);
  });

  it('counts a reference in characters: 64 emoji fit, 65 do not', () => {
    const fits = normaliseRow('subject', { ...VALID_ROWS.subject, source_record_ref: '😀'.repeat(64) }, CTX);
    expect(fits.status).toBe('ACCEPTED');
    const over = normaliseRow('subject', { ...VALID_ROWS.subject, source_record_ref: '😀'.repeat(65) }, CTX);
    expect(over.status === 'REJECTED' && over.issues[0]?.message).toBe(
      'source_record_ref is 65 characters long; the limit is 64',
    );
  });

  it('rejects a JSON number beyond 2^53 and keeps a safe one', () => {
    expect(readRaw(JSON.parse('12345678901234567890'))).toMatchObject({ kind: 'bad' });
    expect(readRaw(2 ** 53)).toMatchObject({ kind: 'bad' });
    expect(readRaw(Number.MAX_SAFE_INTEGER)).toEqual({ kind: 'text', text: '9007199254740991' });
    expect(readRaw(-51.5)).toEqual({ kind: 'text', text: '-51.5' });
  });
});

describe('code points', () => {
  it('counts and cuts astral characters once each', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud800x')).toBe(2);
    expect(truncateCodePoints('😀😀😀', 2)).toBe('😀😀');
  });

  it('folds invisible formatting characters out of header keys', () => {
    expect(headerKey('\u200bsource_record\u200d_ref\ufeff')).toBe('source_record_ref');
  });
});
