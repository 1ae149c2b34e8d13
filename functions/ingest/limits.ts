/** Limits that stop a whole file before anything from it is applied. */
export type IngestLimits = {
  /** Largest object accepted, as stored (compressed or not). */
  readonly maxFileBytes: number;
  /** Largest content accepted after decompression: stops decompression bombs. */
  readonly maxDecompressedBytes: number;
  /** Most data rows accepted in one file. */
  readonly maxRows: number;
};

export const DEFAULT_LIMITS: IngestLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxDecompressedBytes: 2 * 1024 * 1024 * 1024,
  maxRows: 5_000_000,
};
