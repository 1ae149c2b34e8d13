import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECORD_TYPES, type RecordType } from '../../schemas/index.ts';
import { compileCheck } from '../../schemas/normalise/compiled-check.ts';
import { normaliseRow } from '../../schemas/normalise/normalise-row.ts';
import { schemaForFile } from '../../schemas/normalise/record-validator.ts';
import { anyValueArb, contextArb, plausibleRowArb } from './arbitraries.ts';

// The compiled check of the canonical record (schemas/normalise/compiled-check.ts) stands in for zod's
// strict parse when ingest accepts a record: it must give zod's verdict on every value, valid or not.

type Json = Record<string, unknown>;

/** A valid record of a type: a plausible row normalised (rows that are rejected are filtered out). */
const validRecordArb = (recordType: RecordType, ctxArb: typeof contextArb = contextArb) =>
  fc
    .tuple(plausibleRowArb(recordType), ctxArb)
    .map(([row, ctx]) => ({ ctx, outcome: normaliseRow(recordType, row, ctx) }))
    .filter(({ outcome }) => outcome.status !== 'REJECTED')
    .map(({ ctx, outcome }) => ({ ctx, record: (outcome as { record: Json }).record }));

/** Every path to a value in a record (objects and arrays), for near-miss edits. */
const paths = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === 'object')
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
};

/** A copy of `record` with the value at `path` replaced (or, with `undefined` and `drop`, removed). */
const edit = (
  record: unknown,
  path: (string | number)[],
  change: (old: unknown) => unknown,
  drop = false,
) => {
  const copy = structuredClone(record) as Json;
  if (path.length === 0) return change(copy);
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) parent = parent[key as string] as Json;
  const last = path.at(-1) as string;
  if (drop && !Array.isArray(parent)) delete parent[last];
  else parent[last] = change(parent[last]);
  return copy;
};

/** Near misses of a value: the same type but wrong, one step off a limit, the wrong type. */
const nearMissArb = (old: unknown): fc.Arbitrary<unknown> => {
  if (typeof old === 'string')
    return fc.oneof(
      fc.constant(`${old}x`),
      fc.constant(old.slice(1)),
      fc.constant(''),
      fc.constant(old.toLowerCase()),
      fc.constant(` ${old}`),
      fc.constant(old.repeat(40)),
      fc.constant(`${old}\u202e`),
      fc.constant(`${old}😀`),
      fc.string(),
    );
  if (typeof old === 'number')
    return fc.oneof(
      fc.constant(old + 1),
      fc.constant(old - 1),
      fc.constant(-old - 1),
      fc.constant(old + 0.5),
      fc.constant(Number.NaN),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.constant(String(old)),
      fc.double(),
    );
  if (Array.isArray(old))
    return fc.oneof(
      fc.constant([]),
      fc.constant([...old, ...old]),
      fc.constant([...old, 'X']),
      fc.constant(Array(20).fill(old[0])),
      fc.constant({ ...old }),
    );
  return anyValueArb;
};

/** A valid record with one near-miss edit somewhere in it. */
const nearMissRecordArb = (recordType: RecordType, ctxArb: typeof contextArb = contextArb) =>
  validRecordArb(recordType, ctxArb).chain(({ ctx, record }) =>
    fc.constantFrom(...paths(record)).chain((path) =>
      fc
        .oneof(
          {
            weight: 6,
            arbitrary: nearMissArb(path.reduce<unknown>((v, k) => (v as Json)[k], record)).map((v) =>
              edit(record, path, () => v),
            ),
          },
          { weight: 1, arbitrary: fc.constant(edit(record, path, () => undefined, true)) },
          { weight: 1, arbitrary: fc.constant(edit(record, path, () => undefined)) },
          {
            weight: 1,
            arbitrary: fc.constant(
              edit(record, path, (v) =>
                v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, extra: 1 } : v,
              ),
            ),
          },
          { weight: 1, arbitrary: fc.constant(edit(record, path, () => null)) },
        )
        .map((value) => ({ ctx, record: value })),
    ),
  );

describe('compiled check of the canonical record (property: the same verdict as zod)', () => {
  for (const recordType of RECORD_TYPES) {
    const verdicts = (ctx: Parameters<typeof schemaForFile>[1], value: unknown) => {
      const schema = schemaForFile(recordType, ctx);
      const check = compileCheck(schema);
      if (!check) throw new Error(`the ${recordType} schema did not compile`);
      return { compiled: check(value), zod: schema.safeParse(value).success };
    };

    it(`accepts every valid ${recordType} record zod accepts`, () => {
      fc.assert(
        fc.property(validRecordArb(recordType), ({ ctx, record }) => {
          expect(verdicts(ctx, record)).toEqual({ compiled: true, zod: true });
        }),
        { numRuns: 200 },
      );
    });

    it(`agrees with zod on near misses of ${recordType} records (one value changed, dropped or added)`, () => {
      fc.assert(
        fc.property(nearMissRecordArb(recordType), ({ ctx, record }) => {
          const { compiled, zod } = verdicts(ctx, record);
          expect(compiled).toBe(zod);
        }),
        { numRuns: 1000 },
      );
    });

    it(`agrees with zod on arbitrary values for ${recordType}`, () => {
      fc.assert(
        fc.property(contextArb, anyValueArb, (ctx, value) => {
          const { compiled, zod } = verdicts(ctx, value);
          expect(compiled).toBe(zod);
        }),
        { numRuns: 200 },
      );
    });

    it(`agrees with zod on a run of valid records and near misses through one compiled check (${recordType})`, () => {
      // One check serves every row of a file, and its checks reuse one scratch payload: a rejection must
      // leave nothing behind for the next value.
      const [ctx] = fc.sample(contextArb, { numRuns: 1, seed: 13 });
      if (!ctx) throw new Error('no context');
      const schema = schemaForFile(recordType, ctx);
      const check = compileCheck(schema);
      if (!check) throw new Error(`the ${recordType} schema did not compile`);
      const values = fc.sample(
        fc.oneof(
          validRecordArb(recordType, fc.constant(ctx)).map(({ record }) => record),
          nearMissRecordArb(recordType, fc.constant(ctx)).map(({ record }) => record),
          anyValueArb,
        ),
        { numRuns: 600, seed: 7 },
      );
      let accepted = 0;
      for (const value of values) {
        const verdict = schema.safeParse(value).success;
        expect(check(value)).toBe(verdict);
        if (verdict) accepted++;
      }
      expect(accepted).toBeGreaterThan(50);
    });
  }
});
