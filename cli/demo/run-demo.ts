import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import {
  createLocalClients,
  destroyLocalClients,
  type LocalClients,
  localAwsClientConfig,
} from '../../infra/local/clients.ts';
import { orgProfile } from '../../infra/local/iam/personas.ts';
import { LOCAL_REGION, startLocalStack } from '../../infra/local/local-stack.ts';
import { type IsoMonth, incomingKey, type OrgCode, type UploadLedgerEntry } from '../../schemas/index.ts';
import { describeAggregation, downloadReports, invokeAggregation } from '../commands/aggregate.ts';
import { summariseIndex } from '../marker-summary.ts';
import { startProgress } from '../progress.ts';
import { renderTable } from '../table.ts';
import { bulletinSummary, exampleQuery } from './query-example.ts';
import { type Expectation, reconcile } from './reconcile.ts';
import { generateExtracts } from './synthetic.ts';

export type DemoOptions = {
  readonly dataDir?: string;
  readonly seed: number;
  readonly rowsPerFile: number;
  readonly orgs: readonly OrgCode[];
  readonly months: readonly IsoMonth[];
  readonly timeoutMs: number;
  /** Powertools log level of the functions; default WARN, so their JSON logs do not bury the summary. */
  readonly logLevel?: string;
  readonly out: (line: string) => void;
};

/** The organisations and months the demo generates extracts for. */
export const DEMO_ORGS: readonly OrgCode[] = [
  'PF-E23000001',
  'PF-E23000005',
  'PF-W15000003',
  'PF-S92000003',
  'NA-NCA',
];
export const DEMO_MONTHS: readonly IsoMonth[] = ['2026-09', '2026-10'];

const waitWithProgress = async (
  stack: Awaited<ReturnType<typeof startLocalStack>>,
  total: number,
  countFinished: () => Promise<number>,
  timeoutMs: number,
): Promise<void> => {
  const progress = startProgress('Ingesting and indexing', total);
  let finished = 0;
  const ticker = setInterval(() => {
    countFinished()
      .then((n) => {
        finished = n;
        progress.update(n);
      })
      .catch(() => undefined);
  }, 250);
  try {
    await stack.waitForIdle({ timeoutMs });
    finished = await countFinished();
    progress.update(finished);
  } finally {
    clearInterval(ticker);
    progress.stop(`${finished}/${total} uploads finished`);
  }
};

/**
 * The main job on the embedded local stack: generate realistic synthetic extracts for several
 * organisations and months, upload them through S3, wait until the queues drain, then reconcile every
 * upload. Resolves to the process exit code: 0 when every upload reconciles.
 */
export const runDemo = async (options: DemoOptions): Promise<number> => {
  const { out } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'msht-demo-')));
  const started = Date.now();
  out(`Starting the local stack (data in ${dataDir})...`);
  const stack = await startLocalStack({ dataDir, logLevel: options.logLevel ?? 'WARN' });
  try {
    const clients = createAwsClients();
    const { landingBucket, bucket, tables, queueUrls } = stack.resources;
    const ledger = createLedger(clients.dynamodb, tables.uploads);

    const files = generateExtracts({
      seed: options.seed,
      orgs: [...options.orgs],
      months: [...options.months],
      rowsPerFile: options.rowsPerFile,
    });
    const expected = new Map<string, Expectation>();
    // Each organisation uploads as itself: its own upload role's profile (org-{ORG}), as a force would.
    const forces = new Map<OrgCode, LocalClients>();
    const asForce = (org: OrgCode): LocalClients => {
      let force = forces.get(org);
      if (!force) {
        force = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials(orgProfile(org)));
        forces.set(org, force);
      }
      return force;
    };
    const upload = startProgress('Uploading extracts to S3, each organisation as its own role', files.length);
    try {
      for (const file of files) {
        const key = incomingKey(file.org, file.period, file.fileName);
        expected.set(key, file.expected);
        await asForce(file.org).s3.send(
          new PutObjectCommand({ Bucket: landingBucket, Key: key, Body: file.body }),
        );
        upload.increment();
      }
    } finally {
      for (const force of forces.values()) destroyLocalClients(force);
    }
    upload.stop(`${files.length} files, ${files.reduce((n: number, f) => n + f.body.length, 0)} bytes`);

    const listAll = async (): Promise<UploadLedgerEntry[]> =>
      (await Promise.all(options.orgs.map((org) => ledger.listByOrg(org, 1000)))).flat();
    const finished = async (): Promise<number> =>
      (await listAll()).filter((e) => !['RECEIVED', 'PROCESSING', 'QUEUED'].includes(e.status)).length;
    await waitWithProgress(stack, files.length, finished, options.timeoutMs);

    const entries = (await listAll()).sort((a, b) => a.key.localeCompare(b.key));
    const rows = reconcile(entries, expected);
    const missing = [...expected.keys()].filter((key) => !entries.some((e) => e.key === key));
    out('');
    out(
      renderTable(
        ['org', 'period', 'file', 'status', 'rows', 'accepted', 'rejected', 'indexed', 'reconciled'],
        rows.map((r) => [
          r.org,
          r.period,
          r.fileName,
          r.status,
          r.rows,
          r.accepted,
          r.rejected,
          r.indexed,
          r.problems.length === 0 ? 'yes' : 'NO',
        ]),
      ),
    );
    const totals = rows.reduce(
      (t, r) => ({
        rows: t.rows + r.rows,
        accepted: t.accepted + r.accepted,
        rejected: t.rejected + r.rejected,
        indexed: t.indexed + r.indexed,
      }),
      { rows: 0, accepted: 0, rejected: 0, indexed: 0 },
    );
    out(
      `Total: ${rows.length} uploads, ${totals.rows} rows = ${totals.accepted} accepted + ${totals.rejected} rejected; ${totals.indexed} indexed`,
    );

    const index = await summariseIndex({ dynamodb: clients.dynamodb }, tables);
    const counts = (record: Readonly<Record<string, number>>): string =>
      Object.entries(record)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none';
    out('');
    out(`Marker index: ${index.markers} markers from ${index.sourceRecords} source records`);
    out(`  by status:          ${counts(index.byStatus)}; due for review ${index.dueForReview}`);
    out(`  by PND sync state:  ${counts(index.bySyncState)}`);
    out(
      `  feed:               head ${index.feed.head}, pushed ${index.feed.pushCursor}; ` +
        `resume with npx msht feed --since ${index.feed.head}`,
    );

    const dlqDepths = await Promise.all(
      [queueUrls.ingestDlq, queueUrls.recordsDlq].map(async (url) => {
        const res = await clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0);
      }),
    );

    out('');
    out(`Outputs (bucket ${bucket}, stored under ${dataDir}):`);
    out(`  rejection reports  s3://${bucket}/reports/{org}/{uploadId}.json and .csv`);
    out(
      `  curated records    s3://${bucket}/curated/record_type={type}/month={YYYY-MM}/org={org}/{uploadId}.jsonl.gz`,
    );
    out(
      `  upload ledger      DynamoDB table ${tables.uploads}; markers in ${tables.markers}; feed in ${tables.feed}`,
    );
    const example = rows.find((r) => r.rejected > 0);
    if (example)
      out(
        `  e.g. the report of ${example.fileName} (${example.org}): s3://${bucket}/reports/${example.org}/${example.uploadId}.csv`,
      );

    // The national picture of each generated month, oldest first so month-on-month change shows.
    // The national team triggers the aggregation function (which runs as its own role) and reads both tiers.
    const reportDir = join(dataDir, 'reports');
    const national = stack.iam.credentials('national');
    const lambda = new LambdaClient(localAwsClientConfig(stack.endpoints.lambda, LOCAL_REGION, national));
    const nationalClients = createLocalClients(stack.endpoints, LOCAL_REGION, national);
    try {
      let last: { month: string; shareable: string } | undefined;
      for (const month of [...options.months].sort()) {
        const result = await invokeAggregation(lambda, stack.settings, month);
        const paths = await downloadReports(nationalClients.s3, result, reportDir);
        out('');
        out(`National picture ${month}:`);
        out(describeAggregation(result, paths).join('\n'));
        last = { month, shareable: join(dirname(paths.shareable), 'national-shareable.json') };
      }
      if (last !== undefined) {
        out('');
        out(`The bulletin for ${last.month} (shareable tier):`);
        out((await bulletinSummary(last.shareable)).join('\n'));
        out('');
        out(await exampleQuery(nationalClients.s3, bucket, last.month));
      }
    } finally {
      lambda.destroy();
      destroyLocalClients(nationalClients);
    }
    out('');
    out(`Finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

    const failures = rows.filter((r) => r.problems.length > 0);
    const problems = [
      ...failures.map((r) => `${r.org} ${r.period} ${r.fileName}: ${r.problems.join('; ')}`),
      ...missing.map((key) => `${key}: uploaded but never reached the ledger`),
      ...(dlqDepths.some((n) => n > 0)
        ? [`dead-letter queues hold ${dlqDepths.join(' and ')} message(s)`]
        : []),
    ];
    if (problems.length > 0) {
      out('');
      out(`NOT RECONCILED (${problems.length} problem(s)):`);
      for (const p of problems) out(`  - ${p}`);
      return 1;
    }
    out('Every upload reconciles: rows = accepted + rejected, and accepted = indexed.');
    return 0;
  } finally {
    await stack.stop();
  }
};
