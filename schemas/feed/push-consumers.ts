import { z } from 'zod';

type Prefixed = { readonly prefix: string };

/** A push consumer's name: lower case letters, digits and `-` (it goes into queue and role names). */
export const PushConsumerNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,29}$/, 'lower case letters, digits and -, starting with a letter, at most 30');

/**
 * The push queue of consumer `name`, beside the default feed queue: every consumer gets every change
 * in a queue of its own (the feed publisher sends to each), e.g. `msht-prod-feed-case-system`.
 */
export const pushQueueName = (settings: Prefixed, name: string): string => `${settings.prefix}-feed-${name}`;

/** The role of push consumer `name`: it may read its own queue and nothing else. */
export const pushConsumerRoleName = (settings: Prefixed, name: string): string =>
  `${settings.prefix}-feed-${name}-consumer`;

/** The publisher's cursor of consumer `name` in the feed table (the default queue's is `push`). */
export const pushCursorName = (name: string): string => `push-${name}`;

/** What the feed publisher is told of the push queues (MSHT_FEED_PUSH_QUEUES): name and URL of each. */
export const PushQueuesSchema = z.array(z.strictObject({ name: PushConsumerNameSchema, url: z.url() }));
export type PushQueues = z.infer<typeof PushQueuesSchema>;

/** Consumer `name` as an id for IAM statement ids and stack outputs (letters and digits): `CaseSystem`. */
export const pushConsumerId = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
