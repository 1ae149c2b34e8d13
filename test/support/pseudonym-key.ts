import { createPseudonymKey, type PseudonymKey } from '../../schemas/index.ts';

/** A fixed pseudonym key for tests, so that their references are the same on every run. */
export const TEST_PSEUDONYM_KEY_SECRET = {
  version: 1,
  key: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
} as const;

export const TEST_KEY: PseudonymKey = createPseudonymKey(TEST_PSEUDONYM_KEY_SECRET);
