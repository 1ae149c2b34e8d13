/**
 * Measures SQL over a curated zone with DuckDB: its size as gzip JSON Lines, the time to open the tables
 * and views and to run the worked examples, then the same over Parquet written by DuckDB (one file per
 * table and partition), so docs/query.md can say which format to keep. Usage:
 *   node bench/query-bench.ts DIR   (DIR holds curated/…; the local stack's {data}/s3/{bucket} works too)
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbSession } from '../cli/query/duckdb-engine.ts';
import { QUERY_TABLES, QUERY_VIEWS } from '../schemas/query/tables.ts';

const S3RVER_SUFFIX = '._S3rver_object';

const files = async (root: string): Promise<string[]> =>
  (await readdir(root, { recursive: true })).map(String).map((f) => join(root, f));

const sizeOf = async (paths: readonly string[]): Promise<number> => {
  let total = 0;
  for (const path of paths) total += (await stat(path)).size;
  return total;
};

const QUERIES = {
  'victims by type, every month': `SELECT month, exploitationTypes[1] AS t, count(*) FROM current_subjects
    WHERE contains(roles, 'POTENTIAL_VICTIM') GROUP BY 1, 2 ORDER BY 1, 2`,
  'operations by org and month': `SELECT month, org, count(*) FROM current_operations GROUP BY 1, 2 ORDER BY 1, 2`,
  'nationality trends': `SELECT nationalities[1], month, count(*) FROM current_subjects
    WHERE contains(roles, 'POTENTIAL_VICTIM') GROUP BY 1, 2 ORDER BY 1, 2`,
  'one month of subjects (pruned)': `SELECT count(*) FROM subjects WHERE month = '2026-10'`,
};

const time = async (run: () => Promise<unknown>, times = 5): Promise<number> => {
  await run();
  const started = performance.now();
  for (let i = 0; i < times; i += 1) await run();
  return (performance.now() - started) / times;
};

const main = async (source: string) => {
  const root = await mkdtemp(join(tmpdir(), 'msht-query-bench-'));
  try {
    const curated = join(source, 'curated');
    for (const path of await files(curated)) {
      if (!path.endsWith(`.jsonl.gz${S3RVER_SUFFIX}`) && !path.endsWith('.jsonl.gz')) continue;
      const target = join(root, 'curated', relative(curated, path).replace(S3RVER_SUFFIX, ''));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(path, target);
    }
    const all = (await files(join(root, 'curated'))).filter((f) => f.endsWith('.jsonl.gz'));
    const records = all.filter((f) => f.includes('record_type='));
    process.stdout.write(
      `gzip JSON Lines: ${records.length} record objects, ${((await sizeOf(records)) / 1024).toFixed(1)} KiB ` +
        `(+ ${all.length - records.length} manifests, ${((await sizeOf(all)) / 1024).toFixed(1)} KiB in all)\n`,
    );
    let started = performance.now();
    const session = await openDuckDbSession(root);
    process.stdout.write(`  open (tables and views): ${(performance.now() - started).toFixed(0)} ms\n`);
    const counts = await session.query(
      'SELECT (SELECT count(*) FROM subjects) + (SELECT count(*) FROM operations) + (SELECT count(*) FROM objects) + (SELECT count(*) FROM locations)',
    );
    process.stdout.write(`  records: ${counts.rows[0]?.[0]}\n`);
    for (const [name, sql] of Object.entries(QUERIES))
      process.stdout.write(`  ${name}: ${(await time(() => session.query(sql))).toFixed(1)} ms\n`);
    session.close();

    // The same tables as Parquet (zstd), written by DuckDB, Hive-partitioned as the JSON is.
    const parquet = join(root, 'parquet');
    await mkdir(parquet, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    started = performance.now();
    const writer = await openDuckDbSession(root);
    for (const table of QUERY_TABLES) {
      const out = join(parquet, table.name);
      await writer.query(
        `COPY (SELECT * FROM ${table.name}) TO '${out}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${table.partitions.join(', ')}))`,
      );
    }
    writer.close();
    const parquetFiles = (await files(parquet)).filter((f) => f.endsWith('.parquet'));
    const recordParquet = parquetFiles.filter((f) => !f.includes(`${join(parquet, 'uploads')}/`));
    process.stdout.write(
      `Parquet (zstd, by DuckDB): ${recordParquet.length} record files, ${((await sizeOf(recordParquet)) / 1024).toFixed(1)} KiB ` +
        `(written in ${(performance.now() - started).toFixed(0)} ms)\n`,
    );
    for (const table of QUERY_TABLES)
      await connection.run(
        `CREATE VIEW ${table.name} AS SELECT * FROM read_parquet('${join(parquet, table.name)}/**/*.parquet', hive_partitioning = true, hive_types = {${table.partitions.map((p) => `'${p}': 'VARCHAR'`).join(', ')}})`,
      );
    for (const view of QUERY_VIEWS) await connection.run(`CREATE VIEW ${view.name} AS ${view.sql}`);
    for (const [name, sql] of Object.entries(QUERIES))
      process.stdout.write(`  ${name}: ${(await time(() => connection.runAndReadAll(sql))).toFixed(1)} ms\n`);
    connection.closeSync();
    instance.closeSync();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
};

await main(process.argv[2] ?? '.');
