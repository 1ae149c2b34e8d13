import { z } from 'zod';

/** Limits that stop a whole file before anything from it is applied (stage settings `ingestLimits`; env `MSHT_INGEST_*`). */
export const IngestLimitsSchema = z.strictObject({
  /** Largest object accepted, as stored (compressed or not). */
  maxFileBytes: z.number().int().positive(),
  /** Largest content accepted after decompression: stops decompression bombs. */
  maxDecompressedBytes: z.number().int().positive(),
  /** Most data rows accepted in one file. */
  maxRows: z.number().int().positive(),
  /**
   * Largest share (0-1) of rejected rows an upload may have and still be applied; above it the upload
   * is QUARANTINED. 1 turns quarantine off.
   */
  maxRejectedShare: z.number().min(0).max(1),
});
export type IngestLimits = z.infer<typeof IngestLimitsSchema>;

export const DEFAULT_LIMITS: IngestLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxDecompressedBytes: 2 * 1024 * 1024 * 1024,
  maxRows: 5_000_000,
  maxRejectedShare: 0.5,
};
