import { describe, expect, it } from 'vitest';
import { PALETTE } from '../../../../functions/aggregate/report/chart-spec.ts';

const channel = (c: number) => {
  const v = c / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const linear = (hex: string) => [1, 3, 5].map((i) => channel(Number.parseInt(hex.slice(i, i + 2), 16)));
const luminance = (hex: string) => {
  const [r, g, b] = linear(hex) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

// Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
const SIMULATIONS: Record<string, number[][]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

const lab = ([r, g, b]: number[]) => {
  const x = (0.4124 * (r ?? 0) + 0.3576 * (g ?? 0) + 0.1805 * (b ?? 0)) / 0.95047;
  const y = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  const z = (0.0193 * (r ?? 0) + 0.1192 * (g ?? 0) + 0.9505 * (b ?? 0)) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))] as const;
};
const simulate = (hex: string, m: number[][]) => {
  const l = linear(hex);
  return m.map((row) =>
    Math.min(
      1,
      Math.max(
        0,
        row.reduce((sum, k, i) => sum + k * (l[i] ?? 0), 0),
      ),
    ),
  );
};
const distance = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));

describe('PALETTE', () => {
  it('has a contrast of at least 3:1 against the white background for every series colour (WCAG 1.4.11)', () => {
    for (const colour of PALETTE) expect(1.05 / (luminance(colour) + 0.05), colour).toBeGreaterThanOrEqual(3);
  });

  it('keeps every two colours apart (ΔE ≥ 10) under simulated protanopia, deuteranopia and tritanopia', () => {
    for (const [name, m] of Object.entries(SIMULATIONS))
      for (const [i, a] of PALETTE.entries())
        for (const b of PALETTE.slice(i + 1))
          expect(
            distance(lab(simulate(a, m)), lab(simulate(b, m))),
            `${name}: ${a} ${b}`,
          ).toBeGreaterThanOrEqual(10);
  });

  it('no longer holds the two Okabe-Ito colours that fail 3:1', () => {
    expect(PALETTE).not.toContain('#E69F00');
    expect(PALETTE).not.toContain('#56B4E9');
  });
});
