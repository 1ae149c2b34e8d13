/**
 * Node options the ingest function runs with (set as NODE_OPTIONS by infra, and used by `npm run bench`
 * so that the benchmark measures what runs in Lambda). Ingest allocates many short-lived objects; left
 * alone, V8 grows the young generation to about 100 MB of mostly empty space. 16 MB semi-spaces keep
 * peak RSS about 130 MB lower at the same throughput (measured with `npm run bench`).
 */
export const INGEST_NODE_OPTIONS = '--max-semi-space-size=16';
