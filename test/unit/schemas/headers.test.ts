import { describe, expect, it } from 'vitest';
import { EXTRACT_COLUMNS, RECORD_TYPES, recordTypeFromFileName } from '../../../schemas/index.ts';
import { headerKey, resolveHeaders } from '../../../schemas/normalise/headers.ts';

describe('resolveHeaders', () => {
  it('maps case, spaces, hyphens, a BOM and synonyms to canonical column names', () => {
    // Act
    const result = resolveHeaders('subject', [
      '\uFEFFRecord Ref',
      'System',
      'Role',
      'GENDER',
      'D.O.B',
      'Nationalities',
      'surname',
    ]);

    // Assess
    expect(result).toEqual({
      columns: [
        'source_record_ref',
        'source_system',
        'roles',
        'sex',
        'date_of_birth',
        'nationality',
        'surname',
      ],
      unknown: [],
      missingRequired: [],
      duplicates: [],
    });
  });

  it('reports unknown headers, missing required columns and columns named twice', () => {
    // Act
    const result = resolveHeaders('object', ['ref', 'type', 'colour_of_socks', 'value', 'identifier', '']);

    // Assess
    expect(result.unknown).toEqual(['colour_of_socks']);
    expect(result.missingRequired).toEqual(['source_system']);
    expect(result.duplicates).toEqual(['identifier']);
    expect(result.columns).toEqual([
      'source_record_ref',
      'object_type',
      null,
      'identifier',
      'identifier',
      null,
    ]);
  });

  it('has no header that names two columns of the same record type', () => {
    // Assess
    for (const type of RECORD_TYPES) {
      const keys = EXTRACT_COLUMNS[type].flatMap((c) => [c.name, ...c.synonyms].map(headerKey));
      expect(keys.length, type).toBe(new Set(keys).size);
    }
  });
});

describe('recordTypeFromFileName', () => {
  it.each([
    ['subjects.csv', { recordType: 'subject', format: 'csv', gzip: false }],
    ['objects-vehicles.jsonl.gz', { recordType: 'object', format: 'jsonl', gzip: true }],
    ['LOCATIONS.CSV', { recordType: 'location', format: 'csv', gzip: false }],
    ['operations-monthly_2026.jsonl', { recordType: 'operation', format: 'jsonl', gzip: false }],
  ])('reads %s', (name, expected) => {
    // Assess
    expect(recordTypeFromFileName(name)).toEqual(expected);
  });

  it.each([
    'subject.csv',
    'subjects.xlsx',
    'subjects.csv.zip',
    'people.csv',
    'subjects..csv',
    '../subjects.csv',
  ])('refuses %s', (name) => {
    // Assess
    expect(recordTypeFromFileName(name)).toBeNull();
  });
});
