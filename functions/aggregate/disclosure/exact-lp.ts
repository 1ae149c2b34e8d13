import { MshtError } from '../../shared/errors.ts';

/** An exact rational number `num / den` with `den > 0`, in lowest terms. */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

/** One linear equality `Σ coefficient · x[variable] = rhs` with integer coefficients and right-hand side. */
export interface LinearEquation {
  readonly terms: readonly (readonly [variable: number, coefficient: number])[];
  readonly rhs: number;
}

/** Integer variables `x[0..variableCount)`, each `x[i] ≥ lowerBounds[i]`, subject to the equations. */
export interface LinearSystem {
  readonly variableCount: number;
  readonly lowerBounds: readonly number[];
  readonly equations: readonly LinearEquation[];
}

/** The exact range of one variable over the polytope: `upper` is null when it is unbounded above. */
export interface VariableRange {
  readonly lower: Rational;
  readonly upper: Rational | null;
}

/** Solves min and max of single variables over one linear system; built once, queried per variable. */
export interface RangeSolver {
  readonly feasible: boolean;
  range(variable: number): VariableRange;
}

interface Tableau {
  rows: number[][];
  rhs: number[];
  basis: number[];
  det: number;
}

const overflow = (): MshtError =>
  new MshtError('AUDIT_OVERFLOW', 'exact simplex arithmetic left the safe integer range');

const safe = (value: number): number => {
  if (!Number.isSafeInteger(value)) throw overflow();
  return value;
};

/** (p·a − f·b) / d, exactly; the division is exact in a fraction-free (Bareiss) tableau. */
const update = (p: number, a: number, f: number, b: number, d: number): number => {
  const numerator = safe(safe(p * a) - safe(f * b));
  const quotient = numerator / d;
  if (!Number.isInteger(quotient)) throw overflow();
  return quotient === 0 ? 0 : quotient;
};

const gcd = (a: number, b: number): number => {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
};

/** A rational in lowest terms with a positive denominator. */
export const rational = (num: number, den = 1): Rational => {
  if (den === 0) throw new MshtError('AUDIT_OVERFLOW', 'zero denominator');
  const sign = den < 0 ? -1 : 1;
  const g = gcd(num, den) || 1;
  return { num: (sign * num) / g || 0, den: (sign * den) / g };
};

/** Exact comparison of two rationals: negative, zero or positive like a comparator. */
export const compareRational = (a: Rational, b: Rational): number =>
  safe(a.num * b.den) - safe(b.num * a.den);

/** a − b, exactly. */
export const subtractRational = (a: Rational, b: Rational): Rational =>
  rational(safe(safe(a.num * b.den) - safe(b.num * a.den)), safe(a.den * b.den));

const pivot = (t: Tableau, r: number, c: number): void => {
  const pivotRow = t.rows[r] as number[];
  const p = pivotRow[c] as number;
  const d = t.det;
  const width = pivotRow.length;
  for (let i = 0; i < t.rows.length; i += 1) {
    if (i === r) continue;
    const row = t.rows[i] as number[];
    const f = row[c] as number;
    for (let j = 0; j < width; j += 1) row[j] = update(p, row[j] as number, f, pivotRow[j] as number, d);
    t.rhs[i] = update(p, t.rhs[i] as number, f, t.rhs[r] as number, d);
  }
  t.basis[r] = c;
  t.det = p;
  if (t.det < 0) {
    for (const row of t.rows) for (let j = 0; j < width; j += 1) row[j] = -(row[j] as number) || 0;
    for (let i = 0; i < t.rhs.length; i += 1) t.rhs[i] = -(t.rhs[i] as number) || 0;
    t.det = -t.det;
  }
};

/**
 * Maximises `cost · x` over columns `[0, columns)` with Bland's rule (no cycling). Returns the optimum as a
 * rational, or null when unbounded. The tableau is left at the optimal basis.
 */
const maximise = (t: Tableau, cost: readonly number[], columns: number): Rational | null => {
  const basic = new Set<number>();
  for (;;) {
    basic.clear();
    for (const b of t.basis) basic.add(b);
    let entering = -1;
    for (let j = 0; j < columns && entering < 0; j += 1) {
      if (basic.has(j)) continue;
      let reduced = safe(t.det * (cost[j] ?? 0));
      for (let i = 0; i < t.rows.length; i += 1) {
        const cb = cost[t.basis[i] as number] ?? 0;
        if (cb !== 0) reduced = safe(reduced - safe(cb * ((t.rows[i] as number[])[j] as number)));
      }
      if (reduced > 0) entering = j;
    }
    if (entering < 0) {
      let value = 0;
      for (let i = 0; i < t.rows.length; i += 1) {
        value = safe(value + safe((cost[t.basis[i] as number] ?? 0) * (t.rhs[i] as number)));
      }
      return rational(value, t.det);
    }
    let leaving = -1;
    for (let i = 0; i < t.rows.length; i += 1) {
      const a = (t.rows[i] as number[])[entering] as number;
      if (a <= 0) continue;
      if (leaving < 0) {
        leaving = i;
        continue;
      }
      const best = (t.rows[leaving] as number[])[entering] as number;
      const order = safe((t.rhs[i] as number) * best) - safe((t.rhs[leaving] as number) * a);
      if (order < 0 || (order === 0 && (t.basis[i] as number) < (t.basis[leaving] as number))) leaving = i;
    }
    if (leaving < 0) return null;
    pivot(t, leaving, entering);
  }
};

const clone = (t: Tableau): Tableau => ({
  rows: t.rows.map((row) => [...row]),
  rhs: [...t.rhs],
  basis: [...t.basis],
  det: t.det,
});

const infeasibleSolver: RangeSolver = {
  feasible: false,
  range: () => {
    throw new MshtError('AUDIT_INFEASIBLE', 'the published values are inconsistent');
  },
};

/**
 * Builds an exact range solver for `system`: a two-phase primal simplex in integer (fraction-free)
 * arithmetic, so every bound is an exact rational. Each `range(k)` call solves max x_k and min x_k from the
 * feasible basis found once in phase 1.
 */
export const createRangeSolver = (system: LinearSystem): RangeSolver => {
  const n = system.variableCount;
  const lower = system.lowerBounds;
  const dense: { coefficients: number[]; rhs: number }[] = [];
  for (const equation of system.equations) {
    const coefficients = new Array<number>(n).fill(0);
    let rhs = equation.rhs;
    for (const [variable, coefficient] of equation.terms) {
      coefficients[variable] = safe((coefficients[variable] as number) + coefficient);
      rhs = safe(rhs - safe(coefficient * (lower[variable] ?? 0)));
    }
    if (coefficients.every((value) => value === 0)) {
      if (rhs !== 0) return infeasibleSolver;
      continue;
    }
    const sign = rhs < 0 ? -1 : 1;
    dense.push({ coefficients: coefficients.map((value) => sign * value || 0), rhs: sign * rhs });
  }
  const m = dense.length;
  const tableau: Tableau = {
    rows: dense.map(({ coefficients }, i) => {
      const artificial = new Array<number>(m).fill(0);
      artificial[i] = 1;
      return [...coefficients, ...artificial];
    }),
    rhs: dense.map(({ rhs }) => rhs),
    basis: dense.map((_, i) => n + i),
    det: 1,
  };
  const phaseOneCost = [...new Array<number>(n).fill(0), ...new Array<number>(m).fill(-1)];
  const phaseOne = maximise(tableau, phaseOneCost, n + m);
  if (phaseOne === null || phaseOne.num !== 0) return infeasibleSolver;
  // Drive the remaining (zero-valued) artificials out of the basis; rows where that is impossible are redundant.
  for (let i = tableau.rows.length - 1; i >= 0; i -= 1) {
    if ((tableau.basis[i] as number) < n) continue;
    const row = tableau.rows[i] as number[];
    const column = row.findIndex((value, j) => j < n && value !== 0);
    if (column >= 0) {
      pivot(tableau, i, column);
    } else {
      tableau.rows.splice(i, 1);
      tableau.rhs.splice(i, 1);
      tableau.basis.splice(i, 1);
    }
  }
  for (const row of tableau.rows) row.length = n;
  return {
    feasible: true,
    range: (variable: number): VariableRange => {
      const cost = new Array<number>(n).fill(0);
      cost[variable] = 1;
      const max = maximise(clone(tableau), cost, n);
      cost[variable] = -1;
      const negatedMin = maximise(clone(tableau), cost, n) ?? rational(0);
      const offset = lower[variable] ?? 0;
      return {
        lower: rational(safe(safe(-negatedMin.num) + safe(offset * negatedMin.den)), negatedMin.den),
        upper: max === null ? null : rational(safe(max.num + safe(offset * max.den)), max.den),
      };
    },
  };
};
