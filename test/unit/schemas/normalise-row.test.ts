import { describe, expect, it } from 'vitest';
import { CanonicalRecordSchema, type RecordType } from '../../../schemas/index.ts';
import { REJECTION_CODES } from '../../../schemas/normalise/codes.ts';
import { normaliseRow, type RowOutcome } from '../../../schemas/normalise/normalise-row.ts';
import { toExtractRow } from '../../../schemas/normalise/to-extract-row.ts';
import { CTX, VALID_ROWS } from './fixtures.ts';

const codesOf = (outcome: RowOutcome): string[] =>
  outcome.status === 'REJECTED' ? outcome.issues.map((i) => `${i.field}:${i.code}`) : [];

const accepted = (outcome: RowOutcome) => {
  if (outcome.status === 'REJECTED') throw new Error(`rejected: ${JSON.stringify(outcome.issues)}`);
  return outcome.record;
};

describe('normaliseRow: valid rows', () => {
  it.each(Object.keys(VALID_ROWS) as RecordType[])(
    'accepts a minimal %s row as a strictly valid record',
    (type) => {
      // Act
      const outcome = normaliseRow(type, { ...VALID_ROWS[type] }, CTX);

      // Assess
      expect(outcome.status).toBe('ACCEPTED');
      expect(CanonicalRecordSchema.safeParse(accepted(outcome)).success).toBe(true);
    },
  );

  it('fills the envelope: source, period, default as-at, OFFICIAL-SENSITIVE, provenance from the context', () => {
    // Act
    const record = accepted(normaliseRow('subject', { ...VALID_ROWS.subject }, { ...CTX, rowNumber: 7 }));

    // Assess
    expect(record).toMatchObject({
      recordType: 'subject',
      schemaVersion: 1,
      sourceOrg: 'PF-E23000001',
      sourceSystem: 'NICHE',
      sourceRecordRef: 'P-1',
      asAt: '2026-10-31T23:59:59.999Z',
      period: '2026-10',
      classification: { tier: 'OFFICIAL', sensitive: true },
      mopiGroup: 'UNASSIGNED',
      provenance: {
        uploadId: 'upload-1',
        submittingOrg: 'PF-E23000001',
        fileSha256: CTX.fileSha256,
        rowNumber: 7,
        ingestedAt: CTX.ingestedAt,
        schemaVersion: 1,
        mappingVersion: '1.0.0',
      },
    });
  });

  it('maps a messy subject row: synonyms, case, dd/mm/yyyy, demonyms, sub-types', () => {
    // Act
    const record = accepted(
      normaliseRow(
        'subject',
        {
          ...VALID_ROWS.subject,
          roles: 'pv|Suspect',
          sex: 'woman',
          date_of_birth: '4/3/2010',
          nationality: 'Albanian; UK',
          exploitation_types: 'county lines',
          exploitation_location: 'uk',
          dtn_only: 'N',
          org: 'Metropolitan Police Service',
        },
        CTX,
      ),
    );

    // Assess
    expect(record).toMatchObject({
      roles: ['POTENTIAL_VICTIM', 'SUSPECT'],
      sex: 'FEMALE',
      dateOfBirth: { date: '2010-03-04', precision: 'DAY' },
      ageBand: '9-17',
      ageAtExploitation: 'CHILD',
      nationalities: ['ALB', 'GBR'],
      exploitationTypes: ['CRIMINAL'],
      exploitationSubTypes: ['COUNTY_LINES'],
      countyLinesFlag: true,
      exploitationLocation: 'UK_ONLY',
      nrm: { dtnOnly: false },
    });
  });

  it('keeps names and other free text out of the record', () => {
    // Act
    const record = accepted(
      normaliseRow(
        'subject',
        { ...VALID_ROWS.subject, surname: 'Example', forename: 'Test', notes: 'free text' },
        CTX,
      ),
    );

    // Assess
    expect(JSON.stringify(record)).not.toMatch(/Example|Test|free text/);
  });

  it('normalises object identifiers: phone to E.164, VRM upper case', () => {
    // Assess
    expect(
      accepted(
        normaliseRow(
          'object',
          { ...VALID_ROWS.object, object_type: 'mobile', identifier: '07700 900123' },
          CTX,
        ),
      ),
    ).toMatchObject({
      objectType: 'PHONE',
      identifier: '+447700900123',
    });
    expect(
      accepted(normaliseRow('object', { ...VALID_ROWS.object, identifier: 'ab12 cde' }, CTX)),
    ).toMatchObject({ identifier: 'AB12CDE' });
  });

  it('accepts JSON Lines values: numbers, booleans, arrays and nulls', () => {
    // Act
    const record = accepted(
      normaliseRow(
        'operation',
        {
          ...VALID_ROWS.operation,
          arrests: 3,
          ocg_linked: true,
          partner_orgs: ['NA-NCA', 'GLAA'],
          closed_on: null,
        },
        CTX,
      ),
    );

    // Assess
    expect(record).toMatchObject({
      counts: { arrests: 3 },
      ocgLinked: true,
      partnerOrgs: ['NA-NCA', 'NA-GLAA'],
      leadOrg: 'PF-E23000001',
    });
  });

  it('keeps 3x5x2 handling conditions and legacy 5x5x5 raw', () => {
    // Assess
    expect(
      accepted(
        normaliseRow(
          'subject',
          { ...VALID_ROWS.subject, intel_grading: '2/B/C', handling_conditions: 'Refer to originator' },
          CTX,
        ),
      ),
    ).toMatchObject({
      intelGrading: {
        scheme: '3x5x2',
        source: '2',
        intelligence: 'B',
        handling: 'C',
        handlingConditions: 'Refer to originator',
      },
    });
    expect(
      accepted(normaliseRow('subject', { ...VALID_ROWS.subject, intel_grading: 'B24' }, CTX)),
    ).toMatchObject({
      intelGrading: { scheme: '5x5x5', raw: 'B24' },
    });
  });

  it('round-trips a location outside the UK with its own postal code', () => {
    // Prepare
    const first = accepted(
      normaliseRow(
        'location',
        { ...VALID_ROWS.location, postcode: '50480', country: 'France', town: 'Sainte-Mère-Église' },
        CTX,
      ),
    );

    // Act
    const second = normaliseRow('location', toExtractRow(first), CTX);

    // Assess
    expect(first).toMatchObject({ postcode: '50480', country: 'FRA', town: 'Sainte-Mère-Église' });
    expect(second).toEqual({ status: 'ACCEPTED', record: first, warnings: [] });
  });
});

describe('normaliseRow: warnings', () => {
  it('records an unrecognised nationality as XXX with a warning', () => {
    // Act
    const outcome = normaliseRow('subject', { ...VALID_ROWS.subject, nationality: 'Martian' }, CTX);

    // Assess
    expect(outcome).toMatchObject({
      status: 'ACCEPTED_WITH_WARNINGS',
      record: { nationalities: ['XXX'] },
      warnings: [{ field: 'nationality', code: 'NATIONALITY_UNRECOGNISED', value: 'Martian' }],
    });
  });

  it('leaves out identifiers and countries it cannot read, and shortens long free text', () => {
    // Act
    const subject = normaliseRow(
      'subject',
      { ...VALID_ROWS.subject, pnc_id: 'nonsense', country_of_birth: 'Atlantis' },
      CTX,
    );
    const location = normaliseRow('location', { ...VALID_ROWS.location, town: 'x'.repeat(100) }, CTX);

    // Assess
    expect(subject.status === 'ACCEPTED_WITH_WARNINGS' && subject.warnings.map((w) => w.code)).toEqual([
      'IDENTIFIER_UNRECOGNISED',
      'COUNTRY_UNRECOGNISED',
    ]);
    expect(location).toMatchObject({ status: 'ACCEPTED_WITH_WARNINGS', record: { town: 'x'.repeat(64) } });
  });

  it('keeps a lead_org naming another organisation as an attribute, with LEAD_ORG_NOT_SUBMITTER', () => {
    // Act
    const other = normaliseRow('operation', { ...VALID_ROWS.operation, lead_org: 'PF-E23000002' }, CTX);
    const own = normaliseRow('operation', { ...VALID_ROWS.operation, lead_org: 'PF-E23000001' }, CTX);

    // Assess
    expect(other).toMatchObject({
      status: 'ACCEPTED_WITH_WARNINGS',
      record: { sourceOrg: 'PF-E23000001', leadOrg: 'PF-E23000002' },
      warnings: [{ field: 'lead_org', code: 'LEAD_ORG_NOT_SUBMITTER', value: 'PF-E23000002' }],
    });
    expect(own).toMatchObject({ status: 'ACCEPTED', record: { leadOrg: 'PF-E23000001' }, warnings: [] });
  });
});

describe('normaliseRow: rejections', () => {
  const cases: [string, RecordType, Record<string, unknown>, string][] = [
    [
      'REQUIRED_MISSING',
      'subject',
      { source_record_ref: 'P-1', source_system: 'NICHE', roles: '' },
      'roles:REQUIRED_MISSING',
    ],
    [
      'INVALID_FORMAT',
      'object',
      { ...VALID_ROWS.object, object_type: 'PHONE', identifier: 'call me' },
      'identifier:INVALID_FORMAT',
    ],
    ['INVALID_VALUE', 'subject', { ...VALID_ROWS.subject, sex: 'sometimes' }, 'sex:INVALID_VALUE'],
    [
      'INVALID_DATE',
      'subject',
      { ...VALID_ROWS.subject, date_of_birth: '31/02/1990' },
      'date_of_birth:INVALID_DATE',
    ],
    [
      'DATE_IN_FUTURE',
      'subject',
      { ...VALID_ROWS.subject, date_of_birth: '2030-01-01' },
      'date_of_birth:DATE_IN_FUTURE',
    ],
    ['ORG_MISMATCH', 'subject', { ...VALID_ROWS.subject, org: 'PF-E23000002' }, 'org:ORG_MISMATCH'],
    [
      'CLASSIFICATION_TOO_HIGH',
      'subject',
      { ...VALID_ROWS.subject, classification: 'SECRET' },
      'classification:CLASSIFICATION_TOO_HIGH',
    ],
    [
      'UNKNOWN_ORG',
      'operation',
      { ...VALID_ROWS.operation, lead_org: 'Nowhere Police' },
      'lead_org:UNKNOWN_ORG',
    ],
    [
      'TOO_LONG',
      'subject',
      { ...VALID_ROWS.subject, source_record_ref: 'R'.repeat(65) },
      'source_record_ref:TOO_LONG',
    ],
    [
      'HANDLING_CONDITIONS_MISSING',
      'subject',
      { ...VALID_ROWS.subject, intel_grading: '1/A/C' },
      'handling_conditions:HANDLING_CONDITIONS_MISSING',
    ],
  ];

  it.each(cases)('rejects with %s', (_code, type, row, expected) => {
    // Act
    const outcome = normaliseRow(type, row, CTX);

    // Assess
    expect(outcome.status).toBe('REJECTED');
    expect(codesOf(outcome)).toContain(expected);
  });

  it('covers every row-level rejection code that the normaliser itself raises', () => {
    // Assess: INVALID_JSON, NOT_AN_OBJECT and DUPLICATE_FIELD come from the JSON Lines reader (see
    // test/unit/ingest/hostile.test.ts), CELL_ERROR from the .xlsx reader (test/unit/ingest/xlsx-corpus.test.ts),
    // UNEXPECTED from a bug.
    const covered = new Set(cases.map(([code]) => code));
    const raisedElsewhere = ['INVALID_JSON', 'NOT_AN_OBJECT', 'DUPLICATE_FIELD', 'CELL_ERROR', 'UNEXPECTED'];
    expect(
      Object.keys(REJECTION_CODES).filter((c) => !covered.has(c) && !raisedElsewhere.includes(c)),
    ).toEqual([]);
  });

  it('rejects a value that is not an object as NOT_AN_OBJECT', () => {
    // Assess
    expect(codesOf(normaliseRow('subject', [] as unknown as Record<string, unknown>, CTX))).toEqual([
      '(row):NOT_AN_OBJECT',
    ]);
  });

  it('collects every issue of a row, not just the first, with actionable messages', () => {
    // Act
    const outcome = normaliseRow(
      'subject',
      {
        source_record_ref: '',
        source_system: 'NICHE',
        roles: 'victim',
        date_of_birth: '31/02/1990',
        sex: '??',
        org: 'cumbria',
      },
      CTX,
    );

    // Assess
    expect(codesOf(outcome).sort()).toEqual(
      [
        'date_of_birth:INVALID_DATE',
        'org:ORG_MISMATCH',
        'sex:INVALID_VALUE',
        'source_record_ref:REQUIRED_MISSING',
      ].sort(),
    );
    const messages = outcome.status === 'REJECTED' ? outcome.issues.map((i) => i.message) : [];
    expect(messages).toContain(
      "date_of_birth '31/02/1990' is not a real date; use YYYY-MM-DD or dd/mm/yyyy (or YYYY-MM, YYYY when only the month or year is known)",
    );
  });

  it('rejects contradictions: closed before opened, an adult who is a child, coordinates alone, an unlocated location', () => {
    // Assess
    expect(
      codesOf(normaliseRow('operation', { ...VALID_ROWS.operation, closed_on: '2026-01-01' }, CTX)),
    ).toEqual(['closed_on:INVALID_DATE']);
    expect(
      codesOf(
        normaliseRow(
          'subject',
          { ...VALID_ROWS.subject, date_of_birth: '2015-05-05', age_at_exploitation: 'adult' },
          CTX,
        ),
      ),
    ).toEqual(['age_at_exploitation:INVALID_VALUE']);
    expect(codesOf(normaliseRow('location', { ...VALID_ROWS.location, latitude: '51.5' }, CTX))).toEqual([
      'longitude:REQUIRED_MISSING',
    ]);
    expect(
      codesOf(
        normaliseRow(
          'location',
          { source_record_ref: 'L', source_system: 'S', location_type: 'site of exploitation' },
          CTX,
        ),
      ),
    ).toEqual(['postcode:REQUIRED_MISSING']);
  });

  it('requires a grading for INTELLIGENCE records and refuses a future as_at', () => {
    // Assess
    expect(codesOf(normaliseRow('subject', { ...VALID_ROWS.subject, business_area: 'intel' }, CTX))).toEqual([
      'intel_grading:REQUIRED_MISSING',
    ]);
    expect(
      codesOf(normaliseRow('subject', { ...VALID_ROWS.subject, as_at: '2027-01-01T00:00:00Z' }, CTX)),
    ).toEqual(['as_at:DATE_IN_FUTURE']);
  });

  it('truncates an offending value to 64 characters in the issue', () => {
    // Act
    const outcome = normaliseRow(
      'subject',
      { ...VALID_ROWS.subject, source_record_ref: 'R'.repeat(500) },
      CTX,
    );

    // Assess
    expect(outcome.status === 'REJECTED' && outcome.issues[0]?.value).toBe('R'.repeat(64));
  });
});

describe('normaliseRow: age at exploitation by default', () => {
  const ageOf = (row: Record<string, string>) => {
    const { age_at_exploitation: _given, ...rest } = VALID_ROWS.subject as Record<string, string>;
    const record = accepted(normaliseRow('subject', { ...rest, ...row }, CTX));
    return (record as { ageAtExploitation?: string }).ageAtExploitation;
  };

  it('is ADULT from 18, CHILD under 18, by age or by date of birth at the end of the period', () => {
    const year = Number(CTX.period.slice(0, 4));
    expect(ageOf({ age: '18' })).toBe('ADULT');
    expect(ageOf({ age: '45' })).toBe('ADULT');
    expect(ageOf({ age: '17' })).toBe('CHILD');
    expect(ageOf({ age: '0' })).toBe('CHILD');
    expect(ageOf({ date_of_birth: `${year - 30}-01-15` })).toBe('ADULT');
    expect(ageOf({ date_of_birth: `${year - 10}-01-15` })).toBe('CHILD');
  });

  it('is UNKNOWN with neither date of birth nor age, or a year of birth either side of 18', () => {
    const year = Number(CTX.period.slice(0, 4));
    expect(ageOf({})).toBe('UNKNOWN');
    // Born in year-18: 17 or 18 at the end of the period, depending on the day.
    const straddling = ageOf({ date_of_birth: String(year - 18) });
    const periodEndsInDecember = CTX.period.endsWith('-12');
    expect(straddling).toBe(periodEndsInDecember ? 'ADULT' : 'UNKNOWN');
  });

  it('keeps a value given, also ADULT now for a person exploited as a child', () => {
    expect(ageOf({ age: '30', age_at_exploitation: 'child' })).toBe('CHILD');
  });
});

describe('normaliseRow: a closed operation without closed_on', () => {
  it('is accepted with the warning CLOSED_WITHOUT_DATE, naming the month it counts in', () => {
    const { closed_on: _none, ...row } = { ...VALID_ROWS.operation, status: 'closed' } as Record<
      string,
      string
    >;
    const outcome = normaliseRow('operation', row, CTX);
    expect(outcome.status).toBe('ACCEPTED_WITH_WARNINGS');
    const warnings = outcome.status === 'REJECTED' ? [] : outcome.warnings;
    expect(warnings.map((w) => w.code)).toContain('CLOSED_WITHOUT_DATE');
    expect(warnings.find((w) => w.code === 'CLOSED_WITHOUT_DATE')?.message).toContain(CTX.period);
  });

  it('gets no such warning with closed_on, or when not closed', () => {
    for (const row of [
      { ...VALID_ROWS.operation, status: 'closed', closed_on: '2026-10-20' },
      { ...VALID_ROWS.operation, status: 'live' },
    ]) {
      const outcome = normaliseRow('operation', row, CTX);
      const codes =
        outcome.status === 'REJECTED'
          ? outcome.issues.map((i) => i.code)
          : outcome.warnings.map((w) => w.code);
      expect(codes).not.toContain('CLOSED_WITHOUT_DATE');
    }
  });
});
