import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalRecordSchema, EXTRACT_COLUMNS, RECORD_TYPES } from '../../schemas/index.ts';
import { REJECTION_CODES, WARNING_CODES } from '../../schemas/normalise/codes.ts';
import { normaliseRow, type RowOutcome } from '../../schemas/normalise/normalise-row.ts';
import { toExtractRow } from '../../schemas/normalise/to-extract-row.ts';
import { anyValueArb, arbitraryRowArb, contextArb, plausibleRowArb } from './arbitraries.ts';

const KNOWN_CODES = new Set([...Object.keys(REJECTION_CODES), ...Object.keys(WARNING_CODES)]);

/** The contract of every outcome: a strictly valid record, or at least one typed issue. */
const assertWellFormed = (outcome: RowOutcome): void => {
  if (outcome.status === 'REJECTED') {
    expect(outcome.issues.length).toBeGreaterThan(0);
    for (const issue of outcome.issues) {
      expect(Object.keys(REJECTION_CODES)).toContain(issue.code);
      expect(issue.message.length).toBeGreaterThan(0);
      expect((issue.value ?? '').length).toBeLessThanOrEqual(64);
    }
  } else {
    expect(CanonicalRecordSchema.safeParse(outcome.record).success).toBe(true);
    expect(outcome.status === 'ACCEPTED_WITH_WARNINGS').toBe(outcome.warnings.length > 0);
    for (const w of outcome.warnings) expect(KNOWN_CODES.has(w.code)).toBe(true);
  }
};

describe('normaliseRow (properties)', () => {
  for (const recordType of RECORD_TYPES) {
    it(`never throws and yields a valid ${recordType} record or typed issues, for arbitrary rows`, () => {
      fc.assert(
        fc.property(arbitraryRowArb(recordType), contextArb, (row, ctx) => {
          assertWellFormed(normaliseRow(recordType, row, ctx));
        }),
        { numRuns: 300 },
      );
    });

    it(`never throws for arbitrary strings in every ${recordType} column`, () => {
      const names = EXTRACT_COLUMNS[recordType].map((s) => s.name);
      fc.assert(
        fc.property(
          fc.record(
            Object.fromEntries(
              names.map((n) => [n, fc.string({ unit: 'grapheme-composite', maxLength: 40 })]),
            ),
          ),
          contextArb,
          (row, ctx) => assertWellFormed(normaliseRow(recordType, row, ctx)),
        ),
        { numRuns: 200 },
      );
    });

    it(`is idempotent: a ${recordType} record written back as an extract row normalises to itself`, () => {
      let accepted = 0;
      fc.assert(
        fc.property(plausibleRowArb(recordType), contextArb, (row, ctx) => {
          const first = normaliseRow(recordType, row, ctx);
          assertWellFormed(first);
          if (first.status === 'REJECTED') return;
          accepted++;
          const second = normaliseRow(recordType, toExtractRow(first.record), ctx);
          // A lead other than the submitter is kept, and so is a CLOSED status without closed_on: their
          // warnings are the ones that come back.
          const kept = second.status === 'REJECTED' ? [] : second.warnings;
          const op = first.record.recordType === 'operation' ? first.record : undefined;
          const expected = [
            ...(op?.status === 'CLOSED' && op.closedOn === undefined ? ['CLOSED_WITHOUT_DATE'] : []),
            ...(op && op.leadOrg !== op.sourceOrg ? ['LEAD_ORG_NOT_SUBMITTER'] : []),
          ];
          expect(kept.map((w) => w.code)).toEqual(expected);
          expect(second).toEqual({
            status: expected.length > 0 ? 'ACCEPTED_WITH_WARNINGS' : 'ACCEPTED',
            record: first.record,
            warnings: kept,
          });
        }),
        // About 9% of plausible operation rows are accepted (28-32% for the other types): 1,000 runs
        // give about 86, so the guard below cannot fail by chance (400 runs gave 34 ± 6 and it did).
        { numRuns: 1000 },
      );
      expect(accepted).toBeGreaterThan(20);
    });

    it(`is deterministic: the same ${recordType} row and context give the same outcome`, () => {
      fc.assert(
        fc.property(plausibleRowArb(recordType), contextArb, (row, ctx) => {
          expect(normaliseRow(recordType, row, ctx)).toEqual(
            normaliseRow(recordType, structuredClone(row), { ...ctx }),
          );
        }),
        { numRuns: 100 },
      );
    });
  }

  it('never throws when the row itself is not an object', () => {
    fc.assert(
      fc.property(anyValueArb, contextArb, (row, ctx) => {
        assertWellFormed(normaliseRow('subject', row as Record<string, unknown>, ctx));
      }),
      { numRuns: 200 },
    );
  });
});
