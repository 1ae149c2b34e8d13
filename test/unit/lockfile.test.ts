import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addBiomeBinaries, missingBiomeBinaries } from '../../scripts/fix-lockfile.ts';

describe('package-lock.json', () => {
  it('lists every optional Biome binary, so npm ci accepts it (run npm run lockfile:fix after npm install)', () => {
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf-8'));
    expect(missingBiomeBinaries(lock)).toEqual([]);
  });

  it('the fix adds platform-restricted optional entries for what is missing', () => {
    const lock = {
      packages: {
        'node_modules/@biomejs/biome': {
          version: '2.6.8',
          optionalDependencies: { '@biomejs/cli-linux-x64': '2.6.8', '@biomejs/cli-win32-x64': '2.6.8' },
        },
        'node_modules/@biomejs/cli-linux-x64': { version: '2.6.8' },
      },
    };
    const fixed = addBiomeBinaries(lock);
    expect(missingBiomeBinaries(fixed)).toEqual([]);
    expect(fixed.packages['node_modules/@biomejs/cli-win32-x64']).toMatchObject({
      version: '2.6.8',
      optional: true,
      os: ['win32'],
      cpu: ['x64'],
    });
  });
});
