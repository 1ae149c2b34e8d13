import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyStore } from '../../../../infra/local/iam/key-store.ts';
import type { Persona } from '../../../../infra/local/iam/personas.ts';

const persona = (profile: string, extra: Partial<Persona> = {}): Persona => ({
  profile,
  roleArn: `arn:aws:iam::111122223333:role/${profile}`,
  sessionArn: `arn:aws:sts::111122223333:assumed-role/${profile}/local`,
  accessKeyId: `AKIA${profile.toUpperCase().padEnd(16, 'X')}`,
  secretAccessKey: 'secret',
  statements: [],
  ...extra,
});

describe('createKeyStore', () => {
  it('finds static keys by access key id and personas by profile', () => {
    const a = persona('alpha');
    const b = persona('beta');
    const keys = createKeyStore([a, b]);
    expect(keys.get(a.accessKeyId)).toBe(a);
    expect(keys.get(b.accessKeyId, Number.MAX_SAFE_INTEGER)).toBe(b);
    expect(keys.get('AKIAUNKNOWN')).toBeUndefined();
    expect(keys.byProfile('beta')).toBe(b);
    expect(() => keys.byProfile('gamma')).toThrow('The local stack has no profile gamma');
  });

  it('a temporary key works until its expiry and never again after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e6 }), (expiresAt, after) => {
        const temp = persona('temp', { accessKeyId: 'ASIATEMPORARY0000001', expiresAt });
        const keys = createKeyStore([]);
        keys.add(temp);
        expect(keys.get(temp.accessKeyId, expiresAt - 1)).toBe(temp);
        expect(keys.get(temp.accessKeyId, expiresAt)).toBeUndefined();
        // Once expired it is gone, even asked for with an earlier clock.
        expect(keys.get(temp.accessKeyId, expiresAt - after)).toBeUndefined();
      }),
    );
  });

  it('onAdd replays the keys already known, then reports each key added', () => {
    const a = persona('alpha');
    const keys = createKeyStore([a]);
    const seen: string[] = [];
    keys.onAdd((p) => seen.push(p.accessKeyId));
    expect(seen).toEqual([a.accessKeyId]);
    const temp = persona('temp', { accessKeyId: 'ASIATEMPORARY0000001', expiresAt: Date.now() + 60_000 });
    keys.add(temp);
    expect(seen).toEqual([a.accessKeyId, temp.accessKeyId]);
    expect(keys.get(temp.accessKeyId)).toBe(temp);
    // A listener registered later sees both.
    const later: string[] = [];
    keys.onAdd((p) => later.push(p.accessKeyId));
    expect(later.sort()).toEqual([a.accessKeyId, temp.accessKeyId].sort());
  });
});
