/**
 * Node options the ingest function runs with (set as NODE_OPTIONS by infra; `msht validate` runs itself
 * with them too, bin/msht.mjs; `npm run bench` and `npm run bench:memory` measure what runs in Lambda).
 * Ingest allocates many short-lived objects, and hostile files long strings (a 600 KB key, a 200 KB date
 * of birth) that V8 allocates straight into the old generation. Left alone, V8 grows the young
 * generation to about 100 MB of mostly empty space and lets the old one fill with dead long strings for
 * hundreds of megabytes before it collects. Live memory is bounded by construction (a row is at most
 * 1 MiB, a batch one chunk of text, caches bounded by size: about 20 MB for a 2M-row file, under 100 MB for
 * the worst hostile file measured), so 16 MB semi-spaces and a 128 MB old generation keep the peak RSS
 * under 256 MB (`npm run bench:memory`) with room to spare for the live heap.
 */
export const INGEST_NODE_OPTIONS = '--max-semi-space-size=16 --max-old-space-size=128';
