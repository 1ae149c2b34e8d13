import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AttributeValue,
  addNumbers,
  compareNumbers,
  normaliseNumber,
  sortableText,
} from '../../../../infra/local/dynamodb/attribute-value.ts';
import { evaluateCondition } from '../../../../infra/local/dynamodb/condition-evaluate.ts';
import { parseCondition } from '../../../../infra/local/dynamodb/condition-expression.ts';
import { ExpressionAttributes } from '../../../../infra/local/dynamodb/expression-attributes.ts';
import { parseProjection } from '../../../../infra/local/dynamodb/projection-expression.ts';
import { applyUpdate } from '../../../../infra/local/dynamodb/update-apply.ts';
import { parseUpdate } from '../../../../infra/local/dynamodb/update-expression.ts';

const attrs = (names?: Record<string, string>, values?: Record<string, AttributeValue>) =>
  new ExpressionAttributes(names, values);

const decimalArb = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: -40, max: 40 }))
  .map(([negative, digits, exponent]) => `${negative ? '-' : ''}${digits}e${exponent}`);

describe('numbers', () => {
  it('sort as text in numeric order', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        const x = sortableText({ N: normaliseNumber(a) });
        const y = sortableText({ N: normaliseNumber(b) });
        const byText = x < y ? -1 : x > y ? 1 : 0;
        expect(byText).toBe(Math.sign(compareNumbers(a, b)));
      }),
    );
  });

  it('normalise to plain decimals and add exactly', () => {
    expect(normaliseNumber('1.50')).toBe('1.5');
    expect(normaliseNumber('-0.0')).toBe('0');
    expect(normaliseNumber('1e3')).toBe('1000');
    expect(normaliseNumber('0.000123')).toBe('0.000123');
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(addNumbers('1', '1.5', true)).toBe('-0.5');
    expect(() => normaliseNumber('1e126')).toThrow(/overflow/);
    expect(() => normaliseNumber('1'.repeat(39))).toThrow(/38 significant digits/);
    expect(() => normaliseNumber('abc')).toThrow(/numeric value/);
  });

  it('add as exact decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        expect(addNumbers(String(a / 100), String(b / 100))).toBe(normaliseNumber(String((a + b) / 100)));
      }),
    );
  });
});

describe('condition expressions', () => {
  const item = {
    pk: { S: 'a' },
    n: { N: '5' },
    s: { SS: ['p', 'q'] },
    tag: { S: 'reed' },
    m: { M: { k: { N: '1' }, l: { L: [{ S: 'x' }] } } },
  };
  const holds = (text: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>) =>
    evaluateCondition(
      item,
      parseCondition(
        text,
        'ConditionExpression',
        attrs(names, Object.keys(values).length ? values : undefined),
      ),
    );

  it('evaluates functions, comparisons, IN, BETWEEN, NOT, AND/OR and parentheses', () => {
    expect(holds('attribute_exists(pk) AND attribute_not_exists(nope)')).toBe(true);
    expect(holds('contains(s, :p) AND NOT contains(s, :z)', { ':p': { S: 'p' }, ':z': { S: 'z' } })).toBe(
      true,
    );
    expect(holds('begins_with(tag, :r)', { ':r': { S: 're' } })).toBe(true);
    expect(holds('size(s) = :two AND size(tag) > :three', { ':two': { N: '2' }, ':three': { N: '3' } })).toBe(
      true,
    );
    expect(holds('attribute_type(m, :m)', { ':m': { S: 'M' } })).toBe(true);
    expect(holds('n IN (:a, :b)', { ':a': { N: '4' }, ':b': { N: '5.0' } })).toBe(true);
    expect(holds('n BETWEEN :a AND :b', { ':a': { N: '5' }, ':b': { N: '6' } })).toBe(true);
    expect(
      holds(
        '#m.#k = :one AND m.l[0] = :x',
        { ':one': { N: '1' }, ':x': { S: 'x' } },
        { '#m': 'm', '#k': 'k' },
      ),
    ).toBe(true);
    expect(holds('n < :a OR (n > :a AND NOT n = :b)', { ':a': { N: '3' }, ':b': { N: '5' } })).toBe(false);
    expect(holds('n <> :a', { ':a': { N: '5' } })).toBe(false);
    // An ordering of different types is false, not an error.
    expect(holds('tag < :n', { ':n': { N: '1' } })).toBe(false);
  });

  it('binds AND tighter than OR, and NOT tighter than AND', () => {
    const f = (text: string) =>
      holds(text.replace(/\bT\b/g, 'attribute_exists(pk)').replace(/\bF\b/g, 'attribute_exists(nope)'));
    expect(f('T OR T AND F')).toBe(true);
    expect(f('(T OR T) AND F')).toBe(false);
    expect(f('NOT F AND F')).toBe(false);
    expect(f('NOT (F AND F)')).toBe(true);
  });

  it('refuses reserved words, undefined and unused placeholders, and syntax errors, naming them', () => {
    expect(() =>
      parseCondition('status = :s', 'ConditionExpression', attrs(undefined, { ':s': { S: 'x' } })),
    ).toThrow('Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
    expect(() =>
      parseCondition('#x = :s', 'ConditionExpression', attrs(undefined, { ':s': { S: 'x' } })),
    ).toThrow(/attribute name used in the document path is not defined; attribute name: #x/);
    expect(() => parseCondition('a = :nope', 'ConditionExpression', attrs())).toThrow(
      /attribute value: :nope/,
    );
    const unused = attrs(undefined, { ':a': { S: 'x' }, ':b': { S: 'y' } });
    parseCondition('a = :a', 'ConditionExpression', unused);
    expect(() => unused.checkAllUsed()).toThrow(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}',
    );
    expect(() =>
      parseCondition('a = = :a', 'ConditionExpression', attrs(undefined, { ':a': { S: 'x' } })),
    ).toThrow(/Syntax error/);
    expect(() => parseCondition('foo(a)', 'ConditionExpression', attrs())).toThrow(
      /Invalid function name; function: foo/,
    );
    expect(() =>
      parseCondition('a < :b', 'ConditionExpression', attrs(undefined, { ':b': { BOOL: true } })),
    ).toThrow(/Incorrect operand type/);
  });

  it('parses what it prints, whatever the nesting (property)', () => {
    type Tree = string | { op: 'AND' | 'OR'; l: Tree; r: Tree } | { op: 'NOT'; x: Tree };
    const leaf = fc.constantFrom(
      'attribute_exists(pk)',
      'attribute_exists(nope)',
      'n = :five',
      'contains(s, :p)',
    );
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ op: fc.constantFrom('AND' as const, 'OR' as const), l: tie('t'), r: tie('t') }),
        fc.record({ op: fc.constant('NOT' as const), x: tie('t') }),
      ),
    })).t;
    const print = (t: Tree): string =>
      typeof t === 'string'
        ? t
        : t.op === 'NOT'
          ? `NOT (${print(t.x)})`
          : `(${print(t.l)}) ${t.op} (${print(t.r)})`;
    const truth = (t: Tree): boolean =>
      typeof t === 'string'
        ? t !== 'attribute_exists(nope)'
        : t.op === 'NOT'
          ? !truth(t.x)
          : t.op === 'AND'
            ? truth(t.l) && truth(t.r)
            : truth(t.l) || truth(t.r);
    fc.assert(
      fc.property(tree, (t) => {
        const values = { ':five': { N: '5' }, ':p': { S: 'p' } };
        const condition = parseCondition(print(t), 'ConditionExpression', attrs(undefined, values));
        expect(evaluateCondition(item, condition)).toBe(truth(t));
      }),
    );
  });
});

describe('update expressions', () => {
  const update = (
    item: Record<string, AttributeValue>,
    text: string,
    values?: Record<string, AttributeValue>,
    names?: Record<string, string>,
  ) => applyUpdate(item, parseUpdate(text, attrs(names, values)));

  it('applies SET, ADD, REMOVE and DELETE, reading every value from the item before', () => {
    const before = {
      pk: { S: 'a' },
      n: { N: '1' },
      s: { SS: ['p'] },
      l: { L: [{ S: 'x' }, { S: 'y' }] },
      k: { L: [{ S: 'x' }, { S: 'y' }] },
      t: { SS: ['p', 'r'] },
      c: { M: {} },
    };
    const after = update(
      before,
      'SET n = n + :two, c.#i = if_not_exists(c.#i, :zero), l = list_append(l, :more) ADD s :q, tally :two REMOVE k[0] DELETE t :p',
      {
        ':two': { N: '2' },
        ':zero': { N: '0' },
        ':more': { L: [{ S: 'z' }] },
        ':q': { SS: ['q'] },
        ':p': { SS: ['p'] },
      },
      { '#i': 'indexed' },
    );
    expect(before.n).toEqual({ N: '1' });
    expect(after).toEqual({
      pk: { S: 'a' },
      n: { N: '3' },
      s: { SS: ['p', 'q'] },
      t: { SS: ['r'] },
      tally: { N: '2' },
      c: { M: { indexed: { N: '0' } } },
      l: { L: [{ S: 'x' }, { S: 'y' }, { S: 'z' }] },
      k: { L: [{ S: 'y' }] },
    });
  });

  it('refuses overlapping paths, a clause twice, and a nested path under a missing map', () => {
    expect(() => parseUpdate('SET a = :v REMOVE a', attrs(undefined, { ':v': { N: '1' } }))).toThrow(
      /overlap/,
    );
    expect(() => parseUpdate('SET a = :v SET b = :v', attrs(undefined, { ':v': { N: '1' } }))).toThrow(
      /"SET" section can only be used once/,
    );
    expect(() => update({ pk: { S: 'a' } }, 'SET m.k = :v', { ':v': { N: '1' } })).toThrow(
      'The document path provided in the update expression is invalid for update',
    );
    expect(() => update({ pk: { S: 'a' }, n: { S: 'x' } }, 'ADD n :v', { ':v': { N: '1' } })).toThrow(
      /incorrect data type/,
    );
  });
});

describe('projection expressions', () => {
  it('names top-level, nested and list paths', () => {
    expect(parseProjection('a, #b.c, d[2]', attrs({ '#b': 'b' }))).toEqual([['a'], ['b', 'c'], ['d', 2]]);
    expect(() => parseProjection('a, a.b', attrs())).toThrow(/overlap/);
  });
});
