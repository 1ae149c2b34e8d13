import { hash } from 'node:crypto';
import type { ObjectType } from '../canonical/object.ts';
import { KeyedDigestSchema, keyedDigest, type PseudonymKey } from '../common/pseudonym.ts';
import { codePointLength } from '../common/text-length.ts';

/** The result of normalising an identifier: the canonical form, or a hint on the expected format. */
export type Normalised = { ok: true; value: string } | { ok: false; hint: string };

const ok = (value: string): Normalised => ({ ok: true, value });
const fail = (hint: string): Normalised => ({ ok: false, hint });

/** A vehicle registration mark: upper case, spaces and hyphens removed (`ab12 cde` → `AB12CDE`). */
export const normaliseVrm = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/[\s-]+/g, '');
  return /^[A-Z0-9]{1,10}$/.test(v) ? ok(v) : fail('a VRM of letters and digits, e.g. AB12 CDE');
};

/**
 * A phone number in E.164: UK national numbers (`07700 900123`) become `+447700900123`; `0044…` and
 * `+44 (0)…` forms are accepted; other countries need their international form (`+33…` or `0033…`).
 */
export const normalisePhone = (text: string): Normalised => {
  let v = text
    .trim()
    .replace(/^tel:/i, '')
    .replace(/\(0\)/g, '')
    .replace(/[\s\-().]+/g, '');
  if (v.startsWith('00')) v = `+${v.slice(2)}`;
  else if (/^0\d{9,10}$/.test(v)) v = `+44${v.slice(1)}`;
  else if (/^44\d{10}$/.test(v)) v = `+${v}`;
  if (v.startsWith('+440')) v = `+44${v.slice(4)}`;
  return /^\+[1-9]\d{6,14}$/.test(v)
    ? ok(v)
    : fail('a phone number: a UK number such as 07700 900123, or +country code and number');
};

const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * A bank account, held only as a keyed digest: an IBAN, or a UK sort code and account number
 * (`12-34-56 12345678`), normalised, hashed (`sha256` of `IBAN:{iban}` or `UKACCOUNT:{sort}:{number}`)
 * and that hash keyed (`keyedDigest(key, 'account', hash)`). A value a source sends already hashed
 * (`sha256:<hex>`, the same hash) gets the same digest; a value keyed under the same key version is kept.
 */
export const normaliseAccount = (text: string, key: PseudonymKey): Normalised => {
  const trimmed = text.trim();
  if (trimmed.startsWith(`${key.version}_`) && KeyedDigestSchema.safeParse(trimmed).success)
    return ok(trimmed);
  const hashed = /^sha256:([0-9a-f]{64})$/.exec(trimmed)?.[1];
  if (hashed !== undefined) return ok(keyedDigest(key, 'account', hashed));
  const v = trimmed.toUpperCase().replace(/[\s\-/]+/g, '');
  if (/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v))
    return ok(keyedDigest(key, 'account', sha256Hex(`IBAN:${v}`)));
  if (/^\d{14}$/.test(v))
    return ok(keyedDigest(key, 'account', sha256Hex(`UKACCOUNT:${v.slice(0, 6)}:${v.slice(6)}`)));
  return fail('an IBAN, or a sort code and 8-digit account number such as 12-34-56 12345678');
};

/** A document number: upper case, spaces removed. */
export const normaliseDocumentNumber = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/\s+/g, '');
  return /^[A-Z0-9/-]{1,32}$/.test(v) ? ok(v) : fail('a document number of letters, digits, / and -');
};

/** Normalises an object identifier according to the object type (accounts are keyed with `key`). */
export const normaliseObjectIdentifier = (type: ObjectType, text: string, key: PseudonymKey): Normalised => {
  switch (type) {
    case 'VEHICLE':
      return normaliseVrm(text);
    case 'PHONE':
      return normalisePhone(text);
    case 'ACCOUNT':
      return normaliseAccount(text, key);
    case 'DOCUMENT':
      return normaliseDocumentNumber(text);
    case 'PREMISES_ADVERT':
      return codePointLength(text) <= 256
        ? ok(text)
        : fail('an advert URL or reference of at most 256 characters');
    case 'OTHER':
      return codePointLength(text) <= 128 ? ok(text) : fail('an identifier of at most 128 characters');
  }
};

/** A full UK postcode written `OUTWARD INWARD` in upper case, e.g. `sw1a1aa` → `SW1A 1AA`. */
export const normaliseUkPostcode = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/\s+/g, '');
  const m = /^([A-Z]{1,2}\d[A-Z\d]?|GIR)(\d[A-Z]{2}|0AA)$/.exec(v);
  if (!m || (m[1] === 'GIR') !== (m[2] === '0AA')) return fail('a full UK postcode such as B1 1AA');
  return ok(`${m[1]} ${m[2]}`);
};

/** A postal code outside the UK: upper case, spaces collapsed. */
export const normaliseForeignPostcode = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/\s+/g, ' ').trim();
  return /^[A-Z0-9][A-Z0-9 -]{1,15}$/.test(v)
    ? ok(v)
    : fail('a postal code of letters, digits, spaces and -');
};

/** A PNC ID: `YY/NNNNNNNA` or `YYYY/NNNNNNNA`, upper case. */
export const normalisePncId = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/\s+/g, '');
  return /^\d{2}(\d{2})?\/\d{1,7}[A-Z]$/.test(v) ? ok(v) : fail('a PNC ID such as 2001/0123456X');
};

/** A CRO number: `NNNNNN/YYA`, upper case. */
export const normaliseCroNumber = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/\s+/g, '');
  return /^\d{1,6}\/\d{2}[A-Z]$/.test(v) ? ok(v) : fail('a CRO number such as 123456/01A');
};

/** An NRM case reference: letters, digits, `/` and `-`, upper case. */
export const normaliseNrmReference = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/\s+/g, '');
  return /^[A-Z0-9][A-Z0-9/-]{0,31}$/.test(v) ? ok(v) : fail('an NRM reference of letters, digits, / and -');
};

/** A passport number: 5-20 letters and digits, upper case. */
export const normalisePassportNumber = (text: string): Normalised => {
  const v = text.toUpperCase().replace(/[\s-]+/g, '');
  return /^[A-Z0-9]{5,20}$/.test(v) ? ok(v) : fail('a passport number of 5 to 20 letters and digits');
};
