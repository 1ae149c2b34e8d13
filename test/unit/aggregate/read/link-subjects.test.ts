import { describe, expect, it } from 'vitest';
import { linkSubjects } from '../../../../functions/aggregate/read/link-subjects.ts';
import {
  factsOf,
  normalisePncId,
  type SubjectFacts,
} from '../../../../functions/aggregate/read/record-facts.ts';
import { subject } from '../records.ts';

const facts = (...records: ReturnType<typeof subject>[]): SubjectFacts[] =>
  records.map((record) => factsOf(record, '2026-10') as SubjectFacts);

describe('linkSubjects', () => {
  it('links records across organisations by NRM reference, PNC ID and passport with issuing state', () => {
    // Prepare
    const records = facts(
      subject('PF-E23000001', 'A', { identifiers: { nrmReference: 'NRM-1' } }),
      subject('PF-E23000005', 'B', { identifiers: { nrmReference: 'NRM-1', pncId: '2001/0123456X' } }),
      subject('NA-NCA', 'C', { identifiers: { pncId: '01/123456X' } }),
      subject('NA-NCA', 'D', { identifiers: { passport: { number: 'P1234567', issuingState: 'ALB' } } }),
      subject('PF-E23000001', 'E', {
        identifiers: { passport: { number: 'P1234567', issuingState: 'ALB' } },
      }),
      subject('PF-E23000001', 'F', { identifiers: { passport: { number: 'P1234567' } } }),
    );
    // Act
    const { persons, stats } = linkSubjects(records);
    // Assess
    expect(stats).toEqual({
      subjectRecords: 6,
      persons: 3,
      linksMade: 3,
      byRule: { nrmReference: 1, pncId: 1, passport: 1 },
      crossOrganisationPersons: 2,
    });
    expect(persons.map((p) => p.records).sort()).toEqual([1, 2, 3]);
  });

  it('counts a person once, filling unknown values from older records and uniting roles and types', () => {
    // Prepare
    const records = facts(
      subject(
        'PF-E23000001',
        'A',
        { identifiers: { nrmReference: 'N' }, sex: 'NOT_KNOWN', exploitationTypes: ['LABOUR'] },
        { asAt: '2026-10-20T00:00:00.000Z' },
      ),
      subject(
        'PF-E23000005',
        'B',
        {
          identifiers: { nrmReference: 'N' },
          sex: 'MALE',
          roles: ['OFFENDER'],
          exploitationTypes: ['CRIMINAL'],
        },
        { asAt: '2026-10-01T00:00:00.000Z' },
      ),
    );
    // Act
    const { persons } = linkSubjects(records);
    // Assess
    expect(persons).toHaveLength(1);
    expect(persons[0]).toMatchObject({
      victim: true,
      suspectRole: 'OFFENDER',
      sex: 'MALE',
      exploitationTypes: ['CRIMINAL', 'LABOUR'],
    });
  });

  it('gives the same persons and link counts whatever the order of the records', () => {
    // Prepare
    const records = facts(
      subject('PF-E23000001', 'A', { identifiers: { pncId: '01/1X' } }),
      subject('PF-E23000005', 'B', { identifiers: { pncId: '2001/0000001X', nrmReference: 'Q' } }),
      subject('NA-NCA', 'C', { identifiers: { nrmReference: 'Q' } }),
    );
    // Act
    const forward = linkSubjects(records);
    const backward = linkSubjects([...records].reverse());
    // Assess
    expect(backward).toEqual(forward);
  });
});

describe('normalisePncId', () => {
  it('writes short and long forms of one PNC ID alike', () => {
    expect(normalisePncId('2001/0123456X')).toBe('01/123456X');
    expect(normalisePncId('01/123456x')).toBe('01/123456X');
  });
});
