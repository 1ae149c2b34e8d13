import { z } from 'zod';
import type { Caller } from './issue-upload.ts';

/** The function the event was delivered to: its region and account, and whether a local stack runs it. */
export type FunctionIdentity = {
  readonly region: string;
  readonly accountId: string;
  /**
   * Whether a loopback domain (localhost, 127.0.0.1, ::1) stands in for the Function URL's: only when the
   * S3 endpoint is overridden for the local stack.
   */
  readonly loopbackAllowed: boolean;
};

/** The parts of a Function URL request (payload format 2.0, AWS_IAM auth) the upload API relies on. */
const FunctionUrlEventSchema = z.object({
  version: z.literal('2.0'),
  requestContext: z.object({
    domainName: z.string().min(1),
    http: z.object({ method: z.string().min(1) }),
    authorizer: z.object({
      iam: z.object({ userArn: z.string().min(1), accountId: z.string().regex(/^\d{12}$/) }),
    }),
  }),
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The host of a domain name, without a port (`[::1]:8080`, `127.0.0.1:3000`; a bare `::1` has none). */
const hostOf = (domainName: string): string => {
  if (domainName.startsWith('[')) return domainName.replace(/^(\[[^\]]*\]).*$/, '$1');
  return domainName.split(':').length === 2 ? domainName.replace(/:\d+$/, '') : domainName;
};

/**
 * The signed-in caller of a Function URL request, or undefined when the event does not have the shape
 * Lambda gives a Function URL request with IAM auth: payload version 2.0, an HTTP method, the URL's
 * domain `{url-id}.lambda-url.{region}.on.aws` in the function's own region (or, locally, a loopback
 * host), and the IAM authoriser's caller in the function's own account. A direct Invoke can forge any
 * event, so IAM is the guard (no principal may invoke the function directly); this check is a second one
 * that keeps a forged requestContext from being believed should that ever change.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
export const functionUrlCaller = (event: unknown, fn: FunctionIdentity): Caller | undefined => {
  const parsed = FunctionUrlEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { domainName, authorizer } = parsed.data.requestContext;
  const urlDomain = `.lambda-url.${fn.region}.on.aws`;
  const throughUrl =
    (fn.region !== '' && domainName.endsWith(urlDomain) && domainName.length > urlDomain.length) ||
    (fn.loopbackAllowed && LOOPBACK.has(hostOf(domainName)));
  if (!throughUrl || authorizer.iam.accountId !== fn.accountId) return undefined;
  return { userArn: authorizer.iam.userArn, accountId: fn.accountId };
};

/** The account of a function, from the ARN Lambda gives in the invocation context; '' when there is none. */
export const accountOfFunctionArn = (functionArn: string | undefined): string =>
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:/.exec(functionArn ?? '')?.[1] ?? '';
