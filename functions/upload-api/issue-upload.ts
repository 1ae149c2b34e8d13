import { z } from 'zod';
import { fileNameProblem, IsoMonthSchema, incomingKey, type OrgCode, PREFIXES } from '../../schemas/index.ts';
import { organisationOfCaller } from './caller.ts';
import type { UploadApiConfig } from './config.ts';
import { presignPost, type SigningCredentials } from './post-policy.ts';

/** How long a presigned POST stays valid. */
export const PRESIGN_SECONDS = 900;

/** What a caller asks for: where its extract goes. */
export const UploadRequestSchema = z.strictObject({
  fileName: z
    .string()
    .min(1)
    .max(200)
    .superRefine((name, ctx) => {
      const problem = name.includes('/') ? 'must not contain /' : fileNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  period: IsoMonthSchema,
});

/** The answer: the form to POST (url and fields, the file last), or why not. */
export type UploadAnswer =
  | {
      readonly status: 200;
      readonly body: {
        readonly url: string;
        readonly fields: Readonly<Record<string, string>>;
        readonly key: string;
        readonly maxBytes: number;
        readonly expiresAt: string;
      };
    }
  | { readonly status: 400 | 403; readonly body: { readonly message: string } };

/**
 * The signed-in caller, as the Function URL's IAM authoriser reports it (see `functionUrlCaller`), and the
 * account the upload roles are in (the function's own).
 */
export type Caller = { readonly userArn: string | undefined; readonly accountId: string };

/**
 * Issues a presigned POST for one extract: to `incoming/{org}/{period}/{fileName}` of the landing
 * bucket, where `org` is the caller's own organisation (its upload role), and no larger than ingest
 * accepts. The policy admits any key under `incoming/{org}/` only, and the form is signed with
 * credentials that may write under that prefix only (`signingCredentials(org)`), so the form cannot be
 * turned against another organisation's prefix. Clock, form URL and credentials are given.
 */
export const issueUpload = async (
  body: unknown,
  caller: Caller,
  deps: {
    readonly config: UploadApiConfig;
    readonly signingCredentials: (org: OrgCode) => Promise<SigningCredentials>;
    readonly region: string;
    readonly formUrl: string;
    readonly now: Date;
  },
): Promise<UploadAnswer> => {
  const org = organisationOfCaller(caller.userArn, {
    prefix: deps.config.prefix,
    accountId: caller.accountId,
    organisations: deps.config.organisations,
  });
  if (!org) {
    return {
      status: 403,
      body: { message: 'Only an organisation’s upload role may ask for an upload form' },
    };
  }
  const request = UploadRequestSchema.safeParse(body);
  if (!request.success) {
    return {
      status: 400,
      body: {
        message: request.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      },
    };
  }
  const key = incomingKey(org, request.data.period, request.data.fileName);
  const post = presignPost({
    bucket: deps.config.landingBucket,
    region: deps.region,
    key,
    keyPrefix: `${PREFIXES.incoming}${org}/`,
    minBytes: 1,
    maxBytes: deps.config.maxFileBytes,
    expiresInSeconds: PRESIGN_SECONDS,
    now: deps.now,
    credentials: await deps.signingCredentials(org),
  });
  return {
    status: 200,
    body: {
      url: deps.formUrl,
      fields: post.fields,
      key,
      maxBytes: deps.config.maxFileBytes,
      expiresAt: post.expiresAt,
    },
  };
};
