import { type Command, InvalidArgumentError } from 'commander';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { sleep } from '../../functions/shared/retry.ts';
import { settingsFor } from '../../infra/config.ts';
import { FeedCursorSchema } from '../../schemas/feed/feed-cursor.ts';
import { positiveInt } from '../options.ts';

const cursorOption = (value: string): number => {
  if (!FeedCursorSchema.safeParse(value).success)
    throw new InvalidArgumentError('expected a feed cursor (0 or a seq)');
  return Number(value);
};

/**
 * `msht feed --since CURSOR [--follow]`: prints committed marker changes after the cursor as JSON
 * Lines, in order, then the cursor to resume from (on stderr). Read-only.
 */
export const registerFeedCommand = (program: Command): void => {
  program
    .command('feed')
    .description(
      'Print committed marker changes after a cursor as JSON Lines (docs/feed.md), in order and without ' +
        'gaps; the cursor to resume from goes to stderr. Payloads are pseudonymous.',
    )
    .option(
      '--since <cursor>',
      'the seq of the last change already processed (0: from the start)',
      cursorOption,
      0,
    )
    .option('--follow', 'keep waiting for new changes (Ctrl-C to stop)')
    .option('--limit <n>', 'changes per page', positiveInt, 500)
    .option('--poll-ms <ms>', 'with --follow, how often to look for new changes', positiveInt, 1000)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .addHelpText(
      'after',
      '\nExamples:\n  npx msht feed --since 0 > changes.jsonl\n  npx msht feed --since 1200 --follow',
    )
    .action(
      async (opts: { since: number; follow?: boolean; limit: number; pollMs: number; stage: string }) => {
        const table = process.env[ENV.feedTable] || settingsFor(opts.stage).tables.feed.name;
        const log = createDynamoFeedLog(createAwsClients().dynamodb, table, () => new Date().toISOString());
        let cursor = opts.since;
        let stop = false;
        process.once('SIGINT', () => {
          stop = true;
        });
        while (!stop) {
          const page = await readFeed(log, { after: cursor, limit: opts.limit });
          for (const change of page.changes) process.stdout.write(`${JSON.stringify(change)}\n`);
          const moved = page.cursor !== cursor;
          cursor = page.cursor;
          if (moved) continue;
          if (!opts.follow) break;
          await sleep(opts.pollMs);
        }
        process.stderr.write(`cursor ${cursor}\n`);
      },
    );
};
