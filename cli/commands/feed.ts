import { type Command, InvalidArgumentError } from 'commander';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { settingsFor } from '../../infra/config.ts';
import { FeedCursorSchema } from '../../schemas/feed/feed-cursor.ts';
import { positiveInt } from '../options.ts';

/** Waits `ms`, or less if `signal` aborts first. */
const sleepUnless = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });

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
    .summary('print marker changes after a cursor')
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
      '\nWith --follow it runs until Ctrl-C or SIGTERM, then prints the cursor and exits 0.\n' +
        '\nExit status:\n' +
        '  0  changes printed (or none), cursor on stderr\n' +
        '  2  the arguments are wrong\n' +
        '  4  could not run (no AWS region or credentials, endpoint not answering, the feed not readable with these credentials)\n' +
        '\nExamples:\n  npx msht feed --since 0 > changes.jsonl\n  npx msht feed --since 1200 --follow',
    )
    .action(
      async (opts: { since: number; follow?: boolean; limit: number; pollMs: number; stage: string }) => {
        const table = process.env[ENV.feedTable] || settingsFor(opts.stage).tables.feed.name;
        const log = createDynamoFeedLog(createAwsClients().dynamodb, table, () => new Date().toISOString());
        let cursor = opts.since;
        // Stop on the first SIGINT or SIGTERM, and ignore any more: a launcher (npx, or bin/msht.mjs
        // re-running on Node 24) and the terminal may each deliver the same Ctrl-C. The page being read
        // is finished, so the cursor printed is the last change written.
        const stopping = new AbortController();
        const stop = () => stopping.abort();
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        // The handlers stay until the process ends: a repeated signal arriving after the loop has
        // stopped must not kill it before the cursor is printed.
        while (!stopping.signal.aborted) {
          const page = await readFeed(log, { after: cursor, limit: opts.limit });
          for (const change of page.changes) process.stdout.write(`${JSON.stringify(change)}\n`);
          const moved = page.cursor !== cursor;
          cursor = page.cursor;
          if (moved) continue;
          if (!opts.follow) break;
          await sleepUnless(opts.pollMs, stopping.signal);
        }
        process.stderr.write(`cursor ${cursor}\n`);
        // Stopped by a signal: exit now, so a repeated signal cannot land while the process winds down
        // (when the runtime no longer catches it) and turn a clean stop into a kill.
        if (stopping.signal.aborted) process.exit(0);
      },
    );
};
