import type { Persona } from './personas.ts';

/** The access keys the local stack knows: the personas' static keys and the sessions STS has issued. */
export type KeyStore = {
  readonly get: (accessKeyId: string, now?: number) => Persona | undefined;
  readonly add: (persona: Persona) => void;
  readonly byProfile: (profile: string) => Persona;
  /** Called with every key added (s3rver keeps its own list of the keys it accepts). */
  readonly onAdd: (listener: (persona: Persona) => void) => void;
};

export const createKeyStore = (personas: readonly Persona[]): KeyStore => {
  const keys = new Map(personas.map((p) => [p.accessKeyId, p]));
  const profiles = new Map(personas.map((p) => [p.profile, p]));
  const listeners: ((persona: Persona) => void)[] = [];
  return {
    get: (accessKeyId, now = Date.now()) => {
      const persona = keys.get(accessKeyId);
      if (persona?.expiresAt !== undefined && persona.expiresAt <= now) {
        keys.delete(accessKeyId);
        return undefined;
      }
      return persona;
    },
    add: (persona) => {
      keys.set(persona.accessKeyId, persona);
      for (const listener of listeners) listener(persona);
    },
    byProfile: (profile) => {
      const persona = profiles.get(profile);
      if (!persona) throw new Error(`The local stack has no profile ${profile}`);
      return persona;
    },
    onAdd: (listener) => {
      listeners.push(listener);
      for (const persona of keys.values()) listener(persona);
    },
  };
};
