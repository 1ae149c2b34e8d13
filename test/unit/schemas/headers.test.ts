import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXTRACT_COLUMNS,
  fileNameProblem,
  RECORD_TYPES,
  recordTypeFromFileName,
} from '../../../schemas/index.ts';
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
    ['Subjects Nov 2026.csv', { recordType: 'subject', format: 'csv', gzip: false }],
    ['subjects_Nov2026.csv', { recordType: 'subject', format: 'csv', gzip: false }],
    ['subjects (2).csv', { recordType: 'subject', format: 'csv', gzip: false }],
    ['subjects.xlsx', { recordType: 'subject', format: 'xlsx', gzip: false }],
    ['Subjects Nov 2026.XLSX', { recordType: 'subject', format: 'xlsx', gzip: false }],
  ])('reads %s', (name, expected) => {
    // Assess
    expect(recordTypeFromFileName(name)).toEqual(expected);
  });

  it.each([
    'subject.csv',
    'subjects.xlsm',
    'subjects.xls',
    'subjects.ods',
    'subjects.xlsx.gz',
    'subjects.csv.zip',
    'people.csv',
    'subjects..csv',
    '../subjects.csv',
    'subjects .csv',
    'subjects/x.csv',
  ])('refuses %s', (name) => {
    // Assess
    expect(recordTypeFromFileName(name)).toBeNull();
    expect(fileNameProblem(name)).toContain(
      'the name must start with operations, subjects, objects or locations',
    );
  });

  it.each([
    ['Subject Nov.csv', 'subjects-Nov.csv'],
    ['nov-subjects.csv', 'subjects-nov.csv'],
    ['subject.jsonl.gz', 'subjects.jsonl.gz'],
    ['my subject list.csv', 'subjects-my list.csv'],
  ])('names an accepted name for %s', (name, guess) => {
    expect(fileNameProblem(name)).toContain(`for this file, e.g. '${guess}'`);
    expect(recordTypeFromFileName(guess)).not.toBeNull();
  });

  it('says why a spreadsheet other than .xlsx is refused and what to save it as, and nothing for an accepted name', () => {
    expect(fileNameProblem('subjects.xlsm')).toMatch(
      /macro-enabled workbook \(\.xlsm\) may run code; save it as "Excel Workbook \(\.xlsx\)"/,
    );
    expect(fileNameProblem('subjects.xls')).toMatch(
      /old or binary Excel format.*save it as "Excel Workbook \(\.xlsx\)" or as CSV UTF-8/,
    );
    expect(fileNameProblem('Subjects.XLSB')).toContain('binary Excel format');
    expect(fileNameProblem('subjects.ods')).toContain('OpenDocument spreadsheet');
    expect(fileNameProblem('subjects.xlsx.gz')).toContain('upload the .xlsx without .gz');
    expect(fileNameProblem('subjects.csv')).toBeUndefined();
    expect(fileNameProblem('subjects Nov 2026.xlsx')).toBeUndefined();
    expect(fileNameProblem('Subject Nov.xlsx')).toContain("e.g. 'subjects-Nov.xlsx'");
  });

  it('never guesses a name it would refuse', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('.csv', '.jsonl', '.csv.gz', '.xlsx'),
        (stem, ext) => {
          const problem = fileNameProblem(`${stem}${ext}`);
          const guess = /e\.g\. '(.*)'$/.exec(problem ?? '')?.[1];
          if (guess !== undefined) expect(recordTypeFromFileName(guess)).not.toBeNull();
        },
      ),
    );
  });
});
