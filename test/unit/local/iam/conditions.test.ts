import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conditionHolds,
  conditionsHold,
  UnsupportedConditionError,
} from '../../../../infra/local/iam/conditions.ts';

const holds = (
  operator: string,
  expected: string | number | boolean | string[],
  actual?: string | string[],
) => conditionHolds(operator, 'k', expected, actual === undefined ? {} : { k: actual });

describe('string and ARN operators', () => {
  it('compare exactly, ignoring case, or with wildcards', () => {
    expect(holds('StringEquals', 'a', 'a')).toBe(true);
    expect(holds('StringEquals', 'a', 'A')).toBe(false);
    expect(holds('StringEqualsIgnoreCase', 'a', 'A')).toBe(true);
    expect(holds('StringNotEqualsIgnoreCase', 'a', 'A')).toBe(false);
    expect(holds('StringLike', 'incoming/*', 'incoming/x/y')).toBe(true);
    expect(holds('StringNotLike', 'incoming/*', 'reports/x')).toBe(true);
  });

  it('match ARNs part by part: ArnEquals and ArnLike both take wildcards, within a part', () => {
    const rule = 'arn:aws:events:eu-west-2:111122223333:rule/nightly';
    expect(holds('ArnEquals', 'arn:aws:events:*:111122223333:rule/*', rule)).toBe(true);
    expect(holds('ArnLike', 'arn:aws:events:eu-west-2:*:rule/night?y', rule)).toBe(true);
    expect(holds('ArnLike', 'arn:aws:events:*', rule)).toBe(false);
    expect(holds('ArnNotLike', 'arn:aws:s3:::*', rule)).toBe(true);
    expect(holds('ArnLike', 'arn:aws:events:*:*:*', 'not-an-arn')).toBe(false);
  });
});

describe('numeric, date and Bool operators', () => {
  it('compare numbers, including the unquoted numbers of templates', () => {
    expect(holds('NumericLessThan', 1.2, '1.0')).toBe(true);
    expect(holds('NumericLessThan', 1.2, '1.2')).toBe(false);
    expect(holds('NumericLessThanEquals', 1.2, '1.2')).toBe(true);
    expect(holds('NumericGreaterThan', '10', '11')).toBe(true);
    expect(holds('NumericGreaterThanEquals', '10', '9')).toBe(false);
    expect(holds('NumericEquals', '10', '10.0')).toBe(true);
    expect(holds('NumericNotEquals', '10', '11')).toBe(true);
    expect(holds('NumericEquals', '10', 'ten')).toBe(false);
  });

  it('compare dates in ISO 8601 or epoch seconds', () => {
    expect(holds('DateLessThan', '2026-12-01T00:00:00Z', '2026-11-30T23:59:59Z')).toBe(true);
    expect(holds('DateGreaterThanEquals', '2026-12-01T00:00:00Z', String(Date.UTC(2026, 11, 1) / 1000))).toBe(
      true,
    );
    expect(holds('DateEquals', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z')).toBe(false);
  });

  it('Bool compares true/false however the template spells it', () => {
    expect(holds('Bool', 'false', 'false')).toBe(true);
    expect(holds('Bool', false, 'false')).toBe(true);
    expect(holds('Bool', 'false', 'true')).toBe(false);
  });
});

describe('missing keys, IfExists and Null', () => {
  it('a missing key fails a positive operator, passes a negated one and any IfExists', () => {
    expect(holds('StringEquals', 'a')).toBe(false);
    expect(holds('StringNotEquals', 'a')).toBe(true);
    expect(holds('NumericLessThan', 1.2)).toBe(false);
    expect(holds('NumericLessThanIfExists', 1.2)).toBe(true);
    expect(holds('BoolIfExists', 'false')).toBe(true);
    expect(holds('BoolIfExists', 'false', 'true')).toBe(false);
  });

  it('Null tests whether the key is absent (true) or present (false)', () => {
    expect(holds('Null', 'true')).toBe(true);
    expect(holds('Null', 'true', 'x')).toBe(false);
    expect(holds('Null', 'false', 'x')).toBe(true);
    expect(holds('Null', false)).toBe(false);
  });
});

describe('multivalued keys', () => {
  it('ForAnyValue holds when one value matches; fails for a missing or empty key', () => {
    expect(holds('ForAnyValue:StringEquals', ['a', 'b'], ['x', 'b'])).toBe(true);
    expect(holds('ForAnyValue:StringEquals', ['a', 'b'], ['x', 'y'])).toBe(false);
    expect(holds('ForAnyValue:StringEquals', 'a')).toBe(false);
    expect(holds('ForAnyValue:StringEquals', 'a', [])).toBe(false);
    expect(holds('ForAnyValue:StringEqualsIfExists', 'a')).toBe(true);
  });

  it('ForAllValues holds when every value matches, and vacuously for a missing or empty key', () => {
    expect(holds('ForAllValues:StringLike', ['team-*', 'cost'], ['team-a', 'cost'])).toBe(true);
    expect(holds('ForAllValues:StringLike', ['team-*'], ['team-a', 'owner'])).toBe(false);
    expect(holds('ForAllValues:StringLike', ['team-*'])).toBe(true);
    expect(holds('ForAllValues:StringLike', ['team-*'], [])).toBe(true);
  });

  it('ForAllValues of a set is ForAnyValue of none failing (for any values)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c')),
        fc.array(fc.constantFrom('a', 'b', 'c')),
        (expected, actual) => {
          const all = holds('ForAllValues:StringEquals', expected, actual);
          const anyOutside = holds('ForAnyValue:StringNotEquals', expected, actual);
          expect(all).toBe(!anyOutside);
        },
      ),
    );
  });
});

describe('a Condition element', () => {
  it('needs every operator and every key to hold, and any one value of a key', () => {
    const condition = {
      StringEquals: { 'aws:SourceAccount': '111122223333' },
      ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::a', 'arn:aws:s3:::b'] },
    };
    expect(
      conditionsHold(condition, { 'aws:SourceAccount': '111122223333', 'aws:SourceArn': 'arn:aws:s3:::b' }),
    ).toBe(true);
    expect(conditionsHold(condition, { 'aws:SourceAccount': '111122223333' })).toBe(false);
    expect(conditionsHold(undefined, {})).toBe(true);
  });

  it('refuses operators it does not implement, naming them', () => {
    expect(() => holds('IpAddress', '203.0.113.0/24', '203.0.113.7')).toThrow(UnsupportedConditionError);
    expect(() => holds('ForAnyValue:Null', 'true')).toThrow(/ForAnyValue:Null/);
    expect(() => holds('StringEqualz', 'a', 'a')).toThrow(/StringEqualz is not supported/);
  });
});
