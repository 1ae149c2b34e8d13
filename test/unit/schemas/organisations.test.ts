import { describe, expect, it } from 'vitest';
import {
  isOrgCode,
  ORG_CODES,
  ORGANISATIONS,
  OrgCodeSchema,
  orgName,
  orgRegion,
  REGIONS,
  resolveOrg,
} from '../../../schemas/index.ts';

const DOMAIN_ORG_REGEX =
  /^(PF-(E23\d{6}|W15\d{6}|S92000003|N92000002)|PF-BTP|PF-NPAS|NA-(NCA|GLAA|FWA|HMRC|IE|BF|DWP|UKVI|HOAG))$/;

describe('organisations', () => {
  it('lists the 43 territorial forces of England and Wales, Scotland, NI, BTP and the national agencies', () => {
    // Assess
    expect(ORG_CODES.filter((c) => /^PF-E23/.test(c))).toHaveLength(39);
    expect(ORG_CODES.filter((c) => /^PF-W15/.test(c))).toHaveLength(4);
    for (const code of [
      'PF-S92000003',
      'PF-N92000002',
      'PF-BTP',
      'NA-NCA',
      'NA-GLAA',
      'NA-HMRC',
      'NA-IE',
      'NA-BF',
      'NA-DWP',
    ]) {
      expect(isOrgCode(code)).toBe(true);
    }
    expect(ORG_CODES.every((c) => DOMAIN_ORG_REGEX.test(c))).toBe(true);
  });

  it('gives every organisation a name and one of the regions', () => {
    // Assess
    for (const code of ORG_CODES) {
      expect(orgName(code).length).toBeGreaterThan(2);
      expect(REGIONS).toContain(orgRegion(code));
    }
    expect(orgName('PF-E23000001')).toBe('Metropolitan Police Service');
    expect(orgRegion('PF-E23000001')).toBe('London');
    expect(orgRegion('PF-E23000005')).toBe('North West');
    expect(orgRegion('PF-W15000003')).toBe('Wales');
    expect(orgRegion('PF-E23000013')).toBe('North East');
  });

  it('resolves codes, ONS codes, names, data.police.uk ids and abbreviations', () => {
    // Assess
    expect(resolveOrg('Metropolitan Police Service')).toBe('PF-E23000001');
    expect(resolveOrg('metropolitan')).toBe('PF-E23000001');
    expect(resolveOrg('E23000001')).toBe('PF-E23000001');
    expect(resolveOrg('pf-e23000001')).toBe('PF-E23000001');
    expect(resolveOrg('MPS')).toBe('PF-E23000001');
    expect(resolveOrg('Devon and Cornwall Police')).toBe('PF-E23000035');
    expect(resolveOrg('devon-and-cornwall')).toBe('PF-E23000035');
    expect(resolveOrg('Greater Manchester')).toBe('PF-E23000005');
    expect(resolveOrg('PSNI')).toBe('PF-N92000002');
    expect(resolveOrg('National Crime Agency')).toBe('NA-NCA');
    expect(resolveOrg('GLAA')).toBe('NA-GLAA');
    expect(resolveOrg('Nowhere Constabulary')).toBeUndefined();
    expect(resolveOrg('')).toBeUndefined();
  });

  it('keeps isOrgCode exact and safe against prototype keys', () => {
    // Assess
    expect(isOrgCode('pf-e23000001')).toBe(false);
    expect(isOrgCode('__proto__')).toBe(false);
    expect(isOrgCode('toString')).toBe(false);
    expect(OrgCodeSchema.safeParse('PF-E23000040').success).toBe(false);
    expect(Object.keys(ORGANISATIONS)).toEqual(ORG_CODES);
  });
});
