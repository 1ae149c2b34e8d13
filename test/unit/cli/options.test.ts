import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { orgOption } from '../../../cli/options.ts';
import { ORG_CODES, orgName, resolveOrg } from '../../../schemas/index.ts';

describe('orgOption', () => {
  it('accepts what the org column accepts: code, ONS code, name, short name', () => {
    expect(orgOption('PF-E23000001')).toBe('PF-E23000001');
    expect(orgOption('E23000001')).toBe('PF-E23000001');
    expect(orgOption('MET')).toBe('PF-E23000001');
    expect(orgOption('Metropolitan Police Service')).toBe('PF-E23000001');
    expect(orgOption('NCA')).toBe('NA-NCA');
  });

  it('resolves every organisation by its name, as the normaliser does', () => {
    for (const code of ORG_CODES) {
      expect(orgOption(orgName(code))).toBe(code);
      expect(orgOption(orgName(code))).toBe(resolveOrg(orgName(code)));
    }
  });

  it('refuses anything else, saying which forms are accepted', () => {
    expect(() => orgOption('Gotham City Police')).toThrow(InvalidArgumentError);
    expect(() => orgOption('Gotham City Police')).toThrow(
      /give its code \(e\.g\. PF-E23000001, NA-NCA\), ONS code or name/,
    );
    expect(() => orgOption('')).toThrow(InvalidArgumentError);
  });
});
