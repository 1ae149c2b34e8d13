import { describe, expect, it } from 'vitest';
import {
  compareRational,
  createRangeSolver,
  rational,
} from '../../../../functions/aggregate/disclosure/exact-lp.ts';

describe('createRangeSolver', () => {
  it('finds exact integer bounds of a transportation-like system', () => {
    // Prepare: x0 + x1 = 10, x0 + x2 = 7, all ≥ 0
    const solver = createRangeSolver({
      variableCount: 3,
      lowerBounds: [0, 0, 0],
      equations: [
        {
          terms: [
            [0, 1],
            [1, 1],
          ],
          rhs: 10,
        },
        {
          terms: [
            [0, 1],
            [2, 1],
          ],
          rhs: 7,
        },
      ],
    });

    // Act
    const x0 = solver.range(0);
    const x1 = solver.range(1);

    // Assess
    expect(solver.feasible).toBe(true);
    expect(x0).toEqual({ lower: rational(0), upper: rational(7) });
    expect(x1).toEqual({ lower: rational(3), upper: rational(10) });
  });

  it('returns exact rational bounds when the optimum is fractional', () => {
    const solver = createRangeSolver({
      variableCount: 2,
      lowerBounds: [0, 0],
      equations: [
        {
          terms: [
            [0, 2],
            [1, 2],
          ],
          rhs: 3,
        },
      ],
    });

    expect(solver.range(0)).toEqual({ lower: rational(0), upper: rational(3, 2) });
  });

  it('honours lower bounds and reports unbounded variables', () => {
    // x0 − x1 = 0 with x ≥ 1: both range over [1, ∞)
    const solver = createRangeSolver({
      variableCount: 2,
      lowerBounds: [1, 1],
      equations: [
        {
          terms: [
            [0, 1],
            [1, -1],
          ],
          rhs: 0,
        },
      ],
    });

    expect(solver.range(1)).toEqual({ lower: rational(1), upper: null });
  });

  it('pins a variable that the equations determine', () => {
    const solver = createRangeSolver({
      variableCount: 2,
      lowerBounds: [0, 0],
      equations: [
        {
          terms: [
            [0, 1],
            [1, 1],
          ],
          rhs: 9,
        },
        {
          terms: [
            [0, 1],
            [1, -1],
          ],
          rhs: 1,
        },
      ],
    });

    expect(solver.range(0)).toEqual({ lower: rational(5), upper: rational(5) });
  });

  it('detects infeasible systems, including contradictory constant equations', () => {
    const negative = createRangeSolver({
      variableCount: 1,
      lowerBounds: [1],
      equations: [{ terms: [[0, 1]], rhs: 0 }],
    });
    const constant = createRangeSolver({
      variableCount: 0,
      lowerBounds: [],
      equations: [{ terms: [], rhs: 2 }],
    });

    expect(negative.feasible).toBe(false);
    expect(constant.feasible).toBe(false);
  });

  it('handles redundant equations', () => {
    const solver = createRangeSolver({
      variableCount: 2,
      lowerBounds: [0, 0],
      equations: [
        {
          terms: [
            [0, 1],
            [1, 1],
          ],
          rhs: 4,
        },
        {
          terms: [
            [0, 2],
            [1, 2],
          ],
          rhs: 8,
        },
      ],
    });

    expect(solver.range(0)).toEqual({ lower: rational(0), upper: rational(4) });
  });
});

describe('rational', () => {
  it('normalises sign and lowest terms and compares exactly', () => {
    expect(rational(4, -6)).toEqual({ num: -2, den: 3 });
    expect(compareRational(rational(1, 3), rational(2, 6))).toBe(0);
    expect(compareRational(rational(1, 3), rational(1, 2))).toBeLessThan(0);
  });
});
