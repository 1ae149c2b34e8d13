import { createHmac } from 'node:crypto';
import type { Authenticated, AuthFailure } from './request-types.ts';
import { type CredentialLookup, parseAmzDate, parseScope, signaturesEqual, signingKey } from './sigv4.ts';

/**
 * The form is signed but breaks its own policy (expired, a condition fails, a field the policy does not
 * name): S3 answers 403 AccessDenied "Invalid according to Policy: ...".
 */
export type PolicyViolation = { readonly ok: false; readonly code: 'AccessDenied'; readonly message: string };

const fail = (code: AuthFailure['code'], message: string): AuthFailure => ({ ok: false, code, message });
const violation = (message: string): PolicyViolation => ({
  ok: false,
  code: 'AccessDenied',
  message: `Invalid according to Policy: ${message}`,
});

// Fields S3 never expects a condition for (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html).
const UNCONDITIONED = new Set(['x-amz-signature', 'file', 'policy']);

type Policy = { readonly expiration: string; readonly conditions: readonly unknown[] };

const decodePolicy = (base64: string): Policy | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { expiration, conditions } = parsed as Record<string, unknown>;
    if (typeof expiration !== 'string' || !Array.isArray(conditions)) return undefined;
    return { expiration, conditions };
  } catch {
    return undefined;
  }
};

/**
 * Checks one condition; returns the (lower-case) field name it covers, or a violation. `fields` has
 * lower-case names; `bucket` stands for the form's bucket, which S3 takes from the URL.
 */
const checkCondition = (
  condition: unknown,
  fields: ReadonlyMap<string, string>,
  bucket: string,
): string | PolicyViolation | undefined => {
  const fieldValue = (name: string): string | undefined => (name === 'bucket' ? bucket : fields.get(name));
  const shown = JSON.stringify(condition);
  if (Array.isArray(condition)) {
    const [operator, target, expected] = condition as unknown[];
    const op = typeof operator === 'string' ? operator.toLowerCase() : undefined;
    // The size is known only once the body is read: the gateway (or the emulator) checks it.
    if (op === 'content-length-range') return undefined;
    if ((op !== 'eq' && op !== 'starts-with') || typeof target !== 'string' || !target.startsWith('$'))
      return violation(`Unsupported condition ${shown}`);
    if (typeof expected !== 'string') return violation(`Unsupported condition ${shown}`);
    const name = target.slice(1).toLowerCase();
    const actual = fieldValue(name);
    const holds = actual !== undefined && (op === 'eq' ? actual === expected : actual.startsWith(expected));
    return holds ? name : violation(`Policy Condition failed: ${shown}`);
  }
  if (typeof condition === 'object' && condition !== null) {
    const entries = Object.entries(condition);
    const [entry] = entries;
    if (entries.length !== 1 || !entry || typeof entry[1] !== 'string')
      return violation(`Unsupported condition ${shown}`);
    const name = entry[0].toLowerCase();
    return fieldValue(name) === entry[1] ? name : violation(`Policy Condition failed: ${shown}`);
  }
  return violation(`Unsupported condition ${shown}`);
};

/**
 * Authenticates a browser-based upload (S3 POST Object with Signature Version 4,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html): the signature is
 * the hex HMAC of the base64 policy under the signing key; then the policy must not have expired and every
 * condition must hold for the form's fields and `bucket` (from the URL). Every field but the signature,
 * the file, the policy and x-ignore-* must be named by a condition, as S3 requires.
 */
export const verifyPostPolicy = (
  formFields: Readonly<Record<string, string>>,
  bucket: string,
  lookup: CredentialLookup,
  now: Date,
): Authenticated | AuthFailure | PolicyViolation => {
  const fields = new Map(
    Object.entries(formFields).map(([name, value]) => [name.toLowerCase(), value] as const),
  );
  const policyBase64 = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  if (policyBase64 === undefined && signature === undefined)
    return fail('MissingAuthenticationToken', 'Request is missing Authentication Token');
  const algorithm = fields.get('x-amz-algorithm');
  const credential = fields.get('x-amz-credential');
  const amzDate = fields.get('x-amz-date');
  if (algorithm !== 'AWS4-HMAC-SHA256' || !credential || !amzDate || !policyBase64 || !signature)
    return fail(
      'IncompleteSignature',
      'A signed form requires x-amz-algorithm (AWS4-HMAC-SHA256), x-amz-credential, x-amz-date, policy and x-amz-signature',
    );
  const scope = parseScope(credential);
  if (scope?.service !== 's3' || !parseAmzDate(amzDate) || amzDate.slice(0, 8) !== scope.day)
    return fail('IncompleteSignature', `Malformed x-amz-credential or x-amz-date: ${credential}, ${amzDate}`);

  const credentials = lookup(scope.accessKeyId);
  if (!credentials)
    return fail('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (credentials.sessionToken !== fields.get('x-amz-security-token'))
    return fail('InvalidToken', 'The provided token is malformed or otherwise invalid.');
  const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, scope))
    .update(policyBase64, 'utf8')
    .digest('hex');
  if (!signaturesEqual(expected, signature))
    return fail(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );

  const policy = decodePolicy(policyBase64);
  if (!policy) return violation('Policy could not be parsed as JSON with expiration and conditions');
  const expiresAt = Date.parse(policy.expiration);
  if (Number.isNaN(expiresAt) || expiresAt <= now.getTime()) return violation('Policy expired.');
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    const result = checkCondition(condition, fields, bucket);
    if (typeof result === 'object') return result;
    if (result !== undefined) covered.add(result);
  }
  for (const name of fields.keys())
    if (!UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !covered.has(name))
      return violation(`Extra input fields: ${name}`);
  return { ok: true, accessKeyId: scope.accessKeyId, region: scope.region, service: 's3' };
};
