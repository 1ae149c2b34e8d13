/** An HTTP request as the gateway received it. `path` is the raw path, still percent-encoded, without the query. */
export type IncomingRequest = {
  readonly method: string;
  readonly path: string;
  /** The raw query string, without '?'. */
  readonly query: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
};

/** One IAM question: may the caller do `action` on `resource`, with these condition keys? (The evaluator's `Request`.) */
export type { Request as AuthorizationRequest } from './policy-evaluator.ts';

export type Credentials = { readonly secretAccessKey: string; readonly sessionToken?: string };

export type AuthFailure = {
  readonly ok: false;
  readonly code:
    | 'MissingAuthenticationToken'
    | 'IncompleteSignature'
    | 'InvalidAccessKeyId'
    | 'InvalidClientTokenId'
    | 'SignatureDoesNotMatch'
    | 'RequestExpired'
    | 'InvalidToken';
  readonly message: string;
};

export type Authenticated = {
  readonly ok: true;
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
};

/** The account and region a request is served in: they go into the ARNs (partition `aws`). */
export type Target = { readonly account: string; readonly region: string };

/** A response the gateway sends as is. */
export type HttpResponse = {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
};
