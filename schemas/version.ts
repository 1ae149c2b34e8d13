/** Version of the canonical record model; every canonical record and ledger entry carries it. */
export const SCHEMA_VERSION = 1 as const;

/**
 * Version of the extract-to-canonical mapping (synonyms, vocabularies, defaults). It changes when the
 * normaliser would map the same extract row differently, so records can be traced to the rules used.
 */
export const MAPPING_VERSION = '1.0.0' as const;
