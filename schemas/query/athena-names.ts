/**
 * The physical names of the SQL resources on AWS: the CDK app creates them, `msht query` runs in them.
 * Glue database names are lower case with underscores (Athena quotes nothing else).
 */
type Prefixed = { readonly prefix: string };

/** The Glue Data Catalog database of the query tables and views, e.g. `msht_prod_curated`. */
export const queryDatabaseName = (settings: Prefixed): string =>
  `${settings.prefix.toLowerCase().replaceAll('-', '_')}_curated`;

/** The Athena workgroup only the national team may use, e.g. `msht-prod-national-query`. */
export const queryWorkgroupName = (settings: Prefixed): string => `${settings.prefix}-national-query`;

/** Where the workgroup writes query results in the data bucket (expired by a lifecycle rule). */
export const QUERY_RESULTS_PREFIX = 'query-results/';
