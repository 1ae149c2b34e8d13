import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { applyPndAck } from '../../functions/pnd/ack.ts';
import { exportPndBatch } from '../../functions/pnd/export.ts';
import { createDynamoPndStore } from '../../functions/pnd/pnd-store.ts';
import { s3ObjectStore } from '../../functions/pnd/s3-objects.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { settingsFor } from '../../infra/config.ts';
import {
  PndAckJsonSchema,
  PndExportJsonSchema,
  PndReleaseJsonSchema,
} from '../../schemas/cli/json-output.ts';
import { CliError, readable } from '../errors.ts';
import { printJson } from '../json.ts';
import { resolveResources } from '../resources.ts';

type StageOption = { stage: string; json?: boolean };

const JSON_HELP = (name: string) =>
  `print the outcome as one JSON document (schemas/json/cli-pnd-${name}.schema.json)`;

/** Exit codes every pnd command shares, after its own. */
const exitHelp = (own: string): string =>
  `\nExit status:\n${own}` +
  '  4  could not run (no AWS region or credentials, endpoint not answering, the credentials may not do this)\n';

const pndDeps = (stage: string) => {
  const settings = settingsFor(stage);
  const resources = resolveResources(stage);
  const clients = createAwsClients();
  return {
    pnd: createDynamoPndStore(clients.dynamodb, resources.markersTable),
    objects: s3ObjectStore(clients.s3, resources.bucket),
    now: () => new Date().toISOString(),
    settings: settings.pnd,
    bucket: resources.bucket,
  };
};

/**
 * `msht pnd export | ack FILE | release KEY`: PND synchronisation by hand (the scheduled Lambda runs
 * the same export). Exporting or acknowledging twice changes nothing the second time.
 */
export const registerPndCommand = (program: Command): void => {
  const pnd = program
    .command('pnd')
    .summary('export to PND, apply answers, release held')
    .description(
      'PND synchronisation of the marker index (docs/pnd-sync.md). Talks to AWS, or to the local stack ' +
        'when the AWS_ENDPOINT_URL_* variables printed by `msht local` are set.',
    );
  pnd
    .command('export')
    .description(
      'Write PENDING markers as a PND batch (JSON Lines + manifest) to the bucket and mark them SENT.',
    )
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option('--json', JSON_HELP('export'))
    .addHelpText('after', exitHelp('  0  exported (or nothing was PENDING)\n'))
    .action(async (opts: StageOption) => {
      const deps = pndDeps(opts.stage);
      const result = await exportPndBatch(deps);
      const location = (batchId: string) => `s3://${deps.bucket}/${deps.settings.batchPrefix}${batchId}/`;
      if (opts.json) {
        printJson(PndExportJsonSchema, {
          schemaVersion: 1,
          kind: 'msht.pnd.export',
          ...(result.batchId
            ? { batch: { batchId: result.batchId, location: location(result.batchId) } }
            : {}),
          exported: result.exported,
          resent: result.resent,
          completedBatches: [...result.completedBatches],
          rejectedUnanswered: result.rejectedUnanswered,
          held: result.held,
        });
        return;
      }
      if (result.batchId) {
        process.stdout.write(
          `Batch ${result.batchId}: ${result.exported} markers (${result.resent} re-sent) → ${location(result.batchId)}\n`,
        );
      } else process.stdout.write('Nothing to export: no PENDING markers.\n');
      if (result.completedBatches.length > 0)
        process.stdout.write(
          `Completed ${result.completedBatches.length} interrupted batch(es): ${result.completedBatches.join(', ')}\n`,
        );
      if (result.rejectedUnanswered > 0)
        process.stdout.write(
          `${result.rejectedUnanswered} marker(s) REJECTED: no answer from PND after the last attempt.\n`,
        );
      if (result.held > 0)
        process.stdout.write(`${result.held} marker(s) HELD for review (handling code C), not exported.\n`);
    });
  pnd
    .command('ack')
    .description("Apply PND's response file (JSON: batchId, results[]) to the markers of its batch.")
    .argument('<file>', 'the response file')
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option('--json', JSON_HELP('ack'))
    .addHelpText(
      'after',
      exitHelp(
        '  0  applied (applying the same file again changes nothing)\n' +
          '  1  the batch is unknown, the file names another sha256 than the batch has, or the batch is corrupt\n' +
          '  2  the file is not JSON or not a PND response file\n',
      ),
    )
    .action(async (file: string, opts: StageOption) => {
      await readable(file);
      let response: unknown;
      try {
        response = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new CliError(`${file} is not a PND response file: ${(error as Error).message}`, {
          exitCode: 2,
        });
      }
      const summary = await applyPndAck(pndDeps(opts.stage), response);
      if (opts.json) {
        printJson(PndAckJsonSchema, { schemaVersion: 1, kind: 'msht.pnd.ack', ...summary });
        return;
      }
      process.stdout.write(
        `Batch ${summary.batchId}: ${summary.acked} acked, ${summary.rejected} rejected, ${summary.requeued} to retry, ` +
          `${summary.unchanged} unchanged (already applied or changed since), ${summary.unknown} not in the batch\n`,
      );
    });
  pnd
    .command('release')
    .description('Release a marker HELD for review (handling code C) so the next export sends it.')
    .argument('<naturalKey>', "the marker's natural key (sha256 hex)")
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option('--json', JSON_HELP('release'))
    .addHelpText(
      'after',
      exitHelp('  0  released: PENDING again\n  1  the marker is not HELD: nothing changed\n'),
    )
    .action(async (naturalKey: string, opts: StageOption) => {
      const deps = pndDeps(opts.stage);
      const released = await deps.pnd.release(naturalKey, deps.now());
      if (opts.json)
        printJson(PndReleaseJsonSchema, { schemaVersion: 1, kind: 'msht.pnd.release', naturalKey, released });
      else
        process.stdout.write(
          released ? `Released ${naturalKey}: PENDING.\n` : `${naturalKey} is not HELD; nothing changed.\n`,
        );
      if (!released) process.exitCode = 1;
    });
};
