import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { coverageSentence } from '../../functions/aggregate/report/coverage-section.ts';
import { mainPoints } from '../../functions/aggregate/report/main-points.ts';
import { NationalPictureSchema } from '../../schemas/aggregate/national.ts';
import { fetchCuratedZone, openDuckDbSession } from '../query/duckdb-engine.ts';
import { formatResult } from '../query/format-result.ts';

/** The bulletin's coverage line and main points, from a downloaded national.json. */
export const bulletinSummary = async (path: string): Promise<string[]> => {
  const national = NationalPictureSchema.parse(JSON.parse(await readFile(path, 'utf-8')));
  return [
    `Coverage: ${coverageSentence(national)}`,
    'Main points:',
    ...mainPoints(national).map((p) => `  - ${p}`),
  ];
};

/** The example of docs/query.md (DuckDB's `len`; Athena's is `cardinality`): victims of one exploitation type in a month. */
export const victimsByTypeSql = (month: string): string =>
  'SELECT exploitationTypes[1] AS exploitation_type, count(*) AS victims FROM current_subjects ' +
  `WHERE month = '${month}' AND (contains(roles, 'POTENTIAL_VICTIM') OR contains(roles, 'VICTIM')) AND len(exploitationTypes) = 1 ` +
  'GROUP BY 1 ORDER BY victims DESC, 1';

/**
 * Runs the example query as `msht query` does against the local stack (the national team's credentials,
 * DuckDB over a copy of curated/), and says how large the curated zone is and how long the query took.
 */
export const exampleQuery = async (s3: S3Client, bucket: string, month: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'msht-demo-query-'));
  try {
    const fetched = await fetchCuratedZone(s3, bucket, dir);
    const session = await openDuckDbSession(dir);
    try {
      const sql = victimsByTypeSql(month);
      const result = await session.query(sql);
      return [
        `SQL over the curated zone (${fetched.objects} objects, ${(fetched.bytes / 1024).toFixed(0)} KiB), as the national team:`,
        `  npx msht query "${sql}"`,
        formatResult(result, 'table').trimEnd(),
      ].join('\n');
    } finally {
      session.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
